"""Reports as text: titled tables and bar charts (`report summary`, `report annual`).

`table` is drawn by rich on a terminal (colour, right-aligned figures) and as plain text
when piped: the same sections, tables and bars either way. `markdown` gives the same
content as Markdown, charts as two-column tables (a section that has a table of its own
keeps only the table: it holds the chart's figures). Other tabulate formats draw the
tables in that format.
"""

from __future__ import annotations

import os
from typing import IO

from maliext_cli.render import output
from maliext_cli.render.document import Chart, Document, Section

BAR = "█"
BAR_WIDTH = 40


def _bar(value: float, most: float) -> str:
    if value <= 0 or most <= 0:
        return ""
    return BAR * max(1, round(BAR_WIDTH * value / most))


def write(doc: Document, fmt: str, out: IO) -> None:
    """Print `doc` in `fmt`: table (rich on a terminal), markdown or a tabulate format."""
    if fmt == "table" and output.is_terminal(out):
        _rich(doc, out)
    else:
        _plain(doc, fmt, out)


# ------------------------------------------------------------------ plain text
def _plain(doc: Document, fmt: str, out: IO) -> None:
    from tabulate import tabulate

    markdown = fmt == "markdown"
    tablefmt = {"table": "simple", "markdown": "pipe"}.get(fmt, fmt)

    def grid(columns: list[str], rows: list[list[str]], numeric: frozenset[int]) -> str:
        if markdown:
            columns = [c.replace("|", "\\|") for c in columns]
            rows = [[cell.replace("|", "\\|") for cell in row] for row in rows]
        align = ["right" if i in numeric else "left" for i in range(len(columns))]
        return tabulate(rows, headers=columns, tablefmt=tablefmt, disable_numparse=True, colalign=align)

    parts = [f"# {doc.title}" if markdown else _underlined(doc.title, "=")]
    if doc.subtitle:
        parts.append(doc.subtitle)
    for s in doc.sections:
        parts.append(f"## {s.title}" if markdown else _underlined(s.title, "-"))
        if s.note:
            parts.append(s.note)
        chart = s.chart
        if chart is not None and (not markdown or not s.columns):
            if not chart.bars:
                parts.append(s.empty)
            elif markdown:
                rows = [[name, shown] for name, _, shown in chart.bars]
                parts.append(grid([chart.label_header or " ", chart.value_header or " "], rows, frozenset({1})))
            else:
                parts.append(_text_bars(chart))
        if s.columns:
            rows = [*s.rows, *([s.totals] if s.totals and s.rows else [])]
            parts.append(grid(s.columns, rows, s.numeric) if s.rows else s.empty)
    if doc.footer:
        parts.append(("---\n\n" if markdown else "") + doc.footer)
    out.write("\n\n".join(parts) + "\n")


def _underlined(text: str, mark: str) -> str:
    return f"{text}\n{mark * len(text)}"


def _text_bars(chart: Chart) -> str:
    width = max(len(name) for name, _, _ in chart.bars)
    shown = max(len(s) for _, _, s in chart.bars)
    most = max(v for _, v, _ in chart.bars)
    return "\n".join(f"{name:<{width}}  {s:>{shown}}  {_bar(v, most)}".rstrip() for name, v, s in chart.bars)


# ------------------------------------------------------------------------ rich
def _rich(doc: Document, out: IO) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, no_color="NO_COLOR" in os.environ, highlight=False)
    console.print(Text(doc.title, style="bold"))
    if doc.subtitle:
        console.print(Text(doc.subtitle, style="dim"))
    for s in doc.sections:
        console.print()
        console.print(Text(s.title, style="bold underline"))
        if s.note:
            console.print(Text(s.note, style="dim"))
        if s.chart is not None:
            console.print(_rich_bars(s.chart) if s.chart.bars else Text(s.empty, style="italic"))
        if s.columns:
            console.print(_rich_table(s) if s.rows else Text(s.empty, style="italic"))
    if doc.footer:
        console.print()
        console.print(Text(doc.footer, style="dim"))


def _rich_bars(chart: Chart):
    from rich import box
    from rich.table import Table

    grid = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
    grid.add_column()
    grid.add_column(justify="right")
    grid.add_column(style="blue")
    most = max(v for _, v, _ in chart.bars)
    for name, value, shown in chart.bars:
        grid.add_row(name, shown, _bar(value, most))
    return grid


def _rich_table(s: Section):
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False)
    for i, column in enumerate(s.columns):
        table.add_column(column, justify="right" if i in s.numeric else "left", overflow="fold")
    for i, row in enumerate(s.rows):
        table.add_row(*row, end_section=bool(s.totals) and i == len(s.rows) - 1)
    if s.totals:
        table.add_row(*s.totals, style="bold")
    return table
