"""`match plan`: the needs assessed, the plan solved (one mission each, or several),
why each unfilled seat stays so, the plan checked, and its missions created on
`--commit`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from maliext_cli.errors import Invalid, MaliextError, UsageProblem
from maliext_cli.services import nouns, records
from maliext_cli.services.matching.assignment import solve_assignment
from maliext_cli.services.matching.checker import check
from maliext_cli.services.matching.loading import load_experts, load_needs, mean_rating
from maliext_cli.services.matching.milp import solve_milp
from maliext_cli.services.matching.model import Assignment, Need, Plan, iso
from maliext_cli.services.matching.pool import Assessment, Pool
from maliext_cli.services.matching.scoring import DEFAULT_WEIGHTS, parse_weights
from maliext_cli.store import Store


def assess(
    store: Store, need_refs: Sequence[str] = (), weights: dict[str, float] | None = None
) -> tuple[list[Need], Pool, list[Assessment]]:
    """The needs to plan, the pool of consultants, and each need assessed against it."""
    chosen = weights or dict(DEFAULT_WEIGHTS)
    needs = load_needs(store, need_refs)
    pool = Pool(load_experts(store), mean_rating(store))
    return needs, pool, [pool.assess(n, chosen) for n in needs]


def plan(
    store: Store,
    need_refs: Sequence[str] = (),
    *,
    weights: Sequence[str] = (),
    max_per_consultant: int = 1,
    time_limit: float | None = None,
) -> Plan:
    """The best assignment of consultants to the needs: most seats filled first, then the
    highest total score, under every hard rule; checked rule by rule before it returns."""
    if max_per_consultant < 1:
        raise Invalid("--max-per-consultant must be 1 or more")
    if time_limit is not None and time_limit <= 0:
        raise Invalid("--time-limit must be above zero")
    chosen = parse_weights(weights)
    needs, pool, assessments = assess(store, need_refs, chosen)
    result = solve(pool, assessments, max_per_consultant=max_per_consultant, time_limit=time_limit)
    result.weights = chosen
    result.unfilled = _unfilled(pool, assessments, result.assignments)
    problems = check(result, {e.id: e for e in pool.experts}, max_per_consultant)
    if problems:
        raise MaliextError("the plan breaks a hard rule (a bug in maliext): " + "; ".join(problems[:5]))
    return result


def solve(
    pool: Pool, assessments: list[Assessment], *, max_per_consultant: int = 1, time_limit: float | None = None
) -> Plan:
    """The optimal plan: an assignment problem when each consultant takes one mission
    at most, a MILP when they may take several (then missions must not overlap)."""
    if max_per_consultant == 1:
        return solve_assignment(pool, assessments)
    return solve_milp(pool, assessments, max_per_consultant=max_per_consultant, time_limit=time_limit)


def _unfilled(pool: Pool, assessments: list[Assessment], assignments: list[Assignment]) -> list[dict]:
    """The needs left with free seats, and why."""
    filled = Counter(a.need.id for a in assignments)
    taken = Counter(a.fit.expert.id for a in assignments)
    out = []
    for found in assessments:
        need = found.need
        missing = need.free - filled[need.id]
        if missing <= 0:
            continue
        eligible = pool.ids[found.positions].tolist()
        here = {a.fit.expert.id for a in assignments if a.need.id == need.id}
        elsewhere = sum(1 for cid in eligible if taken[cid] and cid not in here)
        others = {k: v for k, v in found.excluded.items() if v and k != "status"}
        if eligible and elsewhere:
            reason = f"eligible ones all taken by other needs ({elsewhere} of {len(eligible)} eligible consultant(s) placed elsewhere)"
        elif eligible:
            reason = f"fewer eligible consultants than seats ({len(eligible)} eligible)"
        elif list(others) == ["availability"]:
            reason = "availability too short: no consultant is free for the duration inside the window"
        elif others:
            reason = f"no eligible consultant (excluded by {', '.join(f'{k} {v}' for k, v in sorted(others.items()))})"
        else:
            reason = "no eligible consultant"
        out.append({"need": need.id, "seats": missing, "reason": reason})
    return out


def commit(store: Store, plan_: Plan, programme_ref: str | None) -> list[int]:
    """Create the planned missions, all or none, through the missions' own rules."""
    from maliext_cli.services.missions import NOUN as missions

    with store.transaction():
        if programme_ref is None:
            codes = store.rows("SELECT code FROM programme ORDER BY id LIMIT 2")
            if len(codes) != 1:
                raise UsageProblem(
                    "--commit needs --programme CODE"
                    + (" (the database has no programme)" if not codes else " (the database holds several)")
                )
            programme_ref = codes[0]["code"]
        records.find(store, nouns.ENTITIES["programme"], programme_ref)  # NotFound (exit 3) before any write
        ids = []
        for a in plan_.assignments:
            added = missions.add(
                store,
                {
                    "consultant": str(a.fit.expert.id),
                    "need": str(a.need.id),
                    "programme": programme_ref,
                    "start_date": iso(a.start),
                    "end_date": iso(a.end),
                },
            )
            ids.append(added.id)
        return ids
