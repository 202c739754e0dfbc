"""`maliext db check`: is the file sound, and does every record keep the rules?

Three layers, each a set of SQL queries: SQLite's own integrity check, the foreign keys,
and the domain rules that the services enforce on every write (mission durations and
overlaps, seats of needs, the association hierarchy, vocabularies...). A file written
only by maliext passes them all; a problem means a file edited by other tools, restored
from an old copy, or damaged.

Each problem reads `table id: what is wrong`, so that it can be found and fixed: the
table's name as commands and `history --table` spell it, whatever the language, and what
is wrong in the interface language.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference import vocab
from maliext_cli.services import needs, nouns
from maliext_cli.services.associations import PARENT_LEVELS, PARENT_RULE
from maliext_cli.services.missions import MAX_DAYS, MIN_DAYS
from maliext_cli.services.missions import REFERENCE as MISSION_REFERENCE
from maliext_cli.store import Store


@dataclass(frozen=True)
class Problem:
    table: str
    id: int | None
    message: str

    def __str__(self) -> str:
        if self.id is None:
            if self.table == "database":
                # Translators: a problem of the database file as a whole, found by `db check`.
                return _("database: {problem}").format(problem=self.message)
            return _("{table}: {problem}").format(table=self.table, problem=self.message)
        # Translators: a problem found by `db check`; {table} is a table's name as commands spell it (mission, need...).
        return _("{table} {id}: {problem}").format(table=self.table, id=self.id, problem=self.message)


def run(store: Store, *, structure: bool = True) -> list[Problem]:
    """Every problem found, in a stable order: the file first, then table by table.

    `structure=False` leaves out SQLite's integrity and foreign-key checks (what `undo`
    compares before and after its changes; SQLite enforces those itself on writes)."""
    found: list[Problem] = []
    if structure:
        found += _guarded(N_("integrity"), _integrity, store)
        found += _guarded(N_("foreign keys"), _foreign_keys, store)
    for name, check in DOMAIN_CHECKS:
        found += _guarded(name, check, store)
    rank = {t: i for i, t in enumerate(("database", *nouns.TABLES))}
    unique = list(dict.fromkeys(found))  # a problem found twice is one problem
    # By table, then id; for one row (or the file), in the order the checks found them.
    order = sorted(range(len(unique)), key=lambda i: (rank.get(unique[i].table, len(rank)), unique[i].id or 0, i))
    return [unique[i] for i in order]


def _guarded(name: str, check: Callable[[Store], Iterable[Problem]], store: Store) -> list[Problem]:
    """A damaged file can make a query fail: that is one more problem, not a crash.
    `name` (N_) says which check, in the message."""
    try:
        return list(check(store))
    except sqlite3.DatabaseError as exc:
        # Translators: {check} is the name of a group of checks (dates, missions...); {error} SQLite's message.
        return [
            Problem("database", None, _("the {check} check could not run: {error}").format(check=_(name), error=exc))
        ]


# ------------------------------------------------------------------- structure
def _integrity(store: Store) -> Iterator[Problem]:
    for (text,) in store.conn.execute("PRAGMA integrity_check"):
        if text != "ok":
            # Translators: {report} is SQLite's own report, in English.
            yield Problem("database", None, _("integrity: {report}").format(report=text))


def _foreign_keys(store: Store) -> Iterator[Problem]:
    columns: dict[tuple[str, int], tuple[str, str]] = {}
    for table, rowid, parent, fkid in store.conn.execute("PRAGMA foreign_key_check").fetchall():
        if (table, fkid) not in columns:
            for fk in store.conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                columns[(table, fk[0])] = (fk[3], fk[2])
        column, target = columns.get((table, fkid), ("?", parent))
        value = store.value(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)) if column != "?" else None
        yield Problem(
            table,
            rowid,
            _("{column} {value} refers to {target} {value}, which does not exist").format(
                column=column, value=value, target=target
            ),
        )


# ---------------------------------------------------------------------- dates
def _dates(store: Store) -> Iterator[Problem]:
    """Each noun's date columns hold dates, and its periods do not end before they start."""
    for entity in nouns.ENTITIES.values():
        for column in entity.date_columns:
            for r in store.conn.execute(
                f'SELECT id, "{column}" FROM {entity.table} WHERE "{column}" IS NOT NULL AND date(julianday("{column}")) IS NOT "{column}"'
            ):
                yield Problem(
                    entity.table,
                    r[0],
                    _("{column} {value!r} is not a date YYYY-MM-DD").format(column=column, value=r[1]),
                )
    for entity in nouns.ENTITIES.values():
        for period in entity.periods:
            start, end = period.start, period.end
            for r in store.conn.execute(
                f'SELECT id, "{start}", "{end}" FROM {entity.table} WHERE "{end}" < "{start}" ORDER BY id'
            ):
                yield Problem(
                    entity.table,
                    r[0],
                    _("{end} {end_value} is before {start} {start_value}").format(
                        end=end, end_value=r[2], start=start, start_value=r[1]
                    ),
                )


# -------------------------------------------------------------------- missions
def _missions(store: Store) -> Iterator[Problem]:
    for r in store.conn.execute(
        "SELECT id, days FROM mission WHERE (days < ? OR days > ?) AND end_date >= start_date "
        "AND (forced_reason IS NULL OR trim(forced_reason) = '') ORDER BY id",
        (MIN_DAYS, MAX_DAYS),
    ):
        yield Problem(
            "mission",
            r[0],
            ngettext(
                "lasts {days} day, outside {least} to {most}, and no reason is recorded",
                "lasts {days} days, outside {least} to {most}, and no reason is recorded",
                r[1],
            ).format(days=r[1], least=MIN_DAYS, most=MAX_DAYS),
        )
    for r in store.conn.execute(
        "SELECT a.id, b.id, a.consultant_id, b.start_date, b.end_date FROM mission a "
        "JOIN mission b ON b.consultant_id = a.consultant_id AND b.id > a.id AND b.status <> 'cancelled' "
        "AND b.start_date <= a.end_date AND b.end_date >= a.start_date "
        "WHERE a.status <> 'cancelled' ORDER BY a.id, b.id"
    ):
        yield Problem(
            "mission",
            r[0],
            _("overlaps mission {other} ({start} to {end}) of the same consultant ({consultant})").format(
                other=r[1], start=r[3], end=r[4], consultant=r[2]
            ),
        )
    for r in store.conn.execute(
        "SELECT m.id, n.id, m.start_date, m.end_date, n.window_start, n.window_end, m.institution_id, n.institution_id "
        "FROM mission m JOIN need n ON n.id = m.need_id ORDER BY m.id"
    ):
        if r[2] < r[4] or r[3] > r[5]:
            yield Problem(
                "mission",
                r[0],
                _("{start} to {end} is outside the window of need {need} ({window_start} to {window_end})").format(
                    start=r[2], end=r[3], need=r[1], window_start=r[4], window_end=r[5]
                ),
            )
        if r[6] != r[7]:
            yield Problem(
                "mission",
                r[0],
                _("is at institution {institution}, but its need {need} is at institution {need_institution}").format(
                    institution=r[6], need=r[1], need_institution=r[7]
                ),
            )


def _needs(store: Store) -> Iterator[Problem]:
    for r in store.conn.execute(
        "SELECT n.id, n.seats, count(*) FROM need n JOIN mission m ON m.need_id = n.id AND m.status <> 'cancelled' "
        "GROUP BY n.id HAVING count(*) > n.seats ORDER BY n.id"
    ):
        yield Problem(
            "need",
            r[0],
            ngettext(
                "has {missions} non-cancelled missions for {seats} seat",
                "has {missions} non-cancelled missions for {seats} seats",
                r[1],
            ).format(missions=r[2], seats=r[1]),
        )
    span = needs.WINDOW.days()
    for r in store.conn.execute(
        f"SELECT id, duration_days, {span} AS span FROM need WHERE duration_days > {span} ORDER BY id"
    ):
        yield Problem(
            "need",
            r[0],
            ngettext(
                "duration_days {days} does not fit in its window of {window} day",
                "duration_days {days} does not fit in its window of {window} days",
                r[2],
            ).format(days=r[1], window=r[2]),
        )


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
                _("is the High Council (hcme), which has no parent, but sits under association {parent}").format(
                    parent=parent
                ),
            )
            continue
        if parent_level not in PARENT_LEVELS.get(child_level, ()) and child_level in levels and parent_level in levels:
            yield Problem(
                "association",
                child,
                # Translators: {rule} is a whole parent rule ("a city federation sits under a national council");
                # {level} the parent's level code (base, city, national, hcme).
                _("{rule}, not under association {parent} ({level})").format(
                    rule=_(PARENT_RULE[child_level]), parent=parent, level=parent_level
                ),
            )
        if parent_level != "hcme" and country != parent_country:
            yield Problem(
                "association",
                child,
                _(
                    "is in {country} but sits under association {parent} in {parent_country}; "
                    "only the High Council (hcme) may be the parent of an association in another country"
                ).format(country=country, parent=parent, parent_country=parent_country),
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
        yield Problem(table, start, _("is its own ancestor: its parents form a cycle"))


# ---------------------------------------------------------------- availability
def _availability(store: Store) -> Iterator[Problem]:
    for r in store.conn.execute(
        'SELECT a.id, b.id, a.consultant_id, b.start, b."end" FROM availability a '
        "JOIN availability b ON b.consultant_id = a.consultant_id AND b.id > a.id "
        'AND b.start <= a."end" AND b."end" >= a.start ORDER BY a.id, b.id'
    ):
        yield Problem(
            "availability",
            r[0],
            _("overlaps availability {other} ({start} to {end}) of the same consultant ({consultant})").format(
                other=r[1], start=r[3], end=r[4], consultant=r[2]
            ),
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
                    yield Problem(table, r[0], _("{column} is not a valid JSON list").format(column=column))
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
                # Translators: {vocabulary} names the codes (degree, ISO country...).
                yield Problem(
                    table,
                    r[0],
                    _("{column} {value!r} is not a known {vocabulary}").format(
                        column=column, value=r[1], vocabulary=f.vocabulary.title
                    ),
                )


# ----------------------------------------------------------------------- money
def _money(store: Store) -> Iterator[Problem]:
    for entity in nouns.ENTITIES.values():
        for column in (f.column for f in entity.fields if f.money):
            for r in store.conn.execute(f"SELECT id, {column} FROM {entity.table} WHERE {column} < 0 ORDER BY id"):
                yield Problem(
                    entity.table,
                    r[0],
                    _("{column} is negative ({amount})").format(column=column, amount=f"{r[1] / 100:g}"),
                )


# ----------------------------------------------------------------- mission papers
def _papers(store: Store) -> Iterator[Problem]:
    """Two missions never share a reference, and it has the form PREFIX/YEAR/NUMBER."""
    for r in store.conn.execute(
        "SELECT a.id, b.id, a.reference FROM mission a JOIN mission b ON b.reference = a.reference AND b.id < a.id "
        "WHERE a.reference IS NOT NULL ORDER BY a.id, b.id"
    ):
        yield Problem(
            "mission",
            r[0],
            _("has the reference {reference}, which mission {other} has too").format(reference=r[2], other=r[1]),
        )
    for r in store.conn.execute("SELECT id, reference FROM mission WHERE reference IS NOT NULL ORDER BY id"):
        if not MISSION_REFERENCE.fullmatch(r[1]):
            yield Problem(
                "mission",
                r[0],
                _("reference {reference!r} is not PREFIX/YEAR/NUMBER").format(reference=r[1]),
            )


def _evaluations(store: Store) -> Iterator[Problem]:
    """The rules of services/evaluations.py: an evaluation is of a mission that took
    place, dated from its start, a follow-up after its end; one of each kind by each side."""
    for r in store.conn.execute(
        "SELECT e.id, e.mission_id, m.status, e.kind, e.evaluated_on, m.start_date, m.end_date "
        "FROM evaluation e JOIN mission m ON m.id = e.mission_id ORDER BY e.id"
    ):
        eid, mission, status, kind, on, start, end = r
        if status in ("planned", "cancelled"):
            yield Problem(
                "evaluation",
                eid,
                _("evaluates mission {mission}, which is {status}").format(mission=mission, status=status),
            )
        if on < start:
            yield Problem(
                "evaluation",
                eid,
                _("is dated {day}, before its mission {mission} starts ({start})").format(
                    day=on, mission=mission, start=start
                ),
            )
        if kind == "followup" and on <= end:
            yield Problem(
                "evaluation",
                eid,
                _("is a follow-up dated {day}, not after its mission {mission} ends ({end})").format(
                    day=on, mission=mission, end=end
                ),
            )
    for r in store.conn.execute(
        "SELECT a.id, b.id, a.mission_id FROM evaluation a JOIN evaluation b ON b.mission_id = a.mission_id "
        "AND b.by = a.by AND b.kind = a.kind AND b.id < a.id ORDER BY a.id, b.id"
    ):
        yield Problem(
            "evaluation",
            r[0],
            _("repeats evaluation {other} (same mission {mission}, side and kind)").format(other=r[1], mission=r[2]),
        )


# Each check with its name in messages (translated where shown).
DOMAIN_CHECKS: tuple[tuple[str, Callable[[Store], Iterator[Problem]]], ...] = (
    (N_("dates"), _dates),
    (N_("missions"), _missions),
    (N_("needs"), _needs),
    (N_("associations"), _associations),
    (N_("institutions"), _institutions),
    (N_("availability"), _availability),
    (N_("vocabularies"), _vocabularies),
    (N_("money"), _money),
    (N_("mission papers"), _papers),
    (N_("evaluations"), _evaluations),
)
