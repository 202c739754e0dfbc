"""What `maliext merge` keeps between merges: each merge, resolve, link or dismiss is a
`merge_run`, and its bookkeeping rows (learnt edits, links, conflicts, duplicates)
count only while the run's change-log command is not undone, so that `maliext undo`
takes a merge back whole (store/schema.py describes the tables)."""

from __future__ import annotations

import json
from typing import Any

from maliext_cli.store import Store, new_uid
from maliext_cli.store.database import os_user

# Merge bookkeeping counts while its run's command is not undone (or when the run
# wrote no record, so that there is nothing to undo).
ACTIVE_RUN = "(SELECT r.id FROM merge_run r LEFT JOIN command c ON c.id = r.command_id WHERE c.undone_by IS NULL)"

# A conflict or duplicate still waiting for a decision.
OPEN = f"run_id IN {ACTIVE_RUN} AND (settled_by IS NULL OR settled_by NOT IN {ACTIVE_RUN})"


def canonical(value: Any) -> str:
    """JSON text in which equal values are equal text (how bookkeeping keeps records)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def new_run(store: Store, action: str, peer: str | None) -> int:
    cur = store.conn.execute(
        "INSERT INTO merge_run (uid, at, user, action, peer) VALUES (?, ?, ?, ?, ?)",
        (new_uid(), store.now, os_user(), action, peer),
    )
    return cur.lastrowid


def close_run(store: Store, run_id: int, summary: dict | None = None) -> None:
    store.conn.execute(
        "UPDATE merge_run SET command_id = ?, summary = ? WHERE id = ?",
        (store.command_id, None if summary is None else canonical(summary), run_id),
    )


def settle(store: Store, table: str, id_: int, run_id: int, outcome: str) -> None:
    store.conn.execute(f"UPDATE {table} SET settled_by = ?, outcome = ? WHERE id = ?", (run_id, outcome, id_))


def links(store: Store) -> dict[str, str]:
    """alias uid -> the uid it means here (records joined by `merge link`)."""
    return {
        alias: target
        for alias, target in store.conn.execute(
            f"SELECT alias_uid, target_uid FROM merge_link WHERE run_id IN {ACTIVE_RUN} ORDER BY id"
        )
    }
