"""Self-contained HTML pages: no network, no scripts, no external fonts; printable on A4."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

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


def table(rows: Sequence[Mapping], columns: Sequence[str], *, totals: Mapping | None = None) -> str:
    numeric = {c for c in columns if rows and all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows)}
    head = "".join(f"<th{' class=n' if c in numeric else ''}>{escape(c)}</th>" for c in columns)
    body = []
    for r, css in [*((r, "") for r in rows), *(((totals, ' class="total"'),) if totals else ())]:
        cells = "".join(f"<td{' class=n' if c in numeric else ''}>{_cell(r.get(c))}</td>" for c in columns)
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, body: str, *, lang: str = "en", footer: str = "") -> str:
    foot = f"<footer>{footer}</footer>" if footer else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}{foot}</body></html>"
    )


def table_page(title: str, rows: Sequence[Mapping], columns: Sequence[str], *, totals: Mapping | None = None) -> str:
    return page(title, table(rows, columns, totals=totals))
