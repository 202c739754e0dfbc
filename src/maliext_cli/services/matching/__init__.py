"""Matching consultants to needs: who is eligible, how well each fits, and the best plan
for many needs at once.

Hard rules (a pair that breaks one is never proposed), in `eligibility`:
- the consultant is active and has no conflict of interest with the institution (one
  declared with `consultant conflict add`, or the institution or one it belongs to
  named as their employer);
- their availability covers `duration_days` consecutive days inside the need's window,
  days that no non-cancelled mission of theirs takes;
- supervision at doctorat, DEA or DESS level needs a doctorat or an HDR;
- they speak one of the need's languages;
- in a plan: at most `max_per_consultant` missions each, never two overlapping; a need
  gets at most its free seats (the solvers, and `checker` after them).

Scored criteria in `scoring`; `pool` applies rules and criteria to every consultant
at once. `ranking` answers `match rank` and `match explain`; `planning` answers
`match plan` with the solvers of `assignment` (one mission each), `milp` (several)
and `exchanges` (local improvement when the MILP saw only the best pairs).
"""

from maliext_cli.services.matching.checker import check
from maliext_cli.services.matching.eligibility import eligibility, free_segments, slots
from maliext_cli.services.matching.loading import load_experts, load_needs
from maliext_cli.services.matching.model import SCORE_UNITS, Assignment, Expert, Fit, Need, Plan, day, iso
from maliext_cli.services.matching.planning import assess, commit, plan, solve
from maliext_cli.services.matching.pool import Assessment, Pool
from maliext_cli.services.matching.ranking import explain, rank
from maliext_cli.services.matching.scoring import DEFAULT_WEIGHTS, parse_weights

__all__ = [
    "DEFAULT_WEIGHTS",
    "SCORE_UNITS",
    "Assessment",
    "Assignment",
    "Expert",
    "Fit",
    "Need",
    "Plan",
    "Pool",
    "assess",
    "check",
    "commit",
    "day",
    "eligibility",
    "explain",
    "free_segments",
    "iso",
    "load_experts",
    "load_needs",
    "parse_weights",
    "plan",
    "rank",
    "slots",
    "solve",
]
