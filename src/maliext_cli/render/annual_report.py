"""`report annual` for the reader: one function per section of the report, in the order
of the page, and `annual_document` that puts them together under a title and a footer.
Each takes the report (the plain object of services/reports.py) and the language."""

from __future__ import annotations

from collections.abc import Mapping

from maliext_cli.render.document import Chart, Document, Section, table
from maliext_cli.render.i18n import DASH, MONTHS, MONTHS_SHORT, label, long_date, money, number, percent, signed, t

_MONEY_KEYS = ("cost_eur", "mean_cost_eur", "codev_total_eur")
_GROUPS = ("institution", "type", "discipline", "programme")  # the "missions by ..." sections
_GROUP_COLUMNS = (
    "missions_col",
    "consultants_col",
    "person_days_col",
    "cost_eur",
    "cost_xof",
    "people_trained_col",
    "theses_col",
)


def annual_document(report: Mapping, lang: str) -> Document:
    """The annual report as titled sections, charts and a footer, in `lang`."""
    sections = [
        summary_section(report, lang),
        months_section(report, lang),
        *(group_section(report, key, lang) for key in _GROUPS),
        funders_section(report, lang),
        countries_section(report, lang),
        consultants_section(report, lang),
        unfilled_needs_section(report, lang),
        completed_missions_section(report, lang),
        agreements_section(report, lang),
        associations_section(report, lang),
        projects_section(report, lang),
    ]
    programmes = ", ".join(r["programme"] for r in report["missions_by_programme"])
    stamp = report["stamp"]
    return Document(
        lang,
        t("annual_title", lang, year=report["year"]),
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


# ------------------------------------------------------------------ the sections
def summary_section(report: Mapping, lang: str) -> Section:
    """The year's key figures beside the year before's, with the change."""
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
    section = table(
        "summary",
        t("s_summary", lang, year=report["year"], previous=report["previous_year"]),
        lang,
        ("indicator", "value", "value", "change", "change_percent"),
        rows,
        (1, 2, 3, 4),
    )
    section.columns[1:3] = [str(report["year"]), str(report["previous_year"])]
    return section


def months_section(report: Mapping, lang: str) -> Section:
    """Completed missions by month, as a chart of twelve columns."""
    chart = Chart(
        "months",
        t("s_months", lang),
        [
            (MONTHS[lang][i], r["missions"], number(r["missions"], lang))
            for i, r in enumerate(report["missions_by_month"])
        ],
        vertical=True,
        label_header=t("month", lang),
        value_header=t("missions_col", lang),
        short=MONTHS_SHORT[lang],
    )
    return Section("missions_by_month", t("s_months", lang), chart=chart)


def group_section(report: Mapping, key: str, lang: str) -> Section:
    """The missions by institution, type, discipline or programme (`key`), the busiest
    first, with the year's totals."""

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
    return table(
        f"missions_by_{key}", t(f"s_{key}", lang), lang, (key, *_GROUP_COLUMNS), rows, range(1, 8), totals=totals
    )


def funders_section(report: Mapping, lang: str) -> Section:
    """The costs by funder in EUR and FCFA, with a chart in EUR."""
    funders = report["costs_by_funder"]
    s = report["summary"]
    chart = Chart(
        "funders",
        t("c_funders", lang),
        [(r["funder"] or t("unspecified", lang), r["cost_eur"], money(r["cost_eur"], lang)) for r in funders],
        label_header=t("funder", lang),
        value_header=t("cost_eur", lang),
    )
    return table(
        "costs_by_funder",
        t("s_funders", lang),
        lang,
        ("funder", "missions_col", "cost_eur", "cost_xof"),
        [
            [
                r["funder"] or t("unspecified", lang),
                number(r["missions"], lang),
                money(r["cost_eur"], lang),
                number(r["cost_xof"], lang),
            ]
            for r in funders
        ],
        (1, 2, 3),
        totals=[t("total", lang), number(s["missions"], lang), money(s["cost_eur"], lang), number(s["cost_xof"], lang)]
        if funders
        else None,
        chart=chart,
    )


def countries_section(report: Mapping, lang: str) -> Section:
    """The consultants on mission by country of residence, as a chart."""
    chart = Chart(
        "countries",
        t("s_countries", lang),
        [
            (label("country", r["country"], lang), r["consultants"], number(r["consultants"], lang))
            for r in report["consultants_by_country"]
        ],
        label_header=t("country", lang),
        value_header=t("consultants_col", lang),
    )
    return Section("consultants_by_country", t("s_countries", lang), chart=chart, empty=t("none", lang))


def consultants_section(report: Mapping, lang: str) -> Section:
    """The consultants on mission, new or returning."""
    s = report["summary"]
    return table(
        "consultants",
        t("s_consultants", lang),
        lang,
        ("consultant", "country", "discipline", "missions_col", "person_days_col", "first_mission", "new_col"),
        [
            [
                r["name"],
                label("country", r["country"], lang),
                label("discipline", r["discipline"], lang),
                number(r["missions"], lang),
                number(r["person_days"], lang),
                r["first_mission"],
                t("yes_new" if r["new"] else "no_returning", lang),
            ]
            for r in report["consultants"]
        ],
        (3, 4),
        note=t(
            "n_consultants",
            lang,
            new=number(s["new_consultants"], lang),
            returning=number(s["returning_consultants"], lang),
        ),
    )


def unfilled_needs_section(report: Mapping, lang: str) -> Section:
    """The needs still open whose wished period overlaps the year."""
    return table(
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
                number(r["seats"], lang),
                number(r["seats_filled"], lang),
            ]
            for r in report["unfilled_needs"]
        ],
        (4, 5),
        note=t("n_needs", lang, year=report["year"]),
    )


def completed_missions_section(report: Mapping, lang: str) -> Section:
    """The missions completed in the year, with their outcomes and cost."""
    return table(
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
                number(r["days"], lang),
                r["consultant_name"],
                r["institution"],
                label("type", r["type"], lang),
                r["programme"],
                _optional(r["hours_taught"], lang),
                _optional(r["people_trained"], lang),
                _optional(r["theses_supervised"], lang),
                _optional(r["rating"], lang),
                money(r["cost_eur"], lang),
            ]
            for r in report["completed_missions"]
        ],
        (2, 7, 8, 9, 10, 11),
    )


def agreements_section(report: Mapping, lang: str) -> Section:
    """The cooperation agreements signed in the year."""
    return table(
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


def associations_section(report: Mapping, lang: str) -> Section:
    """The diaspora associations founded in the year."""
    return table(
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
                _optional(r["members"], lang),
            ]
            for r in report["associations_founded"]
        ],
        (5,),
    )


def projects_section(report: Mapping, lang: str) -> Section:
    """The co-development projects of the year, with their funding in EUR."""
    return table(
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
                money(r["diaspora_contribution_eur"], lang),
                money(r["subsidy_eur"], lang),
                money(r["total_eur"], lang),
            ]
            for r in report["projects"]
        ],
        (6, 7, 8),
    )


# ----------------------------------------------------------------------- cells
def _figure(key: str, value, lang: str) -> str:
    """A key figure: money with cents, the mean rating with two decimals."""
    if key in _MONEY_KEYS:
        return money(value, lang)
    if key == "mean_rating":
        return number(value, lang, 2) if value is not None else DASH
    return number(value, lang)


def _optional(value, lang: str) -> str:
    """A count that may be missing: left blank then (a dash would read as zero)."""
    return number(value, lang) if value is not None else ""


def _region(code: str | None, lang: str) -> str:
    from maliext_cli.reference import vocab

    return vocab.REGION.label(code, lang) if code else ""
