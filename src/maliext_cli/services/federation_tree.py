"""The federation tree (`association tree`): each association with the associations
below it, and roll-ups of members, projects and money over every subtree."""

from __future__ import annotations

from collections import deque
from typing import Any

from maliext_cli.errors import FieldError, Invalid
from maliext_cli.i18n import _
from maliext_cli.reference import iso
from maliext_cli.services import money, records
from maliext_cli.services.associations import ENTITY, LEVEL_RANK
from maliext_cli.store import Store
from maliext_cli.text import fold


def _own_figures_sql(where: str) -> str:
    return f"""
        SELECT t.id, t.name, t.acronym, t.level, t.country, t.city, t.members, t.parent_id,
               coalesce(p.projects, 0) AS projects, coalesce(p.diaspora, 0) AS diaspora,
               coalesce(p.subsidy, 0) AS subsidy
        FROM association t
        LEFT JOIN (SELECT association_id, count(*) AS projects,
                          sum({money.common_sql("diaspora_contribution", "currency")}) AS diaspora,
                          sum({money.common_sql("subsidy", "currency")}) AS subsidy
                     FROM project GROUP BY association_id) p ON p.association_id = t.id
        {where}"""


def tree(store: Store, ref: Any = None, *, country: str | None = None, depth: int | None = None) -> list[dict]:
    """The federation tree: nested nodes {id, name, acronym, level, country, city,
    members, subtree: {...}, children: [...]}.

    With `ref`, the tree below that association; without, every root (an association
    without a parent). With `country`, only the associations of that country (and the
    root given): the roots are then those whose parent is absent or abroad, so that a
    national council under the High Council heads its country's tree. A node's
    `subtree` figures count the node and everything below it (each association once),
    down to the leaves even where `depth` cuts the drawing short.
    """
    if depth is not None and depth < 0:
        raise Invalid(_("--depth must be zero or more"))
    code = None
    if country:
        try:
            code = iso.country(country)
        except FieldError as exc:
            raise Invalid(records.about("--country", str(exc))) from None
    root_row = records.find(store, ENTITY, ref) if ref is not None else None
    if root_row is not None:
        sql = _own_figures_sql(
            "WHERE t.id IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT a.id FROM association a "
            "JOIN sub ON a.parent_id = sub.id) SELECT id FROM sub)"
            + (" AND (t.country = ? OR t.id = ?)" if code else "")
        )
        rows = store.rows(sql, [root_row["id"], code, root_row["id"]] if code else [root_row["id"]])
    else:
        rows = store.rows(_own_figures_sql("WHERE t.country = ?" if code else ""), [code] if code else [])
    nodes = {r["id"]: r for r in rows}
    children: dict[int, list[int]] = {}
    for r in rows:
        if r["parent_id"] in nodes and r["id"] != (root_row or {}).get("id"):
            children.setdefault(r["parent_id"], []).append(r["id"])
    roots = [root_row["id"]] if root_row is not None else [r["id"] for r in rows if r["parent_id"] not in nodes]

    def order(ids: list[int]) -> list[int]:
        return sorted(
            ids, key=lambda i: (-LEVEL_RANK.get(nodes[i]["level"], 0), nodes[i]["country"], fold(nodes[i]["name"]), i)
        )

    # Breadth first from the roots (each node once, even in a damaged file with a
    # cycle), then sums from the leaves up: exact integers, rounded once at the end.
    visit: list[int] = []
    seen: set[int] = set()
    queue = deque(order(roots))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        visit.append(node)
        queue.extend(order([c for c in children.get(node, []) if c not in seen]))
    sums: dict[int, list[int]] = {}
    for node in reversed(visit):
        r = nodes[node]
        total = [1, r["members"] or 0, r["projects"], r["diaspora"], r["subsidy"]]
        for child in children.get(node, []):
            if child in sums:
                total = [a + b for a, b in zip(total, sums[child])]
        sums[node] = total

    def build(node: int, level: int, path: frozenset) -> dict:
        r = nodes[node]
        n, members, projects, diaspora, subsidy = sums[node]
        kids = (
            []
            if depth is not None and level >= depth
            else [build(c, level + 1, path | {c}) for c in order(children.get(node, [])) if c not in path]
        )
        return {
            "id": r["id"],
            "name": r["name"],
            "acronym": r["acronym"],
            "level": r["level"],
            "country": r["country"],
            "city": r["city"],
            "members": r["members"],
            "subtree": {
                "associations": n,
                "members": members,
                "projects": projects,
                "diaspora_contribution_eur": money.eur(diaspora),
                "subsidy_eur": money.eur(subsidy),
            },
            "children": kids,
        }

    return [build(root, 0, frozenset({root})) for root in order(roots)]
