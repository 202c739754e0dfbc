"""Copies of the database (backup, restore) and read-only SQL."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from maliext_cli import clock
from maliext_cli.errors import Invalid, MaliextError
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.services import nouns
from maliext_cli.store import Store
from maliext_cli.store.database import applied_migrations, open_readonly, refuse_newer


def backup(store: Store, dest: Path) -> Path:
    """A consistent copy of `store` at `dest` (or inside `dest` if it is a directory).

    `VACUUM INTO` reads one snapshot, so writers can go on meanwhile; the copy is
    created empty with mode 0600 first, so that it is never readable by others.
    """
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / f"{store.path.stem}-{clock.now().astimezone():%Y%m%d-%H%M%S}.db"
    if dest.exists() and dest.stat().st_size > 0:
        raise MaliextError(
            _("{path} already exists").format(path=dest), hint=_("Give a new file name, or a directory.")
        )
    if dest.resolve() == store.path.resolve():
        raise MaliextError(_("the backup cannot be the database itself"))
    try:
        fd = os.open(dest, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        store.conn.execute("VACUUM INTO ?", (str(dest),))
    except OSError as exc:
        raise MaliextError(_("cannot write {path}: {error}").format(path=dest, error=exc.strerror)) from None
    except sqlite3.OperationalError as exc:
        dest.unlink(missing_ok=True)
        raise MaliextError(_("backup failed: {error}").format(error=exc)) from None
    os.chmod(dest, 0o600)
    return dest


# What `db sql` may do: read. Pragmas are allowed only when they report (a setting
# given a value, `PRAGMA journal_mode = DELETE`, is a write). ATTACH, VACUUM INTO and
# every statement that writes are denied before they run, so that not even an empty
# file is created; the read-only connection is a second line of defence.
_READING = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE})
_PRAGMAS_WITH_ARGUMENT = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
    }
)
_PRAGMAS_WITHOUT_ARGUMENT = _PRAGMAS_WITH_ARGUMENT | {
    "application_id",
    "collation_list",
    "compile_options",
    "data_version",
    "database_list",
    "encoding",
    "foreign_keys",
    "freelist_count",
    "function_list",
    "journal_mode",
    "module_list",
    "page_count",
    "page_size",
    "pragma_list",
    "schema_version",
    "user_version",
}


def _only_reads(action: int, arg1, arg2, database, trigger) -> int:
    if action in _READING:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 in ("sqlite_master", "sqlite_temp_master"):
        # Asked by SQLite itself when a table-valued pragma (pragma_table_info(...)) is
        # first used. A user's UPDATE of sqlite_master is refused by SQLite anyway, and
        # the connection is read-only.
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in (_PRAGMAS_WITHOUT_ARGUMENT if arg2 is None else _PRAGMAS_WITH_ARGUMENT):
            return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


_REFUSED = N_("`db sql` is read-only: this statement would change the database or another file, and was refused")


def read_only_query(store: Store, sql: str) -> tuple[list[str], list[dict]]:
    """(columns, rows) of one statement on a read-only connection; a write is refused."""
    store.conn.set_authorizer(_only_reads)
    try:
        cur = store.conn.execute(sql)
        if cur.description is None:
            return [], []
        names = [d[0] for d in cur.description]
        return names, [dict(zip(names, row)) for row in cur.fetchall()]
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "readonly" in text or "read-only" in text or "query_only" in text or "not authorized" in text:
            raise Invalid(_(_REFUSED)) from None
        raise Invalid(_sql_error(text)) from None
    except (sqlite3.ProgrammingError, sqlite3.Warning) as exc:
        raise Invalid(_sql_error(str(exc))) from None
    except sqlite3.DatabaseError as exc:
        if "not authorized" in str(exc):
            raise Invalid(_(_REFUSED)) from None
        raise Invalid(_sql_error(str(exc))) from None
    finally:
        store.conn.set_authorizer(None)


def _sql_error(text: str) -> str:
    # Translators: {error} is SQLite's own message, in English.
    return _("SQL: {error}").format(error=text)


# ---------------------------------------------------------------------- restore
@dataclass
class Source:
    """A file that `db restore` accepts: a sound maliext database."""

    path: Path
    schema: str
    counts: dict[str, int] = field(default_factory=dict)


def inspect_source(src: str | os.PathLike, target: str | os.PathLike | None = None) -> Source:
    """Check that `src` is a maliext database that this version can open, and that
    SQLite finds it sound (integrity and foreign keys); what it holds."""
    path = Path(src).expanduser()
    if not path.exists():
        raise MaliextError(_("no file {path}").format(path=path))
    if path.is_dir():
        raise MaliextError(_("{path} is a directory, not a database file").format(path=path))
    if target is not None and Path(target).exists() and path.resolve() == Path(target).resolve():
        raise MaliextError(_("{path} is the database itself; give a backup to restore").format(path=path))
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        raise MaliextError(_("cannot open {path}: {error}").format(path=path, error=exc)) from None
    try:
        applied = applied_migrations(conn)
        if not applied:
            raise MaliextError(_("{path} is not a maliext database; nothing was changed").format(path=path))
        refuse_newer(str(path), applied, action="restore")
        damage = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        if damage:
            raise MaliextError(
                _("{path} is damaged (SQLite's integrity check fails); nothing was changed").format(path=path),
                details=damage[:10],
            )
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise MaliextError(
                ngettext(
                    "{path} has {n} broken reference between records; nothing was changed",
                    "{path} has {n} broken references between records; nothing was changed",
                    len(broken),
                ).format(path=path, n=len(broken))
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in nouns.TABLES if t in tables}
    except sqlite3.DatabaseError as exc:
        raise MaliextError(
            _("{path} is not a readable maliext database ({error}); nothing was changed").format(path=path, error=exc)
        ) from None
    finally:
        conn.close()
    return Source(path=path, schema=applied[-1], counts=counts)


def restore(src: str | os.PathLike, target: str | os.PathLike) -> Path | None:
    """Replace the database at `target` with the maliext database `src`; the path of
    the copy kept of what it replaced (None if there was no database there).

    Never a half-written file: `src` is copied (SQLite's backup API, so a copy of a
    database in WAL mode is complete) to a temporary file beside `target`, synced to
    disk, then renamed over it in one step. Before that, the current database is
    copied aside, switched out of WAL mode (which needs every other connection to be
    closed: a database in use is not replaced) and its -wal and -shm files removed, so
    that no stale log is ever applied to the restored file.
    """
    source = inspect_source(src, target)
    target = Path(target).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restoring", dir=target.parent)  # mode 0600
    os.close(fd)
    temporary: Path | None = Path(name)
    try:
        _copy_database(source.path, temporary)
        _fsync(temporary)
        kept = _set_aside(target) if target.exists() else None
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, target)
        temporary = None
        _fsync_directory(target.parent)
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    Store.open(target).close()  # upgrades a copy made by an earlier maliext, sets WAL mode
    return kept


def _copy_database(src: Path, dest: Path) -> None:
    reader = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(dest)
    try:
        reader.backup(writer)
    except sqlite3.Error as exc:
        raise MaliextError(_("cannot copy {path}: {error}; nothing was changed").format(path=src, error=exc)) from None
    finally:
        writer.close()
        reader.close()


def _set_aside(target: Path) -> Path:
    """Copy the current database beside it (mode 0600) and close its log; the copy's path."""
    kept = _safety_path(target)
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=5)
    except sqlite3.Error as exc:
        raise MaliextError(
            _("cannot open {path}: {error}; nothing was changed").format(path=target, error=exc)
        ) from None
    try:
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _private_file(kept)
            conn.execute("VACUUM INTO ?", (str(kept),))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                kept.unlink(missing_ok=True)
                raise _in_use(target) from None
            _raw_copy(target, kept)
            return kept
        except sqlite3.DatabaseError:
            # A damaged file cannot be copied by SQLite: keep its bytes as they are.
            _raw_copy(target, kept)
            return kept
        try:
            # Leaving WAL mode needs every other connection closed: a database in use
            # is not pulled from under another command.
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            mode = "wal"
        if mode != "delete":
            kept.unlink(missing_ok=True)
            raise _in_use(target)
    finally:
        conn.close()
    return kept


def _in_use(target: Path) -> MaliextError:
    return MaliextError(
        _("{path} is in use by another program or maliext command; nothing was changed").format(path=target),
        hint=_("Run `db restore` again once the other commands have finished."),
    )


def _safety_path(target: Path) -> Path:
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
    suffix = target.suffix or ".db"
    kept = target.with_name(f"{target.stem}-before-restore-{stamp}{suffix}")
    n = 1
    while kept.exists():
        n += 1
        kept = target.with_name(f"{target.stem}-before-restore-{stamp}-{n}{suffix}")
    return kept


def _private_file(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise MaliextError(
            _("cannot write {path}: {error}; nothing was changed").format(path=path, error=exc.strerror)
        ) from None


def _raw_copy(src: Path, dest: Path) -> None:
    for suffix in ("", "-wal"):
        origin = Path(f"{src}{suffix}")
        if not origin.exists():
            continue
        copy = Path(f"{dest}{suffix}")
        if not copy.exists():
            _private_file(copy)
        with open(origin, "rb") as reader, open(copy, "wb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        os.chmod(copy, 0o600)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    """Make the rename itself durable (POSIX); not possible, nor needed, on Windows."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
