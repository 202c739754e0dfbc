"""What every kind of record shares: its fields, how values are parsed and shown, and
how a reference (id, uid or natural key) finds a record.

Each noun module declares an `Entity`: its table and fields, and what the rest of the
code asks about its records (their periods and dates, the vocabularies their codes come
from, what makes two of them likely the same, what names one in messages, the values
computed from them). Add, edit, import, export, the CLI options, `db check`, history and
the reports are derived from it, so that each rule is written once.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from maliext_cli.errors import DerivedValue, FieldError, Invalid, NotFound
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference.vocab import Codes, Vocabulary
from maliext_cli.services import parse
from maliext_cli.store import Store
from maliext_cli.text import fold


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


# A key that a JSON import record leaves out: the field is not given (unlike "").
MISSING = _Missing()

UID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record, as users see it (option, JSON key, CSV header)."""

    name: str
    parse: Callable[[Any], Any] = None  # type: ignore[assignment]  # default: the vocabulary's, else one line of text
    required: bool = False
    many: bool = False  # a list: JSON array in the database and in JSON output
    money: bool = False  # hundredths in the database, units in and out
    ref: str | None = None  # the table a reference field points to
    headers: tuple[str, ...] = ()  # other accepted import headers (French, English)
    help: str = ""
    default: Any = None
    contact: bool = False  # personal contact data, left out by `--redact`
    cli: bool = True  # False: not an option of add/edit (set by a command of its own)
    # A reference field's label columns in lists and exports, each with the SQL
    # expression (over the referenced table) it is written from: an import that meets
    # a bare id checks it against those labels (see `foreign_id`).
    labels: tuple[tuple[str, str], ...] = ()
    # The closed set the stored codes belong to (each item, for a list): input is read
    # by its `resolve`, and `db check` reports a stored value outside its codes.
    vocabulary: Vocabulary | Codes | None = None

    def __post_init__(self) -> None:
        if self.parse is None:
            object.__setattr__(self, "parse", self.vocabulary.resolve if self.vocabulary else parse.line)

    @property
    def stored_default(self) -> Any:
        """What the database holds when the field is left out or cleared."""
        if self.many:
            return json.dumps(self.default if self.default is not None else [], ensure_ascii=False)
        return self.default

    @property
    def column(self) -> str:
        return f"{self.name}_id" if self.ref else self.name

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


def about(name: str, problem: str) -> str:
    """`name: problem`, what is wrong with the value of a field or an option
    (`family_name: is required`), in the interface language."""
    # Translators: a field or option name, then what is wrong with its value ("family_name: is required").
    return _("{name}: {problem}").format(name=name, problem=problem)


def required() -> str:
    """What `about` says of a required field left out or blank."""
    # Translators: follows a field name and a colon ("family_name: is required").
    return _("is required")


@dataclass(frozen=True, slots=True)
class Period:
    """The days a record spans: two date columns, both days counted (1 to 21 February
    is 21 days); the end is never before the start. `name` says what the span is in
    messages (N_("window"), translated where shown)."""

    start: str
    end: str
    name: str

    def days(self, alias: str | None = None) -> str:
        """SQL for the days of the span (of the table aliased `alias`, if given)."""
        at = f"{alias}." if alias else ""
        return f'CAST(julianday({at}"{self.end}") - julianday({at}"{self.start}") AS INTEGER) + 1'

    def check(self, values: dict) -> None:
        """Invalid when the stored `values` end before they start."""
        start, end = values.get(self.start), values.get(self.end)
        if start and end and end < start:
            raise Invalid(
                about(_(self.name), _("the end ({end}) is before the start ({start})").format(end=end, start=start))
            )


@dataclass(frozen=True, slots=True)
class LikelyDuplicate:
    """What makes two records (of different uids) likely the same one: the same values
    in `columns`, text compared folded (no case, accents or extra spaces: `text.fold`,
    also an SQL function of the store) except in the `exact` columns, and a missing
    value the same as a missing one. `reason` says so in messages."""

    columns: tuple[str, ...]
    reason: str  # e.g. N_("same name and birth year"): kept in merge's bookkeeping as is, translated where shown
    exact: tuple[str, ...] = ()

    def key(self, row: dict) -> tuple:
        """The values that two likely duplicates share, from a row of stored columns."""
        return tuple(row.get(c) if c in self.exact else fold(row.get(c)) for c in self.columns)

    def keys(self, *columns: Sequence) -> Iterator[tuple]:
        """`key` of many rows given column by column (one list per column of `columns`,
        in its order): the same keys, faster."""
        return zip(*(values if c in self.exact else map(fold, values) for c, values in zip(self.columns, columns)))

    def where(self, alias: str | None = None) -> str:
        """SQL condition: a row (of the table aliased `alias`, if given) has the `key`
        given as parameters, in the order of `columns`."""
        at = f"{alias}." if alias else ""
        return " AND ".join(f"{at}{c} IS ?" if c in self.exact else f"fold({at}{c}) IS ?" for c in self.columns)


@dataclass(frozen=True, slots=True)
class Derived:
    """A value computed from a record's columns (and other records), never stored: one
    SQL expression over the record's table, written `{t}` (see `Entity.expression`)."""

    name: str
    sql: str


@dataclass(frozen=True)
class Entity:
    """A kind of record: its table, fields and natural key, and what the rest of the
    code asks about its records."""

    table: str
    # A singular noun in messages, marked N_("consultant") and translated where shown.
    # Messages use it bare ("consultant 12"): French says "la fiche consultant 12", which
    # holds whatever the noun's gender (la mission, le besoin, l'association).
    label: str
    fields: tuple[Field, ...]
    natural_key: str | None = None  # column users can name a record by (email, acronym, code)
    # How to name a record, the hint after "no consultant 'x'" (N_, a whole sentence).
    find_hint: str = N_("Name it by its id or its uid.")
    # Columns no two records share (compared without case); the natural key by default.
    unique: tuple[str, ...] = ()
    periods: tuple[Period, ...] = ()
    dates: tuple[str, ...] = ()  # date columns that are no end of a period
    likely_duplicate: LikelyDuplicate | None = None
    # What names a record in messages (history, merge): the first of these groups of
    # columns that has a value, its values joined by spaces; else its first period.
    named_by: tuple[tuple[str, ...], ...] = ()
    derived: tuple[Derived, ...] = ()
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})
        if not self.unique and self.natural_key:
            object.__setattr__(self, "unique", (self.natural_key,))

    @property
    def date_columns(self) -> tuple[str, ...]:
        """Every column that holds a date (YYYY-MM-DD), periods first."""
        return (*(c for p in self.periods for c in (p.start, p.end)), *self.dates)

    def name_of(self, row: dict | None) -> str:
        """A short readable name of a stored record, for messages: 'Aminata Traoré',
        an acronym, a title, '2027-01-04 to 2027-02-14'... ('' when it has none)."""
        if not row:
            return ""
        for columns in self.named_by:
            if any(row.get(c) for c in columns):
                return " ".join(str(row.get(c) or "") for c in columns).strip()
        for p in self.periods[:1]:
            if row.get(p.start):
                # Translators: a period of dates, e.g. "2027-01-04 to 2027-02-14".
                return _("{start} to {end}").format(start=row[p.start], end=row.get(p.end) or "?")
        return ""

    def expression(self, name: str, alias: str = "t") -> str:
        """The SQL of the derived value `name`, over this table aliased `alias`."""
        for d in self.derived:
            if d.name == name:
                return d.sql.replace("{t}", alias)
        raise KeyError(f"{self.table} has no derived value {name!r}")

    def header_map(self) -> dict[str, str]:
        """Folded header -> field name, for imports (field names and their aliases)."""
        mapping: dict[str, str] = {}
        for f in self.fields:
            for header in (f.name, f.name.replace("_", " "), f.column, *f.headers):
                mapping.setdefault(fold(header), f.name)
        return mapping


def parse_given(f: Field, raw: Any) -> Any:
    """The stored value of one given field; a blank value clears an optional field, or
    sets it back to its default when it has one (such columns are NOT NULL)."""
    if parse.is_blank(raw):
        if f.required:
            raise FieldError(required())
        return f.stored_default
    if not f.many:
        return f.parse(raw)
    items = parse.items(raw)
    if not items:  # `--languages ""` or `;`: a blank list
        if f.required:
            raise FieldError(required())
        return f.stored_default
    values: list = []
    seen: set[str] = set()
    for item in items:
        value = f.parse(item)
        key = fold(str(value))
        if key not in seen:
            seen.add(key)
            values.append(value)
    return json.dumps(values, ensure_ascii=False)


def parse_values(entity: Entity, raw: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Stored values {column: value} for the fields in `raw`; Invalid lists every wrong one.

    A blank value clears an optional field. Unless `partial` (edit, update by import),
    missing fields take their defaults and a missing required field is an error.
    Reference fields are resolved by the noun's service, not here.
    """
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in entity.fields:
        if f.ref or f.name not in raw:
            continue
        try:
            values[f.column] = parse_given(f, raw[f.name])
        except FieldError as exc:
            problems.append(about(f.name, str(exc)))
    if not partial:
        problems.extend(
            about(f.name, required()) for f in entity.fields if f.required and not f.ref and f.name not in raw
        )
    if len(problems) == 1:
        raise Invalid(problems[0])
    if problems:
        raise Invalid(invalid_fields(len(problems)), details=problems)
    if not partial:
        fill_defaults(entity, [values])
    return values


def invalid_fields(n: int) -> str:
    return ngettext("{n} field is invalid", "{n} fields are invalid", n).format(n=n)


def fill_defaults(entity: Entity, rows: list[dict[str, Any]]) -> None:
    """Give every row the same keys: the defaults of the fields it leaves out."""
    defaults = {f.column: f.stored_default for f in entity.fields if not f.ref}
    for row in rows:
        for column, default in defaults.items():
            if column not in row:
                row[column] = default


def find(store: Store, entity: Entity, ref: Any) -> dict:
    """The stored row that `ref` names: its id, its uid or its natural key."""
    text = str(ref).strip()
    row = None
    if not _encodable(text):
        pass  # text read with the wrong encoding names nothing
    elif text.isascii() and text.isdigit():
        if len(text) <= 18:  # beyond, not an id SQLite can hold
            row = store.row(f"SELECT * FROM {entity.table} WHERE id = ?", (int(text),))
    elif UID_RE.fullmatch(text):
        row = store.row(f"SELECT * FROM {entity.table} WHERE uid = ?", (text.lower(),))
    elif entity.natural_key and text:
        row = store.row(f"SELECT * FROM {entity.table} WHERE {entity.natural_key} = ? COLLATE NOCASE", (text,))
    if row is None:
        shown = text if _encodable(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")
        # Translators: {label} is the kind of record (consultant, need...), {ref} what was typed.
        raise NotFound(_("no {label} {ref!r}").format(label=_(entity.label), ref=shown), hint=_(entity.find_hint))
    return row


def travelling_names(store: Store, entity: Entity) -> dict[int, str]:
    """{id: the name by which a file refers to the record}: its natural key, unless
    blank or one that `find` would read as an id or a uid, else its uid."""
    key = entity.natural_key
    if key is None:
        return dict(store.conn.execute(f"SELECT id, uid FROM {entity.table}"))
    names = {}
    for id_, uid, name in store.conn.execute(f"SELECT id, uid, {key} FROM {entity.table}"):
        text = (name or "").strip()
        plain = text and not (text.isascii() and text.isdigit()) and not UID_RE.fullmatch(text)
        names[id_] = text if plain else uid
    return names


def foreign_id(store: Store, f: Field, given: Any, written: dict[str, Any], found: int, cache: dict) -> str | None:
    """Why a bare id read from a file must not be taken, or None.

    A file names a referenced record by uid or natural key, which mean the same record
    in every database, or by a local id, which means it only in the database that wrote
    it. Lists and exports of earlier versions wrote ids with the record's labels beside
    them (`consultant_name`, `institution_acronym`...): when the row carries such a label
    (`written`: label column -> cell) and the record with that id here has another one,
    the file comes from another database and the id would attach the row to the wrong
    record.
    """
    text = str(given).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    for column, expression in f.labels:
        if column not in written or written[column] is MISSING:
            continue
        key = (f.ref, found, column)
        if key not in cache:
            cache[key] = store.value(f"SELECT {expression} FROM {f.ref} WHERE id = ?", (found,)) or ""
        here = cache[key]
        shown = "" if written[column] is None else parse.as_text(written[column]).strip()
        if fold(shown) != fold(here).strip():
            names = dict(table=f.ref, id=text, here=here, column=column, written=shown)
            if not here:
                problem = _(
                    "{table} {id} has no name in this database, but the row's {column} says {written!r}: "
                    "the file's ids come from another database; name the {table} by its uid instead"
                )
            elif not shown:
                problem = _(
                    "{table} {id} is {here!r} in this database, but the row's {column} is empty: "
                    "the file's ids come from another database; name the {table} by its uid instead"
                )
            else:
                problem = _(
                    "{table} {id} is {here!r} in this database, but the row's {column} says {written!r}: "
                    "the file's ids come from another database; name the {table} by its uid instead"
                )
            return about(f.name, problem.format(**names))
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def money_out(hundredths: int | None) -> int | float | None:
    """Units from stored hundredths: 1500 for 150000, 1500.5 for 150050."""
    if hundredths is None:
        return None
    units, rest = divmod(hundredths, 100)
    return units if rest == 0 else round(hundredths / 100, 2)


def columns(entity: Entity, extras: Iterable[str] = ()) -> list[str]:
    """The keys of `present(entity, row, extras)`, in order (for empty outputs)."""
    return ["id", "uid", *(f.name for f in entity.fields), *extras, "created_at", "updated_at"]


# A readable column beside a coded field: `discipline_label` is the name of the
# discipline whose code `discipline` holds (0531: Chemistry, Chimie).
LABEL_SUFFIX = "_label"


def label_columns(entity: Entity) -> list[str]:
    """The readable columns of `entity`'s coded fields (those whose codes have labels)."""
    return [f.name + LABEL_SUFFIX for f in entity.fields if not f.many and _labeller(f.vocabulary) is not None]


def _labeller(vocabulary: Vocabulary | Codes | None) -> Callable[[str, str], str] | None:
    """What reads a code of `vocabulary` in a language (fr, en...), if its codes have labels."""
    if isinstance(vocabulary, Vocabulary):
        return vocabulary.label
    from maliext_cli.reference import disciplines, iso

    if vocabulary is disciplines.DETAILED_FIELDS:
        by_code = disciplines.BY_CODE

        def discipline(code: str, lang: str) -> str:
            found = by_code.get(code)
            return code if found is None else found.name_fr if lang == "fr" else found.name_en

        return discipline
    if vocabulary is iso.COUNTRIES:
        return iso.country_name
    if vocabulary is iso.LANGUAGES:
        return iso.language_name
    return None


def with_labels(entity: Entity, rows: Iterable[dict], columns: Sequence[str], lang: str) -> list[dict]:
    """`rows` with the readable columns among `columns` filled in, in the language
    `lang` (a code: fr, en). Only for reading: lists never give them unless asked."""
    wanted = [c for c in columns if c in label_columns(entity)]
    if not wanted:
        return list(rows)
    readers = {c: _labeller(entity.by_name[c[: -len(LABEL_SUFFIX)]].vocabulary) for c in wanted}
    out = []
    for row in rows:
        row = dict(row)
        for column, read in readers.items():
            code = row.get(column[: -len(LABEL_SUFFIX)])
            row[column] = None if code is None or read is None else read(code, lang)
        out.append(row)
    return out


def present(entity: Entity, row: dict, extras: Iterable[str] = ()) -> dict:
    """A stored row as users and scripts see it: field names, lists, money in units.

    `extras` are computed columns of the query (labels, derived figures), shown after
    the fields and before the timestamps.
    """
    out: dict[str, Any] = {"id": row["id"], "uid": row["uid"]}
    for f in entity.fields:
        value = row.get(f.column)
        if f.many:
            value = json.loads(value) if value else []
        elif f.money:
            value = money_out(value)
        out[f.name] = value
    for name in extras:
        out[name] = row.get(name)
    out["created_at"] = row["created_at"]
    out["updated_at"] = row["updated_at"]
    return out


def redact(entity: Entity, records: Iterable[dict], columns: Sequence[str]) -> tuple[list[dict], list[str]]:
    """The records and columns without personal contact fields (`--redact`)."""
    hidden = {f.name for f in entity.fields if f.contact}
    return [{k: v for k, v in r.items() if k not in hidden} for r in records], [c for c in columns if c not in hidden]


class Problem:
    """A field's value was refused (kept in the parse cache like a value)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


class _Column:
    """How RowParser reads one column: its parser, the values parsed so far (a column
    of countries holds a dozen distinct values in 100,000 rows) and the raw values
    found wrong. A column whose values are nearly all distinct (e-mail addresses,
    phones) stops being cached."""

    __slots__ = ("index", "name", "parse", "cache", "refused", "distinct")

    def __init__(self, index: int, name: str, parse: Callable[[Any], Any]):
        self.index, self.name, self.parse = index, name, parse
        self.cache: dict = {}
        self.refused: set = set()
        self.distinct = False


def _cache_key(raw: Any) -> Any:
    """The key under which a JSON value's parse is cached: 1, 1.0 and true are equal
    in Python but not as input, and a list is cached by its items. TypeError for an
    object (not cached)."""
    if raw.__class__ is str:
        return raw
    if raw.__class__ is list:
        return (list, *map(_cache_key, raw))
    if raw.__class__ is dict:
        raise TypeError("not cached")
    return (float, repr(raw)) if raw.__class__ is float else (raw.__class__, raw)  # -0.0 == 0.0


def _scalar_parser(f: Field) -> Callable[[Any], Any]:
    """`parse_given` for a field that is not a list, with the common case first."""
    parse = f.parse

    def parse_cell(raw: Any) -> Any:
        if raw.__class__ is str and raw.strip():
            return parse(raw)
        return parse_given(f, raw)

    return parse_cell


class RowParser:
    """Parses the cells of import rows, fast: each distinct raw value of a column is
    parsed once (countries, degrees, disciplines repeat thousands of times).

    `columns[i]` is the field name of cell i (None: ignored). `extra` maps names that
    are not entity fields (e.g. `availability`) to their parsers; their parsed value
    lands in `values[name]`. `restore`: the cells are the text of a CSV or TSV file,
    where exports quote formula-like text (the quote is taken off); other cells are
    JSON values.
    """

    def __init__(
        self,
        entity: Entity,
        columns: Sequence[str | None],
        *,
        extra: dict[str, Callable] | None = None,
        restore: bool = False,
    ):
        from maliext_cli.services.cells import restore as unquote

        self._unquote = unquote if restore else None
        self.required = frozenset(f.column for f in entity.fields if f.required and not f.ref)
        self.plan: list[_Column] = []
        for i, name in enumerate(columns):
            if name is None:
                continue
            f = entity.by_name.get(name)
            if f is not None and not f.ref:
                parser = functools.partial(parse_given, f) if f.many else _scalar_parser(f)
                self.plan.append(_Column(i, f.name, parser))
            elif extra and name in extra:
                self.plan.append(_Column(i, name, extra[name]))

    @property
    def names(self) -> set[str]:
        """The names of the columns parsed."""
        return {column.name for column in self.plan}

    def _one(self, parser: Callable[[Any], Any], raw: Any) -> Any:
        if self._unquote is not None and raw.__class__ is str and raw[:1] == "'":
            raw = self._unquote(raw)
        try:
            return parser(raw)
        except DerivedValue:
            return MISSING  # exported as shown, follows from other records: left as it is
        except FieldError as exc:
            return Problem(str(exc))

    def _cached(self, column: _Column, raw: Any) -> Any:
        try:
            key = raw if raw.__class__ is str else _cache_key(raw)
        except TypeError:  # a JSON object: not cached
            return self._one(column.parse, raw)
        try:
            return column.cache[key]
        except KeyError:
            value = column.cache[key] = self._one(column.parse, raw)
            if value.__class__ is Problem:
                column.refused.add(key)
            return value

    def parse(self, cells: Sequence) -> tuple[dict[str, Any], list[str]]:
        """({name: stored value} of the given cells, problems as 'field: message')."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for column in self.plan:
            raw = cells[column.index]
            if raw is MISSING:
                continue
            value = self._cached(column, raw)
            if value.__class__ is Problem:
                problems.append(about(column.name, value.message))
            elif value is not MISSING:
                values[column.name] = value
        return values, problems

    def parse_columns(self, rows: Sequence[Sequence]) -> tuple[dict[str, list], dict[int, list[str]]]:
        """The same for many rows at once, column by column (much faster than row by
        row): ({name: the stored value of each row, or MISSING}, {row index: problems}).

        Each row's problems come in the order of its columns, as from `parse`.
        """
        columns: dict[str, list] = {}
        problems: dict[int, list[str]] = {}
        if not rows:
            return {column.name: [] for column in self.plan}, problems
        cells = list(zip(*rows))
        for column in self.plan:
            raw_column = cells[column.index]
            values = None
            if self._unquote is not None:  # CSV or TSV text (JSON values may be numbers, lists...)
                try:
                    values, wrong = self._parse_column(column, raw_column)
                except TypeError:  # a cell that is not hashable after all
                    values = None
            if values is None:  # cell by cell, each value cached under a key of its type
                values = [MISSING if raw is MISSING else self._cached(column, raw) for raw in raw_column]
                wrong = [k for k, value in enumerate(values) if value.__class__ is Problem]
            for k in wrong:
                problems.setdefault(k, []).append(about(column.name, values[k].message))
            columns[column.name] = values
        return columns, problems

    def _parse_column(self, column: _Column, raw_column: Sequence) -> tuple[list, list[int]]:
        """(values, indexes of the wrong ones); TypeError for an unhashable cell."""
        if column.distinct:
            values = [MISSING if raw is MISSING else self._one(column.parse, raw) for raw in raw_column]
            return values, [k for k, value in enumerate(values) if value.__class__ is Problem]
        cache, refused = column.cache, column.refused
        new = set(raw_column).difference(cache)
        for raw in new:
            value = cache[raw] = MISSING if raw is MISSING else self._one(column.parse, raw)
            if value.__class__ is Problem:
                refused.add(raw)
        if len(new) > 0.9 * len(raw_column) and len(raw_column) >= 1000:
            column.distinct, column.cache = True, {}  # caching costs more than it saves
        values = list(map(cache.__getitem__, raw_column))
        if refused.isdisjoint(raw_column):
            return values, []
        return values, [k for k, raw in enumerate(raw_column) if raw in refused]
