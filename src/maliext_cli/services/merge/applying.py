"""Applying a merge's plan (planning.py) to this file.

Writes go through the store, in the merge's one transaction of kind 'merge', in an
order that `undo` can take back row by row: inserts (parents first), updates, removals
(children first). Then the bookkeeping (runs.py): the edits learnt, the links, the
conflicts and duplicates found or settled.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from maliext_cli.errors import Conflict
from maliext_cli.i18n import _
from maliext_cli.services.merge import runs
from maliext_cli.services.merge.conflicts import same_conflict
from maliext_cli.services.merge.planning import Planner
from maliext_cli.services.merge.report import MergeReport, item
from maliext_cli.services.merge.runs import canonical
from maliext_cli.services.merge.side import Side, TableInfo
from maliext_cli.store import Store


class _Ids:
    """Local ids by uid: those of this file, and those given to inserted records."""

    def __init__(self, store: Store, side: Side, canon):
        self.store, self.map, self.canon = store, side.ids, canon
        self.next: dict[str, int] = {}

    def of(self, table: str, uid: str | None) -> int | None:
        if uid is None:
            return None
        uid = self.canon(uid)
        found = self.map.get(table, {}).get(uid)
        if found is None:
            found = self.store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (uid,))
            if found is None:
                raise Conflict(
                    _("{table} {uid} is not in this database; nothing was changed").format(table=table, uid=uid)
                )
            self.map.setdefault(table, {})[uid] = found
        return found

    def give(self, table: str, uid: str) -> int:
        if table not in self.next:
            top = self.store.value(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            seq = self.store.value("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)) or 0
            self.next[table] = max(top, seq) + 1
        new = self.next[table]
        self.next[table] += 1
        self.map.setdefault(table, {})[uid] = new
        return new


def _local(info: TableInfo, row: dict, ids: _Ids, id_: int | None, *, skip: Iterable[str] = ()) -> dict:
    """A row of the other file with this file's id and ids in its references."""
    out = {}
    for column in info.columns:
        if column == "id":
            out[column] = id_
        elif column in info.refs:
            out[column] = None if column in skip else ids.of(info.refs[column], row.get(column))
        else:
            out[column] = row.get(column)
    return out


def apply(store: Store, p: Planner, report: MergeReport) -> None:
    """Write the plan `p`; the rules it breaks once applied are added to `report` as warnings."""
    from maliext_cli.services import checks

    touches_records = bool(p.decision or p.joins)
    before = set(checks.run(store, structure=False)) if touches_records else set()
    run_id = runs.new_run(store, "merge", p.theirs.name)
    ids = _Ids(store, p.mine, p.canon)
    try:
        _give_up_keys(store, p, ids)
        fixups = _insert(store, p, ids)
        _update(store, p, ids, fixups)
        _delete(store, p, ids)
    except sqlite3.IntegrityError as exc:
        raise Conflict(
            _("the merge cannot be applied to this database ({error}); nothing was changed").format(error=exc)
        ) from None
    _bookkeeping(store, p, run_id)
    runs.close_run(store, run_id, {k: v for k, v in sorted(report.counts.items())})
    report.written = True
    if touches_records:
        from maliext_cli.services import nouns

        for problem in checks.run(store, structure=False):
            if problem not in before:
                uid = None
                if problem.table in nouns.TABLES and problem.id is not None:
                    uid = store.value(f'SELECT uid FROM "{problem.table}" WHERE id = ?', (problem.id,))
                # Translators: {problem} is a line of `db check` ("mission 3: overlaps mission 4...").
                report.warnings.append(_("{problem} (after the merge)").format(problem=problem))
                report.items.append(item("warning", problem.table, uid or "", note=problem.message))
                report.counts["warning"] += 1


def _give_up_keys(store: Store, p: Planner, ids: _Ids) -> None:
    """Before the inserts, so that a new record may take the key (e-mail, acronym...)
    of one that goes: records of tables that nothing refers to are removed at once;
    the others joined into another record give up their unique keys, and go last."""
    for table in p.infos:
        if table not in p.referenced:
            for (t, uid), action in sorted(p.decision.items()):
                if t == table and action == "delete":
                    store.delete(table, p.mine.ids[table][uid])
    for table, alias, _target in p.joins:
        info = p.infos[table]
        row_id = p.mine.ids[table][alias]
        if table not in p.referenced:
            store.delete(table, row_id)
            continue
        notnull = {r[1] for r in store.conn.execute(f'PRAGMA table_info("{table}")') if r[3]}
        changes = {}
        for columns, _nocase in info.uniques:
            for column in columns:
                value = p.mine.rows[table][alias].get(column)
                if value is None or column in info.refs:
                    continue
                changes[column] = f"{value} (joined {alias[:8]})" if column in notnull else None
        if changes:
            store.update(table, row_id, changes)


def _parents_first(info: TableInfo, uids: list[str], rows: dict[str, dict]) -> list[str]:
    if not info.self_refs:
        return uids
    wanted, done, ordered = set(uids), set(), []

    def visit(uid: str, path: set[str]) -> None:
        if uid in done or uid in path:
            return
        path.add(uid)
        for column in info.self_refs:
            parent = rows[uid].get(column)
            if parent in wanted:
                visit(parent, path)
        done.add(uid)
        ordered.append(uid)

    for uid in uids:
        visit(uid, set())
    return ordered


def _insert(store: Store, p: Planner, ids: _Ids) -> list[tuple[str, str, dict]]:
    """Insert the new records, parents first; the self-references to set afterwards
    (records that refer to each other in a loop)."""
    fixups = []
    for table, info in p.infos.items():
        uids = sorted(u for (t, u), a in p.decision.items() if t == table and a == "insert")
        if not uids:
            continue
        rows = p.their_rows[table]
        ordered = _parents_first(info, uids, rows)
        for uid in ordered:
            ids.give(table, uid)
        batch = []
        placed: set[str] = set()
        for uid in ordered:
            row = rows[uid]
            later = [
                c for c in info.self_refs
                if row.get(c) in ids.map[table] and row.get(c) in uids and row.get(c) not in placed and row.get(c) != uid
            ]  # fmt: skip
            batch.append(_local(info, row, ids, ids.map[table][uid], skip=later))
            placed.add(uid)
            if later:
                fixups.append((table, uid, {c: ids.of(table, row[c]) for c in later}))
        store.insert_many(table, batch)
    return fixups


def _update(store: Store, p: Planner, ids: _Ids, fixups: list[tuple[str, str, dict]]) -> None:
    for table, info in p.infos.items():
        for (t, uid), action in sorted(p.decision.items()):
            if t == table and action == "update":
                store.put(table, _local(info, p.their_rows[table][uid], ids, p.mine.ids[table][uid]))
    for table, uid, changes in fixups:
        store.update(table, ids.of(table, uid), changes)
    # Records here that refer to a record joined into another one now refer to that one.
    aliases = {alias: target for _table, alias, target in p.joins}
    if not aliases:
        return
    for table, info in p.infos.items():
        for uid, row in p.mine.rows[table].items():
            if uid in aliases or p.decision.get((table, uid)) in ("update", "delete"):
                continue
            changes = {c: ids.of(info.refs[c], aliases[row[c]]) for c in info.refs if row.get(c) in aliases}
            if changes:
                store.update(table, p.mine.ids[table][uid], changes)


def _children_first(info: TableInfo, uids: list[str], rows: dict[str, dict]) -> list[str]:
    return list(reversed(_parents_first(info, uids, rows)))


def _delete(store: Store, p: Planner, ids: _Ids) -> None:
    joined = defaultdict(list)
    for table, alias, _target in p.joins:
        joined[table].append(alias)
    for table in reversed(list(p.infos)):
        if table not in p.referenced:
            continue  # done first, by _give_up_keys
        info = p.infos[table]
        uids = sorted(u for (t, u), a in p.decision.items() if t == table and a == "delete") + joined[table]
        for uid in _children_first(info, uids, p.mine.rows[table]):
            store.delete(table, p.mine.ids[table][uid])


def _bookkeeping(store: Store, p: Planner, run_id: int) -> None:
    conn = store.conn
    conn.executemany(
        "INSERT INTO merge_event (run_id, table_name, uid, events, removed_at) VALUES (?, ?, ?, ?, ?)",
        [(run_id, t, u, canonical(sorted(e)), at) for (t, u), (e, at) in sorted(p.learn.items())],
    )
    conn.executemany(
        "INSERT INTO merge_link (run_id, table_name, alias_uid, target_uid) VALUES (?, ?, ?, ?)",
        [(run_id, t, alias, target) for alias, (t, target) in sorted(p.new_links.items())],
    )
    for key in p.decision:
        old = p.known.conflicts.get(key)
        if old is not None:
            outcome = f"prefer {p.settled_by_prefer[key]}" if key in p.settled_by_prefer else "superseded"
            runs.settle(store, "merge_conflict", old["id"], run_id, outcome)
    for key, settled in p.settled_by_prefer.items():
        old = p.known.conflicts.get(key)
        if old is not None and key not in p.decision:
            runs.settle(store, "merge_conflict", old["id"], run_id, f"prefer {settled}")
    for id_ in p.moot:
        runs.settle(store, "merge_conflict", id_, run_id, "no longer in conflict")
    for key, c in sorted(p.conflicts.items()):
        old = p.known.conflicts.get(key)
        if same_conflict(old, c):
            continue
        if old is not None:
            runs.settle(store, "merge_conflict", old["id"], run_id, "superseded")
        conn.execute(
            "INSERT INTO merge_conflict (run_id, table_name, uid, kind, peer, mine, theirs, their_events, "
            "their_removed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                c.table,
                c.uid,
                c.kind,
                p.theirs.name,
                None if c.mine is None else canonical(c.mine),
                None if c.theirs is None else canonical(c.theirs),
                canonical(sorted(c.their_edits)),
                c.their_removed_at,
                c.note or None,
            ),
        )
    for key, (mine_uid, why) in sorted(p.held.items()):
        if key in p.known.held:
            continue
        conn.execute(
            "INSERT INTO merge_duplicate (run_id, table_name, uid_a, uid_b, reason, held, peer) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (run_id, key[0], mine_uid, key[1], why, canonical(p.their_rows[key[0]][key[1]]), p.theirs.name),
        )
    for key, old in p.known.held.items():
        if key not in p.held and key in p.decision:
            runs.settle(store, "merge_duplicate", old["id"], run_id, "inserted")
    for table, mine_uid, their_uid, why in p.likely:
        conn.execute(
            "INSERT INTO merge_duplicate (run_id, table_name, uid_a, uid_b, reason, peer) VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, table, mine_uid, their_uid, why, p.theirs.name),
        )
