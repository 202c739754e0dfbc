"""Options shared by every command, spelled once (DESIGN.md section 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help="Database file (else MALIEXT_DB, else the user's data directory).",
        show_default=False,
        dir_okay=False,
        # The store says why a file cannot be opened (exit 1, as for MALIEXT_DB);
        # click's own check would call an unreadable file a usage error (exit 2).
        readable=False,
    ),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "-f", "--format", help="table, csv, tsv, json, jsonl, markdown, or a tabulate format (grid, rst, latex...)."
    ),
]
ReportFormatOption = Annotated[
    str,
    typer.Option("-f", "--format", help="table, csv, tsv, json, jsonl, markdown, html, or a tabulate format."),
]
ColumnsOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "-c", "--columns", help="Only these columns, in this order (repeat or separate with ',').", show_default=False
    ),
]
QuietOption = Annotated[bool, typer.Option("-q", "--quiet", help="Print only the new ids, one per line.")]
YesOption = Annotated[bool, typer.Option("-y", "--yes", help="Do not ask for confirmation.")]
LimitOption = Annotated[
    Optional[int], typer.Option("--limit", help="At most this many records (no limit by default).", show_default=False)
]
SearchOption = Annotated[
    Optional[str],
    typer.Option("--search", help="Words to find, without regard to accents or case.", show_default=False),
]
InputFormatOption = Annotated[
    Optional[str],
    typer.Option("--input-format", help="csv, tsv, json or jsonl (detected when not given).", show_default=False),
]
EncodingOption = Annotated[
    str, typer.Option("--encoding", help="Text encoding of the file (e.g. cp1252 for an old Excel CSV).")
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check every row and report; write nothing.")]
UpsertOption = Annotated[
    bool, typer.Option("--upsert", help="Update records that already exist (matched by uid, then by natural key).")
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option(
        "-o", "--output", help="Write to this file instead of standard output.", show_default=False, dir_okay=False
    ),
]
RedactOption = Annotated[
    bool, typer.Option("--redact", help="Leave out personal contact data (e-mail, phone, birth year).")
]
ImportFile = Annotated[str, typer.Argument(help="File to import, or - for standard input.", metavar="FILE")]
