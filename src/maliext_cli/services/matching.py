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
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from maliext_cli.errors import Invalid, MaliextError, UsageProblem
from maliext_cli.reference import vocab
from maliext_cli.services import nouns, records
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
CRITERIA = tuple(DEFAULT_WEIGHTS)
SUPERVISION_LEVELS = {"doctorat", "dea", "dess"}
DOCTORS = {"doctorat", "hdr"}
RATING_PRIOR_WEIGHT = 3  # ratings are shrunk toward the mean as if 3 average ratings were added
ROTATION_DAYS = 730  # "missions in the last 24 months", counted back from the need's window
SCORE_UNITS = 10_000  # scores are shown with 4 decimals; the plan maximises them in these units

# Words that say nothing about a field, in French and English.
_STOP = frozenset(
    "les des une dans pour par sur aux avec sans entre vers chez leur leurs ses son sur plus tous toutes tout cours "
    "cycle niveau atelier formation appui encadrement theses memoires these memoire conference scientifique continue "
    "licence master dea dess doctorat doctorate phd professional professionnelle "
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
class Expert:
    """What matching needs to know of a consultant, loaded in a few queries (a plain
    class with slots: 20,000 of them are made for one ranking)."""

    __slots__ = (
        "id",
        "name",
        "status",
        "degree",
        "discipline",
        "languages",
        "terms",
        "employer",
        "periods",
        "busy",
        "starts",
        "conflicts",
        "done_types",
        "done_levels",
        "ratings",
    )

    def __init__(
        self,
        id: int,
        name: str,
        status: str,
        degree: str,
        discipline: str,
        languages: frozenset[str],
        terms: frozenset[str],
        employer: str,
        *,
        periods=None,
        busy=None,
        starts=None,
        conflicts=None,
        done_types=None,
        done_levels=None,
        ratings=None,
    ):
        self.id, self.name, self.status, self.degree, self.discipline = id, name, status, degree, discipline
        self.languages, self.terms, self.employer = languages, terms, employer  # employer folded
        self.periods: list[tuple[int, int]] = periods or []  # availability, as day ordinals
        self.busy: list[tuple[int, int]] = busy or []  # non-cancelled missions
        self.starts: list[int] = starts or []  # start days of non-cancelled missions, sorted
        self.conflicts: set[int] = conflicts or set()  # institution ids
        self.done_types: Counter = done_types or Counter()  # completed missions by type
        self.done_levels: Counter = done_levels or Counter()  # completed missions by need level
        self.ratings: list[int] = ratings or []


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
    components: dict[str, float] = field(default_factory=dict)  # weighted contributions
    score: float = 0.0
    units: int = 0  # the score in 1/10,000

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
    return {k: weights[k] for k in CRITERIA}


def load_experts(store: Store, ids: Sequence[int] | None = None) -> dict[int, Expert]:
    """Every consultant (or those of `ids`), with what the rules and scores need."""
    where, params = ("", [])
    if ids is not None:
        where, params = (f" WHERE id IN ({', '.join('?' * len(ids))})", list(ids))
    experts: dict[int, Expert] = {}
    spoken: dict[str, frozenset[str]] = {}  # a few distinct language lists, parsed once each
    for r in store.conn.execute(
        "SELECT id, given_names || ' ' || family_name, status, degree, discipline, languages, specialities, employer "
        f"FROM consultant{where}",
        params,
    ):
        cid, name, status, degree, discipline, languages, specialities, employer = r
        if languages not in spoken:
            spoken[languages] = frozenset(json.loads(languages))
        experts[cid] = Expert(
            cid, name, status, degree, discipline, spoken[languages], terms(specialities, employer), fold(employer)
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
        ids = [records.find(store, nouns.ENTITIES["need"], r)["id"] for r in refs]
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


def eligibility(need: Need, expert: Expert) -> Fit:
    """The hard rules for one pair, checked one by one: a Fit with the reason it is
    excluded, or with the slots (earliest and latest start of each free stretch long
    enough) when eligible. Scores come from `Pool` (all consultants at once); this
    plain version says why, and checks plans independently of the solver."""
    fit = Fit(expert)
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
        degree = vocab.DEGREE.label(expert.degree, "en")
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
    fit.slots = slots(segments, need.duration)
    return fit


def slots(segments: list[tuple[int, int]], duration: int) -> list[tuple[int, int]]:
    """The earliest and the latest placement in each free stretch that can hold `duration`."""
    found = []
    for lo, hi in segments:
        if hi - lo + 1 >= duration:
            found.append((lo, lo + duration - 1))
            if hi - duration + 1 > lo:
                found.append((hi - duration + 1, hi))
    return found


def _shrunk(expert: Expert, mean_rating: float) -> float:
    """The expert's mean rating pulled toward the programme's mean when they have few."""
    return (sum(expert.ratings) + RATING_PRIOR_WEIGHT * mean_rating) / (len(expert.ratings) + RATING_PRIOR_WEIGHT)


def describe(fit: Fit, need: Need, expert: Expert, mean_rating: float) -> dict[str, str]:
    """Why each criterion has its value, in words."""
    levels = {
        1.0: f"same detailed field {need.discipline}",
        0.6: f"same narrow field {need.discipline[:3]} ({expert.discipline})",
        0.3: f"same broad field {need.discipline[:2]} ({expert.discipline})",
        0.0: f"another field ({expert.discipline})",
    }
    matched = sorted(need.terms & expert.terms)
    shrunk = _shrunk(expert, mean_rating)
    recent = bisect.bisect_left(expert.starts, need.start) - bisect.bisect_left(
        expert.starts, need.start - ROTATION_DAYS
    )
    free = round(fit.values["availability"] * (need.end - need.start + 1))
    return {
        "discipline": levels[fit.values["discipline"]],
        "keywords": f"{len(matched)} of {len(need.terms)} term(s): {', '.join(matched)}"
        if need.terms
        else "the need has no keywords",
        "experience": f"{expert.done_types[need.type]} completed mission(s) of this type"
        + (f", {expert.done_levels[need.level]} at this level" if need.level else ""),
        "rating": f"{len(expert.ratings)} rating(s), mean {shrunk:.2f} of 5 after shrinking toward the programme's mean {mean_rating:.2f}",
        "rotation": f"{recent} mission(s) in the 24 months before the window",
        "availability": f"free {free} of the window's {need.end - need.start + 1} days",
        "degree": ("HDR preferred at doctorat level: " if need.level == "doctorat" else "")
        + vocab.DEGREE.label(expert.degree),
    }


@dataclass
class Assessment:
    """One need against every consultant of a pool: the eligible ones and their scores."""

    need: Need
    positions: object  # numpy array: positions in the pool of the eligible consultants
    units: object  # numpy int array: their scores in 1/10,000
    parts: object  # numpy int matrix: each criterion's contribution, in 1/10,000
    values: object  # numpy float matrix: each criterion's value, 0 to 1
    excluded: Counter  # how many consultants each kind of rule excluded

    def fit(self, pool: Pool, k: int) -> Fit:
        """The Fit of the k-th eligible consultant (slots computed here, for few pairs)."""
        expert = pool.experts[int(self.positions[k])]
        fit = Fit(expert, values=dict(zip(CRITERIA, self.values[k].tolist())))
        units = self.parts[k].tolist()
        fit.components = {c: u / SCORE_UNITS for c, u in zip(CRITERIA, units)}
        fit.units = int(self.units[k])
        fit.score = fit.units / SCORE_UNITS
        fit.slots = slots(_free_segments(expert, self.need), self.need.duration)
        return fit


class Pool:
    """Every consultant as numpy arrays, so that a need is assessed against all of them
    at once (20,000 consultants in a few milliseconds). The rules are those of
    `eligibility`; a test keeps the two in agreement."""

    def __init__(self, experts: dict[int, Expert], mean_rating: float):
        import numpy as np

        self.np = np
        self.experts = [experts[cid] for cid in sorted(experts)]
        n = len(self.experts)
        self.ids = np.array([e.id for e in self.experts], dtype=np.int64)
        self.active = np.array([e.status == "active" for e in self.experts], dtype=bool)
        self.doctor = np.array([e.degree in DOCTORS for e in self.experts], dtype=bool)
        self.hdr = np.array([e.degree == "hdr" for e in self.experts], dtype=bool)
        codes = np.array([int(e.discipline) if e.discipline.isdigit() else -1 for e in self.experts], dtype=np.int64)
        self.disc = (codes, codes // 10, codes // 100)
        self.rating = np.array([(_shrunk(e, mean_rating) - 1) / 4 for e in self.experts], dtype=float)
        self._languages: dict[str, object] = {}
        self._types: dict[str, object] = {}
        self._levels: dict[str, object] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        employers: dict[str, list[int]] = defaultdict(list)
        conflicts: dict[int, list[int]] = defaultdict(list)
        p_owner, p_start, p_end, b_owner, b_start, b_end, m_owner, m_start = ([] for _ in range(8))
        for i, e in enumerate(self.experts):
            for term in e.terms:
                postings[term].append(i)
            if e.employer:
                employers[e.employer].append(i)
            for inst in e.conflicts:
                conflicts[inst].append(i)
            for a, b in e.periods:
                p_owner.append(i), p_start.append(a), p_end.append(b)
            for a, b in e.busy:
                b_owner.append(i), b_start.append(a), b_end.append(b)
            for a in e.starts:
                m_owner.append(i), m_start.append(a)
        self.postings = {t: np.array(v, dtype=np.int64) for t, v in postings.items()}
        self.employers, self.conflicts = employers, conflicts
        ints = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
        self.periods = (ints(p_owner), ints(p_start), ints(p_end))
        self.busy = (ints(b_owner), ints(b_start), ints(b_end))
        self.starts = (ints(m_owner), ints(m_start))
        self.n = n

    def _flag(self, cache: dict, key, test) -> object:
        if key not in cache:
            cache[key] = self.np.array([test(e) for e in self.experts], dtype=bool)
        return cache[key]

    def assess(self, need: Need, weights: dict[str, float]) -> Assessment:
        np, n = self.np, self.n
        excluded = Counter()
        ok = self.active.copy()
        excluded["status"] = int(n - ok.sum())

        def drop(mask, kind: str) -> None:
            nonlocal ok
            kept = ok & mask
            excluded[kind] += int(ok.sum() - kept.sum())
            ok = kept

        blocked = np.ones(n, dtype=bool)
        for inst in need.institution_ids:
            blocked[self.conflicts.get(inst, [])] = False
        for key in need.institution_keys:
            blocked[self.employers.get(key, [])] = False
        drop(blocked, "conflict")
        if need.type == "supervision" and need.level in SUPERVISION_LEVELS:
            drop(self.doctor, "degree")
        speaks = np.zeros(n, dtype=bool)
        for code in need.languages:
            speaks |= self._flag(self._languages, code, lambda e, c=code: c in e.languages)
        drop(speaks, "language")
        # Availability: clipped periods give the free stretches, except for consultants
        # with a mission in the window, whose stretches are cut exactly one by one.
        owner, start, end = self.periods
        length = np.minimum(end, need.end) - np.maximum(start, need.start) + 1
        length = np.where(length > 0, length, 0)
        longest = np.zeros(n, dtype=np.int64)
        free = np.zeros(n, dtype=np.int64)
        np.maximum.at(longest, owner, length)
        np.add.at(free, owner, length)
        b_owner, b_start, b_end = self.busy
        cut = np.unique(b_owner[(b_start <= need.end) & (b_end >= need.start)])
        for i in cut[ok[cut]].tolist():
            segments = _free_segments(self.experts[i], need)
            longest[i] = max((hi - lo + 1 for lo, hi in segments), default=0)
            free[i] = sum(hi - lo + 1 for lo, hi in segments)
        drop(longest >= need.duration, "availability")
        positions = np.flatnonzero(ok)
        # Scores of the eligible ones, criterion by criterion.
        d4, d3, d2 = (d[positions] for d in self.disc)
        code = int(need.discipline)
        discipline = np.where(d4 == code, 1.0, np.where(d3 == code // 10, 0.6, np.where(d2 == code // 100, 0.3, 0.0)))
        if need.terms:
            hits = np.zeros(n, dtype=np.int64)
            for term in need.terms:
                if term in self.postings:
                    hits[self.postings[term]] += 1
            keywords = hits[positions] / len(need.terms)
        else:
            keywords = np.zeros(len(positions))
        same_type = self._flag(self._types, need.type, lambda e: e.done_types[need.type] > 0)[positions]
        if need.level:
            same_level = self._flag(self._levels, need.level, lambda e: e.done_levels[need.level] > 0)[positions]
            experience = 0.5 * same_type + 0.5 * same_level
        else:
            experience = same_type.astype(float)
        m_owner, m_start = self.starts
        recent = np.bincount(m_owner[(m_start >= need.start - ROTATION_DAYS) & (m_start < need.start)], minlength=n)
        rotation = 1 / (1 + recent[positions])
        availability = free[positions] / (need.end - need.start + 1)
        degree = np.where(self.hdr[positions], 1.0, 0.5) if need.level == "doctorat" else np.ones(len(positions))
        values = np.column_stack(
            [discipline, keywords, experience, self.rating[positions], rotation, availability, degree]
        )
        scale = SCORE_UNITS / sum(weights.values())
        parts = np.rint(values * (np.array([weights[c] for c in CRITERIA]) * scale)).astype(np.int64)
        return Assessment(need, positions, parts.sum(axis=1), parts, values, excluded)


def mean_rating(store: Store) -> float:
    value = store.value("SELECT avg(rating) FROM mission WHERE status = 'completed' AND rating IS NOT NULL")
    return float(value) if value is not None else 3.0


# ---------------------------------------------------------------------- rank
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
        "slots": [{"start_date": _iso(a), "end_date": _iso(b)} for a, b in fit.slots],
    }


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
        return sum(a.fit.units for a in self.assignments) / SCORE_UNITS

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
        return _solve_assignment(pool, assessments)
    return _solve_milp(pool, assessments, max_per_consultant=max_per_consultant, time_limit=time_limit)


def _solve_assignment(pool: Pool, assessments: list[Assessment]) -> Plan:
    """One mission per consultant: seats on one side, consultants on the other, and a
    stand-in per seat that means "left unfilled". A minimum-cost full matching (exact,
    LAPJVsp) whose stand-ins cost more than any set of real pairs fills the most seats
    first, then takes the highest total score; any slot of a pair will do."""
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
    assignments.sort(key=lambda a: (a.need.priority, a.need.start, a.need.id, a.fit.expert.id))
    return Plan(assignments, [], solver, "optimal", 0.0, {}, needs)


MILP_PAIRS = 60_000  # above this, each need keeps only its best candidates for the MILP


def _candidates_per_seat(assessments: list[Assessment]) -> int | None:
    """None when every eligible pair fits in the MILP; else how many candidates per seat
    each need keeps (the most that fit, at least 5)."""
    eligible = sum(len(a.positions) for a in assessments)
    if eligible <= MILP_PAIRS:
        return None
    seats = sum(a.need.free for a in assessments) or 1
    return max(5, MILP_PAIRS // seats)


def _solve_milp(
    pool: Pool, assessments: list[Assessment], *, max_per_consultant: int, time_limit: float | None
) -> Plan:
    """Two exact stages: the most seats that can be filled, then, keeping that number,
    the highest total score. Variables are (pair, start slot); no-overlap is enforced
    per consultant at every slot's first day (the cliques of an interval graph)."""
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
        single = _solve_assignment(pool, assessments)
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
    assignments.sort(key=lambda a: (a.need.priority, a.need.start, a.need.id, a.fit.expert.id))
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
        exchanged = _exchange(result.assignments, pairs, by_need, max_per_consultant)
        result.status = (
            f"{'optimal' if proven and not exchanged else 'not proven optimal'} on {scope}"
            + (f", then {exchanged} exchange(s)" if exchanged else "")
            + "; not proven optimal over all pairs"
        )
        bound = sum(int(np.sort(a.units)[::-1][: a.need.free].sum()) for a in assessments)
        result.gap = round((bound - worth(result)[1]) / bound, 6) if bound else 0.0
    return result


def _exchange(assignments: list[Assignment], pairs: dict, by_need: dict, max_per_consultant: int) -> int:
    """Improve a plan in place: give a seat to a better candidate of its need who still
    has room and a free slot, as long as one exists (a local search, for the plans that
    the solver could not prove optimal). How many exchanges were made."""
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
    assignments.sort(key=lambda a: (a.need.priority, a.need.start, a.need.id, a.fit.expert.id))
    return made


def _unfilled(pool: Pool, assessments: list[Assessment], assignments: list[Assignment]) -> list[dict]:
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
        fit = eligibility(need, expert)
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
        records.find(store, nouns.ENTITIES["programme"], programme_ref)  # NotFound (exit 3) before any write
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
