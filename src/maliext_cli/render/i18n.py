"""Every word and number of the reports as the reader sees them, in French or English.

The translations are data (one table, `TEXT`), not gettext catalogues: a few hundred
words that change with the reports. This module also turns a report (the plain
object that services/reports.py returns, with codes and numbers) into a `Document`:
titled sections of formatted cells and charts, that render/charts.py draws as text and
render/html.py as a page. JSON output never goes through here: its keys and values are
the same in every language.

Numbers follow each language's conventions: `1 234,5` in French (a narrow no-break
space, U+202F, between thousands), `1,234.5` in English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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


# ----------------------------------------------------------------------- document
@dataclass
class Chart:
    """Bars: (label, value, the value as shown). `vertical`: one bar per column."""

    key: str
    title: str
    bars: list[tuple[str, float, str]]
    vertical: bool = False
    label_header: str = ""
    value_header: str = ""
    short: tuple[str, ...] = ()  # shorter labels for a drawing (month abbreviations)


@dataclass
class Section:
    key: str
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()  # columns drawn right-aligned
    totals: list[str] | None = None
    note: str = ""
    chart: Chart | None = None
    empty: str = ""  # shown instead of an empty table or chart

    def __post_init__(self) -> None:
        if self.chart is not None and not self.chart.bars and not self.rows:
            self.columns = []  # the empty chart says so once; an empty table beside it would say it again


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    footer: str = ""


def _table(
    key: str,
    title: str,
    lang: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    **extra,
) -> Section:
    return Section(
        key,
        title,
        [t(h, lang) for h in headers],
        [list(r) for r in rows],
        frozenset(numeric),
        empty=t("none", lang),
        **extra,
    )


# --------------------------------------------------------------------- summary
# Breakdowns of the summary: key -> how their codes read, and how many bars before "others".
_BREAKDOWNS = {
    "consultants_by_status": ("status", None),
    "consultants_by_sex": ("sex", None),
    "consultants_by_degree": ("degree", None),
    "consultants_by_country": ("country", 10),
    "consultants_by_antenna": ("antenna", 12),
    "associations_by_country": ("country", 10),
    "associations_by_level": ("level", None),
}


def _item_label(kind: str, code: str, lang: str) -> str:
    if kind == "sex" and code == "unknown":
        return t("unknown_sex", lang)
    if kind == "antenna":
        return t("no_antenna", lang) if code == "none" else code
    return label(kind, code, lang)


def _bars(counts: Mapping[str, int], kind: str, top: int | None, lang: str) -> list[tuple[str, float, str]]:
    """One bar per group, the largest first; beyond `top` groups, one bar for the others."""
    items = [(_item_label(kind, code, lang), n) for code, n in counts.items()]
    if top is not None and len(items) > top + 1:
        items = [*items[:top], (t("others", lang), sum(n for _, n in items[top:]))]
    return [(name, n, number(n, lang)) for name, n in items]


def summary_document(data: Mapping, lang: str, made: Mapping | None = None) -> Document:
    """The summary as a table of key figures and one chart per breakdown; `made`
    (version, database, date) gives the footer."""
    scalars = [(k, v) for k, v in data.items() if not isinstance(v, Mapping)]
    rows = [[t(k, lang), money(v, lang) if k.endswith("_eur") else number(v, lang)] for k, v in scalars]
    sections = [_table("figures", t("key_figures", lang), lang, ("indicator", "value"), rows, (1,))]
    for key, (kind, top) in _BREAKDOWNS.items():
        chart = Chart(key, t(key, lang), _bars(data[key], kind, top, lang), False, "", t("value", lang))
        sections.append(Section(key, t(key, lang), chart=chart, empty=t("none", lang)))
    footer = (
        t("made", lang, version=made["maliext"], database=made["database"], date=long_date(made["date"], lang))
        if made
        else ""
    )
    return Document(lang, t("summary_title", lang), sections=sections, footer=footer)


# ---------------------------------------------------------------------- annual
_MONEY_KEYS = ("cost_eur", "mean_cost_eur", "codev_total_eur")


def _figure(key: str, value, lang: str) -> str:
    if key in _MONEY_KEYS:
        return money(value, lang)
    if key == "mean_rating":
        return number(value, lang, 2) if value is not None else DASH
    return number(value, lang)


def _summary_section(report: Mapping, lang: str) -> Section:
    rows = []
    for key, value in report["summary"].items():
        diff = report["change"][key]
        rows.append(
            [
                t(key, lang),
                _figure(key, value, lang),
                _figure(key, report["previous"][key], lang),
                signed(diff, lang, 2 if key in _MONEY_KEYS or key == "mean_rating" else None),
                percent(report["change_percent"][key], lang),
            ]
        )
    section = _table(
        "summary",
        t("s_summary", lang, year=report["year"], previous=report["previous_year"]),
        lang,
        ("indicator", "value", "value", "change", "change_percent"),
        rows,
        (1, 2, 3, 4),
    )
    section.columns[1:3] = [str(report["year"]), str(report["previous_year"])]
    return section


_GROUP_COLUMNS = (
    "missions_col",
    "consultants_col",
    "person_days_col",
    "cost_eur",
    "cost_xof",
    "people_trained_col",
    "theses_col",
)


def _group_section(report: Mapping, key: str, lang: str) -> Section:
    header = {"institution": "institution", "type": "type", "discipline": "discipline", "programme": "programme"}[key]

    def figures(r: Mapping, consultants: str) -> list[str]:
        return [
            number(r["missions"], lang),
            number(r[consultants], lang),
            number(r["person_days"], lang),
            money(r["cost_eur"], lang),
            number(r["cost_xof"], lang),
            number(r["people_trained"], lang),
            number(r["theses_supervised"], lang),
        ]

    named = [
        (label(key, r[key], lang) if key in ("type", "discipline") else (r[key] or t("unspecified", lang)), r)
        for r in report[f"missions_by_{key}"]
    ]
    # The busiest first: what a funder reads first.
    named.sort(key=lambda item: (-item[1]["missions"], item[0].casefold()))
    rows = [[name, *figures(r, "consultants")] for name, r in named]
    totals = [t("total", lang), *figures(report["summary"], "mission_consultants")] if rows else None
    return _table(
        f"missions_by_{key}",
        t(f"s_{key}", lang),
        lang,
        (header, *_GROUP_COLUMNS),
        rows,
        range(1, 8),
        totals=totals,
    )


def annual_document(report: Mapping, lang: str) -> Document:
    """The annual report as titled sections, charts and a footer, in `lang`."""
    year = report["year"]
    n = lambda v: number(v, lang)  # noqa: E731
    m = lambda v: money(v, lang)  # noqa: E731
    sections = [_summary_section(report, lang)]

    months = Chart(
        "months",
        t("s_months", lang),
        [(MONTHS[lang][i], r["missions"], n(r["missions"])) for i, r in enumerate(report["missions_by_month"])],
        vertical=True,
        label_header=t("month", lang),
        value_header=t("missions_col", lang),
        short=MONTHS_SHORT[lang],
    )
    sections.append(Section("missions_by_month", t("s_months", lang), chart=months))
    sections.extend(_group_section(report, key, lang) for key in ("institution", "type", "discipline", "programme"))

    funders = report["costs_by_funder"]
    funder_chart = Chart(
        "funders",
        t("c_funders", lang),
        [(r["funder"] or t("unspecified", lang), r["cost_eur"], m(r["cost_eur"])) for r in funders],
        label_header=t("funder", lang),
        value_header=t("cost_eur", lang),
    )
    s = report["summary"]
    sections.append(
        _table(
            "costs_by_funder",
            t("s_funders", lang),
            lang,
            ("funder", "missions_col", "cost_eur", "cost_xof"),
            [
                [r["funder"] or t("unspecified", lang), n(r["missions"]), m(r["cost_eur"]), n(r["cost_xof"])]
                for r in funders
            ],
            (1, 2, 3),
            totals=[t("total", lang), n(s["missions"]), m(s["cost_eur"]), n(s["cost_xof"])] if funders else None,
            chart=funder_chart,
        )
    )
    countries = Chart(
        "countries",
        t("s_countries", lang),
        [
            (label("country", r["country"], lang), r["consultants"], n(r["consultants"]))
            for r in report["consultants_by_country"]
        ],
        label_header=t("country", lang),
        value_header=t("consultants_col", lang),
    )
    sections.append(Section("consultants_by_country", t("s_countries", lang), chart=countries, empty=t("none", lang)))
    sections.append(
        _table(
            "consultants",
            t("s_consultants", lang),
            lang,
            ("consultant", "country", "discipline", "missions_col", "person_days_col", "first_mission", "new_col"),
            [
                [
                    r["name"],
                    label("country", r["country"], lang),
                    label("discipline", r["discipline"], lang),
                    n(r["missions"]),
                    n(r["person_days"]),
                    r["first_mission"],
                    t("yes_new" if r["new"] else "no_returning", lang),
                ]
                for r in report["consultants"]
            ],
            (3, 4),
            note=t("n_consultants", lang, new=n(s["new_consultants"]), returning=n(s["returning_consultants"])),
        )
    )
    sections.append(
        _table(
            "unfilled_needs",
            t("s_needs", lang),
            lang,
            ("institution", "need", "type", "window", "seats", "seats_filled"),
            [
                [
                    r["institution"],
                    r["title"],
                    label("type", r["type"], lang),
                    f"{r['window_start']} – {r['window_end']}",
                    n(r["seats"]),
                    n(r["seats_filled"]),
                ]
                for r in report["unfilled_needs"]
            ],
            (4, 5),
            note=t("n_needs", lang, year=year),
        )
    )
    sections.append(
        _table(
            "completed_missions",
            t("s_missions", lang),
            lang,
            (
                "start",
                "end",
                "days",
                "consultant",
                "institution",
                "type",
                "programme",
                "hours_col",
                "people_trained_col",
                "theses_col",
                "rating_col",
                "cost_eur",
            ),
            [
                [
                    r["start_date"],
                    r["end_date"],
                    n(r["days"]),
                    r["consultant_name"],
                    r["institution"],
                    label("type", r["type"], lang),
                    r["programme"],
                    n(r["hours_taught"]) if r["hours_taught"] is not None else "",
                    n(r["people_trained"]) if r["people_trained"] is not None else "",
                    n(r["theses_supervised"]) if r["theses_supervised"] is not None else "",
                    n(r["rating"]) if r["rating"] is not None else "",
                    m(r["cost_eur"]),
                ]
                for r in report["completed_missions"]
            ],
            (2, 7, 8, 9, 10, 11),
        )
    )
    sections.append(
        _table(
            "agreements_signed",
            t("s_agreements", lang),
            lang,
            ("signed_on", "title", "institution", "partner", "country", "brokered_by"),
            [
                [
                    r["signed_on"],
                    r["title"],
                    r["institution"],
                    r["partner"],
                    label("country", r["partner_country"], lang) if r["partner_country"] else "",
                    r["consultant_name"] or "",
                ]
                for r in report["agreements_signed"]
            ],
        )
    )
    sections.append(
        _table(
            "associations_founded",
            t("s_associations", lang),
            lang,
            ("name", "acronym", "level", "country", "city", "members"),
            [
                [
                    r["name"],
                    r["acronym"] or "",
                    label("level", r["level"], lang),
                    label("country", r["country"], lang),
                    r["city"] or "",
                    n(r["members"]) if r["members"] is not None else "",
                ]
                for r in report["associations_founded"]
            ],
            (5,),
        )
    )
    sections.append(
        _table(
            "projects",
            t("s_projects", lang),
            lang,
            (
                "project",
                "association",
                "sector",
                "locality",
                "region",
                "status_col",
                "diaspora_eur",
                "subsidy_eur",
                "total_eur",
            ),
            [
                [
                    r["title"],
                    r["association"],
                    label("sector", r["sector"], lang) if r["sector"] else "",
                    r["locality"] or "",
                    _region(r["region"], lang),
                    label("project_status", r["status"], lang),
                    m(r["diaspora_contribution_eur"]),
                    m(r["subsidy_eur"]),
                    m(r["total_eur"]),
                ]
                for r in report["projects"]
            ],
            (6, 7, 8),
        )
    )
    programmes = ", ".join(r["programme"] for r in report["missions_by_programme"])
    stamp = report["stamp"]
    return Document(
        lang,
        t("annual_title", lang, year=year),
        t("annual_subtitle", lang) + (" — " + t("programmes_line", lang, codes=programmes) if programmes else ""),
        sections,
        t(
            "footer",
            lang,
            version=stamp["maliext"],
            database=stamp["database"],
            date=long_date(stamp["date"], lang),
            checksum=stamp["checksum"],
        ),
    )


def _region(code: str | None, lang: str) -> str:
    from maliext_cli.reference import vocab

    return vocab.REGION.label(code, lang) if code else ""
