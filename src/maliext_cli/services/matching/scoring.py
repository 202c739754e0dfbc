"""The scored criteria: each from 0 to 1, weighted (`--weight name=value`), the score
being their weighted mean, so that the contributions shown add up to the score. `Pool`
computes them for every consultant at once; `describe` says in words why each has its
value."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from maliext_cli.errors import UsageProblem
from maliext_cli.reference import vocab
from maliext_cli.services.matching.model import Expert, Fit, Need

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
RATING_PRIOR_WEIGHT = 3  # ratings are shrunk toward the mean as if 3 average ratings were added
ROTATION_DAYS = 730  # "missions in the last 24 months", counted back from the need's window


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


def shrunk_rating(expert: Expert, mean_rating: float) -> float:
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
    shrunk = shrunk_rating(expert, mean_rating)
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
