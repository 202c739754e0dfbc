"""Many new rows at once: the inserts of a `Store.bulk()` block.

Rows are written with multi-row INSERT statements, column by column, and logged like
every write, in the command's thread. (A writer thread used to insert one batch
while the command parsed the next: measured on a busy 2-core machine, it made a
100,000-consultant import no faster, and it needed a lock, a queue and its own
Ctrl-C handling.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from maliext_cli.store.sql import quote
from maliext_cli.store.uids import new_uids

if TYPE_CHECKING:
    from maliext_cli.store.database import Store


class Bulk:
    """The inserts of one `Store.bulk()` block.

    Ids are given here, above both the largest id and the AUTOINCREMENT sequence of
    the table (as SQLite would), so that callers know them at once and can refer to
    the new rows (an availability period to its consultant) in the same block.

    Rows travel column by column: each INSERT binds slices of the column lists
    (numbered parameters, column-major), and a value shared by every row (a
    timestamp, a default) is bound once per statement.
    """

    # Rows per INSERT: enough that few statements are prepared, few enough that their
    # text stays small; SQLite's variable limit may lower it.
    ROWS_PER_STATEMENT = 500

    def __init__(self, store: Store):
        self.store = store
        self._next: dict[str, int] = {}
        self._sql: dict[tuple, str] = {}
        self._variables = store.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)

    # ------------------------------------------------------------- for callers
    def insert_dicts(self, table: str, rows: Sequence[dict]) -> list[int]:
        """Insert rows given as dicts with the same keys; `id`, `uid`, `created_at`
        and `updated_at` are filled in unless given."""
        if not rows:
            return []
        keys = [k for k in rows[0] if k not in ("id", "uid", "created_at", "updated_at")]
        ids = [r["id"] for r in rows] if "id" in rows[0] else self._next_ids(table, len(rows))
        fresh = iter(new_uids(sum(1 for r in rows if not r.get("uid"))))
        uids = [r.get("uid") or next(fresh) for r in rows]
        now = self.store.now
        stamps = [[r.get(k) or now for r in rows] for k in ("created_at", "updated_at")]
        data = [ids, uids, *stamps, *([r.get(k) for r in rows] for k in keys)]
        consecutive = ids == list(range(ids[0], ids[0] + len(ids)))
        self._write(table, ("id", "uid", "created_at", "updated_at", *keys), data, {}, consecutive=consecutive)
        return ids

    def insert_rows(
        self,
        table: str,
        columns: Sequence[str],
        values: Sequence[list],
        *,
        uids: list[str | None] | None = None,
        constants: dict[str, Any] | None = None,
    ) -> list[int]:
        """Insert rows given column by column: `values[j]` is the list of column
        `columns[j]` for every row, and `constants` the columns that every row shares
        (neither ids, uids nor timestamps among them). A uid in `uids` is kept, a
        missing one is made. The new ids, in order."""
        n = len(values[0])
        if not n:
            return []
        ids = self._next_ids(table, n)
        if uids is None:
            uids = new_uids(n)
        elif None in uids:
            fresh = iter(new_uids(sum(1 for u in uids if u is None)))
            uids = [u or next(fresh) for u in uids]
        shared = {"created_at": self.store.now, "updated_at": self.store.now, **(constants or {})}
        self._write(table, ("id", "uid", *columns), [ids, uids, *values], shared, consecutive=True)
        return ids

    # ---------------------------------------------------------------- inside
    def _next_ids(self, table: str, n: int) -> list[int]:
        if table not in self._next:
            top = self.store.value(f"SELECT coalesce(max(id), 0) FROM {quote(table)}")
            seq = self.store.value("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)) or 0
            self._next[table] = max(top, seq) + 1
        first = self._next[table]
        self._next[table] += n
        return list(range(first, first + n))

    def _write(
        self, table: str, columns: Sequence[str], data: list[list], shared: dict[str, Any], *, consecutive: bool
    ) -> None:
        """Insert the rows whose columns are `data` (ids first, then uids) and log
        them, in the order of the rows, like Store.insert would; `consecutive`: the
        ids follow each other, in order."""
        store = self.store
        store._check_columns(table, [*columns, *shared])
        command = store._command()
        self._insert(table, tuple(columns), data, shared)
        ids, uids = data[0], data[1]
        if consecutive:  # the usual case: SQLite logs the rows alone, in one step
            store.conn.execute(
                "INSERT INTO change (command_id, table_name, uid, action) "
                f"SELECT ?, ?, uid, 'insert' FROM {quote(table)} WHERE id BETWEEN ? AND ? ORDER BY id",
                (command, table, ids[0], ids[-1]),
            )
        else:
            log = {"command_id": command, "table_name": table, "action": "insert"}
            self._insert("change", ("uid",), [uids], log)

    def _insert(self, table: str, columns: tuple[str, ...], data: list[list], shared: dict[str, Any]) -> None:
        width = len(columns)
        per = max(1, min(self.ROWS_PER_STATEMENT, (self._variables - len(shared)) // width))
        names = (*columns, *shared)
        for start in range(0, len(data[0]), per):
            params = list(shared.values())
            for column in data:
                params += column[start : start + per]
            rows = (len(params) - len(shared)) // width
            self.store.conn.execute(self._statement(table, names, len(shared), rows), params)

    def _statement(self, table: str, names: tuple[str, ...], shared: int, rows: int) -> str:
        """INSERT of `rows` rows: parameters 1 to `shared` are the shared values (the
        last columns), then come the other columns, one after the other."""
        key = (table, names, shared, rows)
        if key not in self._sql:
            width = len(names) - shared
            tail = "".join(f", ?{k}" for k in range(1, shared + 1))
            values = ", ".join(
                "(" + ", ".join(f"?{shared + j * rows + i + 1}" for j in range(width)) + tail + ")" for i in range(rows)
            )
            self._sql[key] = f"INSERT INTO {quote(table)} ({', '.join(map(quote, names))}) VALUES {values}"
        return self._sql[key]
