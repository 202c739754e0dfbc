"""The exact plan when each consultant takes one mission at most: an assignment problem,
solved as a minimum-cost full matching on a sparse bipartite graph."""

from __future__ import annotations

from maliext_cli.services.matching.model import SCORE_UNITS, Assignment, Plan, sort_assignments
from maliext_cli.services.matching.pool import Assessment, Pool


def solve_assignment(pool: Pool, assessments: list[Assessment]) -> Plan:
    """Seats on one side, consultants on the other, and a stand-in per seat that means
    "left unfilled". A minimum-cost full matching (exact, LAPJVsp) whose stand-ins cost
    more than any set of real pairs fills the most seats first, then takes the highest
    total score; any slot of a pair will do."""
    import numpy as np
    import scipy
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    solver = f"LAPJVsp (scipy {scipy.__version__} sparse.csgraph.min_weight_full_bipartite_matching), exact"
    needs = [a.need for a in assessments]
    seats = [(k, a) for a in assessments for k in range(a.need.free)]
    if not seats or not any(len(a.positions) for a in assessments):
        return Plan([], [], solver, "optimal", 0.0, {}, needs)
    step = SCORE_UNITS + 1
    rows, cols, costs = [], [], []
    for row, (_, found) in enumerate(seats):
        rows.append(np.full(len(found.positions), row))
        cols.append(found.positions)
        costs.append(step - found.units)  # from 1 (score 1) to 10,001 (score 0)
    n = pool.n
    rows.append(np.arange(len(seats)))
    cols.append(n + np.arange(len(seats)))  # the stand-ins
    costs.append(np.full(len(seats), len(seats) * step + 1))  # one costs more than all real pairs together
    graph = coo_matrix(
        (np.concatenate(costs).astype(float), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(seats), n + len(seats)),
    ).tocsr()
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    assignments = []
    for row, col in zip(matched_rows.tolist(), matched_cols.tolist()):
        if col < n:
            found = seats[row][1]
            fit = found.fit(pool, int(np.searchsorted(found.positions, col)))
            start, end = fit.slots[0]
            assignments.append(Assignment(found.need, fit, start, end))
    sort_assignments(assignments)
    return Plan(assignments, [], solver, "optimal", 0.0, {}, needs)
