"""Self-contained HTML pages: no network, no scripts, no external fonts; printable on A4."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maliext_cli.render.document import Document, Section

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #1a1a1a; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 4mm; color: #0b5394; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; color: #0b5394; border-bottom: 1px solid #c9d7e8; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; page-break-inside: auto; }
th, td { border: 1px solid #c9d7e8; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #eef3f9; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #f6f8fb; }
tr { page-break-inside: avoid; }
footer { margin-top: 8mm; font-size: 8pt; color: #666; border-top: 1px solid #ddd; padding-top: 2mm; }
"""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return escape("; ".join(str(v) for v in value))
    return escape(str(value))


def table(
    rows: Sequence[Mapping],
    columns: Sequence[str],
    *,
    totals: Mapping | None = None,
    numeric: Collection[str] | None = None,
    css: str = "",
) -> str:
    """A table; `numeric` columns are right-aligned (default: those holding numbers only)."""
    if numeric is None:
        numeric = {
            c for c in columns if rows and all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows)
        }
    head = "".join(f"<th{' class=n' if c in numeric else ''}>{escape(c)}</th>" for c in columns)
    body = []
    for r, tr in [*((r, "") for r in rows), *(((totals, ' class="total"'),) if totals else ())]:
        cells = "".join(f"<td{' class=n' if c in numeric else ''}>{_cell(r.get(c))}</td>" for c in columns)
        body.append(f"<tr{tr}>{cells}</tr>")
    attr = f' class="{escape(css)}"' if css else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, body: str, *, lang: str | None = None, footer: str = "", style: str = "") -> str:
    """A whole page, in `lang` (default: the interface language)."""
    if lang is None:
        from maliext_cli import i18n

        lang = i18n.current()
    foot = f"<footer>{footer}</footer>" if footer else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}{style}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}{foot}</body></html>"
    )


def table_page(title: str, rows: Sequence[Mapping], columns: Sequence[str], *, totals: Mapping | None = None) -> str:
    return page(title, table(rows, columns, totals=totals))


# -------------------------------------------------------------- report documents
DOCUMENT_STYLE = """
p.subtitle { color: #444; margin: -2mm 0 5mm; }
p.note { color: #444; font-size: 9pt; margin: 1mm 0 2mm; }
p.empty { color: #666; font-style: italic; }
h2 { page-break-after: avoid; break-after: avoid; }
figure { margin: 2mm 0 4mm; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-weight: bold; font-size: 9.5pt; margin-bottom: 1mm; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { fill: #1a1a1a; font-size: 11px; }
svg.chart text.v { fill: #444; font-size: 10px; }
table.small th, table.small td { font-size: 8pt; padding: 0.8mm 1.2mm; }
footer { overflow-wrap: anywhere; }
@media screen { body { padding: 6mm 8mm; } }
"""


def _chart(section: Section) -> str:
    from maliext_cli.render import svg

    chart = section.chart
    if chart is None:
        return ""
    if chart.vertical:
        bars = (
            [(short, v, shown) for short, (_, v, shown) in zip(chart.short, chart.bars)] if chart.short else chart.bars
        )
        drawing = svg.columns(chart.key, chart.title, bars)
    else:
        drawing = svg.bars(chart.key, chart.title, chart.bars, empty=section.empty)
    caption = f"<figcaption>{escape(chart.title)}</figcaption>" if chart.title != section.title else ""
    return f"<figure>{caption}{drawing}</figure>"


def _section(section: Section) -> str:
    parts = [f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>']
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    parts.append(_chart(section))
    if section.columns:
        if section.rows:
            rows = [dict(zip(section.columns, r)) for r in section.rows]
            totals = dict(zip(section.columns, section.totals)) if section.totals else None
            numeric = {section.columns[i] for i in section.numeric}
            css = "small" if len(section.columns) > 6 else ""
            parts.append(table(rows, section.columns, totals=totals, numeric=numeric, css=css))
        else:
            parts.append(f'<p class="empty">{escape(section.empty)}</p>')
    parts.append("</section>")
    return "".join(parts)


def document_page(doc: Document) -> str:
    """A report (render/document.Document) as one self-contained, printable page: tables,
    charts drawn as inline SVG, and the footer that says how it was made."""
    subtitle = f'<p class="subtitle">{escape(doc.subtitle)}</p>' if doc.subtitle else ""
    body = subtitle + "".join(_section(s) for s in doc.sections)
    return page(doc.title, body, lang=doc.lang, footer=escape(doc.footer), style=DOCUMENT_STYLE) + "\n"
