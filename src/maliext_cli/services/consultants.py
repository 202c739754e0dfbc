"""The repertory of consultants: Malian academics and professionals abroad."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

from maliext_cli.errors import Conflict, FieldError, Invalid, NotFound
from maliext_cli.reference import disciplines, iso, vocab
from maliext_cli.services import crud, parse, records
from maliext_cli.services.importing import Source, map_headers
from maliext_cli.services.records import MISSING, Entity, Field
from maliext_cli.store import Store
from maliext_cli.text import fold


def antenna_code(raw) -> str:
    value = parse.line(raw).upper()
    if not value.replace("-", "").replace("_", "").isalnum() or not 2 <= len(value) <= 20:
        raise FieldError(f"{value[:30]!r} is not an antenna code (letters, digits, '-', e.g. PARIS)")
    return value


def _birth_year(raw) -> int:
    return parse.year(raw, 1920, date.today().year - 16)


ENTITY = crud.register(
    Entity(
        table="consultant",
        label="consultant",
        natural_key="email",
        key_hint="its e-mail address",
        fields=(
            Field(
                "family_name",
                required=True,
                headers=("nom", "nom de famille", "last name", "surname"),
                help="Family name, as written (accents kept).",
            ),
            Field(
                "given_names",
                required=True,
                headers=("prenom", "prenoms", "first name", "given name"),
                help="Given name(s).",
            ),
            Field("sex", vocab.SEX.resolve, headers=("sexe", "genre"), help="F, M or X."),
            Field(
                "birth_year",
                _birth_year,
                headers=("annee de naissance", "annee naissance", "ne en", "year of birth"),
                contact=True,
                help="Year of birth, e.g. 1968.",
            ),
            Field(
                "email",
                parse.email,
                headers=("courriel", "e mail", "mail", "adresse electronique", "adresse email"),
                contact=True,
                help="E-mail address (unique).",
            ),
            Field(
                "phone",
                parse.phone,
                headers=("telephone", "tel", "portable", "mobile"),
                contact=True,
                help="Phone number, e.g. +33 6 12 34 56 78.",
            ),
            Field(
                "country",
                iso.country,
                required=True,
                headers=("pays", "pays de residence", "residence", "country of residence"),
                help="Country of residence: ISO code or French/English name.",
            ),
            Field("city", headers=("ville",), help="City of residence."),
            Field(
                "antenna", antenna_code, headers=("antenne", "antenne relais"), help="Relay antenna code, e.g. PARIS."
            ),
            Field(
                "origin_region",
                vocab.REGION.resolve,
                headers=("region d origine", "region origine", "region"),
                help="Region of origin in Mali (see `maliext ref regions`).",
            ),
            Field(
                "degree",
                vocab.DEGREE.resolve,
                required=True,
                headers=("diplome", "grade", "plus haut diplome"),
                help="licence, master, dea, dess, ingenieur, doctorat or hdr.",
            ),
            Field(
                "discipline",
                disciplines.resolve,
                required=True,
                headers=("domaine", "specialite principale", "field"),
                help="ISCED-F 2013 detailed field: code or name (see `maliext ref disciplines`).",
            ),
            Field(
                "specialities",
                many=True,
                headers=("specialites", "mots cles", "keywords", "specialite"),
                help="Keywords of expertise (repeat, or separate with ';').",
            ),
            Field(
                "languages",
                iso.language,
                many=True,
                default=["fr"],
                headers=("langues", "langue"),
                help="ISO 639-1 codes or names (default fr).",
            ),
            Field(
                "employer",
                headers=("employeur", "etablissement", "universite"),
                help="Current employer or home institution.",
            ),
            Field(
                "status",
                vocab.CONSULTANT_STATUS.resolve,
                default="active",
                headers=("statut", "etat"),
                help="candidate, active (default) or inactive.",
            ),
            Field("notes", parse.text, headers=("remarques", "observations", "commentaires"), help="Free notes."),
        ),
    )
)

AVAILABILITY_HEADERS = {
    fold(h): "availability" for h in ("availability", "disponibilite", "disponibilites", "periodes de disponibilite")
}


def label_sql(alias: str = "c") -> str:
    """SQL for a consultant's readable name, e.g. 'Aminata Traoré'."""
    return f"{alias}.given_names || ' ' || {alias}.family_name"


# ----------------------------------------------------------------- availability
def parse_period(raw: str) -> tuple[str, str]:
    """`2027-01-04/2027-03-31` (an ISO 8601 interval) -> (start, end)."""
    text = parse.as_text(raw).strip()
    if "/" not in text or text.count("/") not in (1,):
        raise FieldError(f"{text[:40]!r} is not a period START/END, e.g. 2027-01-04/2027-03-31")
    start, end = (_date(part) for part in text.split("/"))
    if end < start:
        raise FieldError(f"period {text}: the end is before the start")
    return start, end


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> str:
    """`parse.iso_date` of either end of a period: the same dates come back row after
    row (a failure raises again, uncached)."""
    return parse.iso_date(text)


def parse_periods(raw) -> list[tuple[str, str]]:
    if raw.__class__ is str and ";" not in raw:  # the usual cell: one period or none
        return [parse_period(raw)] if raw.strip() else []
    periods = sorted(parse_period(p) for p in parse.items(raw))
    for (s1, e1), (s2, e2) in zip(periods, periods[1:]):
        if s2 <= e1:
            raise FieldError(f"periods {s1}/{e1} and {s2}/{e2} overlap")
    return periods


def _check_new_period(store: Store, consultant_id: int, start: str, end: str) -> None:
    clash = store.row(
        'SELECT start, "end" FROM availability WHERE consultant_id = ? AND start <= ? AND "end" >= ?',
        (consultant_id, end, start),
    )
    if clash:
        raise Conflict(
            f"the period {start}/{end} overlaps {clash['start']}/{clash['end']}",
            hint="Remove that period first, or give one that does not overlap.",
        )


def add_availability(store: Store, ref, start: str, end: str) -> int:
    with store.transaction():
        consultant = records.find(store, ENTITY, ref)
        try:
            start, end = parse_period(f"{start}/{end}")
        except FieldError as exc:
            raise Invalid(str(exc)) from None
        _check_new_period(store, consultant["id"], start, end)
        return store.insert("availability", {"consultant_id": consultant["id"], "start": start, "end": end})


AVAILABILITY_COLUMNS = ["id", "uid", "start", "end", "days"]


def list_availability(store: Store, ref) -> list[dict]:
    consultant = records.find(store, ENTITY, ref)
    return store.rows(
        'SELECT id, uid, start, "end", CAST(julianday("end") - julianday(start) AS INTEGER) + 1 AS days '
        "FROM availability WHERE consultant_id = ? ORDER BY start",
        (consultant["id"],),
    )


def remove_availability(store: Store, ref, period: str) -> dict:
    """Remove one period, named by its id or as START/END."""
    with store.transaction():
        consultant = records.find(store, ENTITY, ref)
        text = str(period).strip()
        if text.isascii() and text.isdigit() and len(text) <= 18:
            row = store.row(
                "SELECT * FROM availability WHERE id = ? AND consultant_id = ?", (int(text), consultant["id"])
            )
        else:
            try:
                start, end = parse_period(text)
            except FieldError as exc:
                raise Invalid(str(exc)) from None
            row = store.row(
                'SELECT * FROM availability WHERE consultant_id = ? AND start = ? AND "end" = ?',
                (consultant["id"], start, end),
            )
        if row is None:
            raise NotFound(
                f"consultant {consultant['id']} has no availability period {text!r}",
                hint=f"See `maliext consultant availability list {consultant['id']}`.",
            )
        store.delete("availability", row["id"])
        return row


# --------------------------------------------------------------------- the noun
def _duplicate_key(family: str, given: str, birth_year) -> tuple:
    return (fold(family), fold(given), birth_year)


def _speaks(values: list[str]) -> tuple[str, list]:
    codes = [iso.language(v) for v in values]
    return f"EXISTS (SELECT 1 FROM json_each(t.languages) WHERE value IN ({', '.join('?' * len(codes))}))", codes


class Consultants(crud.Noun):
    entity = ENTITY
    select = """
        SELECT t.*,
               (SELECT group_concat(a.start || '/' || a."end", ';')
                  FROM (SELECT start, "end" FROM availability WHERE consultant_id = t.id ORDER BY start) a) AS availability
        FROM consultant t"""
    extras = ("availability",)
    search = "t.family_name || ' ' || t.given_names || ' ' || t.specialities || ' ' || coalesce(t.employer, '')"
    sections = ("availability", "missions", "conflicts")
    sort_aliases = {"name": ("fold(t.family_name)", "fold(t.given_names)")}
    filters = (
        crud.Filter(
            "discipline",
            "ISCED-F code or name; a broad or narrow code (05, 053) takes its whole field.",
            crud.discipline_prefixes("t.discipline"),
        ),
        crud.Filter("country", "Country of residence (code or name).", crud.any_of("t.country", iso.country)),
        crud.Filter(
            "degree",
            "licence, master, dea, dess, ingenieur, doctorat, hdr.",
            crud.any_of("t.degree", vocab.DEGREE.resolve),
        ),
        crud.Filter(
            "status", "candidate, active or inactive.", crud.any_of("t.status", vocab.CONSULTANT_STATUS.resolve)
        ),
        crud.Filter("antenna", "Relay antenna code.", crud.any_of("upper(t.antenna)", antenna_code)),
        crud.Filter("language", "Speaks this language (ISO 639-1 code or name).", _speaks),
        crud.Filter(
            "available_from",
            "Available on every day from this date...",
            None,
            many=False,
            metavar="DATE",
        ),
        crud.Filter(
            "available_to",
            "...to this date (one availability period covers both).",
            None,
            many=False,
            metavar="DATE",
        ),
    )

    def conditions(self, store: Store, given: dict[str, list[str]]) -> list[tuple[str, list]]:
        found = super().conditions(store, given)
        first, last = ((given.get(k) or [None])[-1] for k in ("available_from", "available_to"))
        if first or last:
            try:
                start, end = parse.iso_date(first or last), parse.iso_date(last or first)
            except FieldError as exc:
                raise Invalid(f"--available-from/--available-to: {exc}") from None
            if end < start:
                raise Invalid("--available-to is before --available-from")
            found.append(
                (
                    'EXISTS (SELECT 1 FROM availability a WHERE a.consultant_id = t.id AND a.start <= ? AND a."end" >= ?)',
                    [start, end],
                )
            )
        return found

    def present(self, row: dict) -> dict:
        record = super().present(row)
        record["availability"] = row["availability"].split(";") if row.get("availability") else []
        return record

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        key = _duplicate_key(values["family_name"], values["given_names"], values.get("birth_year"))
        if current and _duplicate_key(current["family_name"], current["given_names"], current["birth_year"]) == key:
            return []  # an edit that leaves the name alone does not warn again
        duplicates = store.rows(
            f"SELECT id, {label_sql('consultant')} AS name, birth_year FROM consultant "
            "WHERE fold(family_name) = ? AND fold(given_names) = ? AND birth_year IS ? AND id IS NOT ?",
            (*key, current and current["id"]),
        )
        return [
            f"likely duplicate of consultant {d['id']} ({d['name']}, born {d['birth_year'] or 'year unknown'}): same name and birth year"
            for d in duplicates
        ]

    def add(self, store: Store, raw: dict) -> crud.Added:
        """Add one consultant, with `availability` periods if given."""
        raw = dict(raw)
        try:
            periods = parse_periods(raw.pop("availability", None))
        except FieldError as exc:
            raise Invalid(f"availability: {exc}") from None
        with store.transaction():
            added = super().add(store, raw)
            for start, end in periods:
                store.insert("availability", {"consultant_id": added.id, "start": start, "end": end})
        return added

    def removing(self, store: Store, row: dict) -> None:
        """A consultant with missions or agreements is kept for the record; their
        availability periods and declared conflicts go with them."""
        missions = crud.references(store, "mission", "consultant_id", row["id"])
        if missions:
            raise Conflict(
                f"consultant {row['id']} has {missions} mission(s); a consultant with missions is kept for the record",
                hint=f"Set the status to inactive instead (`maliext consultant edit {row['id']} --status inactive`), or remove the missions first.",
            )
        crud.refuse_if_referenced(store, row, "consultant", [("agreement", "consultant_id", "agreement(s)")])
        for table in ("availability", "conflict"):
            for child in store.rows(f"SELECT id FROM {table} WHERE consultant_id = ?", (row["id"],)):
                store.delete(table, child["id"])

    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        return {
            "availability": list_availability(store, row["id"]),
            "missions": store.rows(
                "SELECT m.id, i.acronym AS institution_acronym, i.name AS institution_name, m.type, m.start_date, "
                "m.end_date, m.days, m.status FROM mission m JOIN institution i ON i.id = m.institution_id "
                "WHERE m.consultant_id = ? ORDER BY m.start_date, m.id",
                (row["id"],),
            ),
            "conflicts": store.rows(
                "SELECT k.id, k.uid, k.institution_id AS institution, i.acronym AS institution_acronym, i.name AS institution_name, "
                "k.reason FROM conflict k JOIN institution i ON i.id = k.institution_id WHERE k.consultant_id = ? ORDER BY k.id",
                (row["id"],),
            ),
        }

    def import_source(self, store: Store, source: Source, **options) -> crud.ImportReport:
        return import_source(store, source, **options)


NOUN = Consultants()


# ---------------------------------------------------------------------- import
def import_source(
    store: Store,
    source: Source,
    *,
    upsert: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> crud.ImportReport:
    """Import every record of `source`, or none: each invalid row is reported.

    Written for speed (a 100,000-row repertory): the file is read and checked a batch
    at a time, column by column (each distinct value parsed once), and each batch is
    inserted with multi-row statements; uniqueness is checked against maps loaded in
    one query each."""
    columns, warnings = map_headers(ENTITY, source.headers, extra=AVAILABILITY_HEADERS)
    parser = records.RowParser(
        ENTITY, columns, extra={"availability": parse_periods, "uid": crud.parse_uid}, restore=source.delimited
    )
    report = crud.ImportReport(warnings=warnings + source.warnings, dry_run=dry_run)
    try:
        with store.transaction():
            _import_rows(store, source, parser, report, upsert=upsert, dry_run=dry_run, progress=progress)
    except crud.DryRun:
        pass  # every row went through the real path; the transaction is rolled back
    return report


# Rows parsed, checked and inserted at a time: a large file is never held whole.
BATCH_ROWS = 4000


class _Screen:
    """Decides, batch after batch, what becomes of each row of an import: refused
    (with the reasons), an update of an existing consultant (--upsert), or a new one.

    Uniqueness is checked against maps of the database loaded in one query each,
    and of the rows seen so far."""

    def __init__(self, store: Store, source: Source, parser, report: crud.ImportReport, *, upsert: bool):
        self.by_uid = dict(store.conn.execute("SELECT uid, id FROM consultant"))
        self.by_email = {
            e.lower(): i for e, i in store.conn.execute("SELECT email, id FROM consultant WHERE email IS NOT NULL")
        }
        self.in_db = {
            _duplicate_key(f, g, b): i
            for i, f, g, b in store.conn.execute("SELECT id, family_name, given_names, birth_year FROM consultant")
        }
        self.in_file: dict[tuple, int] = {}
        self.seen_email: dict[str, int] = {}
        self.seen_uid: dict[str, int] = {}
        self.updates: list[tuple[int, dict, list | None]] = []
        self.problems: list[str] = []
        self.bad_lines: set[int] = set()
        self.report, self.upsert, self.unit = report, upsert, source.unit
        given = parser.names
        self.absent = sorted(parser.required - given)  # required fields without a column
        self.present = sorted(parser.required & given)
        # Only a JSON record can leave a key out (MISSING); a CSV row has every column.
        self.sparse = not source.delimited

    def batch(self, lines: list[int], values: dict[str, list], wrong: dict[int, list[str]]) -> list[int]:
        """The indexes of the new consultants among the rows of a batch."""
        new = self._all_new(lines, values) if not wrong else None
        if new is None:
            new = [k for k, line in enumerate(lines) if self._row(k, line, values, wrong)]
        self._warn_duplicates(lines, values, new)
        return new

    def _all_new(self, lines: list[int], values: dict[str, list]) -> list[int] | None:
        """Every row, when a few set operations show that all are new and valid (the
        usual import); None when some row needs a closer look."""
        if self.absent or any(MISSING in values[name] for name in self.present):
            return None
        keys = []
        for name, taken, seen in (("email", self.by_email, self.seen_email), ("uid", self.by_uid, self.seen_uid)):
            column = values.get(name)
            if column is None:
                continue
            given = [
                (v.lower() if name == "email" else v, line) for v, line in zip(column, lines) if v and v is not MISSING
            ]
            distinct = {v for v, _ in given}
            if (
                len(distinct) < len(given)
                or not taken.keys().isdisjoint(distinct)
                or not seen.keys().isdisjoint(distinct)
            ):
                return None
            keys.append((seen, given))
        for seen, given in keys:
            seen.update(given)
        return list(range(len(lines)))

    def _row(self, k: int, line: int, values: dict[str, list], wrong: dict[int, list[str]]) -> bool:
        """Check row `k` on its own: True if it is a new consultant (it may also be
        refused, or kept as an update)."""
        if k in wrong:
            return self._refuse(line, *wrong[k])
        uid, email = _cell(values, "uid", k), _cell(values, "email", k)
        if email:
            email = email.lower()
            if email in self.seen_email:
                return self._refuse(
                    line, f"e-mail {values['email'][k]} is also on {self.unit} {self.seen_email[email]}"
                )
            self.seen_email[email] = line
        if uid:
            if uid in self.seen_uid:
                return self._refuse(line, f"uid {uid} is also on {self.unit} {self.seen_uid[uid]}")
            self.seen_uid[uid] = line
        existing = self.by_uid.get(uid) if uid else None
        if existing is None and email:
            existing = self.by_email.get(email)
        if existing is not None:
            if not self.upsert:
                what = "uid" if uid in self.by_uid else "e-mail"
                return self._refuse(line, f"consultant {existing} already has this {what}; use --upsert to update it")
            if email and self.by_email.get(email, existing) != existing:
                return self._refuse(line, f"e-mail {values['email'][k]} belongs to consultant {self.by_email[email]}")
            changes = {
                name: column[k]
                for name, column in values.items()
                if name not in ("uid", "availability") and column[k] is not MISSING
            }
            self.updates.append((existing, changes, _cell(values, "availability", k)))
            return False
        missing = self.absent + [name for name in self.present if values[name][k] is MISSING]
        if missing:
            return self._refuse(line, *(f"{name}: is required" for name in sorted(missing)))
        return True

    def _refuse(self, line: int, *messages: str) -> bool:
        self.bad_lines.add(line)
        self.problems.extend(f"{self.unit} {line}: {m}" for m in messages)
        return False

    def _warn_duplicates(self, lines: list[int], values: dict[str, list], new: list[int]) -> None:
        """Warn about each new row whose name and birth year are those of a consultant
        already here, or of an earlier row."""
        if not new:  # (an update may leave the names out)
            return
        families, givens = values["family_name"], values["given_names"]
        years = values.get("birth_year") or [None] * len(lines)
        if self.sparse:
            years = [None if year is MISSING else year for year in years]
        if len(new) < len(lines):
            families, givens, years, lines = ([column[k] for k in new] for column in (families, givens, years, lines))
        keys = map(_duplicate_key, families, givens, years)  # fold() keeps its answers
        in_db, in_file, unit = self.in_db, self.in_file, self.unit
        for line, key in zip(lines, keys):
            if key in in_db:
                self.report.warnings.append(
                    f"{unit} {line}: likely duplicate of consultant {in_db[key]} (same name and birth year)"
                )
            elif key in in_file:
                self.report.warnings.append(
                    f"{unit} {line}: likely duplicate of {unit} {in_file[key]} (same name and birth year)"
                )
            else:
                in_file[key] = line


def _cell(values: dict[str, list], name: str, k: int):
    """Row `k`'s value of column `name`, None when not given."""
    column = values.get(name)
    value = None if column is None else column[k]
    return None if value is MISSING else value


def _import_rows(
    store: Store, source: Source, parser, report: crud.ImportReport, *, upsert: bool, dry_run: bool, progress
) -> None:
    screen = _Screen(store, source, parser, report, upsert=upsert)
    fields = [f for f in ENTITY.fields if not f.ref]
    report.inserted = []
    periods: list[tuple[int, str, str]] = []  # (consultant id, start, end) of the new consultants
    with store.bulk() as bulk:
        for batch in source.batches(BATCH_ROWS):
            values, wrong = parser.parse_columns([cells for _, cells in batch])
            new = screen.batch([line for line, _ in batch], values, wrong)
            if new and not screen.problems:  # once a row is wrong, nothing will be written: parse on
                periods += _insert_new(bulk, fields, values, new, len(batch), screen.sparse, report.inserted)
            report.rows += len(batch)
            if progress:
                progress(report.rows)
        if screen.problems:
            raise Invalid(
                f"{len(screen.bad_lines)} of {report.rows} {source.unit}s are invalid; nothing was imported",
                details=screen.problems,
            )
        if periods:  # after the consultants, as the change log always had them
            bulk.insert_rows("availability", ("consultant_id", "start", "end"), [list(c) for c in zip(*periods)])
    report.updated = []
    for existing, values, spans in screen.updates:
        changed = store.update("consultant", existing, values)
        if spans is not None:
            changed |= _replace_periods(store, existing, spans)
        if changed:
            report.updated.append(existing)
        else:
            report.unchanged += 1
    if dry_run:
        raise crud.DryRun


def _insert_new(
    bulk, fields, values: dict[str, list], new: list[int], size: int, sparse: bool, ids: list
) -> list[tuple[int, str, str]]:
    """Insert the new consultants of a batch (rows `new` of `values`);
    their ids are added to `ids`. Their availability periods, (id, start, end)."""

    def pick(column: list) -> list:
        return column if len(new) == size else [column[k] for k in new]

    columns: list[str] = []
    data: list[list] = []
    defaults: dict[str, object] = {}  # fields without a column: one value for all
    for f in fields:
        column = values.get(f.name)
        if column is None:
            defaults[f.column] = f.stored_default
            continue
        column = pick(column)
        if sparse:
            column = [f.stored_default if v is MISSING else v for v in column]
        columns.append(f.column)
        data.append(column)
    uids = None
    if "uid" in values:  # a blank or missing uid: a new one
        uids = [u if u and u.__class__ is str else None for u in pick(values["uid"])]
    added = bulk.insert_rows("consultant", columns, data, uids=uids, constants=defaults)
    ids.extend(added)
    if "availability" not in values:
        return []
    return [
        (cid, start, end)
        for cid, spans in zip(added, pick(values["availability"]))
        if spans and spans is not MISSING
        for start, end in spans
    ]


def _replace_periods(store: Store, consultant_id: int, periods: list[tuple[str, str]]) -> bool:
    current = [
        (r["id"], r["start"], r["end"])
        for r in store.rows(
            'SELECT id, start, "end" FROM availability WHERE consultant_id = ? ORDER BY start', (consultant_id,)
        )
    ]
    if [(s, e) for _, s, e in current] == periods:
        return False
    for id_, _, _ in current:
        store.delete("availability", id_)
    for start, end in periods:
        store.insert("availability", {"consultant_id": consultant_id, "start": start, "end": end})
    return True
