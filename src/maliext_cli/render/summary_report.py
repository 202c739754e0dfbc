"""`report summary` for the reader: a table of key figures and one chart per breakdown."""

from __future__ import annotations

from collections.abc import Mapping

from maliext_cli import i18n
from maliext_cli.i18n import N_, _
from maliext_cli.render.document import Chart, Document, Section, table
from maliext_cli.render.formats import label, long_date, money, number

# The summary's figures and breakdowns, by their key in its JSON.
FIGURES = {
    "consultants": N_("Consultants in the repertory"),
    "consultants_by_status": N_("Consultants by status"),
    "consultants_by_sex": N_("Consultants by sex"),
    "consultants_by_degree": N_("Consultants by degree"),
    "consultants_by_country": N_("Consultants by country of residence"),
    "consultants_by_antenna": N_("Consultants by relay antenna"),
    "missions": N_("Completed missions"),
    "missions_planned": N_("Missions planned or ongoing"),
    "mission_consultants": N_("Consultants who did a mission"),
    "person_days": N_("Person-days on site"),
    "hours_taught": N_("Hours taught"),
    "theses_supervised": N_("Theses supervised"),
    "people_trained": N_("People trained"),
    "mission_cost_eur": N_("Cost of the missions (EUR)"),
    "mission_cost_xof": N_("Cost of the missions (XOF)"),
    "needs": N_("Needs posted"),
    "needs_open": N_("Needs open"),
    "needs_filled": N_("Needs filled"),
    "needs_cancelled": N_("Needs cancelled"),
    "agreements_negotiated": N_("Inter-university agreements negotiated"),
    "agreements_signed": N_("Agreements signed"),
    "agreements_in_force": N_("Agreements in force"),
    "antennas": N_("Relay antennas"),
    "associations": N_("Diaspora associations"),
    "associations_by_country": N_("Associations by country"),
    "associations_by_level": N_("Associations by level"),
    "projects": N_("Co-development projects"),
    "codev_diaspora_eur": N_("Diaspora contribution to projects (EUR)"),
    "codev_subsidy_eur": N_("Subsidies to projects (EUR)"),
    "codev_other_eur": N_("Other project funding (EUR)"),
    "codev_total_eur": N_("Total project funding (EUR)"),
    "codev_total_xof": N_("Total project funding (XOF)"),
}

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


def _item_label(kind: str, code: str) -> str:
    if kind == "sex" and code == "unknown":
        # Translators: a bar of "Consultants by sex": the sex was not recorded.
        return _("Not recorded")
    if kind == "antenna":
        # Translators: a bar of "Consultants by relay antenna": consultants attached to none.
        return _("No antenna") if code == "none" else code
    return label(kind, code)


def _bars(counts: Mapping[str, int], kind: str, top: int | None) -> list[tuple[str, float, str]]:
    """One bar per group, the largest first; beyond `top` groups, one bar for the others."""
    items = [(_item_label(kind, code), n) for code, n in counts.items()]
    if top is not None and len(items) > top + 1:
        # Translators: the last bar of a chart, adding up the smaller groups.
        items = [*items[:top], (_("Others"), sum(n for _name, n in items[top:]))]
    return [(name, n, number(n)) for name, n in items]


def summary_document(data: Mapping, lang: str, made: Mapping | None = None) -> Document:
    """The summary as a table of key figures and one chart per breakdown, in `lang`;
    `made` (version, database, date) gives the footer."""
    with i18n.speaking(lang):
        scalars = [(k, v) for k, v in data.items() if not isinstance(v, Mapping)]
        rows = [[_(FIGURES[k]), money(v) if k.endswith("_eur") else number(v)] for k, v in scalars]
        sections = [table("figures", _("Key figures"), (_("Indicator"), _("Value")), rows, (1,))]
        for key, (kind, top) in _BREAKDOWNS.items():
            title = _(FIGURES[key])
            chart = Chart(key, title, _bars(data[key], kind, top), False, "", _("Value"))
            sections.append(Section(key, title, chart=chart, empty=_("None.")))
        footer = (
            _("Made with maliext {version} from the database {database} on {date}.").format(
                version=made["maliext"], database=made["database"], date=long_date(made["date"])
            )
            if made
            else ""
        )
        return Document(lang, _("The programme at a glance"), sections=sections, footer=footer)
