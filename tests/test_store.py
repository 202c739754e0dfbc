"""The database file: creation, settings, migrations, the write path and its log."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import sys
import uuid

import pytest

from maliext_cli.errors import MaliextError
from maliext_cli.store import Store
from maliext_cli.store.schema import MIGRATION_NAMES, migrations
from maliext_cli.store.uids import new_uids

from .conftest import digest


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_file_and_its_wal_are_private(db):
    store = Store.open(db)
    with store.transaction():
        store.insert("programme", {"code": "TOKTEN"})
    assert _mode(db) == 0o600
    assert _mode(f"{db}-wal") == 0o600
    assert _mode(f"{db}-shm") == 0o600


def test_connection_settings(db):
    store = Store.open(db)
    assert store.value("PRAGMA journal_mode") == "wal"
    assert store.value("PRAGMA foreign_keys") == 1
    assert store.value("PRAGMA busy_timeout") >= 30_000
    assert store.value("PRAGMA synchronous") == 2  # FULL
    assert store.value("PRAGMA page_size") == 8192  # a new file


def test_an_existing_file_keeps_its_page_size(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")  # an empty SQLite file, written with 4 KiB pages
    conn.close()
    store = Store.open(path)
    assert store.value("PRAGMA page_size") == 4096
    with store.transaction():
        store.insert("programme", {"code": "TOKTEN"})
    assert store.value("PRAGMA page_size") == 4096


def test_open_is_idempotent_and_records_migrations(db):
    Store.open(db).close()
    before = digest(db)
    store = Store.open(db)
    assert store.schema_version == MIGRATION_NAMES[-1]
    assert digest(db) == before


def test_known_migration_names_match_the_migrations():
    assert tuple(m.name for m in migrations()._migrations) == MIGRATION_NAMES


def test_database_from_a_newer_maliext_is_refused_untouched(db):
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('maliext', '999_future', 'x')"
    )
    conn.commit()
    conn.close()
    before = digest(db)
    with pytest.raises(MaliextError, match="newer maliext"):
        Store.open(db)
    assert digest(db) == before


def test_other_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(MaliextError, match="not a maliext database"):
        Store.open(path)
    assert digest(path) == before


def test_not_a_database_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not SQLite" * 100)
    with pytest.raises(MaliextError, match="cannot open"):
        Store.open(path)


def test_missing_file_refused_when_not_creating(db):
    with pytest.raises(MaliextError, match="no database"):
        Store.open(db, create=False)
    assert not db.exists()


def test_writes_outside_a_transaction_are_a_bug(db):
    store = Store.open(db)
    with pytest.raises(RuntimeError):
        store.insert("programme", {"code": "TOKTEN"})


def test_failed_transaction_leaves_nothing(db):
    store = Store.open(db)
    before = digest(db)
    with pytest.raises(RuntimeError, match="boom"), store.transaction():
        store.insert("programme", {"code": "TOKTEN"})
        raise RuntimeError("boom")
    assert digest(db) == before


def test_change_log_records_every_write_with_the_row_before(db):
    store = Store.open(db, command_line="maliext test")
    with store.transaction():
        pid = store.insert("programme", {"code": "TOKTEN", "name": "Transfer of Knowledge"})
        store.update("programme", pid, {"name": "TOKTEN Mali"})
        assert store.update("programme", pid, {"name": "TOKTEN Mali"}) is False  # no change, no log
    with store.transaction():
        store.delete("programme", pid)
    commands = store.rows("SELECT id, command, user FROM command ORDER BY id")
    assert [c["command"] for c in commands] == ["maliext test", "maliext test"]
    changes = store.rows("SELECT command_id, table_name, action, before FROM change ORDER BY id")
    assert [(c["command_id"], c["action"]) for c in changes] == [(1, "insert"), (1, "update"), (2, "delete")]
    assert changes[0]["before"] is None
    assert json.loads(changes[1]["before"])["name"] == "Transfer of Knowledge"
    assert json.loads(changes[2]["before"])["name"] == "TOKTEN Mali"


def test_insert_many_logs_each_row_and_returns_ids_in_order(db):
    store = Store.open(db)
    with store.transaction():
        ids = store.insert_many("programme", [{"code": f"P{i}"} for i in range(50)])
    assert ids == list(range(1, 51))
    codes = [r["code"] for r in store.rows("SELECT code FROM programme ORDER BY id")]
    assert codes == [f"P{i}" for i in range(50)]
    logged = store.rows("SELECT c.uid FROM change c ORDER BY c.id")
    assert [r["uid"] for r in logged] == [r["uid"] for r in store.rows("SELECT uid FROM programme ORDER BY id")]


def test_ids_are_never_reused(db):
    store = Store.open(db)
    with store.transaction():
        first = store.insert("programme", {"code": "A"})
        store.delete("programme", first)
        second = store.insert("programme", {"code": "B"})
    assert second > first


def test_uids_are_version_7_and_ordered():
    uids = new_uids(1000)
    assert uids == sorted(uids)
    assert len(set(uids)) == 1000
    assert {uuid.UUID(u).version for u in uids} == {7}
    assert {uuid.UUID(u).variant for u in uids} == {uuid.RFC_4122}


# ------------------------------------------------------------- bulk inserts
def test_bulk_writes_and_logs_every_row_in_order(db):
    store = Store.open(db)
    with store.transaction():
        store.delete("programme", store.insert("programme", {"code": "GONE"}))  # id 1 is never given again
        with store.bulk() as bulk:
            first = bulk.insert_rows("programme", ["code"], [[f"P{i}" for i in range(1200)]], constants={"name": "x"})
            second = bulk.insert_rows(
                "programme", ["code"], [["Q1", "Q2"]], uids=[None, "0190a0b0-0000-7000-8000-000000000001"]
            )
    assert first == list(range(2, 1202)) and second == [1202, 1203]
    rows = store.rows("SELECT id, uid, code, name, created_at, updated_at FROM programme ORDER BY id")
    assert [r["code"] for r in rows] == [f"P{i}" for i in range(1200)] + ["Q1", "Q2"]
    assert [r["name"] for r in rows] == ["x"] * 1200 + [None, None]
    assert rows[-1]["uid"] == "0190a0b0-0000-7000-8000-000000000001"
    assert len({r["uid"] for r in rows}) == 1202 and {r["created_at"] for r in rows} == {rows[0]["updated_at"]}
    logged = store.rows("SELECT uid, action FROM change WHERE action = 'insert' ORDER BY id")[1:]  # after GONE's
    assert [r["uid"] for r in logged] == [r["uid"] for r in rows]
    assert store.value("SELECT count(DISTINCT command_id) FROM change") == 1  # one command


def test_an_error_in_a_bulk_insert_reaches_the_caller_and_nothing_stays(db):
    store = Store.open(db)
    with (
        pytest.raises(sqlite3.IntegrityError, match="UNIQUE"),
        store.transaction(),
        store.bulk() as bulk,
    ):
        bulk.insert_rows("programme", ["code"], [["A", "B"]])
        bulk.insert_rows("programme", ["code"], [["C", "a"]])  # codes are unique, whatever the case
        for i in range(100):
            bulk.insert_rows("programme", ["code"], [[f"D{i}"]])
    assert store.value("SELECT count(*) FROM programme") == 0
    assert store.value("SELECT count(*) FROM change") == 0
    assert not store.conn.in_transaction
    with store.transaction():  # the store is usable again
        store.insert("programme", {"code": "A"})


class _InterruptedInserts:
    """A connection that receives a real SIGINT (Ctrl-C) while it writes its second
    insert into `programme`: the signal arrives at that point whatever the machine's
    speed (no timer racing the writes)."""

    def __init__(self, conn):
        self._conn = conn
        self.inserts = 0

    def execute(self, sql, *args):
        if sql.startswith('INSERT INTO "programme"'):
            self.inserts += 1
            if self.inserts == 2:
                signal.raise_signal(signal.SIGINT)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_ctrl_c_during_bulk_inserts_leaves_nothing_behind(db):
    """A Ctrl-C while rows are being written: the transaction is rolled back, and the
    next one is not written into."""
    store = Store.open(db)
    real = store.conn
    store.conn = interrupted = _InterruptedInserts(real)
    with pytest.raises(KeyboardInterrupt), store.transaction(), store.bulk() as bulk:
        for j in range(3):
            bulk.insert_rows("programme", ["code"], [[f"P{j}-{i}" for i in range(100)]])
    assert interrupted.inserts == 2
    assert store.value("SELECT count(*) FROM programme") == 0
    assert store.value("SELECT count(*) FROM change") == 0
    assert not store.conn.in_transaction
    with store.transaction():
        store.insert("programme", {"code": "NEXT"})
    assert [r["code"] for r in store.rows("SELECT code FROM programme")] == ["NEXT"]


def test_ctrl_c_at_the_end_of_a_bulk_block_leaves_nothing_behind(db):
    store = Store.open(db)
    with pytest.raises(KeyboardInterrupt), store.transaction(), store.bulk() as bulk:
        for j in range(3):
            bulk.insert_rows("programme", ["code"], [[f"P{j}-{i}" for i in range(100)]])
        raise KeyboardInterrupt
    assert store.value("SELECT count(*) FROM programme") == 0
    assert store.value("SELECT count(*) FROM change") == 0
    with store.transaction():
        store.insert("programme", {"code": "NEXT"})
    assert [r["code"] for r in store.rows("SELECT code FROM programme")] == ["NEXT"]


def test_uids_keep_increasing_from_one_call_to_the_next():
    made = [uid for n in (3, 1, 5, 2) * 50 for uid in new_uids(n)]
    assert made == sorted(made) and len(set(made)) == len(made)


def test_a_new_file_is_made_without_loading_numpy(tmp_path):
    """The migrations go through sqlite-utils, imported without numpy (slow to load,
    not needed there); numpy is still there for whatever needs it next."""
    import subprocess

    code = (
        "import sys\n"
        "from maliext_cli.store import Store\n"
        f"Store.open({str(tmp_path / 'new.db')!r}).close()\n"
        "assert 'sqlite_utils' in sys.modules and 'numpy' not in sys.modules\n"
        "import numpy\n"
        "print(numpy.arange(3).sum())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "3\n", "")
