"""Self-contained HTML pages: no network, no scripts, no external fonts; printed on A4.

What printing asks of a page (tests/test_print_layout.py lays every HTML output out in
headless Chromium, in French and English, and checks it): no table wider than the page,
so a wide table gets a landscape page and headers that wrap; headers repeated on each
page a table runs over; dates and figures kept on one line; small type in tables that
funders read as lists.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maliext_cli.render.document import Document, Section

# The page: A4, and its margins (the layout test takes them off to find the text's width).
A4_MM = (210, 297)
PAGE_MARGINS_MM = (10, 10)  # top and bottom, left and right

STYLE = f"""
@page {{ size: A4; margin: {PAGE_MARGINS_MM[0]}mm {PAGE_MARGINS_MM[1]}mm; }}
body {{ font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 9pt; line-height: 1.25; color: #1a1a1a; margin: 0 auto; max-width: 190mm; }}
h1 {{ font-size: 15pt; margin: 0 0 2mm; color: #0b5394; }}
h2 {{ font-size: 11pt; margin: 3mm 0 1mm; color: #0b5394; border-bottom: 1px solid #c9d7e8; }}
table {{ border-collapse: collapse; width: 100%; margin: 1mm 0 2.5mm; font-size: 8pt; line-height: 1.15; }}
thead {{ display: table-header-group; }}
th, td {{ border: 1px solid #c9d7e8; padding: 0.4mm 1.2mm; text-align: left; vertical-align: top; overflow-wrap: break-word; }}
th {{ background: #eef3f9; font-weight: bold; }}
td.n, th.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.n, td.nw {{ white-space: nowrap; }}
tr.total td {{ font-weight: bold; background: #f6f8fb; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
footer {{ margin-top: 5mm; font-size: 7.5pt; color: #666; border-top: 1px solid #ddd; padding-top: 1.5mm; overflow-wrap: anywhere; }}
@media screen {{ body {{ padding: 6mm 8mm; }} }}
"""
# A page of one table (grouped reports) is laid out at the largest type at which the
# narrowest the table can be fits the page: each column as wide as its longest word (a
# key wraps after its underscores: `returning_<wbr>consultants`) or figure. Portrait
# while a table of at most PORTRAIT_COLUMNS fits, landscape beyond.
PORTRAIT_COLUMNS = 8
TABLE_SIZES_PT = (8, 7.5, 7, 6.5, 6)
LANDSCAPE_STYLE = """
@page { size: A4 landscape; }
body { max-width: none; }
"""
# Past the smallest type, a header breaks anywhere rather than push a column off the page.
LAST_RESORT_STYLE = """
th { overflow-wrap: anywhere; }
"""
_EM_PER_CHARACTER = 0.64  # DejaVu Sans: a digit, a bold letter
_CELL_PADDING_PX = 2 * 1.2 * 96 / 25.4 + 1  # th, td padding and a border


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return escape("; ".join(str(v) for v in value))
    return escape(str(value))


def _header(name: str) -> str:
    """A column's header, which may wrap after an underscore (`returning_<wbr>consultants`)
    rather than widen the table."""
    return escape(name).replace("_", "_<wbr>")


def table(
    rows: Sequence[Mapping],
    columns: Sequence[str],
    *,
    totals: Mapping | None = None,
    numeric: Collection[str] | None = None,
    nowrap: Collection[str] = (),
    headers: Sequence[str] | None = None,
    css: str = "",
) -> str:
    """A table of `rows` by `columns` (their keys); `headers` as the reader reads them
    (default: the keys, which may wrap after an underscore); `numeric` columns are
    right-aligned and kept on one line (default: those holding numbers only), `nowrap`
    ones kept on one line."""
    if numeric is None:
        numeric = {
            c for c in columns if rows and all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows)
        }

    def attribute(column: str) -> str:
        return " class=n" if column in numeric else " class=nw" if column in nowrap else ""

    shown = [escape(h) for h in headers] if headers is not None else [_header(c) for c in columns]
    head = "".join(f"<th{' class=n' if c in numeric else ''}>{h}</th>" for c, h in zip(columns, shown))
    body = []
    for r, tr in [*((r, "") for r in rows), *(((totals, ' class="total"'),) if totals else ())]:
        cells = "".join(f"<td{attribute(c)}>{_cell(r.get(c))}</td>" for c in columns)
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
    """One table as a page (grouped reports: `mission report`, `association report`...),
    on a landscape page when it has many columns, in type small enough for no column to
    be lost."""
    width = _narrowest(rows if totals is None else [*rows, totals], columns)
    portrait, landscape = (
        (A4_MM[i] - 2 * PAGE_MARGINS_MM[1]) * 96 / 25.4 for i in (0, 1)
    )  # the text's width in CSS pixels
    style = ""
    if len(columns) > PORTRAIT_COLUMNS or width(TABLE_SIZES_PT[0]) > portrait:
        style += LANDSCAPE_STYLE
        room = landscape
    else:
        room = portrait
    size = next((pt for pt in TABLE_SIZES_PT if width(pt) <= room), None)
    style += f"table {{ font-size: {size or TABLE_SIZES_PT[-1]}pt; }}"
    if size is None:
        style += LAST_RESORT_STYLE
    return page(title, table(rows, columns, totals=totals), style=style)


def _narrowest(rows: Sequence[Mapping], columns: Sequence[str]):
    """The width in CSS pixels of `columns` at their narrowest, as a function of the
    type's size in points: each column as wide as its longest unbreakable piece."""

    def characters(column: str) -> int:
        pieces = [len(piece) + 1 for piece in column.split("_")]
        for r in rows:
            value = r.get(column)
            if isinstance(value, (int, float)):
                pieces.append(len(str(value)))
            elif value is not None:
                # A line may break at a space or after a hyphen (administrative-support).
                pieces.extend(len(word) for word in re.split(r"\s+|(?<=-)", _cell(value)) if word)
        return max(pieces)

    counts = [characters(c) for c in columns]
    return lambda pt: sum(n * _EM_PER_CHARACTER * pt * 96 / 72 + _CELL_PADDING_PX for n in counts)


# -------------------------------------------------------------- report documents
DOCUMENT_STYLE = """
p.subtitle { color: #444; margin: -1mm 0 2mm; }
p.note { color: #444; font-size: 8pt; margin: 0.5mm 0 1mm; }
p.empty { color: #666; font-style: italic; margin: 1mm 0 2mm; }
h2 { break-after: avoid; page-break-after: avoid; }
figure { margin: 1mm 0 2mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; font-size: 8.5pt; margin-bottom: 1mm; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { fill: #1a1a1a; font-size: 11px; }
svg.chart text.v { fill: #444; font-size: 10px; }
table.small { font-size: 7.5pt; }
table.small th, table.small td { padding: 0.3mm 0.8mm; }
div.pair { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6mm; align-items: start; }
div.pair > section { min-width: 0; break-inside: avoid; page-break-inside: avoid; }
"""
# Sections narrow enough to sit two by two: a chart of bars, with or without a table of
# at most this many columns.
NARROW_COLUMNS = 4


def _narrow(section: Section) -> bool:
    chart = section.chart
    return chart is not None and not chart.vertical and len(section.columns) <= NARROW_COLUMNS


def _chart(section: Section, half: bool = False) -> str:
    from maliext_cli.render import svg

    chart = section.chart
    if chart is None:
        return ""
    if chart.vertical:
        bars = (
            [(short, v, shown) for short, (_name, v, shown) in zip(chart.short, chart.bars)]
            if chart.short
            else chart.bars
        )
        drawing = svg.columns(chart.key, chart.title, bars)
    else:
        width = svg.HALF if half else svg.WIDTH
        drawing = svg.bars(chart.key, chart.title, chart.bars, empty=section.empty, width=width)
    caption = f"<figcaption>{escape(chart.title)}</figcaption>" if chart.title != section.title else ""
    return f"<figure>{caption}{drawing}</figure>"


def _section(section: Section, half: bool = False) -> str:
    parts = [f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>']
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    parts.append(_chart(section, half))
    if section.columns:
        if section.rows:
            # Columns by position: two of them may bear the same header.
            columns = [str(i) for i in range(len(section.columns))]
            rows = [dict(zip(columns, r)) for r in section.rows]
            totals = dict(zip(columns, section.totals)) if section.totals else None
            numeric = {columns[i] for i in section.numeric}
            nowrap = {columns[i] for i in section.nowrap}
            css = "small" if len(section.columns) > 6 else ""
            parts.append(
                table(rows, columns, totals=totals, numeric=numeric, nowrap=nowrap, headers=section.columns, css=css)
            )
        else:
            parts.append(f'<p class="empty">{escape(section.empty)}</p>')
    parts.append("</section>")
    return "".join(parts)


def _sections(sections: Sequence[Section]) -> str:
    """The sections in order, two narrow ones that follow each other side by side."""
    parts, i = [], 0
    while i < len(sections):
        if i + 1 < len(sections) and _narrow(sections[i]) and _narrow(sections[i + 1]):
            parts.append(f'<div class="pair">{_section(sections[i], True)}{_section(sections[i + 1], True)}</div>')
            i += 2
        else:
            parts.append(_section(sections[i]))
            i += 1
    return "".join(parts)


def document_page(doc: Document) -> str:
    """A report (render/document.Document) as one self-contained, printable page: tables,
    charts drawn as inline SVG, and the footer that says how it was made."""
    subtitle = f'<p class="subtitle">{escape(doc.subtitle)}</p>' if doc.subtitle else ""
    body = subtitle + _sections(doc.sections)
    return page(doc.title, body, lang=doc.lang, footer=escape(doc.footer), style=DOCUMENT_STYLE) + "\n"
