"""`maliext db check`: is the file sound, and does every record keep the rules?

Three layers, each a set of SQL queries: SQLite's own integrity check, the foreign keys,
and the domain rules that the services enforce on every write (mission durations and
overlaps, seats of needs, the association hierarchy, vocabularies...). A file written
only by maliext passes them all; a problem means a file edited by other tools, restored
from an old copy, or damaged.

Each problem reads `table id: what is wrong`, so that it can be found and fixed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from maliext_cli.reference import vocab
from maliext_cli.services import needs, nouns
from maliext_cli.services.associations import PARENT_LEVELS
from maliext_cli.services.missions import MAX_DAYS, MIN_DAYS
from maliext_cli.store import Store


@dataclass(frozen=True)
class Problem:
    table: str
    id: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.table}{'' if self.id is None else f' {self.id}'}: {self.message}"


def run(store: Store, *, structure: bool = True) -> list[Problem]:
    """Every problem found, in a stable order: the file first, then table by table.

    `structure=False` leaves out SQLite's integrity and foreign-key checks (what `undo`
    compares before and after its changes; SQLite enforces those itself on writes)."""
    found: list[Problem] = []
    if structure:
        found += _guarded("integrity", _integrity, store)
        found += _guarded("foreign keys", _foreign_keys, store)
    for check in DOMAIN_CHECKS:
        found += _guarded(check.__name__.strip("_").replace("_", " "), check, store)
    rank = {t: i for i, t in enumerate(("database", *nouns.TABLES))}
    unique = list(dict.fromkeys(found))  # a problem found twice is one problem
    # By table, then id; for one row (or the file), in the order the checks found them.
    order = sorted(range(len(unique)), key=lambda i: (rank.get(unique[i].table, len(rank)), unique[i].id or 0, i))
    return [unique[i] for i in order]


def _guarded(name: str, check: Callable[[Store], Iterable[Problem]], store: Store) -> list[Problem]:
    """A damaged file can make a query fail: that is one more problem, not a crash."""
    try:
        return list(check(store))
    except sqlite3.DatabaseError as exc:
        return [Problem("database", None, f"the {name} check could not run: {exc}")]


# ------------------------------------------------------------------- structure
def _integrity(store: Store) -> Iterator[Problem]:
    for (text,) in store.conn.execute("PRAGMA integrity_check"):
        if text != "ok":
            yield Problem("database", None, f"integrity: {text}")


def _foreign_keys(store: Store) -> Iterator[Problem]:
    columns: dict[tuple[str, int], tuple[str, str]] = {}
    for table, rowid, parent, fkid in store.conn.execute("PRAGMA foreign_key_check").fetchall():
        if (table, fkid) not in columns:
            for fk in store.conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                columns[(table, fk[0])] = (fk[3], fk[2])
        column, target = columns.get((table, fkid), ("?", parent))
        value = store.value(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)) if column != "?" else None
        yield Problem(table, rowid, f"{column} {value} refers to {target} {value}, which does not exist")


# ---------------------------------------------------------------------- dates
def _dates(store: Store) -> Iterator[Problem]:
    """Each noun's date columns hold dates, and its periods do not end before they start."""
    for entity in nouns.ENTITIES.values():
        for column in entity.date_columns:
            for r in store.conn.execute(
                f'SELECT id, "{column}" FROM {entity.table} WHERE "{column}" IS NOT NULL AND date(julianday("{column}")) IS NOT "{column}"'
            ):
                yield Problem(entity.table, r[0], f"{column} {r[1]!r} is not a date YYYY-MM-DD")
    for entity in nouns.ENTITIES.values():
        for period in entity.periods:
            start, end = period.start, period.end
            for r in store.conn.execute(
                f'SELECT id, "{start}", "{end}" FROM {entity.table} WHERE "{end}" < "{start}" ORDER BY id'
            ):
                yield Problem(entity.table, r[0], f"{end} {r[2]} is before {start} {r[1]}")


# -------------------------------------------------------------------- missions
def _missions(store: Store) -> Iterator[Problem]:
    for r in store.conn.execute(
        "SELECT id, days FROM mission WHERE (days < ? OR days > ?) AND end_date >= start_date "
        "AND (forced_reason IS NULL OR trim(forced_reason) = '') ORDER BY id",
        (MIN_DAYS, MAX_DAYS),
    ):
        yield Problem(
            "mission", r[0], f"lasts {r[1]} days, outside {MIN_DAYS} to {MAX_DAYS}, and no reason is recorded"
        )
    for r in store.conn.execute(
        "SELECT a.id, b.id, a.consultant_id, b.start_date, b.end_date FROM mission a "
        "JOIN mission b ON b.consultant_id = a.consultant_id AND b.id > a.id AND b.status <> 'cancelled' "
        "AND b.start_date <= a.end_date AND b.end_date >= a.start_date "
        "WHERE a.status <> 'cancelled' ORDER BY a.id, b.id"
    ):
        yield Problem("mission", r[0], f"overlaps mission {r[1]} ({r[3]} to {r[4]}) of the same consultant ({r[2]})")
    for r in store.conn.execute(
        "SELECT m.id, n.id, m.start_date, m.end_date, n.window_start, n.window_end, m.institution_id, n.institution_id "
        "FROM mission m JOIN need n ON n.id = m.need_id ORDER BY m.id"
    ):
        if r[2] < r[4] or r[3] > r[5]:
            yield Problem("mission", r[0], f"{r[2]} to {r[3]} is outside the window of need {r[1]} ({r[4]} to {r[5]})")
        if r[6] != r[7]:
            yield Problem("mission", r[0], f"is at institution {r[6]}, but its need {r[1]} is at institution {r[7]}")


def _needs(store: Store) -> Iterator[Problem]:
    for r in store.conn.execute(
        "SELECT n.id, n.seats, count(*) FROM need n JOIN mission m ON m.need_id = n.id AND m.status <> 'cancelled' "
        "GROUP BY n.id HAVING count(*) > n.seats ORDER BY n.id"
    ):
        yield Problem("need", r[0], f"has {r[2]} non-cancelled missions for {r[1]} seat(s)")
    span = needs.WINDOW.days()
    for r in store.conn.execute(
        f"SELECT id, duration_days, {span} AS span FROM need WHERE duration_days > {span} ORDER BY id"
    ):
        yield Problem("need", r[0], f"duration_days {r[1]} does not fit in its window of {r[2]} days")


# ------------------------------------------------------------------ hierarchy
def _associations(store: Store) -> Iterator[Problem]:
    levels = set(vocab.ASSOCIATION_LEVEL.codes)
    for r in store.conn.execute(
        "SELECT c.id, c.level, p.id, p.level, c.country, p.country FROM association c "
        "JOIN association p ON p.id = c.parent_id ORDER BY c.id"
    ):
        child, child_level, parent, parent_level, country, parent_country = r
        if child_level == "hcme":
            yield Problem(
                "association",
                child,
                f"is the High Council (hcme), which has no parent, but sits under association {parent}",
            )
            continue
        if parent_level not in PARENT_LEVELS.get(child_level, ()) and child_level in levels and parent_level in levels:
            wanted = " or ".join(PARENT_LEVELS[child_level])
            yield Problem(
                "association",
                child,
                f"a {child_level} association sits under {wanted}, not under association {parent} ({parent_level})",
            )
        if parent_level != "hcme" and country != parent_country:
            yield Problem(
                "association",
                child,
                f"is in {country} but sits under association {parent} in {parent_country}; "
                "only the High Council (hcme) may be the parent of an association in another country",
            )
    yield from _cycles(store, "association")


def _institutions(store: Store) -> Iterator[Problem]:
    yield from _cycles(store, "institution")


def _cycles(store: Store, table: str) -> Iterator[Problem]:
    # UNION (not UNION ALL) keeps each (start, ancestor) pair once, so the walk ends
    # even when it runs round a cycle.
    for (start,) in store.conn.execute(
        f"WITH RECURSIVE up(start, id) AS (SELECT id, parent_id FROM {table} WHERE parent_id IS NOT NULL "
        f"UNION SELECT up.start, t.parent_id FROM up JOIN {table} t ON t.id = up.id WHERE t.parent_id IS NOT NULL) "
        "SELECT start FROM up WHERE id = start ORDER BY start"
    ):
        yield Problem(table, start, "is its own ancestor: its parents form a cycle")


# ---------------------------------------------------------------- availability
def _availability(store: Store) -> Iterator[Problem]:
    for r in store.conn.execute(
        'SELECT a.id, b.id, a.consultant_id, b.start, b."end" FROM availability a '
        "JOIN availability b ON b.consultant_id = a.consultant_id AND b.id > a.id "
        'AND b.start <= a."end" AND b."end" >= a.start ORDER BY a.id, b.id'
    ):
        yield Problem(
            "availability", r[0], f"overlaps availability {r[1]} ({r[3]} to {r[4]}) of the same consultant ({r[2]})"
        )


# ---------------------------------------------------------------- vocabularies
def _vocabularies(store: Store) -> Iterator[Problem]:
    """Each field that declares a vocabulary holds its codes (each item, for a list)."""
    for entity in nouns.ENTITIES.values():
        table = entity.table
        for f in entity.fields:
            if f.vocabulary is None:
                continue
            column = f.column
            allowed = json.dumps(sorted(set(f.vocabulary.codes)))
            if f.many:
                for r in store.conn.execute(f'SELECT id FROM {table} WHERE NOT json_valid("{column}") ORDER BY id'):
                    yield Problem(table, r[0], f"{column} is not a valid JSON list")
                sql = (
                    f'SELECT t.id, j.value FROM {table} t, json_each(t."{column}") j WHERE json_valid(t."{column}") '
                    "AND (j.type <> 'text' OR j.value NOT IN (SELECT value FROM json_each(?))) ORDER BY t.id"
                )
            else:
                sql = (
                    f'SELECT id, "{column}" FROM {table} WHERE "{column}" IS NOT NULL '
                    f'AND "{column}" NOT IN (SELECT value FROM json_each(?)) ORDER BY id'
                )
            for r in store.conn.execute(sql, (allowed,)):
                yield Problem(table, r[0], f"{column} {r[1]!r} is not a known {f.vocabulary.name}")


# ----------------------------------------------------------------------- money
def _money(store: Store) -> Iterator[Problem]:
    for entity in nouns.ENTITIES.values():
        for column in (f.column for f in entity.fields if f.money):
            for r in store.conn.execute(f"SELECT id, {column} FROM {entity.table} WHERE {column} < 0 ORDER BY id"):
                yield Problem(entity.table, r[0], f"{column} is negative ({r[1] / 100:g})")


DOMAIN_CHECKS: tuple[Callable[[Store], Iterator[Problem]], ...] = (
    _dates,
    _missions,
    _needs,
    _associations,
    _institutions,
    _availability,
    _vocabularies,
    _money,
)
