"""`match rank` and `match explain`: the consultants for one need, best first, and the
full breakdown of one pair."""

from __future__ import annotations

from collections.abc import Sequence

from maliext_cli.errors import Invalid
from maliext_cli.services import nouns, records
from maliext_cli.services.matching.eligibility import eligibility
from maliext_cli.services.matching.loading import load_experts, load_needs, mean_rating
from maliext_cli.services.matching.model import SCORE_UNITS, iso
from maliext_cli.services.matching.pool import Pool
from maliext_cli.services.matching.scoring import CRITERIA, describe, parse_weights
from maliext_cli.store import Store


def rank(
    store: Store, need_ref, *, top: int | None = 10, weights: Sequence[str] = (), show_excluded: bool = False
) -> dict:
    """The eligible consultants for one need, best first (and the excluded ones, why)."""
    import numpy as np

    chosen = parse_weights(weights)
    if top is not None and top < 0:
        raise Invalid("--top must be zero or more")
    [need] = load_needs(store, [need_ref])
    pool = Pool(load_experts(store), mean_rating(store))
    found = pool.assess(need, chosen)
    order = np.lexsort((pool.ids[found.positions], -found.units))
    rows = []
    for k in order[:top].tolist() if top is not None else order.tolist():
        expert = pool.experts[int(found.positions[k])]
        rows.append(
            {
                "consultant": expert.id,
                "consultant_name": expert.name,
                "score": int(found.units[k]) / SCORE_UNITS,
                "components": {c: u / SCORE_UNITS for c, u in zip(CRITERIA, found.parts[k].tolist())},
            }
        )
    excluded = []
    if show_excluded:
        eligible = set(found.positions.tolist())
        for i, expert in enumerate(pool.experts):
            if i not in eligible:
                excluded.append(
                    {
                        "consultant": expert.id,
                        "consultant_name": expert.name,
                        "excluded": eligibility(need, expert).reason,
                    }
                )
    return {"need": need, "weights": chosen, "ranked": rows, "excluded": excluded, "eligible": len(found.positions)}


def explain(store: Store, need_ref, consultant_ref, *, weights: Sequence[str] = ()) -> dict:
    """The full breakdown for one pair, or exactly why the consultant is not eligible."""
    chosen = parse_weights(weights)
    [need] = load_needs(store, [need_ref])
    consultant = records.find(store, nouns.ENTITIES["consultant"], consultant_ref)
    experts = load_experts(store, [consultant["id"]])
    expert = experts[consultant["id"]]
    average = mean_rating(store)
    pool = Pool(experts, average)
    found = pool.assess(need, chosen)
    fit = found.fit(pool, 0) if len(found.positions) else eligibility(need, expert)
    return {
        "need": need.id,
        "need_title": need.title,
        "institution": need.institution,
        "consultant": expert.id,
        "consultant_name": expert.name,
        "eligible": fit.eligible,
        "excluded": fit.reason,
        "score": fit.score if fit.eligible else None,
        "components": dict(fit.components),
        "values": {k: round(v, 4) for k, v in fit.values.items()},
        "weights": chosen,
        "details": describe(fit, need, expert, average) if fit.eligible else {},
        "slots": [{"start_date": iso(a), "end_date": iso(b)} for a, b in fit.slots],
    }
