"""A maliext file as merge sees it: a `Side`.

A `Side` holds every record of a file keyed by uid, with its references written as the
referenced record's uid (local ids mean nothing in another file), and for each record
the set of edits that made it: the uids of the commands of the change log that wrote
it, plus those learnt from other files by earlier merges. A uid with edits but no row
was removed there (a tombstone). Merge compares these sets, not clocks, to tell which
side changed a record since the other saw it (planning.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from maliext_cli.errors import Invalid
from maliext_cli.i18n import _
from maliext_cli.services import nouns
from maliext_cli.services.merge.runs import ACTIVE_RUN
from maliext_cli.store import Store

# Columns that never take part in comparing two versions of a record.
STAMPS = ("id", "uid", "created_at", "updated_at")

EMPTY: frozenset[str] = frozenset()

# The change-log commands (`cmd`) whose changes are edits of their own: not a merge,
# which copies other files' edits (their own edits are learnt as such), nor the undo
# of a merge, which only takes that copy back.
OWN_EDIT = (
    "cmd.kind <> 'merge' AND NOT (cmd.kind = 'undo' AND "
    "EXISTS (SELECT 1 FROM command t WHERE t.undone_by = cmd.id AND t.kind = 'merge'))"
)
_EDITS = f"""
    SELECT ch.table_name, ch.uid, cmd.uid FROM change ch JOIN command cmd ON cmd.id = ch.command_id
    WHERE {OWN_EDIT}
    GROUP BY ch.table_name, ch.uid, cmd.uid"""


@dataclass(frozen=True)
class TableInfo:
    """What merge needs to know of a record table."""

    name: str
    columns: tuple[str, ...]  # stored columns (generated ones left out), `id` first
    refs: dict[str, str]  # reference column -> referenced table
    uniques: tuple[tuple[tuple[str, ...], bool], ...]  # unique keys besides uid: (columns, NOCASE)

    @property
    def state_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in STAMPS)

    @property
    def self_refs(self) -> tuple[str, ...]:
        return tuple(c for c, t in self.refs.items() if t == self.name)


def table_infos(conn: sqlite3.Connection) -> dict[str, TableInfo]:
    """The record tables of a maliext file, parents before the tables that reference them."""
    infos: dict[str, TableInfo] = {}
    for table in nouns.TABLES:
        columns = tuple(c[1] for c in conn.execute(f'PRAGMA table_xinfo("{table}")') if c[6] == 0)
        if not columns:  # a table of a later schema than the file's
            continue
        refs = {fk[3]: fk[2] for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        uniques = []
        for index in conn.execute(f'PRAGMA index_list("{table}")').fetchall():
            if not index[2] or index[4]:  # not unique, or partial
                continue
            keys = [c for c in conn.execute(f'PRAGMA index_xinfo("{index[1]}")') if c[5]]
            names = tuple(c[2] for c in keys)
            if None in names or names in (("uid",), ("id",)):
                continue
            uniques.append((names, all((c[4] or "").upper() == "NOCASE" for c in keys)))
        infos[table] = TableInfo(table, columns, refs, tuple(uniques))
    return {t: infos[t] for t in table_order(infos)}


def table_order(infos: dict[str, TableInfo]) -> list[str]:
    """The tables of `infos`, each after the tables it references."""
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in done or name in path or name not in infos:
            return
        for parent in infos[name].refs.values():
            if parent != name:
                visit(parent, (*path, name))
        done.append(name)

    for table in infos:
        visit(table)
    return done


@dataclass
class Side:
    """The records of one file, keyed by uid, references as uids (see the module doc)."""

    name: str
    schema: str  # the schema its records are in
    infos: dict[str, TableInfo]
    rows: dict[str, dict[str, dict]] = field(default_factory=dict)  # table -> uid -> row (no id)
    edits: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)  # table -> uid -> edits
    removed_at: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> uid -> when (tombstones)
    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias uid -> (table, uid it means)
    ids: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> uid -> local id (own file only)
    since: str | None = None  # a partial bundle: changes since this time


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def read_side(conn: sqlite3.Connection, name: str, schema: str, *, with_ids: bool = False) -> Side:
    """Every record of the maliext database on `conn`, and what merge knows of them."""
    infos = table_infos(conn)
    side = Side(name=name, schema=schema, infos=infos)
    side.rows, uid_of = read_rows(conn, infos)
    if with_ids:
        side.ids = {table: {u: i for i, u in uids.items()} for table, uids in uid_of.items()}
    edits: dict[str, dict[str, set[str]]] = {t: defaultdict(set) for t in infos}
    interned: dict[str, str] = {}
    for table, uid, edit in conn.execute(_EDITS):
        if table in edits:
            edits[table][uid].add(interned.setdefault(edit, edit))
    removed: dict[str, dict[str, str]] = {t: {} for t in infos}
    for table, uid, at in conn.execute(
        "SELECT ch.table_name, ch.uid, max(cmd.at) FROM change ch JOIN command cmd ON cmd.id = ch.command_id "
        "WHERE ch.action = 'delete' GROUP BY ch.table_name, ch.uid"
    ):
        if table in removed:
            removed[table][uid] = at
    if _has_table(conn, "merge_event"):
        for table, uid, learnt, at in conn.execute(
            f"SELECT table_name, uid, events, removed_at FROM merge_event WHERE run_id IN {ACTIVE_RUN} ORDER BY rowid"
        ):
            if table in edits:
                edits[table][uid].update(interned.setdefault(e, e) for e in json.loads(learnt))
                if at and at > removed[table].get(uid, ""):
                    removed[table][uid] = at
        for table, alias, target in conn.execute(
            f"SELECT table_name, alias_uid, target_uid FROM merge_link WHERE run_id IN {ACTIVE_RUN} ORDER BY id"
        ):
            side.links[alias] = (table, target)
    for table in infos:
        side.edits[table] = {uid: frozenset(e) for uid, e in edits[table].items()}
        present = side.rows[table]
        side.removed_at[table] = {u: at for u, at in removed[table].items() if u not in present}
    return side


def read_rows(
    conn: sqlite3.Connection, infos: dict[str, TableInfo]
) -> tuple[dict[str, dict[str, dict]], dict[str, dict[int, str]]]:
    """The rows of the tables of `infos` on `conn`, by table and uid, without their id
    and with references as uids; and each table's uids by id."""
    uid_of: dict[str, dict[int, str]] = {}
    raw: dict[str, list[tuple]] = {}
    for table, info in infos.items():
        names = ", ".join(f'"{c}"' for c in info.columns)
        raw[table] = conn.execute(f'SELECT {names} FROM "{table}"').fetchall()
        uid_index = info.columns.index("uid")
        uid_of[table] = {r[0]: r[uid_index] for r in raw[table]}
    rows: dict[str, dict[str, dict]] = {}
    for table, info in infos.items():
        columns = info.columns
        refs = [(i, uid_of[info.refs[c]]) for i, c in enumerate(columns) if c in info.refs]
        by_uid: dict[str, dict] = {}
        for values in raw[table]:
            row = dict(zip(columns, values))
            for i, targets in refs:
                value = values[i]
                # An id is a record's of this database; text is the uid of a record the
                # file does not hold (a bundle's reference, kept as it was by upgrade.py).
                if value is not None:
                    row[columns[i]] = value if isinstance(value, str) else targets.get(value)
            del row["id"]
            by_uid[row["uid"]] = row
        rows[table] = by_uid
    return rows, uid_of


def own_side(store: Store) -> Side:
    """This file, with the local id of each record."""
    return read_side(store.conn, store.path.name, store.schema_version, with_ids=True)


def check_compatible(expected: Side | dict[str, TableInfo], other: Side, *, schema: str | None = None) -> None:
    """Refuse a file whose record tables are not those `expected` (this file's, or with
    `schema` those of the schema the file says it has): a damaged file, or one changed
    by hand."""
    infos = expected.infos if isinstance(expected, Side) else expected
    for table, info in infos.items():
        theirs = other.infos.get(table)
        if theirs is None:
            raise Invalid(_("{name} has no table {table}; nothing was changed").format(name=other.name, table=table))
        if theirs.columns != info.columns:
            if schema is None:
                message = _("{name}: table {table} has other columns than this database's; nothing was changed")
            else:
                message = _("{name}: table {table} has other columns than schema {schema} has; nothing was changed")
            raise Invalid(
                message.format(name=other.name, table=table, schema=schema),
                hint=_("Upgrade both sites to the same maliext version."),
            )


# ---------------------------------------------- naming and comparing records
def label(table: str, row: dict | None) -> str:
    """A short readable name of a record (consultant's name, acronym, code, title...)."""
    if row and table == "conflict":
        return row.get("reason") or _("conflict of interest")
    return nouns.name_of(table, row)


def stamps(row: dict) -> tuple[str, str]:
    """When a version was last written, then made: the later of two versions is kept."""
    return (row.get("updated_at") or "", row.get("created_at") or "")


def state(info: TableInfo, row: dict) -> tuple:
    """What two versions of a record compare on: every column but the stamps."""
    return tuple(row.get(c) for c in info.state_columns)


def differing(info: TableInfo, mine: dict | None, theirs: dict | None) -> list[str]:
    """The columns in which two versions differ (none when one of them is a removal)."""
    if mine is None or theirs is None:
        return []
    return [c for c in info.state_columns if mine.get(c) != theirs.get(c)]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def unique_keys(info: TableInfo, row: dict) -> list[tuple]:
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
