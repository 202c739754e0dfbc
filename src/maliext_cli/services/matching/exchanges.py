"""Improvement of a plan by exchanges: a local search, for the plans that the MILP
could not prove optimal (when not every pair went to the solver)."""

from __future__ import annotations

from collections import defaultdict

from maliext_cli.services.matching.model import Assignment, Fit, Need, sort_assignments


def exchange(
    assignments: list[Assignment],
    pairs: dict[tuple[int, int], Fit],
    by_need: dict[int, Need],
    max_per_consultant: int,
) -> int:
    """Improve a plan in place: give a seat to a better candidate of its need (among
    `pairs`) who still has room and a free slot, as long as one exists. How many
    exchanges were made."""
    candidates: dict[int, list[Fit]] = defaultdict(list)
    for (nid, _), fit in pairs.items():
        candidates[nid].append(fit)
    for fits in candidates.values():
        fits.sort(key=lambda f: (-f.units, f.expert.id))
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a in assignments:
        spans[a.fit.expert.id].append((a.start, a.end))
    made = 0
    improved = True
    while improved:
        improved = False
        for i, a in enumerate(assignments):
            seated = {x.fit.expert.id for x in assignments if x.need.id == a.need.id}
            for fit in candidates[a.need.id]:
                if fit.units <= a.fit.units:
                    break
                cid = fit.expert.id
                if cid in seated or len(spans[cid]) >= max_per_consultant:
                    continue
                slot = next((s for s in fit.slots if all(s[1] < lo or hi < s[0] for lo, hi in spans[cid])), None)
                if slot is None:
                    continue
                spans[a.fit.expert.id].remove((a.start, a.end))
                spans[cid].append(slot)
                assignments[i] = Assignment(by_need[a.need.id], fit, *slot)
                made += 1
                improved = True
                break
    sort_assignments(assignments)
    return made
