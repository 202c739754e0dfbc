"""`report annual` for the reader: one function per section of the report, in the order
of the page, and `annual_document` that puts them together under a title and a footer.
Each section takes the report (the plain object of services/reports.py) and is written
in the language `annual_document` speaks (maliext_cli.i18n.speaking)."""

from __future__ import annotations

from collections.abc import Mapping

from maliext_cli import i18n
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.render.document import Chart, Document, Section, table
from maliext_cli.render.formats import (
    DASH,
    label,
    long_date,
    medium_date,
    money,
    month_names,
    number,
    percent,
    period,
    signed,
)

_MONEY_KEYS = ("cost_eur", "mean_cost_eur", "codev_total_eur")

# The year's key figures, by their key in the report's JSON.
FIGURES = {
    "missions": N_("Completed missions"),
    "mission_consultants": N_("Consultants who did a mission"),
    "new_consultants": N_("New consultants"),
    "returning_consultants": N_("Returning consultants"),
    "person_days": N_("Person-days on site"),
    "hours_taught": N_("Hours taught"),
    "people_trained": N_("People trained"),
    "theses_supervised": N_("Theses supervised"),
    "cost_eur": N_("Cost (EUR)"),
    "cost_xof": N_("Cost (XOF)"),
    "mean_cost_eur": N_("Mean cost of a mission (EUR)"),
    "mean_rating": N_("Mean rating (out of 5)"),
    "needs_unfilled": N_("Unfilled needs"),
    "agreements_signed": N_("Agreements signed"),
    "associations_founded": N_("Associations founded"),
    "projects": N_("Co-development projects"),
    "codev_total_eur": N_("Total project funding (EUR)"),
}
# The "missions by ..." sections: the key of their rows, their title, their first column.
_GROUPS = {
    "institution": (N_("Missions by host institution"), N_("Institution")),
    "type": (N_("Missions by type"), N_("Type")),
    "discipline": (N_("Missions by discipline"), N_("Discipline")),
    "programme": (N_("Missions by programme"), N_("Programme")),
}


def annual_document(report: Mapping, lang: str) -> Document:
    """The annual report as titled sections, charts and a footer, in `lang`."""
    with i18n.speaking(lang):
        sections = [
            summary_section(report),
            months_section(report),
            *(group_section(report, key) for key in _GROUPS),
            funders_section(report),
            countries_section(report),
            consultants_section(report),
            unfilled_needs_section(report),
            completed_missions_section(report),
            evaluations_section(report),
            agreements_section(report),
            associations_section(report),
            projects_section(report),
        ]
        programmes = ", ".join(r["programme"] for r in report["missions_by_programme"])
        # Translators: the subtitle of the annual report, under its title.
        subtitle = _("Transfer of knowledge by Malians abroad")
        if programmes:
            # Translators: the subtitle of the annual report, with the codes of the year's programmes.
            subtitle = _("Transfer of knowledge by Malians abroad — Programmes: {codes}").format(codes=programmes)
        stamp = report["stamp"]
        return Document(
            lang,
            _("Annual activity report {year}").format(year=report["year"]),
            subtitle,
            sections,
            _(
                "Made with maliext {version} from the database {database} on {date}. "
                "Checksum of the data read: {checksum}."
            ).format(
                version=stamp["maliext"],
                database=stamp["database"],
                date=long_date(stamp["date"]),
                checksum=stamp["checksum"],
            ),
        )


# ------------------------------------------------------------------ the sections
def summary_section(report: Mapping) -> Section:
    """The year's key figures beside the year before's, with the change."""
    rows = []
    for key, value in report["summary"].items():
        diff = report["change"][key]
        rows.append(
            [
                _(FIGURES[key]),
                _figure(key, value),
                _figure(key, report["previous"][key]),
                signed(diff, decimals=2 if key in _MONEY_KEYS or key == "mean_rating" else None),
                percent(report["change_percent"][key]),
            ]
        )
    return table(
        "summary",
        _("Key figures {year} and change from {previous}").format(
            year=report["year"], previous=report["previous_year"]
        ),
        # Translators: column headers of the annual report's key figures: the
        # indicator, the year, the year before, the change and the change in per cent.
        (_("Indicator"), str(report["year"]), str(report["previous_year"]), _("Change"), _("Change (%)")),
        rows,
        (1, 2, 3, 4),
    )


def months_section(report: Mapping) -> Section:
    """Completed missions by month, as a chart of twelve columns."""
    title = _("Completed missions by month")
    chart = Chart(
        "months",
        title,
        [(name, r["missions"], number(r["missions"])) for name, r in zip(month_names(), report["missions_by_month"])],
        vertical=True,
        label_header=_("Month"),
        value_header=_("Missions"),
        short=month_names(width="abbreviated"),
    )
    return Section("missions_by_month", title, chart=chart)


def _group_columns() -> tuple[str, ...]:
    return (
        _("Missions"),
        _("Consultants"),
        _("Person-days"),
        _("Cost (EUR)"),
        _("Cost (XOF)"),
        # Translators: a short column header: people trained.
        _("Trained"),
        # Translators: a short column header: theses supervised.
        _("Theses"),
    )


def group_section(report: Mapping, key: str) -> Section:
    """The missions by institution, type, discipline or programme (`key`), the busiest
    first, with the year's totals."""

    def figures(r: Mapping, consultants: str) -> list[str]:
        return [
            number(r["missions"]),
            number(r[consultants]),
            number(r["person_days"]),
            money(r["cost_eur"]),
            number(r["cost_xof"]),
            number(r["people_trained"]),
            number(r["theses_supervised"]),
        ]

    named = [
        (label(key, r[key]) if key in ("type", "discipline") else (r[key] or label(key, None)), r)
        for r in report[f"missions_by_{key}"]
    ]
    # The busiest first: what a funder reads first.
    named.sort(key=lambda item: (-item[1]["missions"], item[0].casefold()))
    rows = [[name, *figures(r, "consultants")] for name, r in named]
    totals = [_("Total"), *figures(report["summary"], "mission_consultants")] if rows else None
    title, first = _GROUPS[key]
    return table(f"missions_by_{key}", _(title), (_(first), *_group_columns()), rows, range(1, 8), totals=totals)


def funders_section(report: Mapping) -> Section:
    """The costs by funder in EUR and FCFA, with a chart in EUR."""
    funders = report["costs_by_funder"]
    s = report["summary"]
    chart = Chart(
        "funders",
        _("Cost of the missions by funder (EUR)"),
        [(r["funder"] or label("funder", None), r["cost_eur"], money(r["cost_eur"])) for r in funders],
        label_header=_("Funder"),
        value_header=_("Cost (EUR)"),
    )
    return table(
        "costs_by_funder",
        _("Costs by funder"),
        (_("Funder"), _("Missions"), _("Cost (EUR)"), _("Cost (XOF)")),
        [
            [r["funder"] or label("funder", None), number(r["missions"]), money(r["cost_eur"]), number(r["cost_xof"])]
            for r in funders
        ],
        (1, 2, 3),
        totals=[_("Total"), number(s["missions"]), money(s["cost_eur"]), number(s["cost_xof"])] if funders else None,
        chart=chart,
    )


def countries_section(report: Mapping) -> Section:
    """The consultants on mission by country of residence, as a chart."""
    title = _("Consultants on mission by country of residence")
    chart = Chart(
        "countries",
        title,
        [
            (label("country", r["country"]), r["consultants"], number(r["consultants"]))
            for r in report["consultants_by_country"]
        ],
        label_header=_("Country"),
        value_header=_("Consultants"),
    )
    return Section("consultants_by_country", title, chart=chart, empty=_("None."))


def consultants_section(report: Mapping) -> Section:
    """The consultants on mission, new or returning."""
    s = report["summary"]
    return table(
        "consultants",
        _("Consultants on mission: new and returning"),
        (
            _("Consultant"),
            _("Country"),
            _("Discipline"),
            _("Missions"),
            _("Person-days"),
            _("First mission"),
            # Translators: a column header: whether the consultant is on a first mission ("new") or came before ("returning").
            _("New"),
        ),
        [
            [
                r["name"],
                label("country", r["country"]),
                label("discipline", r["discipline"]),
                number(r["missions"]),
                number(r["person_days"]),
                medium_date(r["first_mission"]),
                # Translators: a cell of the column "New": a consultant on a first mission, or one who came before.
                _("new") if r["new"] else _("returning"),
            ]
            for r in report["consultants"]
        ],
        (3, 4),
        nowrap=(5,),
        note=_("New (first mission): {new}; returning: {returning}.").format(
            new=number(s["new_consultants"]), returning=number(s["returning_consultants"])
        ),
    )


def unfilled_needs_section(report: Mapping) -> Section:
    """The needs still open whose wished period overlaps the year."""
    return table(
        "unfilled_needs",
        _("Unfilled needs"),
        (
            _("Institution"),
            _("Need"),
            _("Type"),
            _("Wished period"),
            _("Seats"),
            # Translators: a column header beside "Seats": how many of them are filled.
            _("Filled"),
        ),
        [
            [
                r["institution"],
                r["title"],
                label("type", r["type"]),
                period(r["window_start"], r["window_end"]),
                number(r["seats"]),
                number(r["seats_filled"]),
            ]
            for r in report["unfilled_needs"]
        ],
        (4, 5),
        note=_("Needs still open today whose wished period overlaps {year}.").format(year=report["year"]),
    )


def completed_missions_section(report: Mapping) -> Section:
    """The missions completed in the year, with their outcomes and cost."""
    return table(
        "completed_missions",
        _("Completed missions and their outcomes"),
        (
            _("Dates"),
            _("Days"),
            _("Consultant"),
            _("Institution"),
            _("Type"),
            _("Programme"),
            # Translators: a short column header: hours taught.
            _("Hours"),
            _("Trained"),
            _("Theses"),
            # Translators: a short column header: the mission's rating, 1 to 5.
            _("Rating"),
            _("Cost (EUR)"),
        ),
        [
            [
                period(r["start_date"], r["end_date"], year=report["year"]),
                number(r["days"]),
                r["consultant_name"],
                r["institution"],
                label("type", r["type"]),
                r["programme"],
                _optional(r["hours_taught"]),
                _optional(r["people_trained"]),
                _optional(r["theses_supervised"]),
                _optional(r["rating"]),
                money(r["cost_eur"]),
            ]
            for r in report["completed_missions"]
        ],
        (1, 6, 7, 8, 9, 10),
    )


def evaluations_section(report: Mapping) -> Section:
    """The mean of each criterion of the evaluations of the year's missions."""
    from maliext_cli.reference import vocab

    found = report["evaluations"]
    rows = [
        [
            _capital(vocab.EVALUATION_CRITERION.label(r["criterion"])),
            number(r["scores"]),
            _mean(r["mean"]),
            _mean(r["mean_host"]),
            _mean(r["mean_consultant"]),
        ]
        for r in found["by_criterion"]
        if r["scores"]
    ]
    return table(
        "evaluations",
        _("Evaluations of the missions"),
        (
            _("Criterion"),
            # Translators: a column header: how many scores were given for a criterion.
            _("Scores"),
            # Translators: a column header: the mean score of a criterion, all evaluators.
            _("Mean"),
            # Translators: a column header: the mean score given by the host institutions.
            _("Hosts"),
            # Translators: a column header: the mean score given by the consultants.
            _("Consultants"),
        ),
        rows,
        (1, 2, 3, 4),
        note=ngettext(
            "{n} evaluation of {missions} of the year's completed missions, by their host institutions and "
            "consultants; each criterion scored from 1 (poor) to 5 (excellent).",
            "{n} evaluations of {missions} of the year's completed missions, by their host institutions and "
            "consultants; each criterion scored from 1 (poor) to 5 (excellent).",
            found["evaluations"],
        ).format(n=number(found["evaluations"]), missions=number(found["missions_evaluated"])),
    )


def _mean(value) -> str:
    return number(value, decimals=2) if value is not None else DASH


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def agreements_section(report: Mapping) -> Section:
    """The cooperation agreements signed in the year."""
    return table(
        "agreements_signed",
        _("Cooperation agreements signed"),
        (_("Signed on"), _("Title"), _("Institution"), _("Partner"), _("Country"), _("Brokered by")),
        [
            [
                medium_date(r["signed_on"]),
                r["title"],
                r["institution"],
                r["partner"],
                label("country", r["partner_country"]) if r["partner_country"] else "",
                r["consultant_name"] or "",
            ]
            for r in report["agreements_signed"]
        ],
        nowrap=(0,),
    )


def associations_section(report: Mapping) -> Section:
    """The diaspora associations founded in the year."""
    return table(
        "associations_founded",
        _("Associations founded"),
        (_("Name"), _("Acronym"), _("Level"), _("Country"), _("City"), _("Members")),
        [
            [
                r["name"],
                r["acronym"] or "",
                label("level", r["level"]),
                label("country", r["country"]),
                r["city"] or "",
                _optional(r["members"]),
            ]
            for r in report["associations_founded"]
        ],
        (5,),
    )


def projects_section(report: Mapping) -> Section:
    """The co-development projects of the year, with their funding in EUR."""
    return table(
        "projects",
        _("Co-development projects of the year"),
        (
            _("Project"),
            _("Association"),
            _("Sector"),
            _("Locality"),
            _("Region"),
            _("Status"),
            _("Diaspora (EUR)"),
            _("Subsidy (EUR)"),
            _("Total (EUR)"),
        ),
        [
            [
                r["title"],
                r["association"],
                label("sector", r["sector"]) if r["sector"] else "",
                r["locality"] or "",
                label("region", r["region"]) if r["region"] else "",
                label("project_status", r["status"]),
                money(r["diaspora_contribution_eur"]),
                money(r["subsidy_eur"]),
                money(r["total_eur"]),
            ]
            for r in report["projects"]
        ],
        (6, 7, 8),
    )


# ----------------------------------------------------------------------- cells
def _figure(key: str, value) -> str:
    """A key figure: money with cents, the mean rating with two decimals."""
    if key in _MONEY_KEYS:
        return money(value)
    if key == "mean_rating":
        return number(value, decimals=2) if value is not None else DASH
    return number(value)


def _optional(value) -> str:
    """A count that may be missing: left blank then (a dash would read as zero)."""
    return number(value) if value is not None else ""
