"""The one import pipeline, the same for every noun: all rows or none.

A file is taken a batch of rows at a time, through five stages:

1. **parse**: cells become stored values column by column, each distinct value parsed
   once (`records.RowParser.parse_columns`): a column of countries holds a dozen
   values in 100,000 rows;
2. **resolve**: references name records by id, uid or natural key, each distinct value
   looked up once; a bare id that the row's label contradicts came from another
   database and is refused (`records.foreign_id`);
3. **screen**: which record a row updates (by uid, then by each of the noun's unique
   keys), a key given twice in the file or taken by another record, `--upsert`, the
   required fields of a new row (`Screen`);
4. **check and write**: each row through the noun's one `check` and its `duplicates`
   warnings, in file order, so that a rule between two rows of the file holds as it
   does for `add` (two overlapping missions), and through the store's write path. A
   noun that warns about duplicates a batch at a time (`Noun.duplicate_batches`, which
   must agree with `duplicates`) has its new rows, once through `check`, written a
   batch at a time with multi-row statements (`Store.bulk`): the consultants'
   repertory of 100,000 rows;
5. **link**: references to the noun's own table (an institution's or association's
   parent) may name rows of the file before or after them: they are set once every
   row is in, then checked (`Noun.check_links`).

Every invalid row is reported with its line (or record number), in line order; one
invalid row and nothing is written. `--dry-run` goes through the same writes and
rolls them back.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from maliext_cli.errors import FieldError, Invalid, MaliextError
from maliext_cli.i18n import _
from maliext_cli.services import parse, records
from maliext_cli.services.importing import Source, at, invalid_rows, map_headers
from maliext_cli.services.records import MISSING, Field
from maliext_cli.store import Store
from maliext_cli.text import fold

if TYPE_CHECKING:
    from maliext_cli.services.crud import Noun

# Rows taken at a time: a large file is never held whole.
BATCH_ROWS = 4000


@dataclass
class ImportReport:
    rows: int = 0
    inserted: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


class DryRun(Exception):
    """Raised to roll back a dry run once every row went through the real path."""


def parse_uid(raw) -> str | None:
    if parse.is_blank(raw):
        return None
    text = parse.as_text(raw).strip().lower()
    if not records.UID_RE.fullmatch(text):
        raise FieldError(_("{value!r} is not a UUID").format(value=text[:40]))
    return text


def run(
    noun: Noun,
    store: Store,
    source: Source,
    *,
    upsert: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every record of `source` into `noun`'s table, or none (see the module)."""
    report = ImportReport(dry_run=dry_run)
    try:
        with store.transaction():
            _Import(noun, store, source, report, upsert=upsert).run(progress)
            if dry_run:
                raise DryRun
    except DryRun:
        pass  # every row went through the real path; the transaction is rolled back
    return report


class _Import:
    """One run of the pipeline (see the module): what the stages share."""

    def __init__(self, noun: Noun, store: Store, source: Source, report: ImportReport, *, upsert: bool):
        entity = noun.entity
        self.noun, self.store, self.source, self.report = noun, store, source, report
        self.unit = source.unit
        extra_headers = {fold(h): name for name, (_parser, headers) in noun.import_columns.items() for h in headers}
        columns, warnings = map_headers(entity, source.headers, extra=extra_headers, computed=noun.computed)
        report.warnings += warnings + source.warnings
        extra = {"uid": parse_uid, **{name: parser for name, (parser, _headers) in noun.import_columns.items()}}
        self.parser = records.RowParser(entity, columns, extra=extra, restore=source.delimited)
        refs = [(i, entity.by_name[name]) for i, name in enumerate(columns) if name in entity.by_name]
        refs = [(i, f) for i, f in refs if f.ref]
        # References to the noun's own table (a parent) are linked once every row is in.
        self.refs = [(i, f) for i, f in refs if f.ref != entity.table]
        self.links = [(i, f) for i, f in refs if f.ref == entity.table]
        column_at = {fold(h): i for i, h in enumerate(source.headers)}
        self.labels = {
            f.name: {c: column_at[fold(c)] for c, _sql in f.labels if fold(c) in column_at} for _i, f in refs
        }
        self.id_at = column_at.get("id")  # an exported file's own ids, which its rows' links may use
        if source.delimited:  # exports quote formula-like text, such as an acronym '@A
            from maliext_cli.services.cells import restore

            self.text: Callable[[Any], Any] = lambda raw: restore(raw) if raw.__class__ is str else raw
        else:
            self.text = lambda raw: raw
        self.found: dict[tuple[str, str], int | MaliextError] = {}
        self.seen: dict = {}  # labels of referenced records, for records.foreign_id
        self.screen = Screen(
            noun, store, self.parser, report, upsert=upsert, unit=self.unit, sparse=not source.delimited
        )
        self.placed: dict[int, int] = {}  # line -> id of each row written
        self.before: dict[int, dict] = {}  # id -> the row as it was, for each row updated
        self.new_extras: list[tuple[int, dict[str, Any]]] = []  # (id, import columns) of rows written in bulk
        self.pending_links: list[tuple[int, dict[str, Any], dict[str, Any]]] = []  # (line, {field: raw}, labels)
        self.file_keys: dict[str, int] = {}  # folded uid or natural key, or '#id', of a row -> its line

    def run(self, progress: Callable[[int], None] | None) -> None:
        noun, report = self.noun, self.report
        checker = noun.duplicate_batches(self.store, self.unit)
        with self.store.bulk() if checker else nullcontext() as bulk:
            for batch in self.source.batches(BATCH_ROWS):
                lines = [line for line, _row in batch]
                cells = [row for _line, row in batch]
                values, wrong = self.parser.parse_columns(cells)
                self._resolve(cells, values, wrong)
                self._remember(lines, cells, values)
                new, updates = self.screen.batch(lines, values, wrong)
                if checker:
                    self._write_in_bulk(checker, bulk, lines, values, new, updates)
                else:
                    self._write_rows(lines, values, new, updates)
                report.rows += len(batch)
                if progress:
                    progress(report.rows)
            if checker:
                self._refuse_if_any()
                noun.write_extras(bulk, self.new_extras)
        if checker:
            for line, existing, changes, extra in self.screen.updates:
                self._update(line, existing, changes, extra)
        self._link()
        self._refuse_if_any()

    # ------------------------------------------------------------------ stages
    def _resolve(self, cells: list, values: dict[str, list], wrong: dict[int, list[str]]) -> None:
        """Turn the reference cells of a batch into ids (`values[column]`), each distinct
        value looked up once; a bare id that the row's label contradicts is refused."""
        for index, f in self.refs:
            column: list = []
            labels = self.labels[f.name]
            for k, row in enumerate(cells):
                given = self.text(row[index])
                if given is MISSING:
                    column.append(MISSING)
                elif parse.is_blank(given):
                    if f.required:
                        wrong.setdefault(k, []).append(records.about(f.name, records.required()))
                    column.append(None)
                else:
                    found = self._find(f, given)
                    if isinstance(found, MaliextError):
                        wrong.setdefault(k, []).append(records.about(f.name, found.message))
                        column.append(MISSING)
                        continue
                    if labels:
                        problem = records.foreign_id(
                            self.store, f, given, {c: self.text(row[j]) for c, j in labels.items()}, found, self.seen
                        )
                        if problem:
                            wrong.setdefault(k, []).append(problem)
                    column.append(found)
            values[f.column] = column

    def _find(self, f: Field, given: Any) -> int | MaliextError:
        from maliext_cli.services import nouns  # the registry imports every noun, which import this module

        key = (f.ref, str(given).strip())
        if key not in self.found:
            try:
                self.found[key] = records.find(self.store, nouns.ENTITIES[f.ref], given)["id"]
            except MaliextError as exc:
                self.found[key] = exc
        return self.found[key]

    def _remember(self, lines: list[int], cells: list, values: dict[str, list]) -> None:
        """For the links stage: each row's uid, natural key and exported id, and the
        links it gives."""
        if not self.links:
            return
        names = [name for name in ("uid", self.noun.entity.natural_key) if name and name in values]
        for k, line in enumerate(lines):
            for name in names:
                value = values[name][k]
                if value and value.__class__ is str:
                    self.file_keys.setdefault(fold(value), line)
            if self.id_at is not None and not parse.is_blank(cells[k][self.id_at]):
                self.file_keys.setdefault("#" + str(cells[k][self.id_at]).strip(), line)
            given = {f.name: self.text(cells[k][i]) for i, f in self.links if cells[k][i] is not MISSING}
            if given:
                labels = {c: self.text(cells[k][j]) for _i, f in self.links for c, j in self.labels[f.name].items()}
                self.pending_links.append((line, given, labels))

    def _write_rows(self, lines: list[int], values: dict[str, list], new: list[int], updates) -> None:
        """Check and write the rows of a batch one by one, in file order, so that each
        row's check sees the rows before it."""
        noun, store, report = self.noun, self.store, self.report
        existing_of = dict(updates)
        for k in sorted([*new, *existing_of]):
            line = lines[k]
            row = {name: column[k] for name, column in values.items() if column[k] is not MISSING}
            uid = row.pop("uid", None)
            extra = {name: row.pop(name) for name in noun.import_columns if name in row}
            if k in existing_of:
                self._update(line, existing_of[k], row, extra)
                continue
            records.fill_defaults(noun.entity, [row])
            for _i, f in self.links:
                row[f.column] = None  # set by the links stage
            if uid:
                row["uid"] = uid
            try:
                warnings = [] if noun.checks_links_only else noun.check(store, row, None)
                warnings += noun.duplicates(store, row, None)
                row_id = store.insert(noun.entity.table, row)
                noun.write_extra(store, row_id, extra, new=True)
            except MaliextError as exc:
                self.screen.refuse(line, *(exc.details or [exc.message]))
                continue
            report.inserted.append(row_id)
            report.warnings.extend(at(self.unit, line, w) for w in warnings)
            self.placed[line] = row_id

    def _update(self, line: int, existing: int, changes: dict, extra: dict) -> None:
        noun, store, report = self.noun, self.store, self.report
        current = store.row(f"SELECT * FROM {noun.entity.table} WHERE id = ?", (existing,))
        row = {**current, **changes}
        try:
            warnings = [] if noun.checks_links_only else noun.check(store, row, current)
            warnings += noun.duplicates(store, row, current)
            changed = store.update(noun.entity.table, existing, changes)
            changed |= noun.write_extra(store, existing, extra, new=False)
        except MaliextError as exc:
            self.screen.refuse(line, *(exc.details or [exc.message]))
            return
        report.warnings.extend(at(self.unit, line, w) for w in warnings)
        self.placed[line] = existing
        self.before[existing] = current
        if changed:
            report.updated.append(existing)
        else:
            report.unchanged += 1

    def _write_in_bulk(self, checker, bulk, lines: list[int], values: dict[str, list], new: list[int], updates) -> None:
        """Check a batch's new rows and insert them in bulk; updates wait until every
        new row is in (an update may name one)."""
        noun, screen = self.noun, self.screen
        if new and noun.has_rules():
            new = self._checked(lines, values, new)
        if new and not screen.problems:  # once a row is wrong, nothing will be written: parse on
            ids = insert_new(bulk, noun.entity, values, new, len(lines), screen.sparse)
            self.report.warnings.extend(checker(lines, values, new, ids))
            self.report.inserted.extend(ids)
            extras = [name for name in noun.import_columns if name in values]
            for k, row_id in zip(new, ids):
                self.placed[lines[k]] = row_id
                if extras:
                    self.new_extras.append((row_id, {name: values[name][k] for name in extras}))
        for k, existing in updates:
            changes = {
                name: column[k]
                for name, column in values.items()
                if name != "uid" and name not in noun.import_columns and column[k] is not MISSING
            }
            extra = {
                name: values[name][k]
                for name in noun.import_columns
                if name in values and values[name][k] is not MISSING
            }
            screen.updates.append((lines[k], existing, changes, extra))

    def _checked(self, lines: list[int], values: dict[str, list], new: list[int]) -> list[int]:
        """The new rows of a batch that pass `check` (the others are refused); the rows
        of earlier batches are in the database already, those of this batch not yet."""
        noun, store, passed = self.noun, self.store, []
        names = [name for name in values if name != "uid" and name not in noun.import_columns]
        for k in new:
            row = {name: values[name][k] for name in names if values[name][k] is not MISSING}
            records.fill_defaults(noun.entity, [row])
            try:
                self.report.warnings.extend(at(self.unit, lines[k], w) for w in noun.check(store, row, None))
            except MaliextError as exc:
                self.screen.refuse(lines[k], *(exc.details or [exc.message]))
                continue
            passed.append(k)
        return passed

    def _link(self) -> None:
        """Set the references to the noun's own table, now that every row is in (a row
        of the file by its uid, natural key or exported id, else a record here), then
        check them (`Noun.check_links`)."""
        if not self.links and not self.noun.checks_links_only:
            return
        store, table = self.store, self.noun.entity.table
        linked: dict[int, int] = {}  # id -> line of each row whose links the file gives
        for line, given, labels in self.pending_links:
            if line not in self.placed:
                continue
            changes: dict[str, Any] | None = {}
            for _i, f in self.links:
                if f.name in given and changes is not None:
                    changes = self._target(line, f, given[f.name], labels, changes)
            if changes is None:
                continue
            store.update(table, self.placed[line], changes)
            linked[self.placed[line]] = line
        self.noun.check_links(store, self, linked)

    def _target(self, line: int, f: Field, raw: Any, labels: dict, changes: dict) -> dict | None:
        """`changes` with the link `raw` set, or None when it names nothing usable."""
        if parse.is_blank(raw):
            return {**changes, f.column: None}
        text = str(raw).strip()
        target_line = self.file_keys.get("#" + text if text.isdigit() else fold(text))
        if target_line is not None:
            if target_line not in self.placed:
                return None  # names an invalid row of the file, already reported
            return {**changes, f.column: self.placed[target_line]}
        found = self._find(f, raw)
        problem = (
            records.about(f.name, found.message)
            if isinstance(found, MaliextError)
            else records.foreign_id(self.store, f, raw, labels, found, self.seen)
        )
        if problem:
            self.screen.refuse(line, problem)
            return None
        return {**changes, f.column: found}

    def _refuse_if_any(self) -> None:
        screen = self.screen
        if screen.problems:
            raise Invalid(
                invalid_rows(self.unit, len(screen.bad_lines), self.report.rows),
                details=[message for _line, message in sorted(screen.problems, key=lambda p: p[0])],
            )

    # ------------------------------------------------- for the nouns' hooks
    def refuse(self, line: int, *messages: str) -> None:
        self.screen.refuse(line, *messages)


def insert_new(bulk, entity, values: dict[str, list], new: list[int], size: int, sparse: bool) -> list[int]:
    """Hand the new rows of a batch (rows `new` of `values`) to the bulk writer,
    column by column; their ids."""

    def pick(column: list) -> list:
        return column if len(new) == size else [column[k] for k in new]

    columns: list[str] = []
    data: list[list] = []
    defaults: dict[str, object] = {}  # fields without a column: one value for all
    for f in entity.fields:
        column = values.get(f.column)
        if column is None:
            defaults[f.column] = None if f.ref else f.stored_default
            continue
        column = pick(column)
        if sparse:
            column = [f.stored_default if v is MISSING else v for v in column]
        columns.append(f.column)
        data.append(column)
    uids = None
    if "uid" in values:  # a blank or missing uid: a new one
        uids = [u if u and u.__class__ is str else None for u in pick(values["uid"])]
    return bulk.insert_rows(entity.table, columns, data, uids=uids, constants=defaults)


class Screen:
    """Decides, batch after batch, what becomes of each row: refused (with the
    reasons), an update of an existing record (--upsert), or a new one.

    Uniqueness (the uid and each of the noun's unique keys, compared without case) is
    checked against maps of the database loaded in one query each, and of the rows
    seen so far."""

    def __init__(
        self, noun: Noun, store: Store, parser, report: ImportReport, *, upsert: bool, unit: str, sparse: bool
    ):
        table = noun.entity.table
        self.noun, self.report, self.upsert, self.unit = noun, report, upsert, unit
        self.keys = ("uid", *noun.entity.unique)
        self.taken: dict[str, dict] = {
            name: {
                (v.lower() if name != "uid" else v): i
                for v, i in store.conn.execute(f"SELECT {name}, id FROM {table} WHERE {name} IS NOT NULL")
            }
            for name in self.keys
        }
        self.seen: dict[str, dict] = {name: {} for name in self.keys}
        self.updates: list = []
        self.problems: list[tuple[int, str]] = []
        self.bad_lines: set[int] = set()
        given = parser.names
        required = frozenset(
            f.column for f in noun.entity.fields if f.required and (not f.ref or f.ref == noun.entity.table)
        )
        self.absent = sorted(required - given - {f.column for f in noun.entity.fields if f.ref})
        self.present = sorted(required & given)
        self.ref_required = [
            f.column for f in noun.entity.fields if f.ref and f.required and f.ref != noun.entity.table
        ]
        # Only a JSON record can leave a key out (MISSING); a CSV row has every column.
        self.sparse = sparse

    def refuse(self, line: int, *messages: str) -> bool:
        self.bad_lines.add(line)
        self.problems.extend((line, at(self.unit, line, m)) for m in messages)
        return False

    def batch(
        self, lines: list[int], values: dict[str, list], wrong: dict[int, list[str]]
    ) -> tuple[list[int], list[tuple[int, int]]]:
        """(indexes of the new rows, (index, id) of the rows that update a record)."""
        new = self._all_new(lines, values) if not wrong else None
        if new is not None:
            return new, []
        new, updates = [], []
        for k, line in enumerate(lines):
            existing = self._row(k, line, values, wrong)
            if existing is True:
                new.append(k)
            elif existing:
                updates.append((k, existing))
        return new, updates

    def _cell(self, values: dict[str, list], name: str, k: int):
        column = values.get(name)
        value = None if column is None else column[k]
        return None if value is MISSING else value

    def _all_new(self, lines: list[int], values: dict[str, list]) -> list[int] | None:
        """Every row, when a few set operations show that all are new and valid (the
        usual import); None when some row needs a closer look."""
        if self.absent or any(MISSING in values[name] for name in self.present):
            return None
        if any(MISSING in values.get(name, ()) for name in self.ref_required):
            return None
        found = []
        for name in self.keys:
            column = values.get(name)
            if column is None:
                continue
            given = [
                (v.lower() if name != "uid" else v, line) for v, line in zip(column, lines) if v and v is not MISSING
            ]
            distinct = {v for v, _line in given}
            seen = self.seen[name]
            if (
                len(distinct) < len(given)
                or not self.taken[name].keys().isdisjoint(distinct)
                or not seen.keys().isdisjoint(distinct)
            ):
                return None
            found.append((seen, given))
        for seen, given in found:
            seen.update(given)
        return list(range(len(lines)))

    def _row(self, k: int, line: int, values: dict[str, list], wrong: dict[int, list[str]]) -> bool | int:
        """Row `k` on its own: True if new, the id of the record it updates, or False
        (refused)."""
        if k in wrong:
            return self.refuse(line, *wrong[k])
        given = {}
        for name in self.keys:
            value = self._cell(values, name, k)
            if not value:
                continue
            folded = value.lower() if name != "uid" else value
            seen = self.seen[name]
            if folded in seen:
                if self.unit == "record":
                    also = _("{key} {value} is also on record {other}")
                else:
                    also = _("{key} {value} is also on line {other}")
                return self.refuse(line, also.format(key=name, value=value, other=seen[folded]))
            seen[folded] = line
            given[name] = (value, folded)
        existing, matched = None, None
        for name, (_value, folded) in given.items():
            if folded in self.taken[name]:
                existing, matched = self.taken[name][folded], name
                break
        label = _(self.noun.entity.label)
        if existing is not None:
            if not self.upsert:
                if matched == "uid":
                    # Translators: {label} is the kind of record (consultant, need...).
                    refused = _("{label} {id} already exists; use --upsert to update it")
                else:
                    refused = _("{label} {id} already has this {key}; use --upsert to update it")
                return self.refuse(line, refused.format(label=label, id=existing, key=matched))
            for name, (value, folded) in given.items():
                other = self.taken[name].get(folded, existing)
                if other != existing:
                    return self.refuse(
                        line,
                        _("{key} {value} belongs to {label} {id}").format(key=name, value=value, label=label, id=other),
                    )
            return existing
        missing = self.absent + [name for name in self.present if values[name][k] is MISSING]
        missing += [name.removesuffix("_id") for name in self.ref_required if values.get(name, [MISSING])[k] is MISSING]
        if missing:
            return self.refuse(line, *(records.about(name, records.required()) for name in sorted(set(missing))))
        return True
