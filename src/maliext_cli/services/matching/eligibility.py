"""The hard rules for one pair, checked one by one: why a consultant is excluded from a
need, or the slots (placements in free days) open to them. `Pool` applies the same
rules to every consultant at once; this plain version says why, and checks plans
independently of the solvers."""

from __future__ import annotations

from maliext_cli.reference import vocab
from maliext_cli.services.matching.model import Expert, Fit, Need

SUPERVISION_LEVELS = {"doctorat", "dea", "dess"}
DOCTORS = {"doctorat", "hdr"}


def free_segments(expert: Expert, need: Need) -> list[tuple[int, int]]:
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
    """A Fit with the reason the pair is excluded, or with the slots (earliest and
    latest start of each free stretch long enough) when eligible. Scores come from
    `Pool` (all consultants at once)."""
    fit = Fit(expert)
    if expert.status != "active":
        fit.reason, fit.kind = f"the consultant is {expert.status}, not active", "status"
        return fit
    declared = expert.conflicts_of_interest & need.institution_ids
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
    segments = free_segments(expert, need)
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
