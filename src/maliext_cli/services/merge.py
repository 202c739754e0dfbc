"""Merging another site's maliext file into this one (`maliext merge`), and what waits
for a decision afterwards: conflicts, likely duplicates, links between records.

How a record's two versions are compared. Clocks are not trusted (laptops offline keep
wrong time); instead each version carries the set of *edits* that made it: the uids of
the change-log commands that wrote the record, plus the edits learnt from other files
by earlier merges (services/bundle.py reads them). Changes made by a merge are not
edits of their own: a merge copies the other file's version and learns its edits. For
each record (table, uid) of the other file:

- same content (ignoring local ids and timestamps): nothing, but each side learns the
  other's edits (and the later `updated_at` is kept, so that both files end equal);
- their edits are all known here: this file is ahead, keep it;
- our edits are all known there: they are ahead, take their version (or their removal);
- neither: both changed it since they last met, a *conflict*. Nothing is applied; it
  is listed field by field, kept in `merge_conflict` and settled by `--prefer` or
  `maliext merge resolve`. Settling learns the other side's edits, so that the kept
  version wins at the next exchange in both directions.

A record unknown here is inserted, its references mapped by uid. A removal travels as
a record with edits and no row (a tombstone): only such explicit removals remove
anything, so a partial bundle (`export --bundle --since`) never removes what it leaves
out. Merging the same file twice changes nothing the second time; two files merged
both ways end with the same records once no conflict is open.

Writes go through the store, in one transaction of kind 'merge', in an order that
`undo` can take back row by row: inserts (parents first), updates, removals (children
first). The bookkeeping (`merge_run` and its rows) counts only while the merge's
command is not undone, so `maliext undo` takes a merge back whole, as if it had not
happened: merging the file again brings the same changes back.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from maliext_cli.errors import Conflict, Invalid, NotFound
from maliext_cli.services import bundle, crud, records
from maliext_cli.services.bundle import ACTIVE_RUN, Side, TableInfo
from maliext_cli.store import Store, new_uid
from maliext_cli.store.database import os_user
from maliext_cli.text import a, fold

PREFER = ("mine", "theirs", "newer")
ITEM_COLUMNS = ["action", "table", "uid", "name", "field", "mine", "theirs", "note"]
CONFLICT_COLUMNS = ["id", "table", "uid", "name", "kind", "field", "mine", "theirs", "peer", "at", "note"]
DUPLICATE_COLUMNS = ["id", "table", "uid", "name", "other_uid", "other_name", "reason", "state", "peer", "at"]

EMPTY: frozenset[str] = frozenset()

# Conflict kinds, as `merge conflicts` shows them.
KINDS = {
    "edit": "changed here and there",
    "removed-here": "removed here, changed there",
    "removed-there": "changed here, removed there",
    "reference": "their version refers to a record that is not here",
    "unique": "their version uses a key (e-mail, acronym, code) that another record here has",
    "children": "removed there, but records here still refer to it",
}


# ----------------------------------------------------------------- the report
@dataclass
class MergeReport:
    peer: str
    dry_run: bool = False
    partial: bool = False
    items: list[dict] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    written: bool = False  # did the merge change anything in this file

    @property
    def problems(self) -> int:
        """What needs a decision, or breaks a rule once merged (exit code 4 of --dry-run)."""
        return self.counts["conflict"] + self.counts["held"] + self.counts["warning"]


def _item(action: str, table: str, uid: str, name: str = "", field_: str | None = None, mine: Any = None,
          theirs: Any = None, note: str = "") -> dict:  # fmt: skip
    return {
        "action": action,
        "table": table,
        "uid": uid,
        "name": name,
        "field": field_,
        "mine": mine,
        "theirs": theirs,
        "note": note,
    }


def label(table: str, row: dict | None) -> str:
    """A short readable name of a record (consultant's name, acronym, code, title...)."""
    if row and table == "conflict":
        return row.get("reason") or "conflict of interest"
    return records.label(row)


def _stamps(row: dict) -> tuple[str, str]:
    return (row.get("updated_at") or "", row.get("created_at") or "")


def _state(info: TableInfo, row: dict) -> tuple:
    return tuple(row.get(c) for c in info.state_columns)


def _differing(info: TableInfo, mine: dict | None, theirs: dict | None) -> list[str]:
    if mine is None or theirs is None:
        return []
    return [c for c in info.state_columns if mine.get(c) != theirs.get(c)]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _keys(info: TableInfo, row: dict) -> list[tuple]:
    """The values of `row` under each unique key of its table (as SQLite compares them)."""
    found = []
    for i, (columns, nocase) in enumerate(info.uniques):
        values = tuple(row.get(c) for c in columns)
        if any(v is None for v in values):
            continue
        if nocase:
            values = tuple(v.translate(_ASCII_LOWER) if isinstance(v, str) else v for v in values)
        found.append((i, values))
    return found


def _likely_key(table: str, row: dict) -> tuple | None:
    """What makes two records of different uids likely the same one."""
    if table == "consultant" and row.get("birth_year") is not None:
        return (fold(row.get("family_name")), fold(row.get("given_names")), row["birth_year"])
    if table == "association":
        return (fold(row.get("name")), fold(row.get("city")))
    return None


_LIKELY_REASON = {"consultant": "same name and birth year", "association": "same name and city"}


# ------------------------------------------------------------------- planning
@dataclass
class _Pending:
    """A conflict found by this merge."""

    table: str
    uid: str
    kind: str
    mine: dict | None
    theirs: dict | None
    their_edits: frozenset[str]
    their_removed_at: str | None
    note: str = ""


class _Planner:
    """Decides, for every record of the other file, what this merge does with it."""

    def __init__(self, mine: Side, theirs: Side, prefer: str | None, known: _Known):
        self.mine, self.theirs, self.prefer, self.known = mine, theirs, prefer, known
        self.infos = mine.infos
        self.warnings: list[str] = []
        self.links: dict[str, tuple[str, str]] = dict(mine.links)
        self.new_links: dict[str, tuple[str, str]] = {}
        self._adopt_links()
        self.my_rows = {t: self._mapped(t, mine.rows[t]) for t in self.infos}
        self.their_rows = {t: self._mapped(t, theirs.rows[t]) for t in self.infos}
        # My records whose uid now means another record: joined into it.
        self.joins = [(t, uid, self.canon(uid)) for t in self.infos for uid in mine.rows[t] if self.canon(uid) != uid]
        self.decision: dict[tuple[str, str], str] = {}  # insert, update, delete
        self.learn: dict[tuple[str, str], tuple[frozenset[str], str | None]] = {}
        self.conflicts: dict[tuple[str, str], _Pending] = {}
        self.held: dict[tuple[str, str], tuple[str, str]] = {}  # (table, their uid) -> (my uid, reason)
        self.likely: list[tuple[str, str, str, str]] = []  # (table, my uid, their uid, reason)
        self.settled_by_prefer: dict[tuple[str, str], str] = {}
        self.referenced = {t for info in self.infos.values() for t in info.refs.values()}

    # ------------------------------------------------------------- links
    def canon(self, uid: str | None) -> str | None:
        seen = 0
        while uid in self.links and seen < 20:
            uid = self.links[uid][1]
            seen += 1
        return uid

    def _adopt_links(self) -> None:
        """Their links that we do not know yet, when what they point to is at hand."""
        for alias, (table, target) in sorted(self.theirs.links.items()):
            if alias in self.links or table not in self.infos:
                continue
            self.links[alias] = (table, target)
            end = self.canon(alias)
            if end == alias:  # a loop
                del self.links[alias]
                continue
            if (
                alias in self.mine.rows[table]
                and end not in self.mine.rows[table]
                and end not in self.theirs.rows[table]
            ):
                del self.links[alias]
                self.warnings.append(
                    f"{table} {alias} was joined into {target} at the other site, which is not in either file; "
                    "kept as it is"
                )
                continue
            self.new_links[alias] = (table, target)

    def _mapped(self, table: str, rows: dict[str, dict]) -> dict[str, dict]:
        refs = self.infos[table].refs
        out = {}
        for uid, row in rows.items():
            if self.canon(uid) != uid:
                continue
            if self.links and any(row.get(c) in self.links for c in refs):
                row = {**row, **{c: self.canon(row.get(c)) for c in refs}}
            out[uid] = row
        return out

    # ------------------------------------------------------------ deciding
    def run(self) -> None:
        for table, info in self.infos.items():
            self._decide_table(table, info)
        self._check_keys()
        self._check_references()
        self._find_moot()

    def _find_moot(self) -> None:
        """Open conflicts (of any earlier merge) that no longer hold: every edit the
        other version had is known here now."""
        self.moot: list[int] = []
        for key, row in self.known.conflicts.items():
            if key in self.conflicts or key in self.decision or key in self.settled_by_prefer:
                continue
            table, uid = key
            if table not in self.infos:
                continue
            known = self.mine.edits[table].get(uid, EMPTY) | self.learn.get(key, (EMPTY, None))[0]
            if frozenset(json.loads(row["their_events"])) <= known:
                self.moot.append(row["id"])

    def _decide_table(self, table: str, info: TableInfo) -> None:
        mine, theirs = self.my_rows[table], self.their_rows[table]
        my_edits, their_edits = self.mine.edits[table], self.theirs.edits[table]
        candidates = set(theirs) | {u for u in their_edits if u not in self.theirs.rows[table]}
        for uid in sorted(candidates):
            if self.canon(uid) != uid:
                continue
            key = (table, uid)
            mr, tr = mine.get(uid), theirs.get(uid)
            me, te = my_edits.get(uid, EMPTY), their_edits.get(uid, EMPTY)
            removed = self.theirs.removed_at[table].get(uid)
            if tr is not None and mr is not None:
                if _state(info, mr) == _state(info, tr):
                    if te - me:
                        self.learn[key] = (te - me, None)
                    # Both files end with the later timestamps.
                    if _stamps(tr) > _stamps(mr):
                        self.decision[key] = "update"
                elif te == me:  # the same edits, yet not the same record: neither may win
                    self._conflict(key, "edit", mr, tr, te, None)
                elif te <= me:
                    pass
                elif me <= te:
                    self._take(key, "update", te - me)
                else:
                    self._conflict(key, "edit", mr, tr, te, None)
            elif tr is not None:
                if not me:
                    self._take(key, "insert", te)
                elif te <= me:
                    pass
                elif me <= te:
                    self._take(key, "insert", te - me)
                else:
                    self._conflict(key, "removed-here", None, tr, te, None)
            elif mr is not None:
                if me <= te:
                    self._take(key, "delete", te - me, removed)
                elif te <= me:
                    pass
                else:
                    self._conflict(key, "removed-there", mr, None, te, removed)
            elif te - me:
                self.learn[key] = (te - me, removed)

    def _take(self, key: tuple[str, str], action: str, learnt: frozenset[str], removed: str | None = None) -> None:
        self.decision[key] = action
        if learnt:
            self.learn[key] = (learnt, removed)

    def _conflict(self, key, kind, mr, tr, te, removed) -> None:
        table, uid = key
        if self.prefer is None:
            self.conflicts[key] = _Pending(table, uid, kind, mr, tr, te, removed)
            return
        take_theirs = self.prefer == "theirs" or (self.prefer == "newer" and self._theirs_newer(table, uid, mr, tr))
        self.settled_by_prefer[key] = "theirs" if take_theirs else "mine"
        learnt = te - self.mine.edits[table].get(uid, EMPTY)
        if not take_theirs:
            # Keeping mine is an edit of its own, after theirs: mine then wins everywhere.
            self.learn[key] = (learnt | {new_uid()}, removed)
            return
        action = {"edit": "update", "removed-here": "insert", "removed-there": "delete"}[kind]
        self._take(key, action, learnt, removed)

    def _theirs_newer(self, table: str, uid: str, mr: dict | None, tr: dict | None) -> bool:
        mine_at = mr["updated_at"] if mr else self.mine.removed_at[table].get(uid, "")
        theirs_at = tr["updated_at"] if tr else self.theirs.removed_at[table].get(uid, "")
        if mine_at != theirs_at:
            return (theirs_at or "") > (mine_at or "")
        info = self.infos[table]
        return _canonical(_state(info, tr) if tr else None) > _canonical(_state(info, mr) if mr else None)

    def _demote(self, key: tuple[str, str], kind: str, note: str) -> None:
        """A planned change that cannot be applied becomes a conflict."""
        table, uid = key
        action = self.decision.pop(key)
        self.learn.pop(key, None)
        self.settled_by_prefer.pop(key, None)
        mr = self.my_rows[table].get(uid)
        tr = self.their_rows[table].get(uid) if action != "delete" else None
        te = self.theirs.edits[table].get(uid, EMPTY)
        self.conflicts[key] = _Pending(table, uid, kind, mr, tr, te, self.theirs.removed_at[table].get(uid), note)

    # -------------------------------------------------------------- checks
    def _check_keys(self) -> None:
        """Unique keys: their version may not take a key that another record here has."""
        # Records joined into another one are not in my_rows: their keys are given up
        # before the inserts, as are those of records removed from tables that no
        # table refers to (see _give_up_keys).
        for table, info in self.infos.items():
            if not info.uniques:
                continue
            owner: dict[tuple, str] = {}
            early = table not in self.referenced
            for uid, row in self.my_rows[table].items():
                if early and self.decision.get((table, uid)) == "delete":
                    continue
                for k in _keys(info, row):
                    owner[k] = uid
            updates = sorted(u for (t, u), a in self.decision.items() if t == table and a == "update")
            for uid in updates:
                row = self.their_rows[table][uid]
                clash = next((owner[k] for k in _keys(info, row) if owner.get(k, uid) != uid), None)
                if clash is not None:
                    self._demote((table, uid), "unique", f"{self._key_text(info, row, clash)}")
                    continue
                for k in _keys(info, self.my_rows[table][uid]):
                    if owner.get(k) == uid:
                        del owner[k]
                for k in _keys(info, row):
                    owner[k] = uid
            inserts = sorted(u for (t, u), a in self.decision.items() if t == table and a == "insert")
            for uid in inserts:
                row = self.their_rows[table][uid]
                clash = next((owner[k] for k in _keys(info, row) if k in owner), None)
                if clash is not None:
                    self.decision.pop((table, uid))
                    self.learn.pop((table, uid), None)
                    self.held[(table, uid)] = (clash, self._key_text(info, row, clash))
                    continue
                for k in _keys(info, row):
                    owner[k] = uid
        self._find_likely()

    def _key_text(self, info: TableInfo, row: dict, other: str) -> str:
        mine = self.my_rows[info.name].get(other, {})
        for columns, _ in info.uniques:
            if all(row.get(c) is not None for c in columns) and all(
                str(row.get(c)).lower() == str(mine.get(c)).lower() for c in columns
            ):
                shown = ", ".join(f"{c} {row.get(c)}" for c in columns)
                return f"same {shown} as {info.name} {other} here"
        return f"same key as {info.name} {other} here"

    def _find_likely(self) -> None:
        for table in ("consultant", "association"):
            if table not in self.infos:
                continue
            index: dict[tuple, list[str]] = defaultdict(list)
            for uid, row in self.my_rows[table].items():
                k = _likely_key(table, row)
                if k is not None:
                    index[k].append(uid)
            for (t, uid), action in sorted(self.decision.items()):
                if t != table or action != "insert":
                    continue
                for other in index.get(_likely_key(table, self.their_rows[table][uid]) or (), []):
                    if frozenset((other, uid)) not in self.known.pairs:
                        self.likely.append((table, other, uid, _LIKELY_REASON[table]))

    def exists_after(self, table: str, uid: str) -> bool:
        action = self.decision.get((table, uid))
        if action == "insert":
            return True
        return uid in self.my_rows[table] and action != "delete"

    def _check_references(self) -> None:
        """Until nothing changes: a version that refers to a record that will not be here
        is not applied; a record that records here still refer to is not removed."""
        children: dict[str, list[tuple[str, str]]] = defaultdict(list)  # parent table -> (table, column)
        for table, info in self.infos.items():
            for column, target in info.refs.items():
                children[target].append((table, column))
        my_refs: dict[tuple[str, str, str], list[str]] = defaultdict(list)  # (table, column, target uid) -> uids
        for table, info in self.infos.items():
            for column in info.refs:
                for uid, row in self.my_rows[table].items():
                    if row.get(column) is not None:
                        my_refs[(table, column, row[column])].append(uid)
        changed = True
        while changed:
            changed = False
            planned_refs: dict[tuple[str, str, str], list[str]] = defaultdict(list)
            for key, action in sorted(self.decision.items()):
                table, uid = key
                if action not in ("insert", "update"):
                    continue
                row = self.their_rows[table][uid]
                for column, target in self.infos[table].refs.items():
                    ref = row.get(column)
                    if ref is not None and not (target == table and ref == uid) and not self.exists_after(target, ref):
                        why = ", held as a duplicate" if (target, ref) in self.held else ""
                        self._demote(key, "reference", f"its {column.removesuffix('_id')} ({target} {ref}){why}")
                        changed = True
                        break
                else:
                    for column in self.infos[table].refs:
                        if row.get(column) is not None:
                            planned_refs[(table, column, row[column])].append(uid)
            for key, action in sorted(self.decision.items()):
                if action != "delete":
                    continue
                table, uid = key
                found: set[tuple[str, str]] = set()
                for child_table, column in children[table]:
                    for child in my_refs.get((child_table, column, uid), []):
                        child_action = self.decision.get((child_table, child))
                        if child_action == "delete" or (
                            child_action == "update" and self.their_rows[child_table][child].get(column) != uid
                        ):
                            continue
                        found.add((child_table, child))
                    found.update((child_table, other) for other in planned_refs.get((child_table, column, uid), []))
                found.discard((table, uid))
                remaining = [f"{t} {u}" for t, u in sorted(found)]
                if remaining:
                    shown = ", ".join(remaining[:3]) + (f" and {len(remaining) - 3} more" if len(remaining) > 3 else "")
                    self._demote(key, "children", shown)
                    changed = True


# ---------------------------------------------------------- what is known here
@dataclass
class _Known:
    """Open conflicts and duplicates already listed here."""

    conflicts: dict[tuple[str, str], dict] = field(default_factory=dict)
    pairs: set[frozenset[str]] = field(default_factory=set)  # any duplicate pair ever listed
    held: dict[tuple[str, str], dict] = field(default_factory=dict)  # (table, their uid) -> open held row


_OPEN = f"run_id IN {ACTIVE_RUN} AND (settled_by IS NULL OR settled_by NOT IN {ACTIVE_RUN})"


def _known(store: Store) -> _Known:
    known = _Known()
    for row in store.rows(f"SELECT * FROM merge_conflict WHERE {_OPEN} ORDER BY id"):
        known.conflicts[(row["table_name"], row["uid"])] = row
    for row in store.rows(f"SELECT * FROM merge_duplicate WHERE run_id IN {ACTIVE_RUN} ORDER BY id"):
        known.pairs.add(frozenset((row["uid_a"], row["uid_b"])))
    for row in store.rows(f"SELECT * FROM merge_duplicate WHERE {_OPEN} AND held IS NOT NULL ORDER BY id"):
        known.held[(row["table_name"], row["uid_b"])] = row
    return known


# -------------------------------------------------------------------- merging
def merge(
    store: Store,
    other: str | os.PathLike,
    *,
    dry_run: bool = False,
    prefer: str | None = None,
) -> MergeReport:
    """Merge every record of the maliext file or bundle `other` into `store`, in one
    transaction of kind 'merge' (or none with `dry_run`); what was done."""
    if prefer is not None and prefer not in PREFER:
        raise Invalid(f"--prefer: expected mine, theirs or newer, got {prefer!r}")
    theirs = bundle.read_other(other, store)
    report = MergeReport(peer=theirs.name, dry_run=dry_run, partial=theirs.since is not None)
    try:
        with store.transaction(kind="merge"):
            mine = bundle.own_side(store)
            bundle.check_compatible(mine, theirs)
            planner = _Planner(mine, theirs, prefer, _known(store))
            planner.run()
            _describe(planner, report)
            if _has_writes(planner):
                _apply(store, planner, report)
            if dry_run:
                raise crud.DryRun
    except crud.DryRun:
        pass
    return report


def _has_writes(p: _Planner) -> bool:
    if p.decision or p.learn or p.new_links or p.joins or p.likely or p.moot:
        return True
    if any(k in p.known.conflicts for k in p.decision):
        return True
    for key, pending in p.conflicts.items():
        if not _same_conflict(p.known.conflicts.get(key), pending):
            return True
    return any(key not in p.known.held for key in p.held)


def _same_conflict(row: dict | None, pending: _Pending) -> bool:
    if row is None:
        return False
    return (
        row["kind"] == pending.kind
        and row["mine"] == (None if pending.mine is None else _canonical(pending.mine))
        and row["theirs"] == (None if pending.theirs is None else _canonical(pending.theirs))
    )


def _describe(p: _Planner, report: MergeReport) -> None:
    items, counts = report.items, report.counts
    for table, alias, target in p.joins:
        row = p.mine.rows[table][alias]
        items.append(_item("join", table, alias, label(table, row), note=f"joined into {table} {target}"))
        counts["joined"] += 1
    for (table, uid), action in sorted(p.decision.items(), key=lambda kv: (_rank(p, kv[0][0]), kv[0][1])):
        info = p.infos[table]
        mr, tr = p.my_rows[table].get(uid), p.their_rows[table].get(uid)
        settled = p.settled_by_prefer.get((table, uid))
        note = f"conflict settled by --prefer ({settled})" if settled else ""
        if action == "insert":
            items.append(_item("insert", table, uid, label(table, tr), note=note))
            counts["inserted"] += 1
        elif action == "delete":
            items.append(_item("remove", table, uid, label(table, mr), note=note or "removed there"))
            counts["removed"] += 1
        else:
            fields = _differing(info, mr, tr) or ["updated_at"]
            for name in fields:
                items.append(_item("update", table, uid, label(table, tr), name, mr.get(name), tr.get(name), note))
            counts["updated"] += 1
    for (table, uid), settled in sorted(p.settled_by_prefer.items()):
        if settled == "mine" and (table, uid) not in p.decision:
            mr = p.my_rows[table].get(uid)
            items.append(_item("keep", table, uid, label(table, mr), note="conflict settled by --prefer (mine)"))
            counts["kept"] += 1
    for (table, uid), c in sorted(p.conflicts.items()):
        info = p.infos[table]
        name = label(table, c.mine or c.theirs)
        note = KINDS[c.kind] + (f": {c.note}" if c.note else "")
        fields = _differing(info, c.mine, c.theirs)
        if c.kind == "reference" or not fields:
            items.append(_item("conflict", table, uid, name, None, _presence(c.mine), _presence(c.theirs), note))
        for name_ in fields:
            items.append(_item("conflict", table, uid, name, name_, c.mine.get(name_), c.theirs.get(name_), note))
        counts["conflict"] += 1
    for (table, uid), (mine_uid, why) in sorted(p.held.items()):
        tr = p.their_rows[table][uid]
        items.append(_item("held", table, uid, label(table, tr), None, mine_uid, None, f"not inserted: {why}"))
        counts["held"] += 1
    for table, mine_uid, their_uid, why in p.likely:
        tr = p.their_rows[table][their_uid]
        items.append(
            _item("duplicate", table, their_uid, label(table, tr), None, mine_uid, None, f"likely duplicate: {why}")
        )
        counts["duplicate"] += 1
    report.warnings.extend(p.warnings)
    counts["settled"] = len(p.moot)


def _presence(row: dict | None) -> str:
    return "(removed)" if row is None else "(present)"


def _rank(p: _Planner, table: str) -> int:
    return list(p.infos).index(table)


# ------------------------------------------------------------------- applying
def _new_run(store: Store, action: str, peer: str | None) -> int:
    cur = store.conn.execute(
        "INSERT INTO merge_run (uid, at, user, action, peer) VALUES (?, ?, ?, ?, ?)",
        (new_uid(), store.now, os_user(), action, peer),
    )
    return cur.lastrowid


def _close_run(store: Store, run_id: int, summary: dict | None = None) -> None:
    store.conn.execute(
        "UPDATE merge_run SET command_id = ?, summary = ? WHERE id = ?",
        (store.command_id, None if summary is None else _canonical(summary), run_id),
    )


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
                raise Conflict(f"{table} {uid} is not in this database; nothing was changed")
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


def _apply(store: Store, p: _Planner, report: MergeReport) -> None:
    from maliext_cli.services import checks

    touches_records = bool(p.decision or p.joins)
    before = set(checks.run(store, structure=False)) if touches_records else set()
    run_id = _new_run(store, "merge", p.theirs.name)
    ids = _Ids(store, p.mine, p.canon)
    try:
        _give_up_keys(store, p, ids)
        fixups = _insert(store, p, ids)
        _update(store, p, ids, fixups)
        _delete(store, p, ids)
    except sqlite3.IntegrityError as exc:
        raise Conflict(f"the merge cannot be applied to this database ({exc}); nothing was changed") from None
    _bookkeeping(store, p, run_id)
    _close_run(store, run_id, {k: v for k, v in sorted(report.counts.items())})
    report.written = True
    if touches_records:
        from maliext_cli.store.schema import RECORD_TABLES

        for problem in checks.run(store, structure=False):
            if problem not in before:
                uid = None
                if problem.table in RECORD_TABLES and problem.id is not None:
                    uid = store.value(f'SELECT uid FROM "{problem.table}" WHERE id = ?', (problem.id,))
                report.warnings.append(f"{problem} (after the merge)")
                report.items.append(_item("warning", problem.table, uid or "", note=problem.message))
                report.counts["warning"] += 1


def _give_up_keys(store: Store, p: _Planner, ids: _Ids) -> None:
    """Before the inserts, so that a new record may take the key (e-mail, acronym...)
    of one that goes: records of tables that nothing refers to are removed at once;
    the others joined into another record give up their unique keys, and go last."""
    for table in p.infos:
        if table not in p.referenced:
            for (t, uid), action in sorted(p.decision.items()):
                if t == table and action == "delete":
                    store.delete(table, p.mine.ids[table][uid])
    for table, alias, _ in p.joins:
        info = p.infos[table]
        row_id = p.mine.ids[table][alias]
        if table not in p.referenced:
            store.delete(table, row_id)
            continue
        notnull = {r[1] for r in store.conn.execute(f'PRAGMA table_info("{table}")') if r[3]}
        changes = {}
        for columns, _ in info.uniques:
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


def _insert(store: Store, p: _Planner, ids: _Ids) -> list[tuple[str, str, dict]]:
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


def _update(store: Store, p: _Planner, ids: _Ids, fixups: list[tuple[str, str, dict]]) -> None:
    for table, info in p.infos.items():
        for (t, uid), action in sorted(p.decision.items()):
            if t == table and action == "update":
                store.put(table, _local(info, p.their_rows[table][uid], ids, p.mine.ids[table][uid]))
    for table, uid, changes in fixups:
        store.update(table, ids.of(table, uid), changes)
    # Records here that refer to a record joined into another one now refer to that one.
    aliases = {alias: target for _, alias, target in p.joins}
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


def _delete(store: Store, p: _Planner, ids: _Ids) -> None:
    joined = defaultdict(list)
    for table, alias, _ in p.joins:
        joined[table].append(alias)
    for table in reversed(list(p.infos)):
        if table not in p.referenced:
            continue  # done first, by _give_up_keys
        info = p.infos[table]
        uids = sorted(u for (t, u), a in p.decision.items() if t == table and a == "delete") + joined[table]
        for uid in _children_first(info, uids, p.mine.rows[table]):
            store.delete(table, p.mine.ids[table][uid])


def _bookkeeping(store: Store, p: _Planner, run_id: int) -> None:
    conn = store.conn
    conn.executemany(
        "INSERT INTO merge_event (run_id, table_name, uid, events, removed_at) VALUES (?, ?, ?, ?, ?)",
        [(run_id, t, u, _canonical(sorted(e)), at) for (t, u), (e, at) in sorted(p.learn.items())],
    )
    conn.executemany(
        "INSERT INTO merge_link (run_id, table_name, alias_uid, target_uid) VALUES (?, ?, ?, ?)",
        [(run_id, t, alias, target) for alias, (t, target) in sorted(p.new_links.items())],
    )
    for key in p.decision:
        old = p.known.conflicts.get(key)
        if old is not None:
            outcome = f"prefer {p.settled_by_prefer[key]}" if key in p.settled_by_prefer else "superseded"
            _settle(store, "merge_conflict", old["id"], run_id, outcome)
    for key, settled in p.settled_by_prefer.items():
        old = p.known.conflicts.get(key)
        if old is not None and key not in p.decision:
            _settle(store, "merge_conflict", old["id"], run_id, f"prefer {settled}")
    for id_ in p.moot:
        _settle(store, "merge_conflict", id_, run_id, "no longer in conflict")
    for key, c in sorted(p.conflicts.items()):
        old = p.known.conflicts.get(key)
        if _same_conflict(old, c):
            continue
        if old is not None:
            _settle(store, "merge_conflict", old["id"], run_id, "superseded")
        conn.execute(
            "INSERT INTO merge_conflict (run_id, table_name, uid, kind, peer, mine, theirs, their_events, "
            "their_removed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                c.table,
                c.uid,
                c.kind,
                p.theirs.name,
                None if c.mine is None else _canonical(c.mine),
                None if c.theirs is None else _canonical(c.theirs),
                _canonical(sorted(c.their_edits)),
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
            (run_id, key[0], mine_uid, key[1], why, _canonical(p.their_rows[key[0]][key[1]]), p.theirs.name),
        )
    for key, old in p.known.held.items():
        if key not in p.held and key in p.decision:
            _settle(store, "merge_duplicate", old["id"], run_id, "inserted")
    for table, mine_uid, their_uid, why in p.likely:
        conn.execute(
            "INSERT INTO merge_duplicate (run_id, table_name, uid_a, uid_b, reason, peer) VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, table, mine_uid, their_uid, why, p.theirs.name),
        )


def _settle(store: Store, table: str, id_: int, run_id: int, outcome: str) -> None:
    store.conn.execute(f"UPDATE {table} SET settled_by = ?, outcome = ? WHERE id = ?", (run_id, outcome, id_))


# ------------------------------------------------------------------ conflicts
def _open_conflicts(store: Store) -> list[dict]:
    return store.rows(
        "SELECT m.*, r.at FROM merge_conflict m JOIN merge_run r ON r.id = m.run_id "
        f"WHERE m.run_id IN {ACTIVE_RUN} AND (m.settled_by IS NULL OR m.settled_by NOT IN {ACTIVE_RUN}) ORDER BY m.id"
    )


def conflicts(store: Store) -> list[dict]:
    """The open conflicts, one line per field that differs (one line for a removal)."""
    infos = bundle.table_infos(store.conn)
    out = []
    for c in _open_conflicts(store):
        info = infos[c["table_name"]]
        mine = json.loads(c["mine"]) if c["mine"] else None
        theirs = json.loads(c["theirs"]) if c["theirs"] else None
        name = label(info.name, mine or theirs)
        note = KINDS.get(c["kind"], c["kind"]) + (f": {c['note']}" if c["note"] else "")
        fields = _differing(info, mine, theirs)
        base = {"id": c["id"], "table": info.name, "uid": c["uid"], "name": name, "kind": c["kind"],
                "peer": c["peer"], "at": c["at"], "note": note}  # fmt: skip
        if c["kind"] == "reference" or not fields:
            out.append({**base, "field": None, "mine": _presence(mine), "theirs": _presence(theirs)})
        for f in fields:
            out.append({**base, "field": f, "mine": mine.get(f), "theirs": theirs.get(f)})
    return [{k: r[k] for k in CONFLICT_COLUMNS} for r in out]


def _find_conflict(store: Store, ref: str) -> dict:
    text = ref.strip().lower()
    found = [c for c in _open_conflicts(store) if c["uid"] == text or str(c["id"]) == text]
    if not found:
        raise NotFound(
            f"no open merge conflict {ref!r}", hint="`maliext merge conflicts` lists them with their uid and id."
        )
    return found[-1]


def _edits_of(store: Store, table: str, uid: str) -> frozenset[str]:
    own = store.conn.execute(
        "SELECT DISTINCT cmd.uid FROM change ch JOIN command cmd ON cmd.id = ch.command_id "
        "WHERE ch.table_name = ? AND ch.uid = ? AND cmd.kind <> 'merge' AND NOT (cmd.kind = 'undo' AND EXISTS "
        "(SELECT 1 FROM command t WHERE t.undone_by = cmd.id AND t.kind = 'merge'))",
        (table, uid),
    ).fetchall()
    learnt = store.conn.execute(
        f"SELECT events FROM merge_event WHERE table_name = ? AND uid = ? AND run_id IN {ACTIVE_RUN}", (table, uid)
    ).fetchall()
    return frozenset([r[0] for r in own] + [e for (text,) in learnt for e in json.loads(text)])


def _links(store: Store) -> dict[str, str]:
    return {
        alias: target
        for alias, target in store.conn.execute(
            f"SELECT alias_uid, target_uid FROM merge_link WHERE run_id IN {ACTIVE_RUN} ORDER BY id"
        )
    }


def _current(store: Store, info: TableInfo, uid: str, links: dict[str, str]) -> dict | None:
    """The record as merge states it: references as (linked) uids, no id."""
    row = store.row(f'SELECT * FROM "{info.name}" WHERE uid = ?', (uid,))
    if row is None:
        return None
    out = {c: row[c] for c in info.columns if c != "id"}
    for column, target in info.refs.items():
        if row[column] is not None:
            ref = store.value(f'SELECT uid FROM "{target}" WHERE id = ?', (row[column],))
            seen = 0
            while ref in links and seen < 20:
                ref, seen = links[ref], seen + 1
            out[column] = ref
    return out


@dataclass
class Resolved:
    table: str
    uid: str
    name: str
    take: str
    action: str  # what was done here: kept, updated, inserted, removed


def resolve(store: Store, ref: str, take: str) -> Resolved:
    """Settle one open conflict by keeping this file's version or taking the other's."""
    if take not in ("mine", "theirs"):
        raise Invalid(f"--take: expected mine or theirs, got {take!r}")
    with store.transaction(kind="merge"):
        c = _find_conflict(store, ref)
        info = bundle.table_infos(store.conn)[c["table_name"]]
        links = _links(store)
        mine = json.loads(c["mine"]) if c["mine"] else None
        theirs = json.loads(c["theirs"]) if c["theirs"] else None
        current = _current(store, info, c["uid"], links)
        if (current is None) != (mine is None) or (current and _state(info, current) != _state(info, mine)):
            raise Conflict(
                f"{info.name} {c['uid']} changed here since the merge that listed this conflict; nothing was changed",
                hint="Merge the other file again to see the conflict as it is now.",
            )
        run_id = _new_run(store, "resolve", c["peer"])
        action = "kept"
        if take == "theirs":
            action = _take_theirs(store, info, c["uid"], current, theirs, links)
        learnt = frozenset(json.loads(c["their_events"])) - _edits_of(store, info.name, c["uid"])
        if take == "mine":
            # Keeping mine is an edit of its own, after theirs: mine then wins everywhere
            # (even where both versions were made of the same edits).
            learnt |= {new_uid()}
        if learnt:
            store.conn.execute(
                "INSERT INTO merge_event (run_id, table_name, uid, events, removed_at) VALUES (?, ?, ?, ?, ?)",
                (run_id, info.name, c["uid"], _canonical(sorted(learnt)), c["their_removed_at"]),
            )
        _settle(store, "merge_conflict", c["id"], run_id, take)
        _close_run(store, run_id, {"conflict": c["id"], "take": take})
    return Resolved(info.name, c["uid"], label(info.name, mine or theirs), take, action)


def _take_theirs(store: Store, info: TableInfo, uid: str, current: dict | None, theirs: dict | None, links) -> str:
    table = info.name
    if theirs is None:
        row_id = store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (uid,))
        users = _referring(store, table, row_id)
        if users:
            raise Conflict(
                f"cannot remove {table} {uid}: {len(users)} record(s) here refer to it; nothing was changed",
                details=users[:10],
                hint="Remove or change those records first, or keep this one (--take mine).",
            )
        store.delete(table, row_id)
        return "removed"
    values = {}
    for column in info.columns:
        if column == "id":
            values[column] = None if current is None else store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (uid,))
        elif column in info.refs and theirs.get(column) is not None:
            target = info.refs[column]
            ref = theirs[column]
            seen = 0
            while ref in links and seen < 20:
                ref, seen = links[ref], seen + 1
            found = store.value(f'SELECT id FROM "{target}" WHERE uid = ?', (ref,))
            if found is None:
                raise Conflict(
                    f"cannot take their version of {table} {uid}: its {column.removesuffix('_id')} ({target} {ref}) "
                    "is not here; nothing was changed",
                    hint="Merge the other file again once that record is here, or link it to one of yours.",
                )
            values[column] = found
        else:
            values[column] = theirs.get(column)
    try:
        store.put(table, values)
    except sqlite3.IntegrityError as exc:
        raise Conflict(f"cannot take their version of {table} {uid}: {exc}; nothing was changed") from None
    return "inserted" if current is None else "updated"


def _referring(store: Store, table: str, row_id: int) -> list[str]:
    found = []
    for other, info in bundle.table_infos(store.conn).items():
        for column, target in info.refs.items():
            if target != table:
                continue
            for (uid,) in store.conn.execute(
                f'SELECT uid FROM "{other}" WHERE "{column}" = ? AND NOT ("{other}" = ? AND id = ?)',
                (row_id, table, row_id),
            ):
                found.append(f"{other} {uid}")
    return found


# ----------------------------------------------------------------- duplicates
def _open_duplicates(store: Store) -> list[dict]:
    return store.rows(
        "SELECT d.*, r.at FROM merge_duplicate d JOIN merge_run r ON r.id = d.run_id "
        f"WHERE d.run_id IN {ACTIVE_RUN} AND (d.settled_by IS NULL OR d.settled_by NOT IN {ACTIVE_RUN}) ORDER BY d.id"
    )


def duplicates(store: Store) -> list[dict]:
    """Records of different uids that are likely the same: `held` when the other file's
    record could not be inserted (its e-mail, acronym or code is taken here)."""
    out = []
    for d in _open_duplicates(store):
        table = d["table_name"]
        a = store.row(f'SELECT * FROM "{table}" WHERE uid = ?', (d["uid_a"],))
        b = store.row(f'SELECT * FROM "{table}" WHERE uid = ?', (d["uid_b"],))
        if b is None and d["held"]:
            b = json.loads(d["held"])
        if a is None or b is None:  # one of them was removed since
            continue
        b_here = store.value(f'SELECT 1 FROM "{table}" WHERE uid = ?', (d["uid_b"],)) is not None
        out.append(
            {
                "id": d["id"],
                "table": table,
                "uid": d["uid_a"],
                "name": label(table, a),
                "other_uid": d["uid_b"],
                "other_name": label(table, b),
                "reason": d["reason"],
                "state": "both here" if b_here else "held",
                "peer": d["peer"],
                "at": d["at"],
            }
        )
    return out


@dataclass
class Linked:
    table: str
    kept: str
    joined: str
    name: str
    moved: int  # references moved from the joined record to the kept one
    removed: int  # records removed (the joined one, and references that became duplicates)


def _uid(text: str, what: str) -> str:
    from maliext_cli.services.records import UID_RE

    value = text.strip().lower()
    if not UID_RE.fullmatch(value):
        raise Invalid(f"{what}: {text[:40]!r} is not a uid", hint="`maliext merge duplicates` shows the uids.")
    return value


def _table_of(store: Store, uid: str) -> str | None:
    from maliext_cli.store.schema import RECORD_TABLES

    for table in RECORD_TABLES:
        if store.value(f'SELECT 1 FROM "{table}" WHERE uid = ?', (uid,)):
            return table
    return None


def link(store: Store, keep: str, other: str) -> Linked:
    """Join record `other` into record `keep`: every reference to `other` then refers to
    `keep`, `other` is removed, and its uid means `keep` in this and later merges (and,
    through them, at the other sites). `other` may be a record held by a merge (not
    inserted here because its key is taken): then only the link is recorded."""
    keep, other = _uid(keep, "UID_A"), _uid(other, "UID_B")
    if keep == other:
        raise Invalid("give two different records")
    with store.transaction(kind="merge"):
        links = _links(store)
        for uid in (keep, other):
            if uid in links:
                raise Conflict(f"{uid} is already joined into {links[uid]}", hint=f"Use {links[uid]} instead.")
        table = _table_of(store, keep)
        if table is None:
            held_here = store.value(
                f"SELECT 1 FROM merge_duplicate WHERE uid_b = ? AND held IS NOT NULL AND run_id IN {ACTIVE_RUN}",
                (keep,),
            )
            hint = "Give the record to keep (here) first, then the other." if held_here else None
            raise NotFound(f"no record {keep} here", hint=hint)
        other_table = _table_of(store, other)
        held = None
        if other_table is None:
            held = store.row(
                f"SELECT * FROM merge_duplicate WHERE uid_b = ? AND held IS NOT NULL AND {_OPEN} ORDER BY id DESC",
                (other,),
            )
            if held is None:
                raise NotFound(
                    f"no record {other} here, nor held by a merge",
                    hint="`maliext merge duplicates` lists the records held by merges.",
                )
            other_table = held["table_name"]
        if other_table != table:
            raise Invalid(f"{keep} is {a(table)} and {other} {a(other_table)}: they cannot be joined")
        run_id = _new_run(store, "link", held["peer"] if held else None)
        moved = removed = 0
        if held is None:
            moved, removed = _join(store, table, keep, other)
        store.conn.execute(
            "INSERT INTO merge_link (run_id, table_name, alias_uid, target_uid) VALUES (?, ?, ?, ?)",
            (run_id, table, other, keep),
        )
        for d in _open_duplicates(store):
            if other in (d["uid_a"], d["uid_b"]):
                _settle(store, "merge_duplicate", d["id"], run_id, "linked")
        _close_run(store, run_id, {"kept": keep, "joined": other})
        name = label(table, store.row(f'SELECT * FROM "{table}" WHERE uid = ?', (keep,)))
    return Linked(table, keep, other, name, moved, removed)


def _join(store: Store, table: str, keep: str, other: str) -> tuple[int, int]:
    """Move every reference from `other` to `keep`, then remove `other`."""
    infos = bundle.table_infos(store.conn)
    keep_id = store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (keep,))
    other_id = store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (other,))
    moved = removed = 0
    for child, info in infos.items():
        for column, target in info.refs.items():
            if target != table:
                continue
            for row in store.rows(f'SELECT * FROM "{child}" WHERE "{column}" = ? ORDER BY id', (other_id,)):
                if child == table and row["id"] == other_id:
                    continue
                changed = {**row, column: keep_id}
                if _clashes(store, info, changed):
                    # The same fact is already recorded for the kept record (a declared
                    # conflict of interest with the same institution): one is enough.
                    store.delete(child, row["id"])
                    removed += 1
                else:
                    store.update(child, row["id"], {column: keep_id})
                    moved += 1
    store.delete(table, other_id)
    return moved, removed + 1


def _clashes(store: Store, info: TableInfo, row: dict) -> bool:
    for columns, nocase in info.uniques:
        if any(row.get(c) is None for c in columns):
            continue
        where = " AND ".join(f'"{c}" = ?' + (" COLLATE NOCASE" if nocase else "") for c in columns)
        if store.value(
            f'SELECT 1 FROM "{info.name}" WHERE {where} AND id <> ?', (*[row[c] for c in columns], row["id"])
        ):
            return True
    return False


def dismiss(store: Store, first: str, second: str) -> dict:
    """Mark two records listed as likely duplicates as distinct: they are no longer listed."""
    one, other = _uid(first, "UID_A"), _uid(second, "UID_B")
    with store.transaction(kind="merge"):
        found = [d for d in _open_duplicates(store) if {d["uid_a"], d["uid_b"]} == {one, other}]
        if not found:
            raise NotFound(
                f"{one} and {other} are not listed as likely duplicates", hint="See `maliext merge duplicates`."
            )
        held = [d for d in found if d["held"] and _table_of(store, d["uid_b"]) is None]
        if held:
            raise Conflict(
                f"{other} could not be inserted because its key is taken by {one}: it cannot simply be kept apart",
                hint="Link them (`maliext merge link`), or change the key here and merge again.",
            )
        run_id = _new_run(store, "dismiss", found[0]["peer"])
        for d in found:
            _settle(store, "merge_duplicate", d["id"], run_id, "distinct")
        _close_run(store, run_id, {"distinct": [one, other]})
    return found[0]
