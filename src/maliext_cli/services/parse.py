"""Parsers for field values, from a command-line option, a CSV cell or a JSON value.

Each parser takes the raw value and returns what is stored, or raises FieldError with a
message a user can act on. They are the one place where input is checked.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from maliext_cli.errors import FieldError
from maliext_cli.i18n import _, ngettext
from maliext_cli.text import as_text

MAX_LINE = 300
MAX_AMOUNT = 999_999_999
MAX_TEXT = 20_000

# Characters that have no place in a name or a code: C0/C1 controls, and the Unicode
# bidirectional controls that can make a name display as something else.
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_FORBIDDEN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_FORBIDDEN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")


def is_blank(raw) -> bool:
    if raw.__class__ is str:
        return not raw.strip()
    return raw is None or raw == []


def _forbidden(ch: str) -> FieldError:
    name = unicodedata.name(ch, "")
    if name:
        # Translators: what follows a field name and a colon; {character} is e.g. "U+202E RIGHT-TO-LEFT OVERRIDE".
        return FieldError(_("contains a forbidden character ({character})").format(character=f"U+{ord(ch):04X} {name}"))
    return FieldError(_("contains a forbidden character (U+{code} control character)").format(code=f"{ord(ch):04X}"))


def too_long(length: int, most: int) -> FieldError:
    return FieldError(
        # Translators: what follows a field name and a colon ("family_name: is too long ...").
        ngettext(
            "is too long ({length} character, at most {most})",
            "is too long ({length} characters, at most {most})",
            length,
        ).format(length=length, most=most)
    )


def line(raw) -> str:
    """One line of text: trimmed, NFC-normalised, without control characters."""
    value = raw if raw.__class__ is str else as_text(raw)
    if value.isascii() and value.isprintable():
        # The common case, checked without regular expressions or normalisation.
        value = value.strip()
        if "  " in value:
            value = " ".join(value.split())
        if len(value) > MAX_LINE:
            raise too_long(len(value), MAX_LINE)
        return value
    value = unicodedata.normalize("NFC", _decoded(value).strip())
    bad = _FORBIDDEN_LINE.search(value)
    if bad:
        raise _forbidden(bad.group())
    if len(value) > MAX_LINE:
        raise too_long(len(value), MAX_LINE)
    return " ".join(value.split())


def text(raw) -> str:
    """Free text (notes, reports): several lines allowed, line ends made `\\n`."""
    value = unicodedata.normalize("NFC", _decoded(raw).replace("\r\n", "\n").replace("\r", "\n").strip())
    bad = _FORBIDDEN_TEXT.search(value)
    if bad:
        raise _forbidden(bad.group())
    if len(value) > MAX_TEXT:
        raise too_long(len(value), MAX_TEXT)
    return value


def _decoded(raw) -> str:
    """The value as text; text read with the wrong encoding carries lone surrogates."""
    value = as_text(raw)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldError(_("is not valid UTF-8 text (was the file saved in another encoding?)")) from None
    return value


def integer(raw, lo: int | None = None, hi: int | None = None) -> int:
    if isinstance(raw, bool):
        raise FieldError(_("expected a whole number, got {value}").format(value=str(raw).lower()))
    if isinstance(raw, float):
        if not raw.is_integer():
            raise FieldError(_("expected a whole number, got {value}").format(value=raw))
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        cleaned = re.sub(r"[\s\u00a0\u202f]", "", as_text(raw))
        if not re.fullmatch(r"[+-]?\d{1,15}", cleaned):
            raise FieldError(_("expected a whole number, got {value!r}").format(value=as_text(raw).strip()[:40]))
        value = int(cleaned)
    if lo is not None and value < lo or hi is not None and value > hi:
        raise FieldError(
            _("must be between {lowest} and {highest}, got {value}").format(lowest=lo, highest=hi, value=value)
        )
    return value


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def iso_date(raw) -> str:
    """A date as YYYY-MM-DD; DD/MM/YYYY (as written in Mali and France) is accepted."""
    value = as_text(raw).strip()
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
        # The usual form, read by the C parser (1950 <= year <= 2100 checked below).
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            if not _ISO_DATE.fullmatch(value):
                raise _not_a_date(value) from None
            raise FieldError(_("{value!r} is not a real date").format(value=value)) from None
    else:
        m = _FR_DATE.fullmatch(value)
        if not m:
            raise _not_a_date(value)
        d, mo, y = (int(g) for g in m.groups())
        try:
            parsed = date(y, mo, d)
        except ValueError:
            raise FieldError(_("{value!r} is not a real date").format(value=value)) from None
    if not 1950 <= parsed.year <= 2100:
        raise FieldError(_("{value!r} is out of range (1950 to 2100)").format(value=value))
    return value if parsed.isoformat() == value else parsed.isoformat()


def _not_a_date(value: str) -> FieldError:
    return FieldError(_("expected a date YYYY-MM-DD, got {value!r}").format(value=value[:40]))


def since(raw) -> str:
    """`--since`: a date (YYYY-MM-DD or DD/MM/YYYY) or a date and time, as the UTC text
    the change log and `updated_at` hold (a time without a zone is the user's local time)."""
    from datetime import UTC, datetime

    text = as_text(raw).strip()
    try:
        return iso_date(text)
    except FieldError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(
            _("expected a date YYYY-MM-DD or a date and time, got {value!r}").format(value=text[:40])
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def year(raw, lo: int = 1900, hi: int = 2100) -> int:
    return integer(raw, lo, hi)


_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\].]{2,}")


def email(raw) -> str:
    value = line(raw)
    if len(value) > 254 or not _EMAIL.fullmatch(value) or ".." in value:
        raise FieldError(_("{value!r} is not a valid e-mail address").format(value=value[:60]))
    return value


# 6 to 30 characters (after an optional +) among digits, spaces and . - / ( ), of which
# 6 to 18 are digits: one pass of the regular expression engine.
_PHONE = re.compile(r"(?=\+?[\d\s().\-/]{6,30}\Z)\+?[\s().\-/]*(?:\d[\s().\-/]*){6,18}")


def phone(raw) -> str:
    value = line(raw)
    if not _PHONE.fullmatch(value):
        raise FieldError(_("{value!r} is not a phone number (digits, spaces, + - . ( ) only)").format(value=value[:40]))
    return value


def money(raw) -> int:
    """An amount in hundredths of its currency unit (exact; never a binary float).

    `1500`, `1 500`, `1500,50` and `1500.50` are accepted; a lone comma or point is
    the decimal separator, so thousands are written with spaces.
    """
    if isinstance(raw, bool):
        raise FieldError(_("expected an amount"))
    if isinstance(raw, int):
        value = Decimal(raw)
    else:
        source = as_text(raw).strip()
        cleaned = re.sub(r"[\s\u00a0\u202f']", "", source)
        if re.search(r"(€|EUR|FCFA|XOF|CFA|F)$", cleaned, re.IGNORECASE):
            # Never read a currency here: it could differ from the record's, silently.
            raise FieldError(
                _("{value!r}: write the amount alone; the record's currency field says XOF or EUR").format(value=source)
            )
        if "," in cleaned and "." in cleaned:
            raise FieldError(
                _("{value!r}: use one decimal separator and spaces for thousands (1 500,50)").format(value=source)
            )
        cleaned = cleaned.replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
            raise FieldError(
                _("{value!r} is not an amount (at most two decimals; thousands with spaces)").format(value=source[:40])
            )
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise FieldError(_("{value!r} is not an amount").format(value=source)) from None
    if value < 0:
        raise FieldError(_("an amount cannot be negative"))
    if value > MAX_AMOUNT:
        # Far above any mission or project; it also keeps exact sums inside SQLite's integers.
        raise FieldError(
            _("{value} is more than {most} (in the record's currency)").format(
                value=value, most=f"{MAX_AMOUNT:,}".replace(",", " ")
            )
        )
    hundredths = value * 100
    if hundredths != hundredths.to_integral_value():
        raise FieldError(_("{value} has more than two decimals").format(value=raw))
    return int(hundredths)


def items(raw) -> list[str]:
    """A list from a JSON array, repeated options or one `;`-separated value."""
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        parts: list[str] = []
        for item in raw:
            if isinstance(item, (list, tuple, dict)):
                raise FieldError(_("expected a list of values"))
            parts.extend(as_text(item).split(";"))
    else:
        parts = as_text(raw).split(";")
    return [p for p in (p.strip() for p in parts) if p]
