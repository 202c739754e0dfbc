"""Options shared by every command, spelled once (DESIGN.md section 4): `Annotated`
aliases for single options, and decorators for the option groups that a noun's
declaration makes (one option per field, one per filter).

The noun modules (consultant.py, need.py...) leave out `from __future__ import
annotations`: Typer would then compile every annotation of their commands from its
text at each start, a few milliseconds that every command pays."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

if TYPE_CHECKING:
    from maliext_cli.services.crud import Filter
    from maliext_cli.services.records import Entity, Field

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
# Lists also print a page of html (printable on A4): the report formats.
ListFormatOption = ReportFormatOption
ColumnsOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "-c", "--columns", help="Only these columns, in this order (repeat or separate with ',').", show_default=False
    ),
]
QuietOption = Annotated[bool, typer.Option("-q", "--quiet", help="Print only the new ids, one per line.")]
YesOption = Annotated[bool, typer.Option("-y", "--yes", help="Do not ask for confirmation.")]
ExportFormatOption = Annotated[
    str, typer.Option("-f", "--format", help="csv (default), tsv, json, jsonl, markdown, table or a tabulate format.")
]
SortOption = Annotated[
    Optional[str],
    typer.Option(
        "--sort",
        help="Fields to sort by, e.g. name or -start_date (- for descending). Default: id.",
        show_default=False,
    ),
]
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


def field_options(entity: Entity, *, editing: bool = False, extra: Sequence[Field] = ()) -> Callable:
    """Give a command one option per field of `entity` (`--family-name`, `--window-start`)
    and of `extra`, after its own; the given ones reach it as a dict in its `values`
    parameter.

    Values are passed as typed: the service parses them, so that a bad value is an
    `Error:` with exit code 1 like any invalid data, not a usage error.
    """
    params = []
    for f in (*entity.fields, *extra):
        if not f.cli:
            continue
        text = f.help + (" Required." if f.required and not editing else "")
        if editing and not f.required:
            reset = f.default is not None and not f.many
            text += f" An empty value sets it back to {f.default}." if reset else " An empty value clears it."
        metavar = "REF" if f.ref else ("VALUE;..." if f.many else "TEXT")
        option = typer.Option(f.option, help=text, show_default=False, rich_help_panel="Fields", metavar=metavar)
        params.append(_keyword(f.name, Optional[list[str]] if f.many else Optional[str], option))
    return _gathered(params, "values", lambda given: {n: v for n, v in given.items() if v is not None})


def filter_options(filters: Sequence[Filter]) -> Callable:
    """Give a `list`, `export` or `report` command one option per filter of its noun,
    after its own; they reach it in its `filters` parameter, as {name: [values]}
    (every name, with [] for a filter not given), which is what `Noun.query` takes."""
    params = [
        _keyword(
            f.name,
            Optional[list[str]] if f.many else Optional[str],
            typer.Option(f.flag, help=f.help, show_default=False, metavar=f.metavar, rich_help_panel="Filters"),
        )
        for f in filters
    ]
    return _gathered(
        params,
        "filters",
        lambda given: {n: [v] if isinstance(v, str) else list(v or []) for n, v in given.items()},
    )


def _keyword(name: str, kind: Any, option: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[kind, option])


def _gathered(params: Sequence[inspect.Parameter], into: str, gather: Callable[[dict], Any]) -> Callable:
    """A decorator that shows Typer the command's own parameters (all but `into`)
    followed by `params`, and calls the command with `into=gather({name: value})`
    for the values of `params`."""
    names = [p.name for p in params]

    def decorate(fn: Callable) -> Callable:
        signature = inspect.signature(fn)
        hints = typing.get_type_hints(fn, include_extras=True)  # Typer needs them evaluated
        own = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
            if p.name != into
        ]

        @functools.wraps(fn)
        def command(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **{into: gather({n: kwargs.pop(n) for n in names})}, **kwargs)

        every = [*own, *params]
        command.__signature__ = signature.replace(parameters=every)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in every}
        return command

    return decorate
