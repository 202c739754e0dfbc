"""The plan checker: every hard rule, checked on a plan from scratch with the plain
rules of `eligibility`, independently of the solver that made the plan."""

from __future__ import annotations

from collections import Counter, defaultdict

from maliext_cli.services.matching.eligibility import eligibility, free_segments
from maliext_cli.services.matching.model import Expert, Plan, iso


def check(plan_: Plan, experts: dict[int, Expert], max_per_consultant: int) -> list[str]:
    """What the plan breaks, one line per problem ([] when every rule holds)."""
    problems = []
    per_need = Counter()
    per_consultant: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a in plan_.assignments:
        need, expert = a.need, experts[a.fit.expert.id]
        label = f"need {need.id} / consultant {expert.id}"
        if a.end - a.start + 1 != need.duration:
            problems.append(f"{label}: lasts {a.end - a.start + 1} days, not {need.duration}")
        if a.start < need.start or a.end > need.end:
            problems.append(f"{label}: outside the need's window")
        fit = eligibility(need, expert)
        if not fit.eligible:
            problems.append(f"{label}: {fit.reason}")
        if not any(lo <= a.start and a.end <= hi for lo, hi in free_segments(expert, need)):
            problems.append(f"{label}: not free on those days")
        per_need[need.id] += 1
        per_consultant[expert.id].append((a.start, a.end))
    for need in plan_.needs:
        if per_need[need.id] > need.free:
            problems.append(f"need {need.id}: {per_need[need.id]} consultants for {need.free} free seat(s)")
    for cid, spans in per_consultant.items():
        if len(spans) > max_per_consultant:
            problems.append(f"consultant {cid}: {len(spans)} missions, at most {max_per_consultant}")
        spans.sort()
        for (s1, e1), (s2, _) in zip(spans, spans[1:]):
            if s2 <= e1:
                problems.append(f"consultant {cid}: missions {iso(s1)} and {iso(s2)} overlap")
    return problems
