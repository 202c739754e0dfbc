"""Every consultant as numpy arrays, so that a need is assessed against all of them at
once (20,000 consultants in a few milliseconds): the rules of `eligibility` and the
criteria of `scoring`, vectorised. A test keeps the pool and the plain rules in
agreement."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from maliext_cli.services.matching.eligibility import DOCTORS, SUPERVISION_LEVELS, free_segments, slots
from maliext_cli.services.matching.model import SCORE_UNITS, Expert, Fit, Need
from maliext_cli.services.matching.scoring import CRITERIA, ROTATION_DAYS, shrunk_rating


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
        fit.slots = slots(free_segments(expert, self.need), self.need.duration)
        return fit


class Pool:
    """The consultants of one ranking or plan, column by column."""

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
        self.rating = np.array([(shrunk_rating(e, mean_rating) - 1) / 4 for e in self.experts], dtype=float)
        self._languages: dict[str, object] = {}
        self._types: dict[str, object] = {}
        self._levels: dict[str, object] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        employers: dict[str, list[int]] = defaultdict(list)
        conflicts_of_interest: dict[int, list[int]] = defaultdict(list)  # institution id -> positions
        p_owner, p_start, p_end, b_owner, b_start, b_end, m_owner, m_start = ([] for _ in range(8))
        for i, e in enumerate(self.experts):
            for term in e.terms:
                postings[term].append(i)
            if e.employer:
                employers[e.employer].append(i)
            for inst in e.conflicts_of_interest:
                conflicts_of_interest[inst].append(i)
            for a, b in e.periods:
                p_owner.append(i), p_start.append(a), p_end.append(b)
            for a, b in e.busy:
                b_owner.append(i), b_start.append(a), b_end.append(b)
            for a in e.starts:
                m_owner.append(i), m_start.append(a)
        self.postings = {t: np.array(v, dtype=np.int64) for t, v in postings.items()}
        self.employers, self.conflicts_of_interest = employers, conflicts_of_interest
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
            blocked[self.conflicts_of_interest.get(inst, [])] = False
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
            segments = free_segments(self.experts[i], need)
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
