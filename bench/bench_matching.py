"""Matching on seeded instances: `match plan` against an independent optimum and greedy.

    python bench/bench_matching.py [--only NAME ...] [--max-per-consultant N]

For each instance of bench/instances.py: import the files with the CLI, run
`maliext match plan -f json` (timed, whole process), check every hard rule of the plan
with the checker (services.matching.check), compute the optimum independently
(scipy.optimize.milp on the pair formulation for one mission per consultant, or an LP
upper bound when a consultant may take several) and a greedy baseline (best score first). Also times
`match rank` on the instance with 20,000 consultants. Prints figures; asserts nothing.
Goals from the matching issue: 2,000 x 500 proven optimal in at most 5 s; `match rank`
on 20,000 consultants in at most 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from instances import INSTANCES, make  # noqa: E402

MALIEXT = str(Path(sys.executable).parent / "maliext")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([MALIEXT, *args], check=True, capture_output=True)


def load(folder: Path) -> Path:
    db = folder / "instance.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cli("init", "--db", str(db))
    for noun, name in (
        ("institution", "institutions"),
        ("programme", "programmes"),
        ("consultant", "consultants"),
        ("need", "needs"),
    ):
        cli(noun, "import", str(folder / f"{name}.csv"), "--db", str(db))
    return db


def pairs_of(pool, assessments) -> dict[tuple[int, int], tuple[int, list]]:
    """{(need, consultant): (score units, slots)} of every eligible pair."""
    from maliext_cli.services import matching

    out = {}
    for found in assessments:
        for k, position in enumerate(found.positions.tolist()):
            expert = pool.experts[position]
            segments = matching.free_segments(expert, found.need)
            out[(found.need.id, expert.id)] = (int(found.units[k]), matching.slots(segments, found.need.duration))
    return out


def independent_optimum(needs, pairs) -> tuple[int, int, str]:
    """(seats, score units) of the best plan with one mission per consultant, by
    scipy.optimize.milp on the pair formulation (HiGHS branch and bound), a method
    independent of the plan's assignment algorithm; lexicographic in one objective."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    keys = sorted(pairs)
    if not keys:
        return 0, 0, "milp"
    need_row = {n.id: i for i, n in enumerate(needs)}
    people = sorted({cid for _, cid in keys})
    person_row = {cid: len(needs) + i for i, cid in enumerate(people)}
    rows, cols = [], []
    for j, (nid, cid) in enumerate(keys):
        rows += [need_row[nid], person_row[cid]]
        cols += [j, j]
    a = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(needs) + len(people), len(keys))).tocsr()
    upper = np.array([n.free for n in needs] + [1] * len(people), dtype=float)
    big = 10_001 * (sum(n.free for n in needs) + 1)
    c = -np.array([big + pairs[k][0] for k in keys], dtype=float)
    res = milp(
        c,
        integrality=np.ones(len(keys)),
        bounds=Bounds(0, 1),
        constraints=[LinearConstraint(a, -np.inf, upper)],
        options={"mip_rel_gap": 0.0},
    )
    chosen = [k for k, x in zip(keys, res.x) if x > 0.5]
    return len(chosen), sum(pairs[k][0] for k in chosen), "scipy.optimize.milp, one lexicographic objective"


def lp_bound(needs, pairs, max_per_consultant: int) -> tuple[float, str]:
    """An upper bound on seats when consultants may take several missions: the LP
    relaxation without the no-overlap rule (HiGHS through linprog)."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    keys = sorted(pairs)
    need_row = {n.id: i for i, n in enumerate(needs)}
    people = sorted({cid for _, cid in keys})
    person_row = {cid: len(needs) + i for i, cid in enumerate(people)}
    rows, cols = [], []
    for j, (nid, cid) in enumerate(keys):
        rows += [need_row[nid], person_row[cid]]
        cols += [j, j]
    a = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(needs) + len(people), len(keys)))
    b = [n.free for n in needs] + [max_per_consultant] * len(people)
    res = linprog(-np.ones(len(keys)), A_ub=a, b_ub=b, bounds=(0, 1), method="highs")
    return -res.fun, "LP bound (no overlap rule)"


def greedy(needs, pairs, max_per_consultant: int) -> tuple[int, int]:
    free = {n.id: n.free for n in needs}
    load_ = Counter()
    spans = defaultdict(list)
    seats = units = 0
    for (nid, cid), (score, slots) in sorted(pairs.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if free[nid] <= 0 or load_[cid] >= max_per_consultant:
            continue
        slot = next((s for s in slots if all(s[1] < a or b < s[0] for a, b in spans[cid])), None)
        if slot is None:
            continue
        free[nid] -= 1
        load_[cid] += 1
        spans[cid].append(slot)
        seats += 1
        units += score
    return seats, units


def run(name: str, folder: Path, max_per_consultant: int) -> None:
    from maliext_cli.services import matching
    from maliext_cli.store import Store

    db = load(folder)
    t = time.perf_counter()
    limit = ["--time-limit", "120"] if max_per_consultant > 1 else []
    done = cli("match", "plan", "-f", "json", "--max-per-consultant", str(max_per_consultant), *limit, "--db", str(db))
    elapsed = time.perf_counter() - t
    plan = json.loads(done.stdout)
    store = Store.open(db)
    needs, pool, assessments = matching.assess(store)
    experts = {e.id: e for e in pool.experts}
    pairs = pairs_of(pool, assessments)
    by_id = {n.id: n for n in needs}
    rebuilt = matching.Plan(
        [
            matching.Assignment(
                by_id[a["need"]],
                matching.Fit(experts[a["consultant"]]),
                matching.day(a["start_date"]),
                matching.day(a["end_date"]),
            )
            for a in plan["assignments"]
        ],
        [],
        "",
        "",
        None,
        {},
        needs,
    )
    problems = matching.check(rebuilt, experts, max_per_consultant)
    ours_units = sum(round(a["score"] * 10_000) for a in plan["assignments"])
    g_seats, g_units = greedy(needs, pairs, max_per_consultant)
    print(
        f"\n{name}: {len(experts):,} consultants, {len(needs):,} open needs, {sum(n.free for n in needs):,} seats, "
        f"{len(pairs):,} eligible pairs, max {max_per_consultant} per consultant"
    )
    print(
        f"  match plan: {elapsed:6.2f} s, status {plan['status']}, gap {plan['gap']}, {plan['seats_filled']} seats, "
        f"total score {plan['total_score']}; checker: {'every rule holds' if not problems else f'{len(problems)} problems: {problems[:3]}'}"
    )
    if len(pairs) > 2_000_000:
        print(
            f"  ({len(pairs):,} pairs: too many for an independent solver on this machine; checked by the rule checker only)"
        )
    elif max_per_consultant == 1:
        t = time.perf_counter()
        o_seats, o_units, how = independent_optimum(needs, pairs)
        print(
            f"  independent optimum ({how}, {time.perf_counter() - t:.1f} s): {o_seats} seats, total score {o_units / 10_000:.4f} "
            f"-> plan reaches {ours_units / o_units * 100 if o_units else 100:.2f}% of it, seats {'equal' if o_seats == plan['seats_filled'] else 'DIFFER'}"
        )
    else:
        bound, how = lp_bound(needs, pairs, max_per_consultant)
        print(
            f"  {how}: at most {bound:.1f} seats -> plan fills {plan['seats_filled'] / bound * 100 if bound else 100:.2f}% of the bound"
        )
    print(
        f"  greedy (best score first): {g_seats} seats, total score {g_units / 10_000:.4f} "
        f"({g_units / ours_units * 100 if ours_units else 100:.2f}% of the plan's score, {g_seats - plan['seats_filled']:+d} seats)"
    )
    if len(experts) >= 20_000:
        first = needs[0].id
        times = []
        for _ in range(5):
            t = time.perf_counter()
            cli("match", "rank", str(first), "-f", "json", "--db", str(db))
            times.append(time.perf_counter() - t)
        print(
            f"  match rank on {len(experts):,} consultants: {statistics.median(times):.2f} s (median of 5, whole process; goal <= 0.5 s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="instance names")
    parser.add_argument("--max-per-consultant", type=int, default=None, help="default: 1, and 2 for the large instance")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="maliext-match-"))
    print(f"machine: {os.cpu_count()} cores; instances in {out}")
    for name, (consultants, needs, seed, options) in INSTANCES.items():
        if args.only and name not in args.only:
            continue
        folder = make(out / name, consultants, needs, seed, **options)
        most = args.max_per_consultant or (2 if consultants >= 20_000 else 1)
        run(name, folder, most)


if __name__ == "__main__":
    main()
