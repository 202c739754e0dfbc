"""Programme reports: the summary at a glance and the annual report for funders.

Every figure is computed by SQLite. What is counted:

- *missions* are completed missions (planned and ongoing ones are `missions_planned`;
  cancelled ones are left out), dated by their first day, as in `mission report`;
  *mission_consultants* the distinct consultants who did them; person-days, hours,
  people trained and theses supervised are the sums over them.
- a consultant is *new* in a year when their first mission ever (cancelled ones aside)
  starts that year, else *returning* (the rule of `mission report`).
- needs are open, filled or cancelled as `need list` shows them today.
- *agreements_negotiated* counts every agreement (signed ones were negotiated first),
  *agreements_signed* those with a date of signature (status signed, or expired after
  being signed), *agreements_in_force* those whose status is signed: the programme's
  "12 agreements signed out of 16 negotiated".
- co-development money is every project's diaspora contribution, subsidy and other
  funding, converted at the fixed parity.
- the annual report's *evaluations* are those of the year's completed missions (at
  their end and a year later, by the host and by the consultant), with the mean of each
  criterion (services/evaluations.py).

The annual report's checksum is the SHA-256 of the records it read (see `checksum`),
so that two copies of the same data give the same checksum for the same year, whoever
makes the report and whenever.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from maliext_cli import clock
from maliext_cli.errors import Invalid
from maliext_cli.i18n import _
from maliext_cli.reference import vocab
from maliext_cli.services import mission_report, missions, money, needs
from maliext_cli.store import Store

SUMMARY_KEYS = (
    "consultants",
    "consultants_by_status",
    "consultants_by_sex",
    "consultants_by_degree",
    "consultants_by_country",
    "consultants_by_antenna",
    "missions",
    "missions_planned",
    "mission_consultants",
    "person_days",
    "hours_taught",
    "theses_supervised",
    "people_trained",
    "mission_cost_eur",
    "mission_cost_xof",
    "needs",
    "needs_open",
    "needs_filled",
    "needs_cancelled",
    "agreements_negotiated",
    "agreements_signed",
    "agreements_in_force",
    "antennas",
    "associations",
    "associations_by_country",
    "associations_by_level",
    "projects",
    "codev_diaspora_eur",
    "codev_subsidy_eur",
    "codev_other_eur",
    "codev_total_eur",
    "codev_total_xof",
)
# A consultant without a sex or an antenna is counted under these keys (never a code:
# sexes are F, M, X and antenna codes are upper-case).
UNKNOWN_SEX = "unknown"
NO_ANTENNA = "none"


def _counts(store: Store, sql: str, codes: Iterable[str] = ()) -> dict[str, int]:
    """{group: count} from `sql` (two columns: key, n), most first, then by key; `codes`
    are always present (zero when absent), in their order, before the others."""
    found = {("" if r["k"] is None else str(r["k"])): r["n"] for r in store.rows(sql)}
    out = {code: found.pop(code, 0) for code in codes}
    out.update(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def summary(store: Store) -> dict:
    """The programme at a glance: one object with the keys of SUMMARY_KEYS."""
    consultants = {
        "consultants": store.value("SELECT count(*) FROM consultant"),
        "consultants_by_status": _counts(
            store, "SELECT status AS k, count(*) AS n FROM consultant GROUP BY status", vocab.CONSULTANT_STATUS.codes
        ),
        "consultants_by_sex": _counts(
            store,
            f"SELECT coalesce(sex, '{UNKNOWN_SEX}') AS k, count(*) AS n FROM consultant GROUP BY k",
            (*vocab.SEX.codes, UNKNOWN_SEX),
        ),
        "consultants_by_degree": _counts(
            store, "SELECT degree AS k, count(*) AS n FROM consultant GROUP BY degree", vocab.DEGREE.codes
        ),
        "consultants_by_country": _counts(store, "SELECT country AS k, count(*) AS n FROM consultant GROUP BY country"),
        "consultants_by_antenna": _counts(
            store,
            f"SELECT coalesce(upper(antenna), '{NO_ANTENNA}') AS k, count(*) AS n FROM consultant GROUP BY k",
        ),
    }
    cost = money.common_sql(missions.ENTITY.expression("cost", "m"), "m.currency")
    m = store.row(
        f"""SELECT count(CASE WHEN status = 'completed' THEN 1 END) AS missions,
                   count(CASE WHEN status IN ('planned', 'ongoing') THEN 1 END) AS missions_planned,
                   count(DISTINCT CASE WHEN status = 'completed' THEN consultant_id END) AS mission_consultants,
                   coalesce(sum(CASE WHEN status = 'completed' THEN days END), 0) AS person_days,
                   coalesce(sum(CASE WHEN status = 'completed' THEN hours_taught END), 0) AS hours_taught,
                   coalesce(sum(CASE WHEN status = 'completed' THEN theses_supervised END), 0) AS theses_supervised,
                   coalesce(sum(CASE WHEN status = 'completed' THEN people_trained END), 0) AS people_trained,
                   coalesce(sum(CASE WHEN status = 'completed' THEN {cost} END), 0) AS cost
            FROM mission m"""
    )
    n = _counts(store, f"SELECT {needs.STATUS} AS k, count(*) AS n FROM need t GROUP BY k", vocab.NEED_STATUS.codes)
    a = store.row(
        "SELECT count(*) AS negotiated, count(signed_on) AS signed, count(CASE WHEN status = 'signed' THEN 1 END) AS in_force FROM agreement"
    )
    p = store.row(
        f"""SELECT count(*) AS projects,
                   coalesce(sum({money.common_sql("diaspora_contribution", "currency")}), 0) AS diaspora,
                   coalesce(sum({money.common_sql("subsidy", "currency")}), 0) AS subsidy,
                   coalesce(sum({money.common_sql("other_funding", "currency")}), 0) AS other
            FROM project"""
    )
    total = p["diaspora"] + p["subsidy"] + p["other"]
    out = {
        **consultants,
        "missions": m["missions"],
        "missions_planned": m["missions_planned"],
        "mission_consultants": m["mission_consultants"],
        "person_days": m["person_days"],
        "hours_taught": m["hours_taught"],
        "theses_supervised": m["theses_supervised"],
        "people_trained": m["people_trained"],
        "mission_cost_eur": money.eur(m["cost"]),
        "mission_cost_xof": money.xof(m["cost"]),
        "needs": sum(n.values()),
        "needs_open": n["open"],
        "needs_filled": n["filled"],
        "needs_cancelled": n["cancelled"],
        "agreements_negotiated": a["negotiated"],
        "agreements_signed": a["signed"],
        "agreements_in_force": a["in_force"],
        "antennas": store.value("SELECT count(*) FROM antenna"),
        "associations": store.value("SELECT count(*) FROM association"),
        "associations_by_country": _counts(
            store, "SELECT country AS k, count(*) AS n FROM association GROUP BY country"
        ),
        "associations_by_level": _counts(
            store, "SELECT level AS k, count(*) AS n FROM association GROUP BY level", vocab.ASSOCIATION_LEVEL.codes
        ),
        "projects": p["projects"],
        "codev_diaspora_eur": money.eur(p["diaspora"]),
        "codev_subsidy_eur": money.eur(p["subsidy"]),
        "codev_other_eur": money.eur(p["other"]),
        "codev_total_eur": money.eur(total),
        "codev_total_xof": money.xof(total),
    }
    return out


def flatten(obj: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    """(dotted key, value) of a nested object: `consultants_by_status.active`."""
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from flatten(value, name + ".")
        else:
            yield name, value


# ------------------------------------------------------------------------- annual
# The year's figures, compared with the year before (keys of `summary`, `previous`).
YEAR_KEYS = (
    "missions",
    "mission_consultants",
    "new_consultants",
    "returning_consultants",
    "person_days",
    "hours_taught",
    "people_trained",
    "theses_supervised",
    "cost_eur",
    "cost_xof",
    "mean_cost_eur",
    "mean_rating",
    "needs_unfilled",
    "agreements_signed",
    "associations_founded",
    "projects",
    "codev_total_eur",
)
ANNUAL_KEYS = (
    "year",
    "previous_year",
    "summary",
    "previous",
    "change",
    "change_percent",
    "missions_by_month",
    "missions_by_institution",
    "missions_by_type",
    "missions_by_discipline",
    "missions_by_programme",
    "costs_by_funder",
    "consultants_by_country",
    "consultants",
    "unfilled_needs",
    "completed_missions",
    "agreements_signed",
    "associations_founded",
    "projects",
    "evaluations",
    "stamp",
)
GROUPINGS = ("institution", "type", "discipline", "programme")
COMPLETED = ("completed",)


def check_year(year: int) -> int:
    if not 1950 <= year <= 2100:
        raise Invalid(_("--year: {year} is out of range (1950 to 2100)").format(year=year))
    return year


def _bounds(year: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def _by(store: Store, year: int, key: str) -> list[dict]:
    start, end = _bounds(year)
    return mission_report.build(store, [key], date_from=start, date_to=end, statuses=COMPLETED, totals=False).rows


def _unfilled_sql(select: str) -> str:
    return (
        f"SELECT {select} FROM need t JOIN institution i ON i.id = t.institution_id "
        f"WHERE {needs.STATUS} = 'open' AND t.window_start <= ? AND t.window_end >= ?"
    )


def _codev(store: Store, year: int) -> tuple[int, int]:
    """(projects of `year`, their money in common units)."""
    row = store.row(
        f"""SELECT count(*) AS projects, coalesce(sum({money.common_sql("diaspora_contribution", "currency")}
                   + {money.common_sql("subsidy", "currency")} + {money.common_sql("other_funding", "currency")}), 0) AS total
            FROM project WHERE year = ?""",
        (year,),
    )
    return row["projects"], row["total"]


def year_figures(store: Store, year: int) -> dict:
    """The figures of one year (YEAR_KEYS)."""
    start, end = _bounds(year)
    m = mission_report.build(store, [], date_from=start, date_to=end, statuses=COMPLETED, totals=False).rows[0]
    projects, codev = _codev(store, year)
    return {
        "missions": m["missions"],
        "mission_consultants": m["consultants"],
        "new_consultants": m["new_consultants"],
        "returning_consultants": m["returning_consultants"],
        "person_days": m["person_days"],
        "hours_taught": m["hours_taught"],
        "people_trained": m["people_trained"],
        "theses_supervised": m["theses_supervised"],
        "cost_eur": m["cost_eur"],
        "cost_xof": m["cost_xof"],
        "mean_cost_eur": m["mean_cost_eur"],
        "mean_rating": m["mean_rating"],
        "needs_unfilled": store.value(_unfilled_sql("count(*)"), (end, start)),
        "agreements_signed": store.value(
            "SELECT count(*) FROM agreement WHERE signed_on BETWEEN ? AND ?", (start, end)
        ),
        "associations_founded": store.value("SELECT count(*) FROM association WHERE founded = ?", (year,)),
        "projects": projects,
        "codev_total_eur": money.eur(codev),
    }


def _change(now: dict, before: dict) -> tuple[dict, dict]:
    """(difference, percent change) of every figure; None where it has no meaning."""
    change: dict = {}
    percent: dict = {}
    for key in YEAR_KEYS:
        a, b = now[key], before[key]
        if a is None or b is None:
            change[key] = percent[key] = None
            continue
        diff = a - b
        change[key] = round(diff, 2) if isinstance(diff, float) else diff
        percent[key] = round(float(Decimal(str(a)) / Decimal(str(b)) * 100 - 100), 1) if b else None
    return change, percent


def _months(store: Store, year: int) -> list[dict]:
    found = {r["month"]: r for r in _by(store, year, "month")}
    return [
        {
            "month": f"{year:04d}-{m:02d}",
            "missions": found.get(f"{year:04d}-{m:02d}", {}).get("missions", 0),
            "person_days": found.get(f"{year:04d}-{m:02d}", {}).get("person_days", 0),
        }
        for m in range(1, 13)
    ]


def _consultants(store: Store, year: int) -> list[dict]:
    start, end = _bounds(year)
    rows = store.rows(
        """WITH first AS (
               SELECT consultant_id, min(start_date) AS first_start FROM mission WHERE status <> 'cancelled' GROUP BY consultant_id)
           SELECT c.id AS consultant, c.given_names || ' ' || c.family_name AS name, c.country, c.discipline,
                  count(*) AS missions, sum(m.days) AS person_days, f.first_start AS first_mission,
                  f.first_start >= ? AS new
           FROM mission m JOIN consultant c ON c.id = m.consultant_id JOIN first f ON f.consultant_id = m.consultant_id
           WHERE m.status = 'completed' AND m.start_date BETWEEN ? AND ?
           GROUP BY m.consultant_id
           ORDER BY new DESC, fold(c.family_name), fold(c.given_names), c.id""",
        (start, start, end),
    )
    for r in rows:
        r["new"] = bool(r["new"])
    return rows


def _completed(store: Store, year: int) -> list[dict]:
    start, end = _bounds(year)
    cost = money.common_sql(missions.ENTITY.expression("cost", "m"), "m.currency")
    rows = store.rows(
        f"""SELECT m.id, m.start_date, m.end_date, m.days, c.given_names || ' ' || c.family_name AS consultant_name,
                   coalesce(i.acronym, i.name) AS institution, m.type, p.code AS programme, m.funder, {cost} AS cost,
                   m.hours_taught, m.people_trained, m.theses_supervised, m.rating, m.report
            FROM mission m JOIN consultant c ON c.id = m.consultant_id JOIN institution i ON i.id = m.institution_id
                 JOIN programme p ON p.id = m.programme_id
            WHERE m.status = 'completed' AND m.start_date BETWEEN ? AND ?
            ORDER BY m.start_date, m.id""",
        (start, end),
    )
    for r in rows:
        units = r.pop("cost")
        r["cost_eur"] = money.eur(units)
        r["cost_xof"] = money.xof(units)
    return rows


def _unfilled(store: Store, year: int) -> list[dict]:
    start, end = _bounds(year)
    return store.rows(
        _unfilled_sql(
            f"t.id, coalesce(i.acronym, i.name) AS institution, t.title, t.type, t.discipline, t.window_start, "
            f"t.window_end, t.seats, {needs.SEATS_FILLED} AS seats_filled, t.priority"
        )
        + " ORDER BY t.window_start, t.id",
        (end, start),
    )


def _agreements(store: Store, year: int) -> list[dict]:
    start, end = _bounds(year)
    return store.rows(
        """SELECT a.id, a.title, coalesce(i.acronym, i.name) AS institution, a.partner, a.partner_country, a.status,
                  a.signed_on, c.given_names || ' ' || c.family_name AS consultant_name
           FROM agreement a JOIN institution i ON i.id = a.institution_id LEFT JOIN consultant c ON c.id = a.consultant_id
           WHERE a.signed_on BETWEEN ? AND ? ORDER BY a.signed_on, a.id""",
        (start, end),
    )


def _associations(store: Store, year: int) -> list[dict]:
    return store.rows(
        "SELECT id, name, acronym, level, country, city, members FROM association WHERE founded = ? "
        "ORDER BY country, fold(name), id",
        (year,),
    )


def _projects(store: Store, year: int) -> list[dict]:
    rows = store.rows(
        f"""SELECT t.id, t.title, coalesce(a.acronym, a.name) AS association, t.sector, t.locality, t.region, t.status,
                   {money.common_sql("t.diaspora_contribution", "t.currency")} AS diaspora,
                   {money.common_sql("t.subsidy", "t.currency")} AS subsidy,
                   {money.common_sql("t.other_funding", "t.currency")} AS other
            FROM project t JOIN association a ON a.id = t.association_id WHERE t.year = ? ORDER BY fold(t.title), t.id""",
        (year,),
    )
    out = []
    for r in rows:
        diaspora, subsidy, other = r.pop("diaspora"), r.pop("subsidy"), r.pop("other")
        r.update(
            diaspora_contribution_eur=money.eur(diaspora),
            subsidy_eur=money.eur(subsidy),
            total_eur=money.eur(diaspora + subsidy + other),
        )
        out.append(r)
    return out


def _evaluations(store: Store, year: int) -> dict:
    """The evaluations of the year's completed missions (end-of-mission and follow-up,
    by the host and by the consultant): how many, of how many missions, and per
    criterion the number of scores and their mean (1 to 5, two decimals; None without
    a score), overall, by the host institutions and by the consultants."""
    from maliext_cli.services.evaluations import CRITERIA

    start, end = _bounds(year)
    scope = (
        "FROM evaluation e JOIN mission m ON m.id = e.mission_id "
        "WHERE m.status = 'completed' AND m.start_date BETWEEN ? AND ?"
    )
    counts = store.row(f"SELECT count(*) AS evaluations, count(DISTINCT e.mission_id) AS missions {scope}", (start, end))
    figures = ", ".join(
        f"count(e.{c}) AS {c}_n, round(avg(e.{c}), 2) AS {c}_mean, "
        f"round(avg(CASE WHEN e.by = 'host' THEN e.{c} END), 2) AS {c}_host, "
        f"round(avg(CASE WHEN e.by = 'consultant' THEN e.{c} END), 2) AS {c}_consultant"
        for c in CRITERIA
    )
    row = store.row(f"SELECT {figures} {scope}", (start, end))
    return {
        "evaluations": counts["evaluations"],
        "missions_evaluated": counts["missions"],
        "by_criterion": [
            {
                "criterion": c,
                "scores": row[f"{c}_n"],
                "mean": row[f"{c}_mean"],
                "mean_host": row[f"{c}_host"],
                "mean_consultant": row[f"{c}_consultant"],
            }
            for c in CRITERIA
        ],
    }


def made(store: Store) -> dict:
    """How a report was made: maliext's version, the database file's name, the date."""
    from maliext_cli import __version__

    return {"maliext": __version__, "database": store.path.name, "date": clock.report_day().isoformat()}


def annual(store: Store, year: int) -> dict:
    """The annual report of `year`: one object with the keys of ANNUAL_KEYS."""
    check_year(year)
    now, before = year_figures(store, year), year_figures(store, year - 1)
    change, percent = _change(now, before)
    out = {
        "year": year,
        "previous_year": year - 1,
        "summary": now,
        "previous": before,
        "change": change,
        "change_percent": percent,
        "missions_by_month": _months(store, year),
        **{f"missions_by_{key}": _by(store, year, key) for key in GROUPINGS},
        "costs_by_funder": [
            {k: r[k] for k in ("funder", "missions", "cost_eur", "cost_xof")} for r in _by(store, year, "funder")
        ],
        "consultants_by_country": [
            {"country": r["country"], "consultants": r["consultants"], "missions": r["missions"]}
            for r in sorted(_by(store, year, "country"), key=lambda r: (-r["consultants"], r["country"]))
        ],
        "consultants": _consultants(store, year),
        "unfilled_needs": _unfilled(store, year),
        "completed_missions": _completed(store, year),
        "agreements_signed": _agreements(store, year),
        "associations_founded": _associations(store, year),
        "projects": _projects(store, year),
        "evaluations": _evaluations(store, year),
        "stamp": {**made(store), "checksum": checksum(store, year)},
    }
    return out


# ----------------------------------------------------------------------- checksum
CHECKSUM_VERSION = "maliext-annual-report/1"


def source_rows(store: Store, year: int) -> Iterator[list]:
    """Every record the annual report of `year` reads (that year and the one before),
    as lists of its content: local ids, uids and timestamps left out, references as
    what they name (e-mail, acronym, code). Derived values that the report reads from
    other records (a consultant's first mission, a need's filled seats) are included."""
    start, end = _bounds(year - 1)[0], _bounds(year)[1]
    yield from (
        ["mission", *r.values()]
        for r in store.rows(
            """WITH first AS (
                   SELECT consultant_id, min(start_date) AS first_start FROM mission WHERE status <> 'cancelled' GROUP BY consultant_id)
               SELECT m.start_date, m.end_date, m.status, m.type, m.travel_cost, m.per_diem, m.fees, m.currency, m.funder,
                      m.hours_taught, m.people_trained, m.theses_supervised, m.rating, m.report,
                      c.email, c.family_name, c.given_names, c.country, c.discipline, f.first_start,
                      i.acronym, i.name, p.code
               FROM mission m JOIN consultant c ON c.id = m.consultant_id JOIN first f ON f.consultant_id = m.consultant_id
                    JOIN institution i ON i.id = m.institution_id JOIN programme p ON p.id = m.programme_id
               WHERE m.status = 'completed' AND m.start_date BETWEEN ? AND ?""",
            (start, end),
        )
    )
    yield from (
        ["need", *r.values()]
        for r in store.rows(
            f"""SELECT t.title, t.type, t.discipline, t.window_start, t.window_end, t.seats, t.priority,
                       {needs.STATUS} AS status, {needs.SEATS_FILLED} AS filled, i.acronym, i.name
                FROM need t JOIN institution i ON i.id = t.institution_id
                WHERE t.window_start <= ? AND t.window_end >= ?""",
            (end, start),
        )
    )
    yield from (
        ["agreement", *r.values()]
        for r in store.rows(
            """SELECT a.title, a.partner, a.partner_country, a.status, a.signed_on, i.acronym, i.name,
                      c.email, c.family_name, c.given_names
               FROM agreement a JOIN institution i ON i.id = a.institution_id LEFT JOIN consultant c ON c.id = a.consultant_id
               WHERE a.signed_on BETWEEN ? AND ?""",
            (start, end),
        )
    )
    yield from (
        ["association", *r.values()]
        for r in store.rows(
            "SELECT name, acronym, level, country, city, members, founded FROM association WHERE founded BETWEEN ? AND ?",
            (year - 1, year),
        )
    )
    yield from (
        ["evaluation", *r.values()]
        for r in store.rows(
            """SELECT c.email, c.family_name, c.given_names, m.start_date, e.by, e.kind, e.evaluated_on,
                      e.relevance, e.preparation, e.organisation, e.transfer, e.results, e.sustainability, e.overall,
                      e.comment
               FROM evaluation e JOIN mission m ON m.id = e.mission_id JOIN consultant c ON c.id = m.consultant_id
               WHERE m.status = 'completed' AND m.start_date BETWEEN ? AND ?""",
            (start, end),
        )
    )
    yield from (
        ["project", *r.values()]
        for r in store.rows(
            """SELECT t.title, t.sector, t.locality, t.region, t.year, t.status, t.diaspora_contribution, t.subsidy,
                      t.other_funding, t.currency, a.name, a.acronym
               FROM project t JOIN association a ON a.id = t.association_id WHERE t.year BETWEEN ? AND ?""",
            (year - 1, year),
        )
    )


def checksum(store: Store, year: int) -> str:
    """`sha256:` and the SHA-256 (hex) of: a first line naming the checksum's version and
    the year, then every source row as compact JSON (UTF-8, arrays of values), one per
    line, sorted. The same data give the same checksum, whatever the local ids, the
    order of insertion, the language of the report or the day it is made."""
    lines = sorted(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in source_rows(store, year))
    digest = hashlib.sha256(f"{CHECKSUM_VERSION} {year}\n".encode())
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return "sha256:" + digest.hexdigest()
