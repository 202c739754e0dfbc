"""The co-development money figures of the association and project reports: each
amount in EUR and in FCFA, and the leverage of the diaspora's money."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from maliext_cli.services import money

# The columns money_figures fills, in the order the reports show them.
MONEY_FIGURES = [
    *(
        f"{amount}_{unit}"
        for amount in ("diaspora_contribution", "subsidy", "other_funding", "total")
        for unit in ("eur", "xof")
    ),
    "leverage",
]


def leverage(subsidy: int, diaspora: int) -> float | None:
    """Public money per unit of the diaspora's money (None without diaspora money)."""
    if not diaspora:
        return None
    return float((Decimal(subsidy) / Decimal(diaspora)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def money_figures(diaspora: int, subsidy: int, other: int) -> dict[str, Any]:
    total = diaspora + subsidy + other
    return {
        "diaspora_contribution_eur": money.eur(diaspora),
        "diaspora_contribution_xof": money.xof(diaspora),
        "subsidy_eur": money.eur(subsidy),
        "subsidy_xof": money.xof(subsidy),
        "other_funding_eur": money.eur(other),
        "other_funding_xof": money.xof(other),
        "total_eur": money.eur(total),
        "total_xof": money.xof(total),
        "leverage": leverage(subsidy, diaspora),
    }
