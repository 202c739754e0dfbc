"""Records out: one function for every format, so that every command prints alike.

`table` is drawn by rich on a terminal and by tabulate when piped: the same columns and
rows either way, only the drawing (and colour) differs. CSV and TSV cells are made safe
for spreadsheets; lists are `;`-joined there and JSON arrays in JSON.

Headers are what people and scripts each read: the field names in csv, tsv, json and
jsonl (scripts rely on them, in every language), the columns' labels in the interface
language in the formats people read (table, markdown, the tabulate formats, html;
render/headers.py). Without `-c`, `table` and `html` show a record's brief columns (the
few a person scans), and `table` shortens long texts so that each record stays on one
line: the width of the terminal, or 100 columns when piped.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Collection, Mapping, Sequence
from typing import IO, Any

from maliext_cli.errors import UsageProblem
from maliext_cli.i18n import _
from maliext_cli.services.cells import neutralise

BUILTIN_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
REPORT_FORMATS = (*BUILTIN_FORMATS, "html")
LIST_FORMATS = REPORT_FORMATS
# The formats scripts read: field names as headers, every field unless -c says otherwise.
MACHINE_FORMATS = ("csv", "tsv", "json", "jsonl")
# The formats that show a record's brief columns when no -c is given.
BRIEF_FORMATS = ("table", "html")
# What a fitted table takes when piped: it does not depend on the terminal.
PLAIN_WIDTH = 100
# A shortened column keeps at least this many characters (or its header's).
NARROWEST = 8
ELLIPSIS = "…"


def check_format(fmt: str, *, allowed: Sequence[str] = BUILTIN_FORMATS) -> str:
    """`fmt` if it is one of ours or a tabulate format name; a usage error otherwise."""
    name = fmt.strip().lower()
    if name in allowed:
        return name
    from tabulate import tabulate_formats

    if name in tabulate_formats and name not in ("html", "unsafehtml"):
        return name
    raise UsageProblem(
        f"unknown format {fmt!r}",
        hint=f"Use one of {', '.join(allowed)}, or a tabulate format such as grid, rst, latex, mediawiki.",
    )


def is_terminal(stream: IO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _cell(value: Any, *, sep: str = "; ") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return sep.join(_cell(v, sep=sep) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    if isinstance(value, float):
        # As the number is (1500.5, 0.8022), without a float's noise; never rounded, so
        # that CSV holds what JSON holds (scores keep their four decimals).
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _shown(value: Any) -> str:
    """A cell as people read it: yes and no in the interface language."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return _cell(value)


def select_columns(known: Sequence[str], wanted: Sequence[str] | None) -> list[str]:
    """The columns to print: all of `known`, or those of `--columns a,b` (checked)."""
    if not wanted:
        return list(known)
    chosen = [c.strip() for part in wanted for c in part.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise UsageProblem(f"unknown column(s): {', '.join(unknown)}", hint=f"Columns: {', '.join(known)}")
    return chosen


def choose_columns(
    every: Sequence[str],
    wanted: Sequence[str] | None,
    fmt: str,
    *,
    brief: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> tuple[list[str], bool]:
    """(the columns to print, whether they are the brief ones): `brief` in the table
    and html formats when `--columns` is not given, `every` in the other formats and
    with `-c all`, else the columns named (among `every` and the readable `extra`
    ones, such as discipline_label)."""
    if not wanted:
        if brief and fmt in BRIEF_FORMATS:
            return list(brief), True
        return list(every), False
    if [c.strip() for part in wanted for c in part.split(",") if c.strip()] == ["all"]:
        return list(every), False
    return select_columns([*every, *(c for c in extra if c not in every)], wanted), False


def records(
    rows: Sequence[Mapping],
    fmt: str = "table",
    *,
    columns: Sequence[str] | None = None,
    stream: IO | None = None,
    totals: Mapping | None = None,
    fit: bool = False,
    labels: bool = True,
    named: Collection[str] = (),
    title: str = "",
) -> None:
    """Print records in `fmt`, with `columns` (default: the keys of the first record;
    give them so that an empty result still has its header). `totals` is a last row,
    drawn in table formats only.

    In the formats people read, headers are the columns' labels (render/headers.py;
    `named`: the reference columns that hold a name, not an id), unless `labels` is
    false (the columns a user named in SQL). `fit` (the brief columns): the table
    format shortens long texts so that each record holds on one line, the html page
    keeps dates and codes on one line. `title` heads the html page.
    """
    out = stream or sys.stdout
    cols = list(columns) if columns is not None else list(rows[0]) if rows else []
    if fmt in ("json", "jsonl"):
        data = rows if rows and list(rows[0]) == cols else [{c: r.get(c) for c in cols} for r in rows]
        if fmt == "json":
            out.write(json.dumps(list(data), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data))
        return
    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([neutralise(_cell(r.get(c), sep=";")) for c in cols])
        return
    heads = headers(cols, named=named) if labels else cols
    if fmt == "html":
        out.write(_html_page(title, rows, cols, heads, totals, brief=fit))
        return
    body = [[_shown(r.get(c)) for c in cols] for r in rows]
    if totals is not None:
        body.append([_shown(totals.get(c)) for c in cols])
    _table(body, heads, fmt, out, has_totals=totals is not None, fit=fit and fmt == "table")


def headers(columns: Sequence[str], *, named: Collection[str] = ()) -> list[str]:
    """The labels of `columns` in the interface language (render/headers.py)."""
    from maliext_cli.render.headers import label

    return [label(c, named=named) for c in columns]


# A date, a time or a figure: what a printed table never breaks over two lines.
_FIGURE = re.compile(r"(-?\d[\d.,:TZ-]*)?")


def _html_page(
    title: str, rows: Sequence[Mapping], cols: list[str], heads: list[str], totals: Mapping | None, *, brief: bool
) -> str:
    """A self-contained page holding the table, printable on A4 (render/html.py). The
    brief columns fit a portrait page, their dates and figures each on one line."""
    from maliext_cli.render import html

    # Keyed by the headers shown, so that the page heads its columns with them.
    keyed = [{h: r.get(c) for c, h in zip(cols, heads)} for r in rows]
    total = {h: totals.get(c) for c, h in zip(cols, heads)} if totals is not None else None
    if not brief:
        return html.table_page(title, keyed, heads, totals=total) + "\n"
    whole = {h for h in heads if all(_FIGURE.fullmatch(_cell(r.get(h))) for r in keyed)}
    return html.page(title, html.table(keyed, heads, totals=total, nowrap=whole), style="table { font-size: 8pt; }") + "\n"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip() if "\n" in text or "\t" in text or "\r" in text else text


def fitted(
    body: list[list[str]], heads: Sequence[str], width: int, *, gap: int, head_pad: int = 0
) -> list[list[str]]:
    """`body` with each cell on one line, and the longest texts shortened (ending in
    `…`) so that the columns, `gap` characters apart, hold in `width`: the widest
    columns of words (titles, names, commands) give way first, none below its header or
    NARROWEST characters; a column of single words (dates, codes, e-mail addresses)
    keeps its width unless nothing else can give way. A column is at least as wide as
    its header and `head_pad` (tabulate pads headers by 2)."""
    body = [[_one_line(cell) for cell in row] for row in body]
    least = [len(h) + head_pad for h in heads]
    natural = [max([least[i], *(len(row[i]) for row in body)]) for i in range(len(heads))]
    room = width - gap * (len(heads) - 1)
    if sum(natural) <= room:
        return body
    floors = [min(n, max(m, NARROWEST)) for n, m in zip(natural, least)]
    words = [any(" " in row[i] for row in body) for i in range(len(heads))]
    if sum(f if w else n for f, n, w in zip(floors, natural, words)) <= room:
        floors = [f if w else n for f, n, w in zip(floors, natural, words)]

    def total(cap: int) -> int:
        return sum(min(n, max(cap, f)) for n, f in zip(natural, floors))

    low, high = 0, max(natural)  # the widest cap under which the columns hold
    while low < high:
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    widths = [min(n, max(low, f)) for n, f in zip(natural, floors)]
    return [
        [cell if len(cell) <= w else cell[: w - len(ELLIPSIS)].rstrip() + ELLIPSIS for cell, w in zip(row, widths)]
        for row in body
    ]


def _table(body: list[list[str]], heads: list[str], fmt: str, out: IO, *, has_totals: bool, fit: bool) -> None:
    if fmt == "table" and is_terminal(out):
        from rich import box
        from rich.console import Console
        from rich.table import Table

        console = Console(file=out, no_color="NO_COLOR" in os.environ)
        if fit:
            # Rich pads each column with a space on both sides and puts one between them.
            body = fitted(body, heads, console.width - 2, gap=3)
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False)
        for h in heads:
            table.add_column(h, overflow="ellipsis" if fit else "fold", no_wrap=fit)
        for i, row in enumerate(body):
            last = has_totals and i == len(body) - 1
            table.add_row(*row, style="bold" if last else None, end_section=has_totals and i == len(body) - 2)
        console.print(table)
        return
    from tabulate import MIN_PADDING, tabulate

    if fit:
        body = fitted(body, heads, PLAIN_WIDTH, gap=2, head_pad=MIN_PADDING)
    tablefmt = {"table": "simple", "markdown": "pipe"}.get(fmt, fmt)
    if fmt == "markdown":
        body = [[cell.replace("|", "\\|") for cell in row] for row in body]
        heads = [h.replace("|", "\\|") for h in heads]
    if not body:
        out.write(tabulate([], headers=heads, tablefmt=tablefmt) + "\n")
        return
    out.write(tabulate(body, headers=heads, tablefmt=tablefmt, disable_numparse=True) + "\n")


def record(
    obj: Mapping,
    fmt: str = "table",
    *,
    sections: Sequence[str] = (),
    stream: IO | None = None,
    named: Collection[str] = (),
) -> None:
    """Print one record (`show`). In table formats, `sections` (lists of records inside
    `obj`) are drawn as tables after the fields, each headed by its label; JSON keeps
    them nested. `named` as for `records`."""
    out = stream or sys.stdout
    if fmt == "json":
        out.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "jsonl":
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        return
    flat = {k: v for k, v in obj.items() if k not in sections}
    if fmt in ("csv", "tsv"):
        records([flat], fmt, stream=out)
        return
    from maliext_cli.render.headers import label

    fields = [{"field": label(k, named=named), "value": _shown(v)} for k, v in flat.items()]
    records(fields, fmt, columns=["field", "value"], stream=out)
    for name in sections:
        if name not in obj:
            continue
        items = obj.get(name) or []
        out.write(f"\n{label(name)} ({len(items)})\n")
        if items:
            records(items, fmt, stream=out, fit=True)


def message(text: str) -> None:
    """A message for the user (stderr): never mixed with data."""
    print(text, file=sys.stderr)


def warning(text: str) -> None:
    print(f"Warning: {text}", file=sys.stderr)
