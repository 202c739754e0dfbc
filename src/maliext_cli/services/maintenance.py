"""Copies of the database and read-only SQL."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from maliext_cli.errors import Invalid, MaliextError
from maliext_cli.store import Store


def backup(store: Store, dest: Path) -> Path:
    """A consistent copy of `store` at `dest` (or inside `dest` if it is a directory).

    `VACUUM INTO` reads one snapshot, so writers can go on meanwhile; the copy is
    created empty with mode 0600 first, so that it is never readable by others.
    """
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / f"{store.path.stem}-{datetime.now():%Y%m%d-%H%M%S}.db"
    if dest.exists() and dest.stat().st_size > 0:
        raise MaliextError(f"{dest} already exists", hint="Give a new file name, or a directory.")
    if dest.resolve() == store.path.resolve():
        raise MaliextError("the backup cannot be the database itself")
    try:
        fd = os.open(dest, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        store.conn.execute("VACUUM INTO ?", (str(dest),))
    except OSError as exc:
        raise MaliextError(f"cannot write {dest}: {exc.strerror}") from None
    except sqlite3.OperationalError as exc:
        dest.unlink(missing_ok=True)
        raise MaliextError(f"backup failed: {exc}") from None
    os.chmod(dest, 0o600)
    return dest


def read_only_query(store: Store, sql: str) -> tuple[list[str], list[dict]]:
    """(columns, rows) of one statement on a read-only connection; a write is refused."""
    try:
        cur = store.conn.execute(sql)
        if cur.description is None:
            return [], []
        names = [d[0] for d in cur.description]
        return names, [dict(zip(names, row)) for row in cur.fetchall()]
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "readonly" in text or "read-only" in text or "query_only" in text:
            raise Invalid("`db sql` is read-only: this statement would change the database, and was refused") from None
        raise Invalid(f"SQL: {text}") from None
    except (sqlite3.ProgrammingError, sqlite3.Warning) as exc:
        raise Invalid(f"SQL: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise Invalid(f"SQL: {exc}") from None
