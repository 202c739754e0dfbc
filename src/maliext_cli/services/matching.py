"""Matching consultants to needs: who is eligible, how well each fits, and the best plan
for many needs at once.

Hard rules (a pair that breaks one is never proposed):
- the consultant is active and not in conflict with the institution (a declared
  conflict, or the institution or one it belongs to named as their employer);
- their availability covers `duration_days` consecutive days inside the need's window,
  days that no non-cancelled mission of theirs takes;
- supervision at doctorat, DEA or DESS level needs a doctorat or an HDR;
- they speak one of the need's languages;
- in a plan: at most `max_per_consultant` missions each, never two overlapping; a need
  gets at most its free seats.

Scored criteria, each from 0 to 1, weighted (`--weight name=value`), the score being
their weighted mean: the contributions shown add up to the score.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from maliext_cli.errors import Invalid, MaliextError, UsageProblem
from maliext_cli.reference import vocab
from maliext_cli.services import crud, records
from maliext_cli.store import Store
from maliext_cli.text import fold

DEFAULT_WEIGHTS = {
    "discipline": 0.30,
    "keywords": 0.25,
    "experience": 0.10,
    "rating": 0.10,
    "rotation": 0.10,
    "availability": 0.10,
    "degree": 0.05,
}
SUPERVISION_LEVELS = {"doctorat", "dea", "dess"}
DOCTORS = {"doctorat", "hdr"}
RATING_PRIOR_WEIGHT = 3  # ratings are shrunk toward the mean as if 3 average ratings were added
ROTATION_DAYS = 730  # "missions in the last 24 months", counted back from the need's window
SCORE_UNITS = 10_000  # scores are shown with 4 decimals; the plan maximises them in these units

# Words that say nothing about a field, in French and English.
_STOP = frozenset(
    "les des une dans pour par sur aux avec sans entre vers chez leur leurs ses son sur plus tous toutes tout cours "
    "cycle niveau atelier formation appui encadrement theses memoires these memoire conference scientifique continue "
    "the and for with from into about course level workshop training support".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def terms(*texts: str | None) -> frozenset[str]:
    """The meaningful folded words of some texts (three letters or more, no stop words)."""
    found: set[str] = set()
    for text in texts:
        found.update(w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in _STOP)
    return frozenset(found)


# -------------------------------------------------------------------------- data
@dataclass
class Expert:
    """What matching needs to know of a consultant, loaded in a few queries."""

    id: int
    name: str
    status: str
    degree: str
    discipline: str
    languages: frozenset[str]
    terms: frozenset[str]
    employer: str  # folded
    periods: list[tuple[int, int]] = field(default_factory=list)  # availability, as day ordinals
    busy: list[tuple[int, int]] = field(default_factory=list)  # non-cancelled missions
    starts: list[int] = field(default_factory=list)  # start days of non-cancelled missions, sorted
    conflicts: set[int] = field(default_factory=set)  # institution ids
    done_types: Counter = field(default_factory=Counter)  # completed missions by type
    done_levels: Counter = field(default_factory=Counter)  # completed missions by need level
    ratings: list[int] = field(default_factory=list)


@dataclass
class Need:
    id: int
    title: str
    institution_id: int
    institution: str  # acronym or name
    institution_keys: set[str]  # folded names and acronyms of the institution and its parents
    institution_ids: set[int]  # the institution and its parents
    discipline: str
    type: str
    level: str | None
    start: int
    end: int
    duration: int
    seats: int
    free: int
    languages: frozenset[str]
    terms: frozenset[str]
    priority: int


@dataclass
class Fit:
    """One (need, consultant) pair: eligible with slots and components, or why not."""

    expert: Expert
    reason: str | None = None
    kind: str | None = None  # what excluded it: status, conflict, degree, language, availability
    slots: list[tuple[int, int]] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)  # each criterion, 0 to 1
    details: dict[str, str] = field(default_factory=dict)
    components: dict[str, float] = field(default_factory=dict)  # weighted contributions
    score: float = 0.0

    @property
    def eligible(self) -> bool:
        return self.reason is None


def _day(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def parse_weights(given: Iterable[str] = ()) -> dict[str, float]:
    """`name=value` pairs over the default weights; a usage error for a wrong one."""
    weights = dict(DEFAULT_WEIGHTS)
    for item in given:
        name, sep, value = item.partition("=")
        name = name.strip().lower()
        if not sep or name not in weights:
            raise UsageProblem(f"--weight {item!r}: expected NAME=VALUE with NAME one of {', '.join(DEFAULT_WEIGHTS)}")
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise UsageProblem(f"--weight {item!r}: {value!r} is not a number") from None
        if not 0 <= number <= 100:
            raise UsageProblem(f"--weight {item!r}: use a weight from 0 to 100")
        weights[name] = number
    if sum(weights.values()) <= 0:
        raise UsageProblem("--weight: at least one weight must be above zero")
    return weights


def load_experts(store: Store, ids: Sequence[int] | None = None) -> dict[int, Expert]:
    """Every consultant (or those of `ids`), with what the rules and scores need."""
    where, params = ("", [])
    if ids is not None:
        where, params = (f" WHERE id IN ({', '.join('?' * len(ids))})", list(ids))
    experts: dict[int, Expert] = {}
    for r in store.conn.execute(
        "SELECT id, given_names || ' ' || family_name, status, degree, discipline, languages, specialities, employer "
        f"FROM consultant{where}",
        params,
    ):
        cid, name, status, degree, discipline, languages, specialities, employer = r
        experts[cid] = Expert(
            cid,
            name,
            status,
            degree,
            discipline,
            frozenset(json.loads(languages)),
            terms(specialities, employer),
            fold(employer),
        )
    scope = "" if ids is None else f" AND consultant_id IN ({', '.join('?' * len(ids))})"
    for cid, start, end in store.conn.execute(
        f'SELECT consultant_id, start, "end" FROM availability WHERE 1{scope} ORDER BY consultant_id, start', params
    ):
        experts[cid].periods.append((_day(start), _day(end)))
    for cid, inst in store.conn.execute(f"SELECT consultant_id, institution_id FROM conflict WHERE 1{scope}", params):
        experts[cid].conflicts.add(inst)
    past_titles: dict[int, list[str]] = defaultdict(list)
    for cid, start, end, status, mtype, rating, level, title, keywords in store.conn.execute(
        "SELECT m.consultant_id, m.start_date, m.end_date, m.status, m.type, m.rating, n.level, n.title, n.keywords "
        f"FROM mission m LEFT JOIN need n ON n.id = m.need_id WHERE m.status <> 'cancelled'{scope.replace('consultant_id', 'm.consultant_id')} "
        "ORDER BY m.consultant_id, m.start_date",
        params,
    ):
        e = experts[cid]
        e.busy.append((_day(start), _day(end)))
        e.starts.append(_day(start))
        if status == "completed":
            e.done_types[mtype] += 1
            if level:
                e.done_levels[level] += 1
            if rating is not None:
                e.ratings.append(rating)
            if title:
                past_titles[cid].append(title)
                past_titles[cid].append(" ".join(json.loads(keywords or "[]")))
    for cid, titles in past_titles.items():
        experts[cid].terms = experts[cid].terms | terms(*titles)
    return experts


def load_needs(store: Store, refs: Sequence[str] = ()) -> list[Need]:
    """The needs named by `refs`, or every open need (cancelled and filled ones aside)."""
    from maliext_cli.services.needs import SEATS_FILLED

    if refs:
        ids = [records.find(store, crud.ENTITIES["need"], r)["id"] for r in refs]
        where, params = f"t.id IN ({', '.join('?' * len(ids))})", ids
    else:
        where, params = f"t.status = 'open' AND {SEATS_FILLED} < t.seats", []
    institutions = {r["id"]: r for r in store.rows("SELECT id, parent_id, name, acronym FROM institution")}
    needs = []
    for r in store.rows(
        f"SELECT t.*, {SEATS_FILLED} AS filled FROM need t WHERE {where} ORDER BY t.priority, t.window_start, t.id",
        params,
    ):
        chain, keys, current, seen = set(), set(), r["institution_id"], set()
        while current is not None and current not in seen:
            seen.add(current)
            inst = institutions[current]
            chain.add(current)
            keys.update(k for k in (fold(inst["name"]), fold(inst["acronym"])) if k)
            current = inst["parent_id"]
        own = institutions[r["institution_id"]]
        needs.append(
            Need(
                id=r["id"],
                title=r["title"],
                institution_id=r["institution_id"],
                institution=own["acronym"] or own["name"],
                institution_keys=keys,
                institution_ids=chain,
                discipline=r["discipline"],
                type=r["type"],
                level=r["level"],
                start=_day(r["window_start"]),
                end=_day(r["window_end"]),
                duration=r["duration_days"],
                seats=r["seats"],
                free=max(0, r["seats"] - r["filled"]) if r["status"] == "open" else 0,
                languages=frozenset(json.loads(r["languages"])),
                terms=terms(r["title"], " ".join(json.loads(r["keywords"]))),
                priority=r["priority"],
            )
        )
    return needs


# ------------------------------------------------------------------------- rules
def _free_segments(expert: Expert, need: Need) -> list[tuple[int, int]]:
    """Days of the window inside an availability period and outside every mission."""
    segments = []
    for a, b in expert.periods:
        lo, hi = max(a, need.start), min(b, need.end)
        if lo <= hi:
            segments.append((lo, hi))
    for s, e in expert.busy:
        if e < need.start or s > need.end:
            continue
        cut = []
        for lo, hi in segments:
            if e < lo or s > hi:
                cut.append((lo, hi))
                continue
            if lo < s:
                cut.append((lo, s - 1))
            if e < hi:
                cut.append((e + 1, hi))
        segments = cut
    return segments


def evaluate(need: Need, expert: Expert, weights: dict[str, float], mean_rating: float) -> Fit:
    fit = Fit(expert)
    degree = vocab.DEGREE.label(expert.degree, "en")
    if expert.status != "active":
        fit.reason, fit.kind = f"the consultant is {expert.status}, not active", "status"
        return fit
    declared = expert.conflicts & need.institution_ids
    if declared:
        fit.reason, fit.kind = f"a conflict of interest with institution {min(declared)} is declared", "conflict"
        return fit
    if expert.employer and expert.employer in need.institution_keys:
        fit.reason, fit.kind = f"the consultant works for {need.institution} (employer)", "conflict"
        return fit
    if need.type == "supervision" and need.level in SUPERVISION_LEVELS and expert.degree not in DOCTORS:
        fit.reason, fit.kind = f"supervision at {need.level} level needs a doctorat or an HDR ({degree})", "degree"
        return fit
    if not expert.languages & need.languages:
        fit.reason, fit.kind = f"speaks none of the need's languages ({', '.join(sorted(need.languages))})", "language"
        return fit
    segments = _free_segments(expert, need)
    longest = max((hi - lo + 1 for lo, hi in segments), default=0)
    if longest < need.duration:
        fit.kind = "availability"
        fit.reason = (
            "no availability in the need's window"
            if not segments and not any(a <= need.end and b >= need.start for a, b in expert.periods)
            else f"availability too short: at most {longest} free consecutive day(s) in the window, {need.duration} needed"
        )
        return fit
    for lo, hi in segments:
        if hi - lo + 1 >= need.duration:
            fit.slots.append((lo, lo + need.duration - 1))
            if hi - need.duration + 1 > lo:
                fit.slots.append((hi - need.duration + 1, hi))
    _score(fit, need, expert, weights, mean_rating, segments)
    return fit


def _score(fit: Fit, need: Need, expert: Expert, weights: dict[str, float], mean_rating: float, segments) -> None:
    values, details = fit.values, fit.details
    if expert.discipline == need.discipline:
        values["discipline"], details["discipline"] = 1.0, f"same detailed field {need.discipline}"
    elif expert.discipline[:3] == need.discipline[:3]:
        values["discipline"], details["discipline"] = (
            0.6,
            f"same narrow field {need.discipline[:3]} ({expert.discipline})",
        )
    elif expert.discipline[:2] == need.discipline[:2]:
        values["discipline"], details["discipline"] = (
            0.3,
            f"same broad field {need.discipline[:2]} ({expert.discipline})",
        )
    else:
        values["discipline"], details["discipline"] = 0.0, f"another field ({expert.discipline})"
    matched = sorted(need.terms & expert.terms)
    values["keywords"] = len(matched) / len(need.terms) if need.terms else 0.0
    details["keywords"] = (
        f"{len(matched)} of {len(need.terms)} term(s): {', '.join(matched)}"
        if need.terms
        else "the need has no keywords"
    )
    same_type = expert.done_types[need.type]
    same_level = expert.done_levels[need.level] if need.level else 0
    values["experience"] = (0.5 * (same_type > 0) + 0.5 * (same_level > 0)) if need.level else float(same_type > 0)
    details["experience"] = f"{same_type} completed mission(s) of this type, {same_level} at this level"
    n = len(expert.ratings)
    shrunk = (sum(expert.ratings) + RATING_PRIOR_WEIGHT * mean_rating) / (n + RATING_PRIOR_WEIGHT)
    values["rating"] = (shrunk - 1) / 4
    details["rating"] = f"{n} rating(s), shrunk mean {shrunk:.2f} of 5"
    recent = bisect.bisect_left(expert.starts, need.start) - bisect.bisect_left(
        expert.starts, need.start - ROTATION_DAYS
    )
    values["rotation"] = 1 / (1 + recent)
    details["rotation"] = f"{recent} mission(s) in the 24 months before the window"
    free = sum(hi - lo + 1 for lo, hi in segments)
    window = need.end - need.start + 1
    values["availability"] = free / window
    details["availability"] = f"free {free} of the window's {window} days"
    if need.level == "doctorat":
        values["degree"] = 1.0 if expert.degree == "hdr" else 0.5
        details["degree"] = "HDR preferred at doctorat level" + (
            " (has one)" if expert.degree == "hdr" else f" ({expert.degree})"
        )
    else:
        values["degree"], details["degree"] = 1.0, f"{expert.degree}"
    total = sum(weights.values())
    fit.components = {k: round(weights[k] * values[k] / total, 4) for k in DEFAULT_WEIGHTS}
    fit.score = round(sum(fit.components.values()), 4)


def mean_rating(store: Store) -> float:
    value = store.value("SELECT avg(rating) FROM mission WHERE status = 'completed' AND rating IS NOT NULL")
    return float(value) if value is not None else 3.0


# ---------------------------------------------------------------------- rank
def rank(
    store: Store, need_ref, *, top: int | None = 10, weights: Sequence[str] = (), show_excluded: bool = False
) -> dict:
    """The eligible consultants for one need, best first (and the excluded ones, why)."""
    chosen = parse_weights(weights)
    if top is not None and top < 0:
        raise Invalid("--top must be zero or more")
    [need] = load_needs(store, [need_ref])
    experts = load_experts(store)
    average = mean_rating(store)
    fits = [evaluate(need, e, chosen, average) for e in experts.values()]
    eligible = sorted((f for f in fits if f.eligible), key=lambda f: (-f.score, f.expert.id))
    rows = [_rank_row(f) for f in (eligible if top is None else eligible[:top])]
    excluded = []
    if show_excluded:
        excluded = [
            {"consultant": f.expert.id, "consultant_name": f.expert.name, "excluded": f.reason}
            for f in sorted((f for f in fits if not f.eligible), key=lambda f: f.expert.id)
        ]
    return {"need": need, "weights": chosen, "ranked": rows, "excluded": excluded, "eligible": len(eligible)}


def _rank_row(fit: Fit) -> dict:
    return {
        "consultant": fit.expert.id,
        "consultant_name": fit.expert.name,
        "score": fit.score,
        "components": dict(fit.components),
    }


def explain(store: Store, need_ref, consultant_ref, *, weights: Sequence[str] = ()) -> dict:
    """The full breakdown for one pair, or exactly why the consultant is not eligible."""
    chosen = parse_weights(weights)
    [need] = load_needs(store, [need_ref])
    consultant = records.find(store, crud.ENTITIES["consultant"], consultant_ref)
    expert = load_experts(store, [consultant["id"]])[consultant["id"]]
    fit = evaluate(need, expert, chosen, mean_rating(store))
    out = {
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
        "details": dict(fit.details),
        "slots": [{"start_date": _iso(a), "end_date": _iso(b)} for a, b in fit.slots],
    }
    return out


# ---------------------------------------------------------------------- plan
@dataclass
class Assignment:
    need: Need
    fit: Fit
    start: int
    end: int


@dataclass
class Plan:
    assignments: list[Assignment]
    unfilled: list[dict]
    solver: str
    status: str
    gap: float | None
    weights: dict[str, float]
    needs: list[Need]

    @property
    def seats_filled(self) -> int:
        return len(self.assignments)

    @property
    def total_score(self) -> float:
        return round(sum(a.fit.score for a in self.assignments), 4)

    def as_dict(self) -> dict:
        return {
            "assignments": [
                {
                    "need": a.need.id,
                    "consultant": a.fit.expert.id,
                    "score": a.fit.score,
                    "start_date": _iso(a.start),
                    "end_date": _iso(a.end),
                    "components": dict(a.fit.components),
                }
                for a in self.assignments
            ],
            "unfilled": self.unfilled,
            "seats_filled": self.seats_filled,
            "total_score": self.total_score,
            "solver": self.solver,
            "status": self.status,
            "gap": self.gap,
            "weights": self.weights,
        }


def candidate_pairs(
    needs: list[Need], experts: dict[int, Expert], weights: dict[str, float], average: float
) -> tuple[dict, dict]:
    """{(need id, consultant id): Fit} of eligible pairs, and per need the reasons
    consultants were excluded (counted by kind). Consultants whose availability cannot
    hold the need are skipped in bulk with numpy before the per-pair rules run."""
    import numpy as np

    ids = np.array(sorted(experts), dtype=np.int64)
    owner, starts, ends = [], [], []
    for cid in ids.tolist():
        for a, b in experts[cid].periods:
            owner.append(cid)
            starts.append(a)
            ends.append(b)
    owner_a, start_a, end_a = (
        np.array(owner, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
    )
    active = {cid for cid, e in experts.items() if e.status == "active"}
    pairs: dict[tuple[int, int], Fit] = {}
    excluded: dict[int, Counter] = {}
    for need in needs:
        overlap = np.minimum(end_a, need.end) - np.maximum(start_a, need.start) + 1
        possible = set(owner_a[overlap >= need.duration].tolist()) & active
        kinds = Counter()
        kinds["availability"] = len(active) - len(possible)
        for cid in sorted(possible):
            fit = evaluate(need, experts[cid], weights, average)
            if fit.eligible:
                pairs[(need.id, cid)] = fit
            else:
                kinds[fit.kind] += 1
        excluded[need.id] = kinds
    return pairs, excluded


def plan(
    store: Store,
    need_refs: Sequence[str] = (),
    *,
    weights: Sequence[str] = (),
    max_per_consultant: int = 1,
    time_limit: float | None = None,
) -> Plan:
    """The best assignment of consultants to the needs: most seats filled first, then the
    highest total score, under every hard rule (an exact MILP solved by HiGHS)."""
    if max_per_consultant < 1:
        raise Invalid("--max-per-consultant must be 1 or more")
    if time_limit is not None and time_limit <= 0:
        raise Invalid("--time-limit must be above zero")
    chosen = parse_weights(weights)
    needs = load_needs(store, need_refs)
    experts = load_experts(store)
    pairs, excluded = candidate_pairs(needs, experts, chosen, mean_rating(store))
    result = solve(needs, pairs, max_per_consultant=max_per_consultant, time_limit=time_limit)
    result.weights = chosen
    result.unfilled = _unfilled(needs, pairs, excluded, result.assignments)
    problems = check(result, experts, max_per_consultant)
    if problems:
        raise MaliextError("the plan breaks a hard rule (a bug in maliext): " + "; ".join(problems[:5]))
    return result


def solve(needs: list[Need], pairs: dict, *, max_per_consultant: int = 1, time_limit: float | None = None) -> Plan:
    """Two exact stages: the most seats that can be filled, then, keeping that number,
    the highest total score. Variables are (pair, start slot); no-overlap is enforced
    per consultant at every slot's first day (the cliques of an interval graph)."""
    import numpy as np
    import scipy
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    solver = f"HiGHS (scipy {scipy.__version__} optimize.milp)"
    by_need = {n.id: n for n in needs}
    variables: list[tuple[tuple[int, int], int, int]] = []  # ((need, consultant), start, end)
    for key in sorted(pairs):
        # With one mission per consultant, any slot will do: the earliest is enough.
        for start, end in pairs[key].slots[: None if max_per_consultant > 1 else 1]:
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
    if max_per_consultant > 1:
        # No two overlapping missions: sweep each consultant's slots by start day; the
        # slots running at a slot's first day form a clique, of which one at most.
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
    if time_limit:
        options["time_limit"] = float(time_limit)
    # Stage 1: the most seats.
    first = milp(-np.ones(n), integrality=integrality, bounds=bounds, constraints=[limits], options=options)
    if first.x is None:
        raise MaliextError(f"the solver found no plan ({first.message})")
    seats = int(round(-first.fun))
    # Stage 2: the best total score with that many seats (scores in integer units).
    units = np.array([round(pairs[key].score * SCORE_UNITS) for key, _, _ in variables], dtype=float)
    keep = LinearConstraint(np.ones((1, n)), seats, np.inf)
    second = milp(-units, integrality=integrality, bounds=bounds, constraints=[limits, keep], options=options)
    best = second if second.x is not None else first
    proven = first.status == 0 and second.status == 0
    gap = float(second.mip_gap) if second.x is not None and second.mip_gap is not None else None
    status = "optimal" if proven else f"not proven optimal ({(second if second.x is not None else first).message})"
    chosen = [variables[j] for j in range(n) if best.x[j] > 0.5]
    assignments = [Assignment(by_need[nid], pairs[(nid, cid)], start, end) for (nid, cid), start, end in chosen]
    assignments.sort(key=lambda a: (a.need.priority, a.need.start, a.need.id, a.fit.expert.id))
    return Plan(assignments, [], solver, status, round(gap, 6) if gap is not None else None, {}, needs)


def _unfilled(
    needs: list[Need], pairs: dict, excluded: dict[int, Counter], assignments: list[Assignment]
) -> list[dict]:
    filled = Counter(a.need.id for a in assignments)
    taken = {a.fit.expert.id for a in assignments}
    by_need: dict[int, list[int]] = defaultdict(list)
    for nid, cid in pairs:
        by_need[nid].append(cid)
    out = []
    for need in needs:
        missing = need.free - filled[need.id]
        if missing <= 0:
            continue
        eligible = by_need[need.id]
        here = {a.fit.expert.id for a in assignments if a.need.id == need.id}
        elsewhere = sum(1 for cid in eligible if cid in taken and cid not in here)
        if eligible and elsewhere:
            reason = f"eligible ones all taken by other needs ({elsewhere} of {len(eligible)} eligible consultant(s) placed elsewhere)"
        elif eligible:
            reason = f"fewer eligible consultants than seats ({len(eligible)} eligible)"
        elif excluded[need.id]["availability"] and not any(
            v for k, v in excluded[need.id].items() if k != "availability"
        ):
            reason = "availability too short: no consultant is free for the duration inside the window"
        elif excluded[need.id]:
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(excluded[need.id].items()) if v)
            reason = f"no eligible consultant (excluded by {kinds})"
        else:
            reason = "no eligible consultant"
        out.append({"need": need.id, "seats": missing, "reason": reason})
    return out


def check(plan_: Plan, experts: dict[int, Expert], max_per_consultant: int) -> list[str]:
    """Every hard rule, checked on a plan from scratch (independent of the solver)."""
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
        fit = evaluate(need, expert, DEFAULT_WEIGHTS, 3.0)
        if not fit.eligible:
            problems.append(f"{label}: {fit.reason}")
        if not any(lo <= a.start and a.end <= hi for lo, hi in _free_segments(expert, need)):
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
                problems.append(f"consultant {cid}: missions {_iso(s1)} and {_iso(s2)} overlap")
    return problems


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
        records.find(store, crud.ENTITIES["programme"], programme_ref)  # NotFound (exit 3) before any write
        ids = []
        for a in plan_.assignments:
            added = missions.add(
                store,
                {
                    "consultant": str(a.fit.expert.id),
                    "need": str(a.need.id),
                    "programme": programme_ref,
                    "start_date": _iso(a.start),
                    "end_date": _iso(a.end),
                },
            )
            ids.append(added.id)
        return ids
