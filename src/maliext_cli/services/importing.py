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
from itertools import islice
from pathlib import Path

from maliext_cli.errors import Invalid, UsageProblem
from maliext_cli.i18n import _, ngettext
from maliext_cli.services.records import MISSING, Entity
from maliext_cli.text import fold

FORMATS = ("csv", "tsv", "json", "jsonl")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
# Columns that exports write and imports ignore (local or computed values).
IGNORED_COLUMNS = {"id", "created_at", "updated_at"}


def at(unit: str, line: int, problem: str) -> str:
    """`line 12: problem` (`record 3: problem` in a JSON array): what is wrong where, in a
    file being imported. `unit` is a Source's."""
    if unit == "record":
        # Translators: a record of a JSON array being imported, numbered from 1, then what is wrong with it.
        return _("record {n}: {problem}").format(n=line, problem=problem)
    # Translators: a line of a file being imported, then what is wrong with it.
    return _("line {n}: {problem}").format(n=line, problem=problem)


def invalid_rows(unit: str, bad: int, rows: int) -> str:
    """The refusal of an import with `bad` invalid rows out of `rows`."""
    if unit == "record":
        return ngettext(
            "{bad} of {rows} records is invalid; nothing was imported",
            "{bad} of {rows} records are invalid; nothing was imported",
            bad,
        ).format(bad=bad, rows=rows)
    return ngettext(
        "{bad} of {rows} lines is invalid; nothing was imported",
        "{bad} of {rows} lines are invalid; nothing was imported",
        bad,
    ).format(bad=bad, rows=rows)


def cannot_read() -> str:
    return _("the file cannot be read")


class Source:
    """The records of an import file: `(line, cells)` with one cell per header, each
    record keeping the line (or record number, for a JSON array) it starts on.

    A CSV or TSV file is read as its records are asked for: all at once (`records`)
    or a batch at a time (`batches`, once), so that a large file is read while the
    rows before are being written."""

    def __init__(
        self,
        records: list[tuple[int, list]] | None,
        headers: list[str],
        format: str,
        unit: str,  # "line" or "record"
        warnings: list[str] | None = None,
        *,
        rows: _DelimitedRows | None = None,
    ):
        self._records, self._rows = records, rows
        self.headers, self.format, self.unit = headers, format, unit
        self.warnings = warnings if warnings is not None else []

    @property
    def delimited(self) -> bool:
        """CSV or TSV: cells may carry the quote that neutralises spreadsheet formulas."""
        return self.format in ("csv", "tsv")

    @property
    def records(self) -> list[tuple[int, list]]:
        if self._records is None:
            self._records = [record for batch in self.batches(1 << 62) for record in batch]
        return self._records

    @property
    def size_hint(self) -> int:
        """About as many records as the file holds (before it is read: its lines)."""
        return len(self._records) if self._records is not None else self._rows.lines if self._rows else 0

    def batches(self, size: int) -> Iterator[list[tuple[int, list]]]:
        """The records, `size` at a time (a file not read yet is read as it goes)."""
        if self._records is not None:
            for start in range(0, len(self._records), size):
                yield self._records[start : start + size]
            return
        rows, self._rows = self._rows, None
        if rows is None:
            raise RuntimeError("the records of this source were read already")
        yield from rows.batches(size)


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
        raise UsageProblem(_("unknown encoding {encoding!r}").format(encoding=encoding)) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Invalid(
            _("the file is not valid {encoding} text (line {line}, byte {byte})").format(
                encoding=encoding, line=line, byte=exc.start
            ),
            hint=_("Save it as UTF-8 (in Excel: CSV UTF-8), or give its encoding with --encoding cp1252."),
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
    first = first_line(head)
    return "tsv" if first.count("\t") > max(first.count(","), first.count(";")) else "csv"


def first_line(text: str) -> str:
    """The text up to its first line feed (without copying the rest, as split would)."""
    end = text.find("\n")
    return text if end < 0 else text[:end]


def read(data: bytes, *, name: str | None = None, input_format: str | None = None, encoding: str = "utf-8") -> Source:
    text = decode(data, encoding)
    fmt = input_format or detect(text, name)
    if fmt not in FORMATS:
        raise UsageProblem(
            _("unknown input format {format!r}; expected one of: {formats}").format(
                format=fmt, formats=", ".join(FORMATS)
            )
        )
    if fmt in ("csv", "tsv"):
        return _read_delimited(text, fmt)
    if fmt == "json":
        return _read_json(text)
    return _read_jsonl(text)


def _read_delimited(text: str, fmt: str) -> Source:
    if fmt == "tsv":
        delimiter = "\t"
    else:
        first = first_line(text)
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return Source([], [], fmt, "line")
    except csv.Error as exc:
        raise Invalid(at("line", 1, str(exc))) from None
    header = [h.strip() for h in header]
    return Source(None, header, fmt, "line", rows=_DelimitedRows(text, reader, delimiter, len(header)))


class _DelimitedRows:
    """The records after the header of a CSV or TSV text, read a batch at a time,
    each with the line it starts on."""

    def __init__(self, text: str, reader, delimiter: str, width: int):
        self.text, self.reader, self.delimiter, self.width = text, reader, delimiter, width
        self.lines = max(0, (text.count("\n") or text.count("\r")) - 1)  # about the records (CR-only too)
        self._physical: list[str] | None = None

    def batches(self, size: int) -> Iterator[list[tuple[int, list]]]:
        """Invalid (the file cannot be read) listing every row of the file that has
        more cells than columns, and the first line the csv module refuses."""
        problems: list[str] = []
        while True:
            start = self.reader.line_num + 1
            try:
                rows = list(islice(self.reader, size))
            except csv.Error:
                numbered, error = self._numbered(start, None)  # again, to say where
                _fit(numbered, self.width, problems)
                error = error or at("line", start + len(numbered), _("the csv module cannot read it"))
                raise Invalid(cannot_read(), details=[*problems, error]) from None
            if not rows:
                break
            if self.reader.line_num - start + 1 == len(rows):
                # The usual file: one line per record, numbered without a Python loop.
                numbered = list(zip(range(start, start + len(rows)), rows))
            else:  # a line break inside a quoted cell: count again
                numbered, _unused = self._numbered(start, len(rows))
            records = _fit(numbered, self.width, problems)
            if not problems:
                yield records
        if problems:
            raise Invalid(cannot_read(), details=problems)

    def _numbered(self, line: int, count: int | None) -> tuple[list[tuple[int, list[str]]], str]:
        """`count` records (or all) from physical line `line`, each with the line it
        starts on, and the csv module's complaint where it stopped reading ('')."""
        if self._physical is None:
            self._physical = list(io.StringIO(self.text, newline=""))
        reader = csv.reader(islice(self._physical, line - 1, None), delimiter=self.delimiter, strict=True)
        numbered: list[tuple[int, list[str]]] = []
        start = line
        while count is None or len(numbered) < count:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                return numbered, at("line", start, str(exc))
            numbered.append((start, cells))
            start = line + reader.line_num
        return numbered, ""


def _fit(numbered: list[tuple[int, list[str]]], width: int, problems: list[str]) -> list[tuple[int, list[str]]]:
    """The records with one cell per column: blank lines dropped, short rows padded
    with empty cells; the rows with more cells than columns go to `problems`."""
    if numbered and {len(cells) for _line, cells in numbered} == {width}:
        return numbered
    records: list[tuple[int, list]] = []
    for line, cells in numbered:
        if len(cells) == width:
            records.append((line, cells))
        elif any(c.strip() for c in cells):
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                problems.append(
                    at(
                        "line",
                        line,
                        ngettext("{cells} cells for {n} column", "{cells} cells for {n} columns", width).format(
                            cells=len(cells), n=width
                        ),
                    )
                )
            else:  # a short row: the missing cells are empty
                records.append((line, (cells + [""] * width)[:width]))
    return records


def _read_json(text: str) -> Source:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # Translators: {error} is the JSON parser's own message, in English.
        raise Invalid(
            _("invalid JSON at line {line}, column {column}: {error}").format(
                line=exc.lineno, column=exc.colno, error=exc.msg
            )
        ) from None
    except RecursionError:
        raise Invalid(_("the JSON is nested too deeply")) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise Invalid(_("a JSON import must be an array of objects"))
    objects = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise Invalid(at("record", n, _("expected an object, got {type}").format(type=_json_type(item))))
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
            problems.append(at("line", n, _("invalid JSON: {error}").format(error=exc.msg)))
            continue
        except RecursionError:
            problems.append(at("line", n, _("nested too deeply")))
            continue
        if not isinstance(item, dict):
            problems.append(at("line", n, _("expected an object")))
            continue
        records.append((n, item))
    if problems:
        raise Invalid(cannot_read(), details=problems)
    return _from_objects(records, "jsonl", "line")


def _json_type(value) -> str:
    """What a JSON value is, as JSON names it (the code of `expected an object, got ...`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else type(value).__name__


def _from_objects(objects: list[tuple[int, dict]], fmt: str, unit: str) -> Source:
    """JSON objects as rows of cells under the union of their keys (in order of first
    use); a key an object leaves out is MISSING."""
    keys: dict[str, None] = {}
    for _line, item in objects:
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
            warnings.append(
                _("column {header!r} is not a field of {table}; it is ignored").format(
                    header=header, table=entity.table
                )
            )
        if name in taken:
            raise Invalid(
                _("columns {first!r} and {second!r} both give {field}").format(
                    first=taken[name], second=header, field=name
                )
            )
        if name:
            taken[name] = header
        names.append(name)
    return names, warnings
