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

from maliext_cli.errors import FieldError, Invalid
from maliext_cli.i18n import _
from maliext_cli.reference import vocab
from maliext_cli.services import crud, missions, money, nouns, parse, records
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
    keys = crud.group_keys(by, KEYS)  # none: the totals alone
    try:
        start = parse.iso_date(date_from) if date_from else None
        end = parse.iso_date(date_to) if date_to else None
        chosen = [vocab.MISSION_STATUS.resolve(s) for s in statuses] or list(DEFAULT_STATUSES)
    except FieldError as exc:
        raise Invalid(str(exc)) from None
    if start and end and end < start:
        raise Invalid(_("--to is before --from"))
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
            ids = [records.find(store, nouns.ENTITIES[table], r)["id"] for r in refs]
            where.append(f"{column} IN ({', '.join('?' * len(ids))})")
            params.extend(ids)

    joins = " ".join(dict.fromkeys(KEYS[k][1] for k in keys if KEYS[k][1]))
    cost = money.common_sql(missions.ENTITY.expression("cost", "m"), "m.currency")
    group_values = "".join(f"{KEYS[k][0]} AS {k}, " for k in keys)
    group_by = [KEYS[k][0] for k in keys] + [_GROUP_ALSO[k] for k in keys if k in _GROUP_ALSO]
    grouping = f" GROUP BY {', '.join(group_by)} ORDER BY {', '.join(group_by)}" if group_by else ""
    figures = f"""
        SELECT {{keys}}
               count(*) AS missions,
               count(DISTINCT m.consultant_id) AS consultants,
               coalesce(sum(m.days), 0) AS person_days,
               coalesce(sum({cost}), 0) AS cost_units,
               coalesce(sum(m.hours_taught), 0) AS hours_taught,
               coalesce(sum(m.people_trained), 0) AS people_trained,
               coalesce(sum(m.theses_supervised), 0) AS theses_supervised,
               avg(m.rating) AS mean_rating
        FROM mission m {joins}
        WHERE {" AND ".join(where)}"""
    # New consultants: their first mission ever falls in the group's period. Driven from
    # each consultant's first mission, this reads only the missions of that period (a
    # range of the consultant index), not every mission again.
    if "month" in keys or "year" in keys:
        width = 7 if "month" in keys else 4
        period = f"m.start_date BETWEEN substr(f.first_start, 1, {width}) || '-00' AND substr(f.first_start, 1, {width}) || '-99'"
        new_params: list = []
    elif start:
        period, new_params = "f.first_start >= ?", [start]
    else:
        period, new_params = None, []  # over all time, every consultant is new
    newcomers = f"""
        WITH first AS (
            SELECT consultant_id, min(start_date) AS first_start FROM mission WHERE status <> 'cancelled' GROUP BY consultant_id
        )
        SELECT {{keys}} count(DISTINCT m.consultant_id) AS new_consultants
        FROM first f CROSS JOIN mission m ON m.consultant_id = f.consultant_id AND {period} {joins}
        WHERE {" AND ".join(where)}"""

    def count_new(by_group: bool) -> dict[tuple, int]:
        """{group key: new consultants}, or {(): all of them} for the total row."""
        if period is None:
            return {}
        sql = newcomers.replace("{keys}", group_values if by_group else "") + (grouping if by_group else "")
        found = store.rows(sql, [*new_params, *params])
        return {tuple(r[k] for k in keys) if by_group else (): r["new_consultants"] for r in found}

    new = count_new(True)
    rows = []
    for r in store.rows(figures.replace("{keys}", group_values) + grouping, params):
        key = tuple(r[k] for k in keys)
        rows.append(_figures(r, keys, new.get(key, 0) if period else r["consultants"]))
    total = {}
    if totals:
        found = store.row(figures.replace("{keys}", ""), params)
        total = _figures(found, [], count_new(False).get((), 0) if period else found["consultants"])
        total.update({k: "" for k in keys})
        if keys:
            # Translators: the label of a report's total row (table formats only).
            total[keys[0]] = _("Total")
    return Report(keys, rows, total)


def _figures(row: dict, keys: list[str], new_consultants: int) -> dict:
    out = {k: row[k] for k in keys}
    missions = row["missions"]
    cost = row["cost_units"]
    out.update(
        missions=missions,
        consultants=row["consultants"],
        new_consultants=new_consultants,
        returning_consultants=row["consultants"] - new_consultants,
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
