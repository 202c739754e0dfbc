"""What matching works on: consultants and needs as the rules see them, the fit of one
pair, and a plan of assignments. Days are ordinals (`date.toordinal()`): intervals of
plain integers, compared and subtracted without date objects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

SCORE_UNITS = 10_000  # scores are shown with 4 decimals; the plan maximises them in these units


def day(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


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
        "conflicts_of_interest",
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
        conflicts_of_interest=None,
        done_types=None,
        done_levels=None,
        ratings=None,
    ):
        self.id, self.name, self.status, self.degree, self.discipline = id, name, status, degree, discipline
        self.languages, self.terms, self.employer = languages, terms, employer  # employer folded
        self.periods: list[tuple[int, int]] = periods or []  # availability, as day ordinals
        self.busy: list[tuple[int, int]] = busy or []  # non-cancelled missions
        self.starts: list[int] = starts or []  # start days of non-cancelled missions, sorted
        # Institution ids the consultant is declared in conflict of interest with.
        self.conflicts_of_interest: set[int] = conflicts_of_interest or set()
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
    # What excluded it: status, conflict (of interest), degree, language, availability;
    # the word is shown in the reasons of unfilled seats ("excluded by conflict 2").
    kind: str | None = None
    slots: list[tuple[int, int]] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)  # each criterion, 0 to 1
    components: dict[str, float] = field(default_factory=dict)  # weighted contributions
    score: float = 0.0
    units: int = 0  # the score in 1/10,000

    @property
    def eligible(self) -> bool:
        return self.reason is None


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
                    "start_date": iso(a.start),
                    "end_date": iso(a.end),
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


def sort_assignments(assignments: list[Assignment]) -> None:
    """Sort a plan's assignments as it is shown: by need (priority, window, id), then consultant."""
    assignments.sort(key=lambda a: (a.need.priority, a.need.start, a.need.id, a.fit.expert.id))
