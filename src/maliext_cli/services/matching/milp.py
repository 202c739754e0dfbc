"""The plan when a consultant may take several missions (never two at once): a MILP
solved by HiGHS through scipy, in two exact stages."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from maliext_cli.errors import MaliextError
from maliext_cli.services.matching.assignment import solve_assignment
from maliext_cli.services.matching.exchanges import exchange
from maliext_cli.services.matching.model import Assignment, Fit, Plan, sort_assignments
from maliext_cli.services.matching.pool import Assessment, Pool

MILP_PAIRS = 60_000  # above this, each need keeps only its best candidates for the MILP


def _candidates_per_seat(assessments: list[Assessment]) -> int | None:
    """None when every eligible pair fits in the MILP; else how many candidates per seat
    each need keeps (the most that fit, at least 5)."""
    eligible = sum(len(a.positions) for a in assessments)
    if eligible <= MILP_PAIRS:
        return None
    seats = sum(a.need.free for a in assessments) or 1
    return max(5, MILP_PAIRS // seats)


def solve_milp(pool: Pool, assessments: list[Assessment], *, max_per_consultant: int, time_limit: float | None) -> Plan:
    """First the most seats that can be filled, then, keeping that number, the highest
    total score. Variables are (pair, start slot); no-overlap is enforced per consultant
    at every slot's first day (the cliques of an interval graph)."""
    import numpy as np
    import scipy
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    solver = f"HiGHS (scipy {scipy.__version__} optimize.milp)"
    needs = [a.need for a in assessments]
    by_need = {n.id: n for n in needs}
    eligible = sum(len(a.positions) for a in assessments)
    per_seat = _candidates_per_seat(assessments)
    pairs: dict[tuple[int, int], Fit] = {}
    for found in assessments:
        ranked = np.lexsort((found.positions, -found.units))
        for k in ranked[: per_seat * found.need.free if per_seat else None].tolist():
            fit = found.fit(pool, k)
            pairs[(found.need.id, fit.expert.id)] = fit
    single = None
    if per_seat:
        # The exact one-mission-each plan is a plan here too: its pairs join the candidates,
        # so that the result is never worse than it.
        single = solve_assignment(pool, assessments)
        for a in single.assignments:
            pairs.setdefault((a.need.id, a.fit.expert.id), a.fit)
    variables: list[tuple[tuple[int, int], int, int]] = []  # ((need, consultant), start, end)
    for key in sorted(pairs):
        for start, end in pairs[key].slots:
            variables.append((key, start, end))
    if not variables:
        return Plan([], [], solver, "optimal", 0.0, {}, needs)
    rows, cols, upper = [], [], []

    def constraint(members: Iterable[int], bound: int) -> None:
        row = len(upper)
        for j in members:
            rows.append(row)
            cols.append(j)
        upper.append(bound)

    groups: dict[tuple, list[int]] = defaultdict(list)
    for j, ((nid, cid), _, _) in enumerate(variables):
        groups[("pair", nid, cid)].append(j)
        groups[("need", nid)].append(j)
        groups[("consultant", cid)].append(j)
    for key, members in sorted(groups.items()):
        if key[0] == "pair" and len(members) > 1:
            constraint(members, 1)
        elif key[0] == "need":
            constraint(members, by_need[key[1]].free)
        elif key[0] == "consultant" and len(members) > max_per_consultant:
            constraint(members, max_per_consultant)
    # No two overlapping missions: sweep each consultant's slots by start day; the slots
    # running at a slot's first day form a clique, of which one at most.
    for key, members in sorted(groups.items()):
        if key[0] != "consultant" or len(members) < 2:
            continue
        running: list[int] = []
        seen: set[frozenset] = set()
        for j in sorted(members, key=lambda j: (variables[j][1], j)):
            running = [k for k in running if variables[k][2] >= variables[j][1]] + [j]
            clique = frozenset(running)
            if len({variables[k][0] for k in clique}) > 1 and clique not in seen:
                seen.add(clique)
                constraint(sorted(clique), 1)
    n = len(variables)
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(upper), n)).tocsr()
    limits = LinearConstraint(matrix, -np.inf, np.array(upper, dtype=float))
    integrality = np.ones(n)
    bounds = Bounds(0, 1)
    options = {"mip_rel_gap": 0.0, "disp": False}
    started = time.monotonic()
    if time_limit:
        options["time_limit"] = float(time_limit)
    # Stage 1: the most seats.
    first = milp(-np.ones(n), integrality=integrality, bounds=bounds, constraints=[limits], options=options)
    if first.x is None:
        raise MaliextError(f"the solver found no plan ({first.message})")
    seats = int(round(-first.fun))
    # Stage 2: the best total score with that many seats (scores in integer units).
    units = np.array([pairs[key].units for key, _, _ in variables], dtype=float)
    if time_limit:  # the two stages share the time limit
        options["time_limit"] = max(1.0, float(time_limit) - (time.monotonic() - started))
    keep = LinearConstraint(np.ones((1, n)), seats, np.inf)
    second = milp(-units, integrality=integrality, bounds=bounds, constraints=[limits, keep], options=options)
    best = second if second.x is not None else first
    proven = first.status == 0 and second.status == 0
    gap = float(second.mip_gap) if second.x is not None and second.mip_gap is not None else None
    status = "optimal" if proven else f"not proven optimal ({(second if second.x is not None else first).message})"
    chosen = [variables[j] for j in range(n) if best.x[j] > 0.5]
    assignments = [Assignment(by_need[nid], pairs[(nid, cid)], start, end) for (nid, cid), start, end in chosen]
    sort_assignments(assignments)
    result = Plan(assignments, [], solver, status, round(gap, 6) if gap is not None else None, {}, needs)
    if single is not None:
        # Not every pair went to the solver: keep the better of the two plans, improve it
        # by exchanges, and measure it against a bound over all pairs (each need's best
        # candidates for its free seats, as if nobody were wanted twice).
        def worth(p: Plan) -> tuple[int, int]:
            return len(p.assignments), sum(a.fit.units for a in p.assignments)

        scope = f"each need's {per_seat} best candidates per seat ({len(pairs):,} of {eligible:,} eligible pairs)"
        if worth(single) > worth(result):
            result = Plan(single.assignments, [], f"{solver}; {single.solver}", "", None, {}, needs)
        exchanged = exchange(result.assignments, pairs, by_need, max_per_consultant)
        result.status = (
            f"{'optimal' if proven and not exchanged else 'not proven optimal'} on {scope}"
            + (f", then {exchanged} exchange(s)" if exchanged else "")
            + "; not proven optimal over all pairs"
        )
        bound = sum(int(np.sort(a.units)[::-1][: a.need.free].sum()) for a in assessments)
        result.gap = round((bound - worth(result)[1]) / bound, 6) if bound else 0.0
    return result
