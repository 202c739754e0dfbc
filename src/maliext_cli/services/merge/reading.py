"""The other file of a merge, whatever its form: a maliext database (as is or
gzip-compressed) or a bundle, told apart by its first bytes. It is only ever read."""

from __future__ import annotations

import gzip
import os
import sqlite3
import tempfile
from pathlib import Path

from maliext_cli.errors import Invalid, MaliextError
from maliext_cli.i18n import _
from maliext_cli.services.merge import bundles
from maliext_cli.services.merge.side import Side, read_side
from maliext_cli.store import Store
from maliext_cli.store.database import applied_migrations, open_readonly, refuse_newer

SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"


def read_other(path: str | os.PathLike, own: Store) -> Side:
    """The records of another maliext file, in its schema (upgrade.py brings an earlier
    one's to this schema): a database (as is or gzip-compressed) or a bundle; the format
    is told by the file's first bytes. A file of a newer schema is refused."""
    path = Path(path).expanduser()
    if not path.exists():
        raise MaliextError(_("no file {path}").format(path=path))
    if path.is_dir():
        raise MaliextError(_("{path} is a directory, not a maliext file").format(path=path))
    if path.resolve() == own.path.resolve():
        raise MaliextError(_("{path} is this database itself; give another site's file").format(path=path))
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise MaliextError(_("cannot read {path}: {error}").format(path=path, error=exc.strerror)) from None
    if head.startswith(SQLITE_MAGIC):
        return _read_database(path, path.name)
    if head.startswith(GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as handle:
                inner = handle.read(16)
                if inner.startswith(SQLITE_MAGIC):
                    return _read_gzipped_database(path)
                handle.seek(0)
                data = handle.read()
        except (OSError, EOFError) as exc:
            raise Invalid(_damaged_gzip(path, exc)) from None
        return bundles.read(data, path.name)
    if head.lstrip()[:1] == b"{":
        return bundles.read(path.read_bytes(), path.name)
    raise Invalid(
        _("{path} is neither a maliext database nor a bundle; nothing was changed").format(path=path),
        hint=_("Give a file made by `maliext db backup` or `maliext export --bundle`."),
    )


def _damaged_gzip(path: Path, exc: BaseException) -> str:
    return _("{path} is a damaged gzip file ({error}); nothing was changed").format(path=path, error=exc)


def _read_gzipped_database(path: Path) -> Side:
    with tempfile.TemporaryDirectory(prefix="maliext-merge-") as tmp:
        copy = Path(tmp) / "other.db"
        fd = os.open(copy, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            with os.fdopen(fd, "wb") as out, gzip.open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    out.write(chunk)
        except (OSError, EOFError) as exc:
            raise Invalid(_damaged_gzip(path, exc)) from None
        return _read_database(copy, path.name)


def _read_database(path: Path, name: str) -> Side:
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        raise MaliextError(_("cannot open {path}: {error}").format(path=name, error=exc)) from None
    try:
        applied = applied_migrations(conn)
        if not applied:
            raise Invalid(
                _("{path} is an SQLite file but not a maliext database; nothing was changed").format(path=name)
            )
        refuse_newer(name, applied, action="merge")
        conn.execute("BEGIN")  # one snapshot, even if a site is writing to it meanwhile
        try:
            return read_side(conn, name, applied[-1])
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        raise Invalid(
            _("{path} is not a readable maliext database ({error}); nothing was changed").format(path=name, error=exc)
        ) from None
    finally:
        conn.close()
