"""Reading import files: CSV, TSV, a JSON array or JSON lines, from a file or stdin.

UTF-8 with or without BOM, CRLF line ends, `,` `;` or tab delimiters (French Excel
writes `;`), headers in French or English. Every record keeps the line it started on,
so that errors point at the line a user sees in their editor.
"""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from maliext_cli.errors import Invalid, UsageProblem
from maliext_cli.services.records import MISSING, Entity
from maliext_cli.text import a, fold

FORMATS = ("csv", "tsv", "json", "jsonl")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
# Columns that exports write and imports ignore (local or computed values).
IGNORED_COLUMNS = {"id", "created_at", "updated_at"}


@dataclass
class Source:
    """The records of an import file: `(line, cells)` with one cell per header, each
    record keeping the line (or record number, for a JSON array) it starts on."""

    records: list[tuple[int, list]]
    headers: list[str]
    format: str
    unit: str  # "line" or "record"
    warnings: list[str] = field(default_factory=list)

    @property
    def delimited(self) -> bool:
        """CSV or TSV: cells may carry the quote that neutralises spreadsheet formulas."""
        return self.format in ("csv", "tsv")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import runs: reading and
    checking 100,000 rows makes millions of cells, tuples and lists, none of them in
    a reference cycle, and the collector would walk them again and again (a tenth
    of the time of a large import). Reference counting still frees everything."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def decode(data: bytes, encoding: str = "utf-8") -> str:
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise UsageProblem(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Invalid(
            f"the file is not valid {encoding} text (line {line}, byte {exc.start})",
            hint="Save it as UTF-8 (in Excel: CSV UTF-8), or give its encoding with --encoding cp1252.",
        ) from None


def detect(text: str, name: str | None) -> str:
    suffix = Path(name).suffix.lower() if name else ""
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    head = text.lstrip()
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "jsonl"
    first = head.split("\n", 1)[0]
    return "tsv" if first.count("\t") > max(first.count(","), first.count(";")) else "csv"


def read(data: bytes, *, name: str | None = None, input_format: str | None = None, encoding: str = "utf-8") -> Source:
    text = decode(data, encoding)
    fmt = input_format or detect(text, name)
    if fmt not in FORMATS:
        raise UsageProblem(f"unknown input format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    if fmt in ("csv", "tsv"):
        return _read_delimited(text, fmt)
    if fmt == "json":
        return _read_json(text)
    return _read_jsonl(text)


def _read_delimited(text: str, fmt: str) -> Source:
    if fmt == "tsv":
        delimiter = "\t"
    else:
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return Source([], [], fmt, "line")
    except csv.Error as exc:
        raise Invalid(f"line 1: {exc}") from None
    header = [h.strip() for h in header]
    start = reader.line_num + 1
    try:
        rows = list(reader)
    except csv.Error:
        rows = None  # read again row by row, to say where
    if rows is not None and reader.line_num - start + 1 == len(rows):
        # The usual file: one line per record (no line break inside a quoted cell),
        # numbered without a Python loop.
        numbered = list(zip(range(start, start + len(rows)), rows))
    else:
        numbered = _numbered_rows(text, delimiter)
    return Source(_fit(numbered, len(header)), header, fmt, "line")


def _numbered_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every record after the header with the line it starts on (records may span
    lines); Invalid at the first line the csv module cannot read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    next(reader)
    numbered = []
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return numbered
        except csv.Error as exc:
            raise Invalid("the file cannot be read", details=[f"line {start}: {exc}"]) from None
        numbered.append((start, cells))
        start = reader.line_num + 1


def _fit(numbered: list[tuple[int, list[str]]], width: int) -> list[tuple[int, list[str]]]:
    """The records with one cell per column: blank lines dropped, short rows padded
    with empty cells; Invalid lists the rows that have more cells than columns."""
    if numbered and {len(cells) for _, cells in numbered} == {width}:
        return numbered
    records: list[tuple[int, list]] = []
    problems: list[str] = []
    for line, cells in numbered:
        if len(cells) == width:
            records.append((line, cells))
        elif any(c.strip() for c in cells):
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                problems.append(f"line {line}: {len(cells)} cells for {width} columns")
            else:  # a short row: the missing cells are empty
                records.append((line, (cells + [""] * width)[:width]))
    if problems:
        raise Invalid("the file cannot be read", details=problems)
    return records


def _read_json(text: str) -> Source:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise Invalid("the JSON is nested too deeply") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise Invalid("a JSON import must be an array of objects")
    objects = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise Invalid(f"record {n}: expected an object, got {type(item).__name__}")
        objects.append((n, item))
    return _from_objects(objects, "json", "record")


def _read_jsonl(text: str) -> Source:
    records = []
    problems = []
    # Only \n ends a line: JSON text may hold U+2028 and other breaks that splitlines() cuts at.
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: invalid JSON: {exc.msg}")
            continue
        except RecursionError:
            problems.append(f"line {n}: nested too deeply")
            continue
        if not isinstance(item, dict):
            problems.append(f"line {n}: expected an object")
            continue
        records.append((n, item))
    if problems:
        raise Invalid("the file cannot be read", details=problems)
    return _from_objects(records, "jsonl", "line")


def _from_objects(objects: list[tuple[int, dict]], fmt: str, unit: str) -> Source:
    """JSON objects as rows of cells under the union of their keys (in order of first
    use); a key an object leaves out is MISSING."""
    keys: dict[str, None] = {}
    for _, item in objects:
        keys.update(dict.fromkeys(item))
    headers = [str(k) for k in keys]
    return Source([(n, [item.get(k, MISSING) for k in keys]) for n, item in objects], headers, fmt, unit)


def map_headers(
    entity: Entity, headers: Sequence[str], *, extra: dict[str, str] | None = None, computed: Sequence[str] = ()
) -> tuple[list[str | None], list[str]]:
    """The field name of each column (None for an ignored one), and warnings for the
    columns that are ignored.

    `extra` adds folded headers that the entity handles beside its fields; `computed`
    names columns that exports write (labels, derived figures) and imports skip quietly.
    """
    known = {"uid": "uid", **entity.header_map(), **(extra or {})}
    quiet = {fold(c) for c in (*IGNORED_COLUMNS, *computed)}
    names: list[str | None] = []
    warnings: list[str] = []
    taken: dict[str, str] = {}
    for header in headers:
        key = fold(header)
        name = known.get(key)
        if name is None and key not in quiet:
            warnings.append(f"column {header!r} is not {a(entity.label)} field; it is ignored")
        if name in taken:
            raise Invalid(f"columns {taken[name]!r} and {header!r} both give {name}")
        if name:
            taken[name] = header
        names.append(name)
    return names, warnings
