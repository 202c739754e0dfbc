"""Many new rows at once: the writer behind `Store.bulk()`.

Rows are written with multi-row INSERT statements and logged like every write. For a
large import, a background thread writes one batch while the command's thread parses
the next; its statements run only inside the transaction that started it (each under
the store's lock, checked against the transaction's number), so that however a Ctrl-C
falls, nothing of it is written after its transaction ends.
"""

from __future__ import annotations

import queue
import sqlite3
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from maliext_cli.store.sql import quote
from maliext_cli.store.uids import new_uids

if TYPE_CHECKING:
    from maliext_cli.store.database import Store


class Bulk:
    """The inserts of one `Store.bulk()` block (see there).

    Ids are given here, above both the largest id and the AUTOINCREMENT sequence of
    the table (as SQLite would), so that callers know them at once and can refer to
    the new rows (an availability period to its consultant) before they are written.

    Rows travel column by column: each INSERT binds slices of the column lists
    (numbered parameters, column-major), and a value shared by every row (a
    timestamp, a default) is bound once per statement.
    """

    # Rows per INSERT: enough that the statement runs long without the GIL, few
    # enough that its text stays small; SQLite's variable limit may lower it.
    ROWS_PER_STATEMENT = 500

    def __init__(self, store: Store, tables: Sequence[str], *, background: bool):
        self.store = store
        self._transaction = store._transactions
        self._next: dict[str, int] = {}
        self._sql: dict[tuple, str] = {}
        self._variables = store.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self._thread: threading.Thread | None = None
        for table in tables:  # read now: the store is the writer's once it starts
            store.columns(table)
            self._next_ids(table, 0)
        self._error: BaseException | None = None
        self._stopping = threading.Event()
        self._done = threading.Event()  # set by the writer when it has ended
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._switch = sys.getswitchinterval()
        if background:
            self._thread = threading.Thread(target=self._work, name="maliext-writer", daemon=True)
            self._thread.start()
            # The writer takes the GIL back between statements: do not make it wait
            # the default 5 ms each time for the parsing thread to let go (the writer
            # sets it back when it ends).
            sys.setswitchinterval(0.0002)

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

    def stop(self) -> None:
        """Give up: the writer stops after its current statement (the transaction
        is rolled back by the caller)."""
        self._join(stop=True)

    def finish(self) -> None:
        """Wait until every row is written; raise the writer's error, if any."""
        self._join(stop=False)
        if self._error is not None:
            raise self._error

    # ---------------------------------------------------------------- inside
    def _next_ids(self, table: str, n: int) -> list[int]:
        if table not in self._next:
            if self._thread is not None:
                raise RuntimeError(f"Store.bulk(): name {table!r} when the block starts")
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
        them; `consecutive`: the ids follow each other, in order."""
        if self._error is not None:
            raise self._error
        if self._thread is not None and table not in self._next:
            raise RuntimeError(f"Store.bulk(): name {table!r} when the block starts")
        self.store._check_columns(table, [*columns, *shared])
        # The command row is written before the first job: the writer is idle then.
        job = (self.store._command(), table, tuple(columns), data, shared, consecutive)
        if self._thread is None:
            self._run(job)
        else:
            self._jobs.put(job)

    def _work(self) -> None:
        try:
            while True:
                try:
                    job = self._jobs.get(timeout=0.05)
                except queue.Empty:
                    if self._abandoned():
                        return
                    continue
                if job is None:
                    return
                if self._error is not None or self._stopping.is_set():
                    continue  # drain: nothing more is written
                try:
                    self._run(job)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc
        finally:
            sys.setswitchinterval(self._switch)
            self._done.set()

    def _abandoned(self) -> bool:
        """Given up, or the block's transaction is over (a Ctrl-C fell where the block
        could not say so): the writer ends on its own."""
        store = self.store
        return self._stopping.is_set() or store._transactions != self._transaction or not store._depth

    def _run(self, job: tuple) -> None:
        command, table, columns, data, shared, consecutive = job
        self._insert(table, columns, data, shared)
        if self._stopping.is_set():
            return
        # Logged in the order of the rows, like Store.insert would; rows with
        # consecutive ids (the usual case) are logged by SQLite alone, in one step.
        ids, uids = data[0], data[1]
        if consecutive:
            self._execute(
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
            if not self._execute(self._statement(table, names, len(shared), rows), params):
                return

    def _execute(self, sql: str, params: Sequence) -> bool:
        """Run one statement, unless the block was given up or its transaction has
        ended (False: nothing more is to be written)."""
        store = self.store
        with store._lock:
            if self._stopping.is_set():
                return False
            if store._transactions != self._transaction or not store._depth or not store.conn.in_transaction:
                self._stopping.set()
                raise RuntimeError("Store.bulk(): its transaction ended before every row was written")
            store.conn.execute(sql, params)
            return True

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

    def _join(self, *, stop: bool) -> None:
        """Return once the writer has ended, and with it every use of the store from
        its thread: only then may the caller commit or roll back. A Ctrl-C meanwhile
        stops the writer after its current statement and is raised afterwards.

        (The writer's end is its own event: on Python 3.11 a Thread.join() cut short
        by Ctrl-C can leave is_alive() False while the thread still runs.)"""
        if self._thread is None:
            return
        interrupted: BaseException | None = None
        ended = False
        while not self._done.is_set():
            try:
                if stop:
                    self._stopping.set()  # the writer drops what is queued and ends
                elif not ended:
                    ended = True
                    self._jobs.put(None)  # after the last job
                self._done.wait()
            except KeyboardInterrupt as exc:
                interrupted, stop = exc, True
        self._thread = None
        if interrupted is not None:
            raise interrupted
