"""Records out: one function for every format, so that every command prints alike.

`table` is drawn by rich on a terminal and by tabulate when piped: the same columns and
rows either way, only the drawing (and colour) differs. CSV and TSV cells are made safe
for spreadsheets; lists are `;`-joined there and JSON arrays in JSON.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import IO, Any

from maliext_cli.errors import UsageProblem
from maliext_cli.services.cells import neutralise

BUILTIN_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
REPORT_FORMATS = (*BUILTIN_FORMATS, "html")


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


def select_columns(known: Sequence[str], wanted: Sequence[str] | None) -> list[str]:
    """The columns to print: all of `known`, or those of `--columns a,b` (checked)."""
    if not wanted:
        return list(known)
    chosen = [c.strip() for part in wanted for c in part.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise UsageProblem(f"unknown column(s): {', '.join(unknown)}", hint=f"Columns: {', '.join(known)}")
    return chosen


def records(
    rows: Sequence[Mapping],
    fmt: str = "table",
    *,
    columns: Sequence[str] | None = None,
    stream: IO | None = None,
    totals: Mapping | None = None,
) -> None:
    """Print records in `fmt`, with `columns` (default: the keys of the first record;
    give them so that an empty result still has its header). `totals` is a last row,
    drawn in table formats only."""
    out = stream or sys.stdout
    cols = list(columns) if columns is not None else list(rows[0]) if rows else []
    if fmt in ("json", "jsonl"):
        data = rows if rows and list(rows[0]) == cols else [{c: r.get(c) for c in cols} for r in rows]
        if fmt == "json":
            out.write(json.dumps(list(data), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data))
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([neutralise(_cell(r.get(c), sep=";")) for c in cols])
    else:
        body = [[_cell(r.get(c)) for c in cols] for r in rows]
        if totals is not None:
            body.append([_cell(totals.get(c)) for c in cols])
        _table(body, cols, fmt, out, has_totals=totals is not None)


def _table(body: list[list[str]], cols: list[str], fmt: str, out: IO, *, has_totals: bool) -> None:
    if fmt == "table" and is_terminal(out):
        from rich import box
        from rich.console import Console
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False)
        for c in cols:
            table.add_column(c, overflow="fold")
        for i, row in enumerate(body):
            last = has_totals and i == len(body) - 1
            table.add_row(*row, style="bold" if last else None, end_section=has_totals and i == len(body) - 2)
        Console(file=out, no_color="NO_COLOR" in os.environ).print(table)
        return
    from tabulate import tabulate

    tablefmt = {"table": "simple", "markdown": "pipe"}.get(fmt, fmt)
    if fmt == "markdown":
        body = [[cell.replace("|", "\\|") for cell in row] for row in body]
    if not body:
        out.write(tabulate([], headers=cols, tablefmt=tablefmt) + "\n")
        return
    out.write(tabulate(body, headers=cols, tablefmt=tablefmt, disable_numparse=True) + "\n")


def record(obj: Mapping, fmt: str = "table", *, sections: Sequence[str] = (), stream: IO | None = None) -> None:
    """Print one record (`show`). In table formats, `sections` (lists of records inside
    `obj`) are drawn as tables after the fields; JSON keeps them nested."""
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
    records([{"field": k, "value": _cell(v)} for k, v in flat.items()], fmt, stream=out)
    for name in sections:
        items = obj.get(name) or []
        out.write(f"\n{name} ({len(items)})\n")
        if items:
            records(items, fmt, stream=out)


def message(text: str) -> None:
    """A message for the user (stderr): never mixed with data."""
    print(text, file=sys.stderr)


def warning(text: str) -> None:
    print(f"Warning: {text}", file=sys.stderr)
