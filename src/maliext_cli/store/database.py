"""Opening the database and the one write path that every command goes through.

A command's writes happen inside `Store.transaction()`: one `BEGIN IMMEDIATE ...
COMMIT`, so that a failure anywhere leaves the file as it was and two commands at once
wait for each other instead of failing. Every insert, update and delete is made by the
methods below, which record it in the change log (table `change`, grouped by the
`command` row of the running command). History, undo and merge read that log.

The log keeps each row as it was *before* a change; the row *after* a change is the
`before` of the next change to the same row, or the row as it is now. Keeping only one
side halves what an import writes and loses nothing.

Many new rows go through `Store.bulk()` (store/bulk.py: multi-row statements, logged
the same way). New rows get their uids from store/uids.py.
"""

from __future__ import annotations

import getpass
import json
import os
import shlex
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from maliext_cli import clock
from maliext_cli.errors import MaliextError
from maliext_cli.i18n import _
from maliext_cli.store.bulk import Bulk
from maliext_cli.store.schema import MIGRATION_NAMES, MIGRATION_SET, RECORD_TABLES
from maliext_cli.store.sql import quote
from maliext_cli.store.uids import new_uid
from maliext_cli.text import fold

BUSY_TIMEOUT_S = 60.0
PAGE_SIZE = 8192  # bytes, for new files


def utc_now() -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to a database file that is not ours to change (a backup,
    another site's file, the database of a read-only command)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA query_only = ON")
    return conn


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The maliext migrations applied to the database on `conn`, oldest first ([] for a
    file that is not a maliext database)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone()
    if not exists:
        return []
    rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", (MIGRATION_SET,))
    return [r[0] for r in rows]


def refuse_newer(name: str, applied: Sequence[str], *, action: str) -> None:
    """Refuse a file whose schema this version does not know: a newer maliext wrote it.
    `action` says what was asked of it: "open", "merge" or "restore"."""
    unknown = [n for n in applied if n not in MIGRATION_NAMES]
    if unknown:
        from maliext_cli import __version__

        names = dict(name=name, theirs=unknown[-1], version=__version__, ours=MIGRATION_NAMES[-1])
        if action == "open":
            message = _(
                "{name} was written by a newer maliext (schema {theirs}; this is maliext {version}, schema {ours}); "
                "it was not touched"
            )
            hint = _("Upgrade maliext to open it.")
        else:
            message = _(
                "{name} was written by a newer maliext (schema {theirs}; this is maliext {version}, schema {ours}); "
                "nothing was changed"
            )
            hint = _("Upgrade maliext to merge it.") if action == "merge" else _("Upgrade maliext to restore it.")
        raise MaliextError(message.format(**names), hint=hint)


class Store:
    """A connection to one maliext file, its reads and its single write path."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, command_line: str | None = None):
        self.conn = conn
        self.path = path
        self.command_line = command_line or shlex.join(["maliext", *sys.argv[1:]])
        self._depth = 0
        self._command_id: int | None = None
        self._command_kind = "command"
        self._now: str | None = None
        self._columns: dict[str, tuple[str, ...]] = {}

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        *,
        create: bool = True,
        readonly: bool = False,
        command_line: str | None = None,
    ) -> Store:
        """Open (and create or upgrade) the database at `path`.

        `create=False` refuses a missing file; `readonly=True` opens it read-only and
        refuses one that needs an upgrade.
        """
        path = Path(path)
        exists = path.exists()
        if exists and path.is_dir():
            raise MaliextError(_("{path} is a directory, not a database file").format(path=path))
        if not exists and (readonly or not create):
            raise MaliextError(
                _("no database at {path}").format(path=path),
                hint=_("Create it with `maliext init`, or point --db / MALIEXT_DB at an existing file."),
            )
        if not exists:
            _create_private_file(path)
        try:
            if readonly:
                conn = open_readonly(path)
            else:
                conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
            _check_is_sqlite(conn, path)
        except sqlite3.DatabaseError as exc:
            # Translators: {error} is SQLite's own message, in English.
            raise MaliextError(_("cannot open {path}: {error}").format(path=path, error=exc)) from None
        conn.execute("PRAGMA foreign_keys = ON")
        conn.create_function("fold", 1, fold, deterministic=True)
        store = cls(conn, path, command_line=command_line)
        if not readonly:
            if not exists:
                # Set while the file is empty (never changed after): 8 KiB pages hold
                # about 35 consultants each; large imports and scans touch half as many
                # pages as with SQLite's default of 4 KiB.
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit survives a power cut, not only a crash of the process.
            conn.execute("PRAGMA synchronous = FULL")
        store._migrate(readonly=readonly)
        return store

    def close(self) -> None:
        self.conn.close()

    def _migrate(self, *, readonly: bool) -> None:
        applied = applied_migrations(self.conn)
        refuse_newer(str(self.path), applied, action="open")
        if len(applied) == len(MIGRATION_NAMES):
            return
        if readonly:
            raise MaliextError(_("{path} needs an upgrade").format(path=self.path), hint=_("Run `maliext init` first."))
        if not applied and self._has_foreign_tables():
            raise MaliextError(
                _("{path} is an SQLite file but not a maliext database; it was not touched").format(path=self.path)
            )
        from maliext_cli.store.schema import load_sqlite_utils, migrations

        # Inside one immediate transaction, so that two first runs at once cannot both
        # create the tables; sqlite-utils nests its own transactions as savepoints.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            migrations().apply(load_sqlite_utils().Database(self.conn))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _has_foreign_tables(self) -> bool:
        return (
            self.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            > 0
        )

    @property
    def schema_version(self) -> str:
        applied = applied_migrations(self.conn)
        return applied[-1] if applied else ""

    # -------------------------------------------------------------------- reads
    def rows(self, sql: str, params: Sequence | dict = ()) -> list[dict]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def row(self, sql: str, params: Sequence | dict = ()) -> dict | None:
        cur = self.conn.execute(sql, params)
        r = cur.fetchone()
        return None if r is None else dict(zip([d[0] for d in cur.description], r))

    def value(self, sql: str, params: Sequence | dict = ()):
        r = self.conn.execute(sql, params).fetchone()
        return None if r is None else r[0]

    def columns(self, table: str) -> tuple[str, ...]:
        """The stored (writable) columns of a record table, generated ones left out."""
        if table not in self._columns:
            if table not in RECORD_TABLES:
                raise ValueError(f"not a record table: {table}")
            info = self.conn.execute(f"PRAGMA table_xinfo({quote(table)})").fetchall()
            # hidden: 0 normal, 2 and 3 generated columns
            self._columns[table] = tuple(c[1] for c in info if c[6] == 0)
        return self._columns[table]

    # ------------------------------------------------------------- transactions
    @contextmanager
    def transaction(self, kind: str = "command") -> Iterator[Store]:
        """One command's writes: all of them or none. Re-entrant (inner blocks join)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._depth, self._command_id, self._command_kind, self._now = 1, None, kind, utc_now()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            yield self
        except BaseException:
            self._end("ROLLBACK")
            raise
        else:
            try:
                self._end("COMMIT")
            except BaseException:
                # A commit can fail too (a full disk); leave no transaction open behind.
                self._end("ROLLBACK")
                raise
        finally:
            self._depth, self._command_id, self._now = 0, None, None

    def _end(self, statement: str) -> None:
        """COMMIT or ROLLBACK. A Ctrl-C meanwhile makes it a rollback, finished before
        the Ctrl-C goes on."""
        interrupted: BaseException | None = None
        while True:
            try:
                if statement == "COMMIT" or self.conn.in_transaction:
                    self.conn.execute(statement)
                break
            except KeyboardInterrupt as exc:
                interrupted, statement = exc, "ROLLBACK"
        if interrupted is not None:
            raise interrupted

    @property
    def now(self) -> str:
        """The command's timestamp: every row a command writes carries the same one."""
        return self._now or utc_now()

    @property
    def command_id(self) -> int | None:
        """The change-log id of the running command, once it has written something."""
        return self._command_id

    def _require_transaction(self) -> None:
        if not self._depth:
            raise RuntimeError("writes must happen inside Store.transaction()")

    def _command(self) -> int:
        if self._command_id is None:
            cur = self.conn.execute(
                "INSERT INTO command (uid, at, user, command, kind) VALUES (?, ?, ?, ?, ?)",
                (new_uid(), self.now, os_user(), self.command_line, self._command_kind),
            )
            self._command_id = cur.lastrowid
        return self._command_id

    def _log(self, table: str, uid: str, action: str, before: dict | None) -> None:
        self.conn.execute(
            "INSERT INTO change (command_id, table_name, uid, action, before) VALUES (?, ?, ?, ?, ?)",
            (self._command(), table, uid, action, None if before is None else json.dumps(before, ensure_ascii=False)),
        )

    def _check_columns(self, table: str, names: Iterable[str]) -> None:
        known = self.columns(table)
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(f"unknown column(s) for {table}: {', '.join(unknown)}")

    # ------------------------------------------------------------------- writes
    def insert(self, table: str, values: dict) -> int:
        """Insert one row (uid and timestamps filled in unless given); its id."""
        self._require_transaction()
        row = {"uid": new_uid(), "created_at": self.now, "updated_at": self.now, **values}
        self._check_columns(table, row)
        names = ", ".join(quote(c) for c in row)
        marks = ", ".join("?" * len(row))
        cur = self.conn.execute(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", tuple(row.values()))
        self._log(table, row["uid"], "insert", None)
        return cur.lastrowid

    def insert_many(self, table: str, rows: Sequence[dict]) -> list[int]:
        """Insert many rows with the same keys; their ids, in order (given ones are kept)."""
        with self.bulk() as bulk:
            return bulk.insert_dicts(table, rows)

    @contextmanager
    def bulk(self) -> Iterator[Bulk]:
        """Many inserts, written with multi-row statements and logged like every write."""
        self._require_transaction()
        yield Bulk(self)

    def update(self, table: str, id_: int, changes: dict) -> bool:
        """Change some columns of one row; False (and nothing logged) if none differ."""
        self._require_transaction()
        self._check_columns(table, changes)
        before = self.row(f"SELECT * FROM {quote(table)} WHERE id = ?", (id_,))
        if before is None:
            raise LookupError(f"{table} {id_} does not exist")
        changed = {k: v for k, v in changes.items() if before.get(k) != v}
        if not changed:
            return False
        changed.setdefault("updated_at", self.now)
        assignments = ", ".join(f"{quote(k)} = ?" for k in changed)
        self.conn.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = ?", (*changed.values(), id_))
        self._log(table, before["uid"], "update", self._stored(table, before))
        return True

    def delete(self, table: str, id_: int) -> None:
        self._require_transaction()
        before = self.row(f"SELECT * FROM {quote(table)} WHERE id = ?", (id_,))
        if before is None:
            raise LookupError(f"{table} {id_} does not exist")
        self.conn.execute(f"DELETE FROM {quote(table)} WHERE id = ?", (id_,))
        self._log(table, before["uid"], "delete", self._stored(table, before))

    def put(self, table: str, row: dict) -> None:
        """Make the row with `row['uid']` exactly `row` (every stored column given).

        Inserts it if absent, replaces it if present: how undo and merge restore a row.
        """
        self._require_transaction()
        columns = self.columns(table)
        current = self.row(f"SELECT * FROM {quote(table)} WHERE uid = ?", (row["uid"],))
        values = {c: row.get(c) for c in columns}
        if current is None:
            names = ", ".join(quote(c) for c in columns)
            self.conn.execute(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join('?' * len(columns))})",
                tuple(values.values()),
            )
            self._log(table, row["uid"], "insert", None)
            return
        settable = [c for c in columns if c != "id"]
        if all(current.get(c) == values[c] for c in settable):
            return
        assignments = ", ".join(f"{quote(c)} = ?" for c in settable)
        self.conn.execute(
            f"UPDATE {quote(table)} SET {assignments} WHERE uid = ?", (*(values[c] for c in settable), row["uid"])
        )
        self._log(table, row["uid"], "update", self._stored(table, current))

    def _stored(self, table: str, row: dict) -> dict:
        columns = self.columns(table)
        return {c: row[c] for c in columns}


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only; SQLite gives its -wal and -shm
    files the same mode."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise MaliextError(_("cannot create {path}: {error}").format(path=path, error=exc.strerror)) from None
    os.close(fd)


def _check_is_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    """Fail early and clearly on a file that is not an SQLite database."""
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
