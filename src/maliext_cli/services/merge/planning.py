"""Planning a merge: what to do with each record of the other file (nothing is written
here; applying.py writes the plan).

How a record's two versions are compared. Clocks are not trusted (laptops offline keep
wrong time); instead each version carries the set of *edits* that made it: the uids of
the change-log commands that wrote the record, plus the edits learnt from other files
by earlier merges (side.py reads them). Changes made by a merge are not edits of their
own: a merge copies the other file's version and learns its edits. For each record
(table, uid) of the other file:

- same content (ignoring local ids and timestamps): nothing, but each side learns the
  other's edits (and the later `updated_at` is kept, so that both files end equal);
- their edits are all known here: this file is ahead, keep it;
- our edits are all known there: they are ahead, take their version (or their removal);
- neither: both changed it since they last met, a *conflict*. Nothing is applied; it
  is listed field by field, kept in `merge_conflict` and settled by `--prefer` or
  `maliext merge resolve` (conflicts.py). Settling learns the other side's edits, so
  that the kept version wins at the next exchange in both directions.

A record unknown here is inserted, its references mapped by uid. A removal travels as
a record with edits and no row (a tombstone): only such explicit removals remove
anything, so a partial bundle (`export --bundle --since`) never removes what it leaves
out. A planned change that would break a unique key or a reference becomes a conflict,
or (a new record whose key is taken here) is held as a likely duplicate (duplicates.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from maliext_cli.i18n import _
from maliext_cli.services import nouns
from maliext_cli.services.merge import notes
from maliext_cli.services.merge.conflicts import Pending, same_conflict
from maliext_cli.services.merge.duplicates import likely_key, likely_reason
from maliext_cli.services.merge.runs import ACTIVE_RUN, OPEN, canonical
from maliext_cli.services.merge.side import EMPTY, Side, TableInfo, stamps, state, unique_keys
from maliext_cli.store import Store, new_uid


@dataclass
class Known:
    """Open conflicts and duplicates already listed here."""

    conflicts: dict[tuple[str, str], dict] = field(default_factory=dict)
    pairs: set[frozenset[str]] = field(default_factory=set)  # any duplicate pair ever listed
    held: dict[tuple[str, str], dict] = field(default_factory=dict)  # (table, their uid) -> open held row


def known(store: Store) -> Known:
    """What earlier merges left listed in this file."""
    found = Known()
    for row in store.rows(f"SELECT * FROM merge_conflict WHERE {OPEN} ORDER BY id"):
        found.conflicts[(row["table_name"], row["uid"])] = row
    for row in store.rows(f"SELECT * FROM merge_duplicate WHERE run_id IN {ACTIVE_RUN} ORDER BY id"):
        found.pairs.add(frozenset((row["uid_a"], row["uid_b"])))
    for row in store.rows(f"SELECT * FROM merge_duplicate WHERE {OPEN} AND held IS NOT NULL ORDER BY id"):
        found.held[(row["table_name"], row["uid_b"])] = row
    return found


class Planner:
    """Decides, for every record of the other file, what this merge does with it."""

    def __init__(self, mine: Side, theirs: Side, prefer: str | None, known: Known):
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
        self.conflicts: dict[tuple[str, str], Pending] = {}
        # (table, their uid) -> (my uid, reason: a notes.key)
        self.held: dict[tuple[str, str], tuple[str, str]] = {}
        # (table, my uid, their uid, reason: the noun's LikelyDuplicate.reason, an English message id)
        self.likely: list[tuple[str, str, str, str]] = []
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
                    _(
                        "{table} {alias} was joined into {target} at the other site, which is not in either file; "
                        "kept as it is"
                    ).format(table=table, alias=alias, target=target)
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
                if state(info, mr) == state(info, tr):
                    if te - me:
                        self.learn[key] = (te - me, None)
                    # Both files end with the later timestamps.
                    if stamps(tr) > stamps(mr):
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
            self.conflicts[key] = Pending(table, uid, kind, mr, tr, te, removed)
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
        return canonical(state(info, tr) if tr else None) > canonical(state(info, mr) if mr else None)

    def _demote(self, key: tuple[str, str], kind: str, note: str) -> None:
        """A planned change that cannot be applied becomes a conflict (`note`: notes.py)."""
        table, uid = key
        action = self.decision.pop(key)
        self.learn.pop(key, None)
        self.settled_by_prefer.pop(key, None)
        mr = self.my_rows[table].get(uid)
        tr = self.their_rows[table].get(uid) if action != "delete" else None
        te = self.theirs.edits[table].get(uid, EMPTY)
        self.conflicts[key] = Pending(table, uid, kind, mr, tr, te, self.theirs.removed_at[table].get(uid), note)

    # -------------------------------------------------------------- checks
    def _check_keys(self) -> None:
        """Unique keys: their version may not take a key that another record here has."""
        # Records joined into another one are not in my_rows: their keys are given up
        # before the inserts, as are those of records removed from tables that no
        # table refers to (see applying.py).
        for table, info in self.infos.items():
            if not info.uniques:
                continue
            owner: dict[tuple, str] = {}
            early = table not in self.referenced
            for uid, row in self.my_rows[table].items():
                if early and self.decision.get((table, uid)) == "delete":
                    continue
                for k in unique_keys(info, row):
                    owner[k] = uid
            updates = sorted(u for (t, u), a in self.decision.items() if t == table and a == "update")
            for uid in updates:
                row = self.their_rows[table][uid]
                clash = next((owner[k] for k in unique_keys(info, row) if owner.get(k, uid) != uid), None)
                if clash is not None:
                    self._demote((table, uid), "unique", self._key_note(info, row, clash))
                    continue
                for k in unique_keys(info, self.my_rows[table][uid]):
                    if owner.get(k) == uid:
                        del owner[k]
                for k in unique_keys(info, row):
                    owner[k] = uid
            inserts = sorted(u for (t, u), a in self.decision.items() if t == table and a == "insert")
            for uid in inserts:
                row = self.their_rows[table][uid]
                clash = next((owner[k] for k in unique_keys(info, row) if k in owner), None)
                if clash is not None:
                    self.decision.pop((table, uid))
                    self.learn.pop((table, uid), None)
                    self.held[(table, uid)] = (clash, self._key_note(info, row, clash))
                    continue
                for k in unique_keys(info, row):
                    owner[k] = uid
        self._find_likely()

    def _key_note(self, info: TableInfo, row: dict, other: str) -> str:
        """Which unique key of `row` record `other` has here (notes.key)."""
        mine = self.my_rows[info.name].get(other, {})
        for columns, _nocase in info.uniques:
            if all(row.get(c) is not None for c in columns) and all(
                str(row.get(c)).lower() == str(mine.get(c)).lower() for c in columns
            ):
                return notes.key([(c, row.get(c)) for c in columns], info.name, other)
        return notes.key(None, info.name, other)

    def _find_likely(self) -> None:
        for table in nouns.TABLES:
            if table not in self.infos or nouns.ENTITIES[table].likely_duplicate is None:
                continue
            index: dict[tuple, list[str]] = defaultdict(list)
            for uid, row in self.my_rows[table].items():
                k = likely_key(table, row)
                if k is not None:
                    index[k].append(uid)
            for (t, uid), action in sorted(self.decision.items()):
                if t != table or action != "insert":
                    continue
                for other in index.get(likely_key(table, self.their_rows[table][uid]) or (), []):
                    if frozenset((other, uid)) not in self.known.pairs:
                        self.likely.append((table, other, uid, likely_reason(table)))

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
                        note = notes.reference(column.removesuffix("_id"), target, ref, held=(target, ref) in self.held)
                        self._demote(key, "reference", note)
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
                if found:
                    self._demote(key, "children", notes.children(sorted(found)))
                    changed = True

    def has_writes(self) -> bool:
        """Whether applying the plan changes anything in this file (records or bookkeeping)."""
        if self.decision or self.learn or self.new_links or self.joins or self.likely or self.moot:
            return True
        if any(k in self.known.conflicts for k in self.decision):
            return True
        for key, pending in self.conflicts.items():
            if not same_conflict(self.known.conflicts.get(key), pending):
                return True
        return any(key not in self.known.held for key in self.held)
