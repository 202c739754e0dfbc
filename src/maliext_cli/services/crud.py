"""Add, edit, remove, show, list, import: the same for every kind of record.

A `Noun` holds an `Entity` and the SQL that lists it with its labels; each noun's module
subclasses it to add its rules (`check`), what removing needs (`removing`) and what
`show` adds (`details`). The CLI builds its commands from the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from maliext_cli.errors import Conflict, FieldError, Invalid, MaliextError, NotFound, UsageProblem
from maliext_cli.i18n import _, ngettext
from maliext_cli.services import importer, parse, records
from maliext_cli.services.importer import ImportReport
from maliext_cli.services.importing import Source, at
from maliext_cli.services.records import Entity
from maliext_cli.store import Store
from maliext_cli.text import fold


def _entity(table: str) -> Entity:
    """The records a reference field points to (`--institution FAST`)."""
    from maliext_cli.services import nouns  # the registry imports every noun's module, which import this one

    return nouns.ENTITIES[table]


@dataclass(frozen=True)
class Filter:
    """A `list`/`export` option: `--NAME VALUE` (repeatable: any of the values).

    `where(values)` returns an SQL condition on the alias `t` and its parameters; it
    raises FieldError for a value it cannot use. With `ref`, the values name records
    of that table (id, uid or natural key) and `where` receives their ids.
    """

    name: str
    help: str
    where: Callable[[list], tuple[str, list]] | None  # None: read by the noun's `conditions`
    many: bool = True
    metavar: str = "VALUE"
    ref: str | None = None
    option: str | None = None  # the command-line flag, when not --NAME (e.g. --from)

    @property
    def flag(self) -> str:
        return self.option or "--" + self.name.replace("_", "-")


def any_of(column: str, resolve: Callable[[str], Any] = str) -> Callable[[list[str]], tuple[str, list]]:
    """A filter on `column` being one of the (resolved) values."""

    def where(values: list[str]) -> tuple[str, list]:
        resolved = [resolve(v) for v in values]
        return f"{column} IN ({', '.join('?' * len(resolved))})", resolved

    return where


def discipline_prefixes(column: str) -> Callable[[list[str]], tuple[str, list]]:
    """A filter on an ISCED-F code column: a broad or narrow code (05, 053) or a name
    takes its whole field."""
    from maliext_cli.reference import disciplines

    def where(values: list[str]) -> tuple[str, list]:
        prefixes = [disciplines.prefix_for_filter(v) for v in values]
        return "(" + " OR ".join(f"{column} LIKE ?" for _prefix in prefixes) + ")", [p + "%" for p in prefixes]

    return where


def date_on_or_after(column: str) -> Callable[[list[str]], tuple[str, list]]:
    return lambda values: (f"{column} >= ?", [parse.iso_date(values[-1])])


def date_on_or_before(column: str) -> Callable[[list[str]], tuple[str, list]]:
    return lambda values: (f"{column} <= ?", [parse.iso_date(values[-1])])


@dataclass
class Added:
    id: int
    warnings: list[str] = field(default_factory=list)


class Noun:
    """The generic service of one kind of record. Subclasses set the class attributes
    and override the hooks."""

    entity: Entity
    # SELECT of every stored column (alias t) and the computed `extras`, FROM and JOINs.
    select: str = ""
    extras: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    # SQL text searched by --search (folded, each word must appear).
    search: str | None = None
    sections: tuple[str, ...] = ()  # lists nested in `show`
    # The few columns a person scans, in order: what `list` shows in the table format
    # (and html) without -c, fitting 100 columns. A `FIELD_label` column reads a coded
    # field (discipline_label: Chemistry for 0531); JSON and CSV never hold it unasked.
    brief: tuple[str, ...] = ()
    default_sort: str = "t.id"
    # Sort keys beyond the fields: name -> SQL expressions, e.g.
    # {"name": ("fold(t.family_name)", "fold(t.given_names)")}.
    sort_aliases: dict[str, tuple[str, ...]] = {}
    # Columns written by exports that imports skip without a warning (labels).
    computed: tuple[str, ...] = ()

    # ------------------------------------------------------------------ hooks
    def check(self, store: Store, values: dict[str, Any], current: dict | None) -> list[str]:
        """Rules for a new (`current` None) or changed row; `values` holds the stored
        columns (for an edit: the row as it will be). Raise Invalid or Conflict;
        return warnings."""
        return []

    def duplicates(self, store: Store, values: dict[str, Any], current: dict | None) -> list[str]:
        """Warnings, never refusals, about records that a new or changed row likely
        duplicates (after `check`, with the same arguments)."""
        return []

    def duplicate_batches(
        self, store: Store, unit: str
    ) -> Callable[[list[int], dict[str, list], list[int], list[int]], list[str]] | None:
        """`duplicates` for an import's new rows a batch at a time: a function of (lines,
        values by column, indexes of the new rows, their ids) giving the warnings that
        `duplicates` gives each row, in order, prefixed with the row's line; it must
        agree with `duplicates` (a test keeps them in agreement). A noun that gives one
        has its new rows written a batch at a time (services/importer.py). None: rows
        are written one by one."""
        return None

    def has_rules(self) -> bool:
        """Whether the noun has rules of its own (`check`): without, an import of many
        rows calls nothing per row."""
        return type(self).check is not Noun.check

    def removing(self, store: Store, row: dict) -> None:
        """Called before a row is removed: refuse (Conflict) or remove what depends on it."""

    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        """The nested lists that `show` adds (one per name in `sections`)."""
        return {}

    def conditions(self, store: Store, given: dict[str, list[str]]) -> list[tuple[str, list]]:
        """SQL conditions for the filters given to `list`/`export`. Override to add
        conditions that combine several options."""
        found = []
        for f in self.filters:
            values = [v for v in given.get(f.name) or [] if v is not None]
            if not values or f.where is None:
                continue
            try:
                if f.ref:
                    values = [records.find(store, _entity(f.ref), v)["id"] for v in values]
                found.append(f.where(values))
            except FieldError as exc:
                raise Invalid(records.about(f.flag, str(exc))) from None
        return found

    # ---------------------------------------------------------------- derived
    @property
    def label(self) -> str:
        """The noun in messages, in English (N_): translate it where it is shown, `_(noun.label)`."""
        return self.entity.label

    @property
    def columns(self) -> list[str]:
        return records.columns(self.entity, self.extras)

    @property
    def label_columns(self) -> list[str]:
        """The readable columns (`discipline_label`...) that `-c` may also name."""
        return records.label_columns(self.entity)

    def sql(self) -> str:
        return self.select or f"SELECT t.* FROM {self.entity.table} t"

    def present(self, row: dict) -> dict:
        return records.present(self.entity, row, self.extras)

    def find(self, store: Store, ref: Any) -> dict:
        return records.find(store, self.entity, ref)

    def resolve_refs(self, store: Store, raw: dict, cache: dict | None = None) -> tuple[dict, list[MaliextError]]:
        """({column: id} of the reference fields given in `raw`, one error per field
        that names nothing: NotFound, or Invalid for a required one left blank)."""
        values: dict[str, Any] = {}
        problems: list[MaliextError] = []
        for f in self.entity.fields:
            if not f.ref or f.name not in raw:
                continue
            given = raw[f.name]
            if given is records.MISSING:
                continue
            if parse.is_blank(given):
                if f.required:
                    problems.append(Invalid(records.about(f.name, records.required())))
                else:
                    values[f.column] = None
                continue
            key = (f.ref, str(given).strip())
            try:
                if cache is not None and key in cache:
                    found = cache[key]
                else:
                    found = records.find(store, _entity(f.ref), given)["id"]
                    if cache is not None:
                        cache[key] = found
                values[f.column] = found
            except MaliextError as exc:
                problems.append(type(exc)(records.about(f.name, exc.message), hint=exc.hint))
        return values, problems

    def _parse(self, store: Store, raw: dict, *, partial: bool) -> dict:
        problems: list[str] = []
        try:
            values = records.parse_values(self.entity, raw, partial=partial)
        except Invalid as exc:
            values = {}
            problems.extend(exc.details or [exc.message])
        refs, wrong = self.resolve_refs(store, raw)
        missing = [e for e in wrong if isinstance(e, NotFound)]
        problems.extend(e.message for e in wrong)
        if not partial:
            problems.extend(
                records.about(f.name, records.required())
                for f in self.entity.fields
                if f.ref and f.required and f.name not in raw
            )
        if missing and len(missing) == len(problems):
            # Only references to records that do not exist: exit code 3, as for REF arguments.
            raise (
                NotFound(missing[0].message, hint=missing[0].hint)
                if len(missing) == 1
                else NotFound(
                    ngettext(
                        "{n} referenced record does not exist", "{n} referenced records do not exist", len(missing)
                    ).format(n=len(missing)),
                    details=[m.message for m in missing],
                )
            )
        if len(problems) == 1:
            raise Invalid(problems[0])
        if problems:
            raise Invalid(records.invalid_fields(len(problems)), details=problems)
        return {**values, **refs}

    # ----------------------------------------------------------------- writes
    def add(self, store: Store, raw: dict) -> Added:
        with store.transaction():
            values = self._parse(store, raw, partial=False)
            self._check_key_free(store, values, None)
            warnings = self.check(store, values, None) + self.duplicates(store, values, None)
            return Added(store.insert(self.entity.table, values), warnings)

    def edit(self, store: Store, ref: Any, raw: dict) -> tuple[int, bool, list[str]]:
        """Change the given fields only: (id, whether anything changed, warnings)."""
        with store.transaction():
            current = self.find(store, ref)
            changes = self._parse(store, raw, partial=True)
            self._check_key_free(store, changes, current)
            row = {**current, **changes}
            warnings = self.check(store, row, current) + self.duplicates(store, row, current)
            changed = store.update(self.entity.table, current["id"], changes)
        return current["id"], changed, warnings

    def remove(self, store: Store, ref: Any) -> dict:
        with store.transaction():
            row = self.find(store, ref)
            self.removing(store, row)
            store.delete(self.entity.table, row["id"])
        return row

    def _check_key_free(self, store: Store, values: dict, current: dict | None) -> None:
        key = self.entity.natural_key
        if not key or not values.get(key):
            return
        other = store.row(
            f"SELECT id FROM {self.entity.table} WHERE {key} = ? COLLATE NOCASE AND id IS NOT ?",
            (values[key], current["id"] if current else None),
        )
        if other:
            raise Conflict(
                # Translators: {key} is a field name (email, acronym, code), {label} the kind of record.
                _("{key} {value} is already used by {label} {id}").format(
                    key=key, value=values[key], label=_(self.label), id=other["id"]
                )
            )

    # ------------------------------------------------------------------ reads
    def exported(self, store: Store, given: dict[str, list[str]] | None = None) -> list[dict]:
        """The records of `export`: those of `list`, with each reference written by what
        names the record in every database (a local id names it only here): its natural
        key (e-mail, acronym, code), as people write it, else its uid."""
        rows = self.query(store, given)
        for f in self.entity.fields:
            if f.ref and rows:
                names = records.travelling_names(store, _entity(f.ref))
                for row in rows:
                    if row[f.name] is not None:
                        row[f.name] = names[row[f.name]]
        return rows

    def get(self, store: Store, ref: Any) -> dict:
        row = self.find(store, ref)
        record = self.present(store.row(self.sql() + " WHERE t.id = ?", (row["id"],)))
        record.update(self.details(store, row))
        return record

    def query(
        self,
        store: Store,
        given: dict[str, list[str]] | None = None,
        *,
        search: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        where, params = self.where(store, given, search)
        sql = self.sql() + where + " ORDER BY " + self._order_by(sort)
        if limit is not None:
            if limit < 0:
                raise Invalid(_("--limit must be zero or more"))
            sql += " LIMIT ?"
            params.append(limit)
        return [self.present(r) for r in store.rows(sql, params)]

    def where(self, store: Store, given: dict[str, list[str]] | None, search: str | None) -> tuple[str, list]:
        """` WHERE ...` (or "") and its parameters for the filters and the search words
        (alias t): what `list`, `export` and the reports select."""
        where: list[str] = []
        params: list = []
        for clause, args in self.conditions(store, given or {}):
            where.append(clause)
            params.extend(args)
        if search:
            if not self.search:
                raise Invalid(_("--search is not available for {table}").format(table=self.entity.table))
            for word in fold(search).split():
                where.append(f"fold({self.search}) LIKE ?")
                params.append(f"%{word}%")
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def _order_by(self, sort: str | None) -> str:
        if not sort:
            return self.default_sort
        sortable: dict[str, tuple[str, ...]] = {f.name: (f"t.{f.column}",) for f in self.entity.fields if not f.many}
        sortable.update({name: (name,) for name in self.extras})
        sortable.update(
            {"id": ("t.id",), "created_at": ("t.created_at",), "updated_at": ("t.updated_at",), **self.sort_aliases}
        )
        terms: list[str] = []
        for part in sort.split(","):
            key = part.strip()
            descending = key.startswith("-")
            key = key.lstrip("-").replace("-", "_")
            if key not in sortable:
                raise Invalid(
                    _("--sort: cannot sort by {key!r}; use one of: {keys} (prefix - for descending)").format(
                        key=key, keys=", ".join(sorted(sortable))
                    )
                )
            terms.extend(f"{expression} {'DESC' if descending else 'ASC'}" for expression in sortable[key])
        return ", ".join([*terms, "t.id"])

    # ----------------------------------------------------------------- import
    # Columns an import reads beside the fields: name -> (parser, accepted headers);
    # their parsed values reach `write_extra` (a consultant's availability periods).
    import_columns: dict[str, tuple[Callable[[Any], Any], tuple[str, ...]]] = {}
    # The noun's rules are all about links to its own table (an association's parent):
    # an import checks them once every link is set (`check_links`), not row by row.
    checks_links_only: bool = False

    def import_source(
        self,
        store: Store,
        source: Source,
        *,
        upsert: bool = False,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Import every record of `source`, or none: the one pipeline (services/importer.py)."""
        return importer.run(self, store, source, upsert=upsert, dry_run=dry_run, progress=progress)

    def write_extra(self, store: Store, row_id: int, extra: dict[str, Any], *, new: bool) -> bool:
        """Write the `import_columns` values of one imported row; whether anything changed."""
        return False

    def write_extras(self, bulk: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """The same for the (id, values) of the rows that a bulk import wrote."""

    def check_links(self, store: Store, run: Any, linked: dict[int, int]) -> None:
        """Check, with `check`, the rows whose links to the noun's own table an import
        set (`linked`: id -> line), now that every link is there; `run.refuse(line,
        message)` reports a broken rule."""
        for row_id, line in linked.items():
            row = store.row(f"SELECT * FROM {self.entity.table} WHERE id = ?", (row_id,))
            try:
                run.report.warnings.extend(at(run.unit, line, w) for w in self.check(store, row, row))
            except MaliextError as exc:
                run.refuse(line, *(exc.details or [exc.message]))


def references(store: Store, table: str, column: str, id_: int) -> int:
    return store.value(f"SELECT count(*) FROM {table} WHERE {column} = ?", (id_,))


def refuse_if_referenced(
    store: Store, row: dict, uses: Sequence[tuple[str, str, Callable[[int], tuple[str, str]]]]
) -> None:
    """Conflict if any (table, column, says) references the row: `says(n)` gives the
    message and the hint for `n` such records (ngettext), where {id} is the row's id
    and {n} the count."""
    for table, column, says in uses:
        count = references(store, table, column, row["id"])
        if count:
            message, hint = says(count)
            raise Conflict(message.format(id=row["id"], n=count), hint=hint.format(id=row["id"], n=count))


def group_keys(by: Sequence[str] | None, allowed: dict, default: str | None = None) -> list[str]:
    """The group keys of a report's `--by` (repeated and/or comma-separated), checked.
    Without `by`, `default`; with a `default`, at least one key is needed (without
    one, no key at all makes a report of the totals alone)."""
    given = by or ([default] if default else [])
    keys = [k.strip().lower().replace("-", "_") for part in given for k in part.split(",") if k.strip()]
    hint = _("Use one or more of: {keys}.").format(keys=", ".join(allowed))
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise UsageProblem(
            ngettext("--by: unknown key {keys}", "--by: unknown keys {keys}", len(unknown)).format(
                keys=", ".join(unknown)
            ),
            hint=hint,
        )
    if len(set(keys)) != len(keys):
        raise UsageProblem(_("--by: a key is given twice"))
    if not keys and default:
        raise UsageProblem(_("--by: give at least one key"), hint=hint)
    return keys
