"""Countries (ISO 3166-1 alpha-2) and languages (ISO 639-1), with French and English names.

Backed by pycountry and the French translations of iso-codes that it ships; loaded on
first use only, since most commands print codes and never need the names.
"""

from __future__ import annotations

from functools import lru_cache

from maliext_cli.errors import FieldError
from maliext_cli.reference.vocab import Codes
from maliext_cli.text import as_text, fold, suggest

# The codes themselves, so that the common input (a code) is checked without loading
# pycountry's tables (a fifth of a second). A test keeps them equal to pycountry's.
COUNTRY_CODES = frozenset(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW".split()
)
LANGUAGE_CODES = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de "
    "dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia "
    "id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo "
    "lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl "
    "ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti "
    "tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)

# Names that people write and that ISO does not carry, folded.
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "etats unis": "US",
    "etats unis d amerique": "US",
    "amerique": "US",
    "uk": "GB",
    "angleterre": "GB",
    "grande bretagne": "GB",
    "great britain": "GB",
    "england": "GB",
    "ivory coast": "CI",
    "rci": "CI",
    "rdc": "CD",
    "congo kinshasa": "CD",
    "congo brazzaville": "CG",
    "hollande": "NL",
    "russie": "RU",
    "coree du sud": "KR",
    "south korea": "KR",
    "vietnam": "VN",
    "iran": "IR",
    "syrie": "SY",
    "tanzanie": "TZ",
    "bolivie": "BO",
    "venezuela": "VE",
    "moldavie": "MD",
    "macedoine": "MK",
    "arabie saoudite": "SA",
    "emirats arabes unis": "AE",
    "eau": "AE",
    "uae": "AE",
}


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(folded name or code -> alpha-2, alpha-2 -> (French name, English name))."""
    import gettext

    import pycountry

    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    lookup: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        english = getattr(c, "common_name", None) or c.name
        names[c.alpha_2] = (fr.gettext(c.name), english)
        keys = [c.alpha_2, c.alpha_3, c.name, english, getattr(c, "official_name", ""), fr.gettext(c.name)]
        official = getattr(c, "official_name", "")
        if official:
            keys.append(fr.gettext(official))
        for key in list(keys):
            # "Corée, République de" is also written "République de Corée".
            if key and ", " in key:
                head, tail = key.split(", ", 1)
                keys.append(f"{tail} {head}")
        for key in keys:
            if key:
                lookup.setdefault(fold(key), c.alpha_2)
    for alias, code in _COUNTRY_ALIASES.items():
        lookup.setdefault(alias, code)
    return lookup, names


def country(value) -> str:
    """The alpha-2 code for a code or a French/English country name; FieldError if none."""
    return _country(as_text(value))


@lru_cache(maxsize=4096)
def _country(value: str) -> str:
    return _resolve(value, value.strip().upper(), COUNTRY_CODES, _countries, "country")


def _resolve(value: str, code: str, codes: frozenset[str], table, what: str, form: str = "") -> str:
    """A code as given, else the code of a French/English name, else a FieldError with
    the closest names."""
    if code in codes:
        return code
    lookup, names = table()
    found = lookup.get(fold(value))
    if found:
        return found
    close = suggest(value, {key: f"{code} ({names[code][0]})" for key, code in lookup.items()})
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise FieldError(f"unknown {what} {value.strip()!r}{form}{hint}")


COUNTRIES = Codes("country code", COUNTRY_CODES, country)


def country_name(code: str, lang: str = "fr") -> str:
    names = _countries()[1]
    if code not in names:
        return code
    return names[code][0 if lang == "fr" else 1]


def all_countries() -> list[tuple[str, str, str]]:
    """(alpha-2, French name, English name) of every country, by code."""
    return sorted((code, fr, en) for code, (fr, en) in _countries()[1].items())


@lru_cache(maxsize=1)
def _languages() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    import gettext

    import pycountry

    fr = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    lookup: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None)
        if not code:
            continue
        french = fr.gettext(lang.name)
        names[code] = (french, lang.name)
        for key in (code, lang.alpha_3, lang.name, french):
            lookup.setdefault(fold(key), code)
    return lookup, names


def language(value) -> str:
    """The ISO 639-1 code for a code or a French/English language name."""
    return _language(as_text(value))


@lru_cache(maxsize=1024)
def _language(value: str) -> str:
    return _resolve(value, value.strip().lower(), LANGUAGE_CODES, _languages, "language", " (ISO 639-1 code or name)")


LANGUAGES = Codes("language code", LANGUAGE_CODES, language)


def language_name(code: str, lang: str = "fr") -> str:
    names = _languages()[1]
    return names[code][0 if lang == "fr" else 1] if code in names else code


def all_languages() -> list[tuple[str, str, str]]:
    """(ISO 639-1 code, French name, English name) of every language, by code."""
    return sorted((code, fr, en) for code, (fr, en) in _languages()[1].items())
