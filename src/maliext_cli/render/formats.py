"""Numbers, dates and codes as a reader of the reports sees them, in the language of the
report: Babel's CLDR data for numbers (`1 234,5` in French, with a narrow no-break space
U+202F between thousands; `1,234.5` in English), percentages, month names and long dates,
and the reader's word for a stored code (a mission type, a country, a discipline).

Every function takes the language (`fr`, `en`...) or, without it, speaks the interface
language (maliext_cli.i18n.current(); a document in another language is rendered inside
`i18n.speaking(lang)`). A language that has a catalogue needs nothing here: its formats
come from CLDR. JSON output never goes through here: its keys and values are the same in
every language.

Babel is imported inside the functions, as every heavy module (start-up time).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Literal

from maliext_cli import i18n
from maliext_cli.i18n import _, pgettext

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

DASH = "—"  # a figure that does not exist (no year before to compare with)
NBSP = "\u00a0"


def locale(lang: str | None = None) -> Locale:
    """The CLDR locale of a language (default: the interface language): its own, except
    English, which the programme writes British (27 August 2026, not August 27, 2026)."""
    return _locale(_lang(lang))


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse("en_GB" if lang == "en" else lang)


def _lang(lang: str | None) -> str:
    return lang or i18n.current()


# ------------------------------------------------------------------------ numbers
@cache
def _pattern(kind: str, lang: str, low: int, high: int) -> NumberPattern:
    """The locale's decimal or percent pattern with `low` to `high` decimals."""
    import copy

    from babel.numbers import parse_pattern

    where = locale(lang).decimal_formats if kind == "decimal" else locale(lang).percent_formats
    pattern = copy.copy(parse_pattern(where[None].pattern))
    pattern.frac_prec = (low, high)
    return pattern


def number(value, lang: str | None = None, decimals: int | None = None) -> str:
    """`1 234,5` (fr) or `1,234.5` (en); integers without decimals; other numbers with
    `decimals` (default: up to two, trailing zeros dropped); None as a dash."""
    if value is None:
        return DASH
    lang = _lang(lang)
    low, high = (0, 2) if decimals is None else (decimals, decimals)
    if decimals is None and (isinstance(value, int) or float(value).is_integer()):
        value, high = int(value), 0
    return _pattern("decimal", lang, low, high).apply(value, locale(lang))


def money(value, lang: str | None = None) -> str:
    """An amount with cents: `12 345,60` (fr), `12,345.60` (en)."""
    return number(value, lang, 2)


def euros(value, lang: str | None = None) -> str:
    """Whole euros, as the language writes an amount: `2 300 €` (fr), `€2,300` (en)."""
    import copy

    from babel.numbers import parse_pattern

    lang = _lang(lang)
    pattern = copy.copy(parse_pattern(locale(lang).currency_formats["standard"].pattern))
    pattern.frac_prec = (0, 0)
    return pattern.apply(round(value or 0), locale(lang), currency="EUR", currency_digits=False)


def _signed(text: str, value, lang: str) -> str:
    from babel.numbers import get_minus_sign_symbol, get_plus_sign_symbol

    if value > 0:
        return get_plus_sign_symbol(locale(lang)) + text
    if value < 0:
        return get_minus_sign_symbol(locale(lang)) + text
    return text


def signed(value, lang: str | None = None, decimals: int | None = None) -> str:
    """A change, with its sign: `+3`, `-2`, `0`; a dash for None."""
    if value is None:
        return DASH
    lang = _lang(lang)
    return _signed(number(abs(value), lang, decimals), value, lang)


def percent(value, lang: str | None = None) -> str:
    """A change in per cent (`value` 9.09 for 9.09 %), one decimal and its sign, as the
    language writes a percentage: `+9,1 %` (fr), `+9.1%` (en); a dash for None (no
    figure the year before)."""
    if value is None:
        return DASH
    lang = _lang(lang)
    return _signed(_pattern("percent", lang, 1, 1).apply(abs(value) / 100, locale(lang)), value, lang)


# -------------------------------------------------------------------------- dates
def month_names(lang: str | None = None, width: Literal["wide", "abbreviated"] = "wide") -> tuple[str, ...]:
    """The twelve months as a label of their own (a column, a chart): `janvier` (fr),
    `January` (en); `width="abbreviated"` for a drawing: `févr.`, `Feb`."""
    from babel.dates import get_month_names

    names = get_month_names(width, context="stand-alone", locale=locale(_lang(lang)))
    return tuple(names[m] for m in range(1, 13))


# In a CLDR date pattern: quoted text, or the day of the month (`d` alone).
_DAY = re.compile(r"'[^']*'|(?<!d)d(?!d)")


def _first_of_month(lang: str) -> str:
    with i18n.speaking(lang):
        # Translators: the first day of a month in a date, as in "1er février 2027" in
        # French; leave "1" where the language writes the number alone.
        return pgettext("first day of a month", "1")


def _day_pattern(day: date, width: str, lang: str) -> str:
    """The CLDR pattern of a date of `width` (long, medium) or skeleton (MMMd), with the
    language's way of writing the first of a month."""
    from babel.dates import get_date_format

    if width in ("long", "medium"):
        pattern = get_date_format("long" if width == "long" else "medium", locale=locale(lang)).pattern
    else:
        pattern = locale(lang).datetime_skeletons[width].pattern
    if day.day == 1:
        first = "'" + _first_of_month(lang).replace("'", "''") + "'"
        if first != "'1'":
            pattern = _DAY.sub(lambda m: m.group() if m.group().startswith("'") else first, pattern)
    return pattern


def long_date(day: date | str, lang: str | None = None) -> str:
    """A date in words: `27 novembre 2026`, and `1er mars 2026` for the first of a month
    (fr); `27 November 2026` (en)."""
    return _date(day, "long", _lang(lang))


def medium_date(day: date | str | None, lang: str | None = None) -> str:
    """A date in a table: `3 févr. 2025`, `1er mars 2026` (fr); `3 Feb 2025` (en), its
    words joined by no-break spaces: a date is never cut across two lines."""
    return _unbroken(_date(day, "medium", _lang(lang))) if day else ""


def _unbroken(text: str) -> str:
    return re.sub(r"[ \u2009]", NBSP, text)


def _date(day: date | str, width: str, lang: str) -> str:
    from babel.dates import format_date

    if isinstance(day, str):
        day = date.fromisoformat(day)
    return format_date(day, _day_pattern(day, width, lang), locale=locale(lang))


def period(start: str, end: str, lang: str | None = None, *, year: int | None = None) -> str:
    """A period in a table, as short as the language writes it: `3–21 févr. 2025`,
    `6 janv. – 19 déc. 2025` (fr); `3–21 Feb 2025` (en). Without the year when both
    ends fall in `year` (the year a report is about): `3–21 févr.`. A line may break
    after the dash, never inside a date."""
    from babel.dates import format_interval

    lang = _lang(lang)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    width = "MMMd" if first.year == last.year == year else "yMMMd"
    if 1 in (first.day, last.day) and _first_of_month(lang) != "1":
        # CLDR's intervals know no "1er": each end is written whole then.
        ends = [_date(first, width, lang), _date(last, width, lang)]
    else:
        ends = re.split(r"\s+–\s+", format_interval(first, last, width, locale=locale(lang)))
    return f"{NBSP}– ".join(_unbroken(end) for end in ends)


# ------------------------------------------------------------------ code labels
def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def label(kind: str, code, lang: str | None = None) -> str:
    """The reader's word for a stored code: a mission type, a country, a degree... in
    `lang` (default: the interface language); "Unspecified" for none."""
    from maliext_cli.reference import disciplines, iso, vocab

    with i18n.speaking(lang):
        if code is None or code == "":
            # Translators: in a report, a group without a value (no funder, no sector...).
            return _("Unspecified")
        if kind == "country":
            return iso.country_name(str(code))
        if kind == "discipline":
            found = disciplines.BY_CODE.get(str(code))
            return found.name() if found else str(code)
        vocabulary = {
            "type": vocab.MISSION_TYPE,
            "status": vocab.CONSULTANT_STATUS,
            "sex": vocab.SEX,
            "degree": vocab.DEGREE,
            "level": vocab.ASSOCIATION_LEVEL,
            "region": vocab.REGION,
            "sector": vocab.PROJECT_SECTOR,
            "project_status": vocab.PROJECT_STATUS,
            "need_status": vocab.NEED_STATUS,
        }.get(kind)
        if vocabulary is None:
            return str(code)
        # "DEA (diplôme d'études approfondies)" -> "DEA": charts and tables want short words.
        return _capital(vocabulary.label(str(code)).split(" (")[0])
