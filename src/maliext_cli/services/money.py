"""Money in FCFA (XOF) and euros, summed exactly.

Amounts are stored as integer hundredths of their currency. To add XOF and EUR amounts
in SQL without binary floats, both are brought to one integer unit, the hundred-
thousandth of a franc CFA: the fixed parity 1 EUR = 655.957 XOF makes one euro cent
655,957 of those units and one hundredth of a franc 1,000. Sums stay exact integers;
only the final figure is rounded, once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

PARITY = Decimal("655.957")  # XOF per EUR, fixed since 1999
_UNITS_PER_XOF = 100_000
_UNITS_PER_EUR = int(PARITY * _UNITS_PER_XOF)  # 65,595,700
_UNIT_PER_HUNDREDTH = {"EUR": _UNITS_PER_EUR // 100, "XOF": _UNITS_PER_XOF // 100}


def common_sql(amount: str, currency: str) -> str:
    """SQL for an amount column (hundredths of `currency`) in the common integer unit."""
    return f"(coalesce({amount}, 0) * CASE {currency} WHEN 'EUR' THEN {_UNIT_PER_HUNDREDTH['EUR']} ELSE {_UNIT_PER_HUNDREDTH['XOF']} END)"


def to_common(hundredths: int, currency: str) -> int:
    return hundredths * _UNIT_PER_HUNDREDTH[currency]


def eur(units: int | Decimal | None) -> float:
    """Euros, rounded to the cent, from common units (a float for JSON output)."""
    value = Decimal(units or 0) / _UNITS_PER_EUR
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def xof(units: int | Decimal | None) -> int:
    """Francs CFA, rounded to the franc, from common units."""
    value = Decimal(units or 0) / _UNITS_PER_XOF
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_EVEN))
