"""`report summary` for the reader: a table of key figures and one chart per breakdown."""

from __future__ import annotations

from collections.abc import Mapping

from maliext_cli.render.document import Chart, Document, Section, table
from maliext_cli.render.i18n import label, long_date, money, number, t

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
    sections = [table("figures", t("key_figures", lang), lang, ("indicator", "value"), rows, (1,))]
    for key, (kind, top) in _BREAKDOWNS.items():
        chart = Chart(key, t(key, lang), _bars(data[key], kind, top, lang), False, "", t("value", lang))
        sections.append(Section(key, t(key, lang), chart=chart, empty=t("none", lang)))
    footer = (
        t("made", lang, version=made["maliext"], database=made["database"], date=long_date(made["date"], lang))
        if made
        else ""
    )
    return Document(lang, t("summary_title", lang), sections=sections, footer=footer)
