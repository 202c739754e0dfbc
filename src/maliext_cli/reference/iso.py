"""Countries (ISO 3166-1 alpha-2) and languages (ISO 639-1), named in any language.

Backed by pycountry and the translations of iso-codes that it ships (gettext catalogues
of their own, one per language: no country name goes into maliext's catalogues); loaded
on first use only, since most commands print codes and never need the names. Input takes
English and French names, and those of every language the interface speaks.
"""

from __future__ import annotations

from functools import lru_cache

from maliext_cli.errors import FieldError
from maliext_cli.i18n import N_, _
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


def _iso_names(domain: str, language: str):
    """pycountry's own gettext catalogue of ISO names (iso-codes) for `language`: names
    stay English where it has none."""
    import gettext

    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _input_languages() -> list[str]:
    """Besides English, the languages whose names are accepted on input: French, as
    always, and each language the interface speaks."""
    from maliext_cli import i18n

    return [code for code in dict.fromkeys(["fr", *i18n.available()]) if code != "en"]


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(folded name or code -> alpha-2, alpha-2 -> (ISO name, English name))."""
    import pycountry

    translations = [_iso_names("iso3166-1", code) for code in _input_languages()]
    lookup: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        english = getattr(c, "common_name", None) or c.name
        official = getattr(c, "official_name", "")
        names[c.alpha_2] = (c.name, english)
        keys = [c.alpha_2, c.alpha_3, c.name, english, official]
        for translation in translations:
            keys.append(translation.gettext(c.name))
            if official:
                keys.append(translation.gettext(official))
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
    """The alpha-2 code for a code or a country's name (English, French...); FieldError if none."""
    return _country(as_text(value))


@lru_cache(maxsize=4096)
def _country(value: str) -> str:
    code = value.strip().upper()
    if code in COUNTRY_CODES:
        return code
    return _by_name(value, _countries, country_name, "country")


def _by_name(value: str, table, name, what: str) -> str:
    """The code of a name, else a FieldError with the closest names, in the interface language."""
    lookup, _names = table()
    found = lookup.get(fold(value))
    if found:
        return found
    close = suggest(value, {key: f"{code} ({name(code)})" for key, code in lookup.items()})
    # Translators: between two suggestions: did you mean 'a' or 'b'?
    alternatives = _(" or ").join(close)
    messages = {
        ("country", True): _("unknown country {value!r}; did you mean {suggestions}?"),
        ("country", False): _("unknown country {value!r}"),
        ("language", True): _("unknown language {value!r} (ISO 639-1 code or name); did you mean {suggestions}?"),
        ("language", False): _("unknown language {value!r} (ISO 639-1 code or name)"),
    }
    raise FieldError(messages[what, bool(close)].format(value=value.strip(), suggestions=alternatives))


COUNTRIES = Codes(N_("country code"), COUNTRY_CODES, country)


def country_name(code: str, lang: str | None = None) -> str:
    """The country's name in `lang` (default: the interface language), from the ISO
    catalogues of iso-codes; English: its common name (Bolivia, not Bolivia,
    Plurinational State of); the code itself if it is not a country's."""
    names = _countries()[1]
    if code not in names:
        return code
    lang = _language_of(lang)
    iso_name, english = names[code]
    return english if lang == "en" else _iso_names("iso3166-1", lang).gettext(iso_name)


def _language_of(lang: str | None) -> str:
    from maliext_cli import i18n

    return lang or i18n.current()


def all_countries() -> list[tuple[str, str]]:
    """(alpha-2, name in the interface language) of every country, by code."""
    return [(code, country_name(code)) for code in sorted(_countries()[1])]


@lru_cache(maxsize=1)
def _languages() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(folded name or code -> ISO 639-1, ISO 639-1 -> (ISO name, English name))."""
    import pycountry

    translations = [_iso_names("iso639-3", code) for code in _input_languages()]
    lookup: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None)
        if not code:
            continue
        names[code] = (lang.name, lang.name)
        for key in (code, lang.alpha_3, lang.name, *(t.gettext(lang.name) for t in translations)):
            lookup.setdefault(fold(key), code)
    return lookup, names


def language(value) -> str:
    """The ISO 639-1 code for a code or a language's name (English, French...)."""
    return _language(as_text(value))


@lru_cache(maxsize=1024)
def _language(value: str) -> str:
    code = value.strip().lower()
    if code in LANGUAGE_CODES:
        return code
    return _by_name(value, _languages, language_name, "language")


LANGUAGES = Codes(N_("language code"), LANGUAGE_CODES, language)


def language_name(code: str, lang: str | None = None) -> str:
    """The language's name in `lang` (default: the interface language), from iso-codes."""
    names = _languages()[1]
    if code not in names:
        return code
    lang = _language_of(lang)
    return names[code][1] if lang == "en" else _iso_names("iso639-3", lang).gettext(names[code][0])


def all_languages() -> list[tuple[str, str]]:
    """(ISO 639-1 code, name in the interface language) of every language, by code."""
    return [(code, language_name(code)) for code in sorted(_languages()[1])]
