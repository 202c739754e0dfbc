"""`mission report`: missions grouped by year, institution, programme... with the figures
funders ask for, computed by SQLite in one aggregate query.

A consultant counts as *new* in a group when their first mission ever (cancelled ones
aside) falls in that group's period: its month or year when the report is grouped by
time, else the report's period (`--from`, or all time). The others are *returning*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from maliext_cli.errors import FieldError, Invalid, UsageProblem
from maliext_cli.reference import vocab
from maliext_cli.services import crud, money, parse, records
from maliext_cli.store import Store

# CROSS JOIN keeps `mission` the outer loop: one pass over the missions, each looking up
# its institution by key, rather than each institution scanning its missions by index.
_CONSULTANT = "CROSS JOIN consultant c ON c.id = m.consultant_id"
# --by key: (SQL of the group value, the join it needs)
KEYS: dict[str, tuple[str, str | None]] = {
    "year": ("CAST(substr(m.start_date, 1, 4) AS INTEGER)", None),
    "month": ("substr(m.start_date, 1, 7)", None),
    "institution": ("coalesce(i.acronym, i.name)", "CROSS JOIN institution i ON i.id = m.institution_id"),
    "type": ("m.type", None),
    "programme": ("p.code", "CROSS JOIN programme p ON p.id = m.programme_id"),
    "funder": ("m.funder", None),
    "discipline": ("c.discipline", _CONSULTANT),
    "country": ("c.country", _CONSULTANT),
    "consultant": ("c.given_names || ' ' || c.family_name", _CONSULTANT),
    "status": ("m.status", None),
}
# Extra grouping so that two consultants with one name stay two groups.
_GROUP_ALSO = {"consultant": "m.consultant_id"}

METRICS = (
    "missions",
    "consultants",
    "new_consultants",
    "returning_consultants",
    "person_days",
    "cost_eur",
    "cost_xof",
    "mean_cost_eur",
    "hours_taught",
    "people_trained",
    "theses_supervised",
    "mean_rating",
)
DEFAULT_STATUSES = ("planned", "ongoing", "completed")


@dataclass
class Report:
    keys: list[str]
    rows: list[dict]
    totals: dict

    @property
    def columns(self) -> list[str]:
        return [*self.keys, *METRICS]


def parse_keys(by: Sequence[str]) -> list[str]:
    keys = [k.strip().lower() for part in by for k in part.split(",") if k.strip()]
    unknown = [k for k in keys if k not in KEYS]
    if unknown:
        raise UsageProblem(f"--by: unknown key(s) {', '.join(unknown)}", hint=f"Use one or more of: {', '.join(KEYS)}.")
    if len(set(keys)) != len(keys):
        raise UsageProblem("--by: a key is given twice")
    return keys


def build(
    store: Store,
    by: Sequence[str] = ("year",),
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    programmes: Sequence[str] = (),
    institutions: Sequence[str] = (),
    statuses: Sequence[str] = (),
    totals: bool = True,
) -> Report:
    keys = parse_keys(by)
    try:
        start = parse.iso_date(date_from) if date_from else None
        end = parse.iso_date(date_to) if date_to else None
        chosen = [vocab.MISSION_STATUS.resolve(s) for s in statuses] or list(DEFAULT_STATUSES)
    except FieldError as exc:
        raise Invalid(str(exc)) from None
    if start and end and end < start:
        raise Invalid("--to is before --from")
    where = [f"m.status IN ({', '.join('?' * len(chosen))})"]
    params: list = list(chosen)
    if start:
        where.append("m.start_date >= ?")
        params.append(start)
    if end:
        where.append("m.start_date <= ?")
        params.append(end)
    for refs, table, column in (
        (programmes, "programme", "m.programme_id"),
        (institutions, "institution", "m.institution_id"),
    ):
        if refs:
            ids = [records.find(store, crud.ENTITIES[table], r)["id"] for r in refs]
            where.append(f"{column} IN ({', '.join('?' * len(ids))})")
            params.extend(ids)

    if "month" in keys:
        new = "substr(f.first_start, 1, 7) = substr(m.start_date, 1, 7)"
    elif "year" in keys:
        new = "substr(f.first_start, 1, 4) = substr(m.start_date, 1, 4)"
    elif start:
        new = "f.first_start >= ?"
    else:
        new = "1"
    joins = list(dict.fromkeys(KEYS[k][1] for k in keys if KEYS[k][1]))
    cost = money.common_sql("(m.travel_cost + m.per_diem * m.days + m.fees)", "m.currency")
    select = f"""
        WITH first AS (
            SELECT consultant_id, min(start_date) AS first_start FROM mission WHERE status <> 'cancelled' GROUP BY consultant_id
        )
        SELECT {{keys}}
               count(*) AS missions,
               count(DISTINCT m.consultant_id) AS consultants,
               count(DISTINCT CASE WHEN {new} THEN m.consultant_id END) AS new_consultants,
               coalesce(sum(m.days), 0) AS person_days,
               coalesce(sum({cost}), 0) AS cost_units,
               coalesce(sum(m.hours_taught), 0) AS hours_taught,
               coalesce(sum(m.people_trained), 0) AS people_trained,
               coalesce(sum(m.theses_supervised), 0) AS theses_supervised,
               avg(m.rating) AS mean_rating
        FROM mission m LEFT JOIN first f ON f.consultant_id = m.consultant_id {" ".join(joins)}
        WHERE {" AND ".join(where)}"""
    new_params = [start] if new == "f.first_start >= ?" else []
    group_values = [f"{KEYS[k][0]} AS {k}" for k in keys]
    group_by = [KEYS[k][0] for k in keys] + [_GROUP_ALSO[k] for k in keys if k in _GROUP_ALSO]
    sql = select.replace("{keys}", "".join(v + ", " for v in group_values))
    if group_by:
        sql += f" GROUP BY {', '.join(group_by)} ORDER BY {', '.join(group_by)}"
    rows = [_figures(r, keys) for r in store.rows(sql, [*new_params, *params])]
    total = {}
    if totals:
        found = store.row(select.replace("{keys}", ""), [*new_params, *params])
        total = _figures(found, [])
        total.update({k: "" for k in keys})
        if keys:
            total[keys[0]] = "Total"
    return Report(keys, rows, total)


def _figures(row: dict, keys: list[str]) -> dict:
    out = {k: row[k] for k in keys}
    missions = row["missions"]
    cost = row["cost_units"]
    out.update(
        missions=missions,
        consultants=row["consultants"],
        new_consultants=row["new_consultants"],
        returning_consultants=row["consultants"] - row["new_consultants"],
        person_days=row["person_days"],
        cost_eur=money.eur(cost),
        cost_xof=money.xof(cost),
        mean_cost_eur=money.eur(Decimal(cost) / missions) if missions else 0.0,
        hours_taught=row["hours_taught"],
        people_trained=row["people_trained"],
        theses_supervised=row["theses_supervised"],
        mean_rating=round(row["mean_rating"], 2) if row["mean_rating"] is not None else None,
    )
    return out
