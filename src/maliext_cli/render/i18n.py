"""Every word and number of the reports as the reader sees them, in French or English.

The translations are data (one table, `TEXT`), not gettext catalogues: a few hundred
words that change with the reports. Besides the words: the choice of language, the
formats of numbers and dates, and the reader's word for a stored code. The reports
themselves are built from these in render/summary_report.py and
render/annual_report.py, as the `Document` of render/document.py. JSON output never
goes through here: its keys and values are the same in every language.

Numbers follow each language's conventions: `1 234,5` in French (a narrow no-break
space, U+202F, between thousands), `1,234.5` in English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date

from maliext_cli.errors import UsageProblem

LANGS = ("fr", "en")
NNBSP = "\u202f"  # narrow no-break space: French thousands separator, and before % : ; ! ?
DASH = "—"

MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
MONTHS_SHORT = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

# key: (French, English). Keys of the reports' JSON are their own labels' keys.
TEXT: dict[str, tuple[str, str]] = {
    # --- summary figures
    "consultants": ("Consultants au répertoire", "Consultants in the repertory"),
    "consultants_by_status": ("Consultants par statut", "Consultants by status"),
    "consultants_by_sex": ("Consultants par sexe", "Consultants by sex"),
    "consultants_by_degree": ("Consultants par diplôme", "Consultants by degree"),
    "consultants_by_country": ("Consultants par pays de résidence", "Consultants by country of residence"),
    "consultants_by_antenna": ("Consultants par antenne relais", "Consultants by relay antenna"),
    "missions": ("Missions achevées", "Completed missions"),
    "missions_planned": ("Missions prévues ou en cours", "Missions planned or ongoing"),
    "mission_consultants": ("Consultants ayant effectué une mission", "Consultants who did a mission"),
    "person_days": ("Jours-personnes sur place", "Person-days on site"),
    "hours_taught": ("Heures d'enseignement", "Hours taught"),
    "theses_supervised": ("Thèses et mémoires encadrés", "Theses supervised"),
    "people_trained": ("Personnes formées", "People trained"),
    "mission_cost_eur": ("Coût des missions (EUR)", "Cost of the missions (EUR)"),
    "mission_cost_xof": ("Coût des missions (FCFA)", "Cost of the missions (XOF)"),
    "needs": ("Besoins exprimés", "Needs posted"),
    "needs_open": ("Besoins ouverts", "Needs open"),
    "needs_filled": ("Besoins pourvus", "Needs filled"),
    "needs_cancelled": ("Besoins annulés", "Needs cancelled"),
    "agreements_negotiated": ("Accords inter-universitaires négociés", "Inter-university agreements negotiated"),
    "agreements_signed": ("Accords signés", "Agreements signed"),
    "agreements_in_force": ("Accords en vigueur", "Agreements in force"),
    "antennas": ("Antennes relais", "Relay antennas"),
    "associations": ("Associations de la diaspora", "Diaspora associations"),
    "associations_by_country": ("Associations par pays", "Associations by country"),
    "associations_by_level": ("Associations par niveau", "Associations by level"),
    "projects": ("Projets de codéveloppement", "Co-development projects"),
    "codev_diaspora_eur": ("Apport de la diaspora aux projets (EUR)", "Diaspora contribution to projects (EUR)"),
    "codev_subsidy_eur": ("Subventions aux projets (EUR)", "Subsidies to projects (EUR)"),
    "codev_other_eur": ("Autres financements des projets (EUR)", "Other project funding (EUR)"),
    "codev_total_eur": ("Financement total des projets (EUR)", "Total project funding (EUR)"),
    "codev_total_xof": ("Financement total des projets (FCFA)", "Total project funding (XOF)"),
    # --- the year's figures
    "new_consultants": ("Nouveaux consultants", "New consultants"),
    "returning_consultants": ("Consultants déjà venus", "Returning consultants"),
    "cost_eur": ("Coût (EUR)", "Cost (EUR)"),
    "cost_xof": ("Coût (FCFA)", "Cost (XOF)"),
    "mean_cost_eur": ("Coût moyen d'une mission (EUR)", "Mean cost of a mission (EUR)"),
    "mean_rating": ("Note moyenne (sur 5)", "Mean rating (out of 5)"),
    "needs_unfilled": ("Besoins non pourvus", "Unfilled needs"),
    "associations_founded": ("Associations créées", "Associations founded"),
    # --- titles
    "summary_title": ("Le programme en bref", "The programme at a glance"),
    "key_figures": ("Chiffres clés", "Key figures"),
    "annual_title": ("Rapport annuel d'activité {year}", "Annual activity report {year}"),
    "annual_subtitle": (
        "Transfert des connaissances par les Maliens de l'extérieur",
        "Transfer of knowledge by Malians abroad",
    ),
    "programmes_line": ("Programmes : {codes}", "Programmes: {codes}"),
    "s_summary": (
        "Chiffres clés {year} et évolution depuis {previous}",
        "Key figures {year} and change from {previous}",
    ),
    "s_months": ("Missions achevées par mois", "Completed missions by month"),
    "s_institution": ("Missions par établissement d'accueil", "Missions by host institution"),
    "s_type": ("Missions par type", "Missions by type"),
    "s_discipline": ("Missions par discipline", "Missions by discipline"),
    "s_programme": ("Missions par programme", "Missions by programme"),
    "s_funders": ("Coûts par bailleur", "Costs by funder"),
    "c_funders": ("Coût des missions par bailleur (EUR)", "Cost of the missions by funder (EUR)"),
    "s_countries": ("Consultants en mission par pays de résidence", "Consultants on mission by country of residence"),
    "s_consultants": ("Consultants en mission : nouveaux et déjà venus", "Consultants on mission: new and returning"),
    "n_consultants": (
        f"Nouveaux (première mission){NNBSP}: {{new}}{NNBSP}; déjà venus{NNBSP}: {{returning}}.",
        "New (first mission): {new}; returning: {returning}.",
    ),
    "s_needs": ("Besoins non pourvus", "Unfilled needs"),
    "n_needs": (
        "Besoins encore ouverts aujourd'hui dont la période souhaitée recoupe l'année {year}.",
        "Needs still open today whose wished period overlaps {year}.",
    ),
    "s_missions": ("Missions achevées et leurs résultats", "Completed missions and their outcomes"),
    "s_agreements": ("Accords de coopération signés", "Cooperation agreements signed"),
    "s_associations": ("Associations créées", "Associations founded"),
    "s_projects": ("Projets de codéveloppement de l'année", "Co-development projects of the year"),
    "none": ("Néant.", "None."),
    # --- column headers
    "indicator": ("Indicateur", "Indicator"),
    "value": ("Valeur", "Value"),
    "change": ("Écart", "Change"),
    "change_percent": ("Évolution", "Change (%)"),
    "month": ("Mois", "Month"),
    "institution": ("Établissement", "Institution"),
    "type": ("Type", "Type"),
    "discipline": ("Discipline", "Discipline"),
    "programme": ("Programme", "Programme"),
    "funder": ("Bailleur", "Funder"),
    "country": ("Pays", "Country"),
    "consultant": ("Consultant", "Consultant"),
    "consultants_col": ("Consultants", "Consultants"),
    "missions_col": ("Missions", "Missions"),
    "person_days_col": ("Jours-personnes", "Person-days"),
    "people_trained_col": ("Formés", "Trained"),
    "theses_col": ("Thèses", "Theses"),
    "hours_col": ("Heures", "Hours"),
    "rating_col": ("Note", "Rating"),
    "first_mission": ("Première mission", "First mission"),
    "status_col": ("Statut", "Status"),
    "new_col": ("Nouveau", "New"),
    "yes_new": ("nouveau", "new"),
    "no_returning": ("déjà venu", "returning"),
    "need": ("Besoin", "Need"),
    "window": ("Période souhaitée", "Wished period"),
    "seats": ("Places", "Seats"),
    "seats_filled": ("Pourvues", "Filled"),
    "start": ("Début", "Start"),
    "end": ("Fin", "End"),
    "days": ("Jours", "Days"),
    "signed_on": ("Signé le", "Signed on"),
    "title": ("Intitulé", "Title"),
    "partner": ("Partenaire", "Partner"),
    "brokered_by": ("Négocié par", "Brokered by"),
    "name": ("Nom", "Name"),
    "acronym": ("Sigle", "Acronym"),
    "level": ("Niveau", "Level"),
    "city": ("Ville", "City"),
    "members": ("Membres", "Members"),
    "project": ("Projet", "Project"),
    "association": ("Association", "Association"),
    "sector": ("Secteur", "Sector"),
    "locality": ("Localité", "Locality"),
    "region": ("Région", "Region"),
    "diaspora_eur": ("Diaspora (EUR)", "Diaspora (EUR)"),
    "subsidy_eur": ("Subvention (EUR)", "Subsidy (EUR)"),
    "total_eur": ("Total (EUR)", "Total (EUR)"),
    "total": ("Total", "Total"),
    "others": ("Autres", "Others"),
    "unspecified": ("Non précisé", "Unspecified"),
    "unknown_sex": ("Non renseigné", "Not recorded"),
    "no_antenna": ("Sans antenne", "No antenna"),
    "made": (
        "Établi avec maliext {version} à partir de la base {database} le {date}.",
        "Made with maliext {version} from the database {database} on {date}.",
    ),
    "footer": (
        "Établi avec maliext {version} à partir de la base {database} le {date}. "
        "Empreinte des données lues : {checksum}.",
        "Made with maliext {version} from the database {database} on {date}. Checksum of the data read: {checksum}.",
    ),
}


def t(key: str, lang: str, **values) -> str:
    text = TEXT[key][0 if lang == "fr" else 1]
    return text.format(**values) if values else text


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """French when the locale for messages is French (LC_ALL, else LC_MESSAGES, else
    LANG: the first one set decides, as in POSIX), else English."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def choose(lang: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language of `--lang` (fr or en), or the locale's when it is not given."""
    if lang is None:
        return default_lang(environ)
    name = lang.strip().lower().replace("-", "_").split("_")[0]
    if name not in LANGS:
        raise UsageProblem(f"--lang: unknown language {lang!r}", hint="Use fr or en.")
    return name


# ------------------------------------------------------------------------ numbers
def number(value, lang: str, decimals: int | None = None) -> str:
    """`1 234,5` (fr) or `1,234.5` (en); integers without decimals; floats with
    `decimals` (default: up to two, trailing zeros dropped); None as a dash."""
    if value is None:
        return DASH
    if decimals is None:
        if isinstance(value, int) or float(value).is_integer():
            text = f"{int(value):,}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text.replace("-", "−") if lang == "fr" else text


def money(value, lang: str) -> str:
    """Euros with cents, e.g. `12 345,60`."""
    return number(value, lang, 2)


def signed(value, lang: str, decimals: int | None = None) -> str:
    """A change: `+3`, `−2` (fr) / `-2` (en), `0`; a dash for None."""
    if value is None:
        return DASH
    text = number(abs(value), lang, decimals)
    if value > 0:
        return "+" + text
    if value < 0:
        return ("−" if lang == "fr" else "-") + text
    return text


def percent(value, lang: str) -> str:
    """`+9,1 %` (fr) / `+9.1%` (en); a dash for None (no figure the year before)."""
    if value is None:
        return DASH
    return signed(value, lang, 1) + (NNBSP + "%" if lang == "fr" else "%")


def long_date(iso: str, lang: str) -> str:
    """`1er mars 2026`, `27 novembre 2026` (fr); `27 November 2026` (en)."""
    day = date.fromisoformat(iso)
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {MONTHS['fr'][day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"


# ------------------------------------------------------------------ code labels
def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def label(kind: str, code, lang: str) -> str:
    """The reader's word for a stored code: a mission type, a country, a degree..."""
    from maliext_cli.reference import disciplines, iso, vocab

    if code is None or code == "":
        return t("unspecified", lang)
    if kind == "country":
        return iso.country_name(str(code), lang)
    if kind == "discipline":
        found = disciplines.BY_CODE.get(str(code))
        return (found.name_fr if lang == "fr" else found.name_en) if found else str(code)
    vocabulary = {
        "type": vocab.MISSION_TYPE,
        "status": vocab.CONSULTANT_STATUS,
        "sex": vocab.SEX,
        "degree": vocab.DEGREE,
        "level": vocab.ASSOCIATION_LEVEL,
        "sector": vocab.PROJECT_SECTOR,
        "project_status": vocab.PROJECT_STATUS,
        "need_status": vocab.NEED_STATUS,
    }.get(kind)
    if vocabulary is None:
        return str(code)
    # "DEA (diplôme d'études approfondies)" -> "DEA": charts and tables want short words.
    return _capital(vocabulary.label(str(code), lang).split(" (")[0])
