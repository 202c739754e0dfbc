"""`association report`: associations grouped by country, level, kind, region of
origin, city or status, with their members, projects and money."""

from __future__ import annotations

from maliext_cli.i18n import _
from maliext_cli.services import crud, money
from maliext_cli.services.associations import NOUN
from maliext_cli.services.funding import MONEY_FIGURES, money_figures
from maliext_cli.store import Store

# key: (SQL for the value shown, SQL to group by)
REPORT_KEYS = {
    "country": ("t.country", "t.country"),
    "level": ("t.level", "t.level"),
    "kind": ("k.value", "k.value"),
    "origin_region": ("t.origin_region", "t.origin_region"),
    "city": ("min(t.city)", "fold(t.city)"),
    "status": ("t.status", "t.status"),
}
ASSOCIATION_FIGURES = ["associations", "members", "projects", *MONEY_FIGURES]


def report(
    store: Store, by: list[str] | None, given: dict | None = None, *, search: str | None = None
) -> tuple[list[str], list[dict], dict]:
    """Associations grouped by `by`: (columns, rows, totals). An association with
    several kinds is in each of their groups; the totals count it once."""
    keys = crud.group_keys(by, REPORT_KEYS, "country")
    where, params = NOUN.where(store, given, search)
    per_association = f"""
        LEFT JOIN (SELECT association_id, count(*) AS projects,
                          sum({money.common_sql("diaspora_contribution", "currency")}) AS diaspora,
                          sum({money.common_sql("subsidy", "currency")}) AS subsidy,
                          sum({money.common_sql("other_funding", "currency")}) AS other
                     FROM project GROUP BY association_id) p ON p.association_id = t.id"""
    figures = (
        "count(*) AS associations, coalesce(sum(t.members), 0) AS members, coalesce(sum(p.projects), 0) AS projects, "
        "coalesce(sum(p.diaspora), 0) AS diaspora, coalesce(sum(p.subsidy), 0) AS subsidy, "
        "coalesce(sum(p.other), 0) AS other"
    )
    kind_join = " LEFT JOIN json_each(t.kind) k" if "kind" in keys else ""
    select = ", ".join(f"{REPORT_KEYS[k][0]} AS {k}" for k in keys)
    group = ", ".join(REPORT_KEYS[k][1] for k in keys)
    rows = store.rows(
        f"SELECT {select}, {figures} FROM association t{per_association}{kind_join}{where} "
        f"GROUP BY {group} ORDER BY {', '.join(keys)}",
        params,
    )
    total = store.row(f"SELECT {figures} FROM association t{per_association}{where}", params)
    out = [_association_figures(r, keys) for r in rows]
    totals = _association_figures(total, [])
    # Translators: the label of a report's total row (table formats only).
    totals[keys[0]] = _("total")
    return [*keys, *ASSOCIATION_FIGURES], out, totals


def _association_figures(r: dict, keys: list[str]) -> dict:
    return {
        **{k: r[k] for k in keys},
        "associations": r["associations"],
        "members": r["members"],
        "projects": r["projects"],
        **money_figures(r["diaspora"], r["subsidy"], r["other"]),
    }
