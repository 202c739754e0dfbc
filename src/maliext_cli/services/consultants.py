"""The repertory of consultants: Malian academics and professionals abroad."""

from __future__ import annotations

import functools

from maliext_cli import clock
from maliext_cli.errors import Conflict, FieldError, Invalid, NotFound
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference import disciplines, iso, vocab
from maliext_cli.services import crud, parse, records
from maliext_cli.services.importing import at
from maliext_cli.services.records import MISSING, Entity, Field, LikelyDuplicate, Period
from maliext_cli.store import Store


def antenna_code(raw) -> str:
    value = parse.line(raw).upper()
    if not value.replace("-", "").replace("_", "").isalnum() or not 2 <= len(value) <= 20:
        raise FieldError(
            _("{value!r} is not an antenna code (letters, digits, '-', e.g. PARIS)").format(value=value[:30])
        )
    return value


def _birth_year(raw) -> int:
    return parse.year(raw, 1920, clock.today().year - 16)


# Two consultants likely the same person (add and edit warn of it).
LIKELY_DUPLICATE = LikelyDuplicate(
    ("family_name", "given_names", "birth_year"), N_("same name and birth year"), exact=("birth_year",)
)

ENTITY = Entity(
    table="consultant",
    label=N_("consultant"),
    natural_key="email",
    find_hint=N_("Name a consultant by its id, its uid or its e-mail address."),
    likely_duplicate=LIKELY_DUPLICATE,
    named_by=(("given_names", "family_name"), ("email",)),
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
        Field("sex", vocabulary=vocab.SEX, headers=("sexe", "genre"), help="F, M or X."),
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
            vocabulary=iso.COUNTRIES,
            required=True,
            headers=("pays", "pays de residence", "residence", "country of residence"),
            help="Country of residence: ISO code or French/English name.",
        ),
        Field("city", headers=("ville",), help="City of residence."),
        Field("antenna", antenna_code, headers=("antenne", "antenne relais"), help="Relay antenna code, e.g. PARIS."),
        Field(
            "origin_region",
            vocabulary=vocab.REGION,
            headers=("region d origine", "region origine", "region"),
            help="Region of origin in Mali (see `maliext ref regions`).",
        ),
        Field(
            "degree",
            vocabulary=vocab.DEGREE,
            required=True,
            headers=("diplome", "grade", "plus haut diplome"),
            help="licence, master, dea, dess, ingenieur, doctorat or hdr.",
        ),
        Field(
            "discipline",
            vocabulary=disciplines.DETAILED_FIELDS,
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
            vocabulary=iso.LANGUAGES,
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
            vocabulary=vocab.CONSULTANT_STATUS,
            default="active",
            headers=("statut", "etat"),
            help="candidate, active (default) or inactive.",
        ),
        Field("notes", parse.text, headers=("remarques", "observations", "commentaires"), help="Free notes."),
    ),
)

AVAILABILITY_HEADERS = ("availability", "disponibilite", "disponibilites", "periodes de disponibilite")


def label_sql(alias: str = "c") -> str:
    """SQL for a consultant's readable name, e.g. 'Aminata Traoré'."""
    return f"{alias}.given_names || ' ' || {alias}.family_name"


# ----------------------------------------------------------------- availability
AVAILABILITY_PERIOD = Period("start", "end", N_("availability"))
# The periods in which a consultant can travel (set by `consultant availability`).
AVAILABILITY = Entity(
    table="availability",
    label=N_("availability period"),
    fields=(
        Field("consultant", ref="consultant", required=True),
        Field("start", parse.iso_date, required=True),
        Field("end", parse.iso_date, required=True),
    ),
    periods=(AVAILABILITY_PERIOD,),
)


def parse_period(raw: str) -> tuple[str, str]:
    """`2027-01-04/2027-03-31` (an ISO 8601 interval) -> (start, end)."""
    text = parse.as_text(raw).strip()
    if "/" not in text or text.count("/") not in (1,):
        raise FieldError(_("{value!r} is not a period START/END, e.g. 2027-01-04/2027-03-31").format(value=text[:40]))
    start, end = (_date(part) for part in text.split("/"))
    if end < start:
        raise FieldError(_("period {period}: the end is before the start").format(period=text))
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
            raise FieldError(_("periods {first} and {second} overlap").format(first=f"{s1}/{e1}", second=f"{s2}/{e2}"))
    return periods


def _check_new_period(store: Store, consultant_id: int, start: str, end: str) -> None:
    clash = store.row(
        'SELECT start, "end" FROM availability WHERE consultant_id = ? AND start <= ? AND "end" >= ?',
        (consultant_id, end, start),
    )
    if clash:
        raise Conflict(
            _("the period {period} overlaps {other}").format(
                period=f"{start}/{end}", other=f"{clash['start']}/{clash['end']}"
            ),
            hint=_("Remove that period first, or give one that does not overlap."),
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
AVAILABILITY_BRIEF = ("id", "start", "end", "days")


def list_availability(store: Store, ref) -> list[dict]:
    consultant = records.find(store, ENTITY, ref)
    return store.rows(
        f'SELECT id, uid, start, "end", {AVAILABILITY_PERIOD.days()} AS days '
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
                _("consultant {id} has no availability period {period!r}").format(id=consultant["id"], period=text),
                hint=_("See `maliext consultant availability list {id}`.").format(id=consultant["id"]),
            )
        store.delete("availability", row["id"])
        return row


# --------------------------------------------------------------------- the noun


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
    brief = ("id", "family_name", "given_names", "country", "degree", "discipline_label", "status")
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
                raise Invalid(records.about("--available-from/--available-to", str(exc))) from None
            if end < start:
                raise Invalid(_("--available-to is before --available-from"))
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

    def duplicates(self, store: Store, values: dict, current: dict | None) -> list[str]:
        likely = LIKELY_DUPLICATE
        key = likely.key(values)
        if current and likely.key(current) == key:
            return []  # an edit that leaves the name alone does not warn again
        twins = store.conn.execute(
            f"SELECT id, {label_sql('consultant')} AS name, birth_year FROM consultant "
            f"WHERE {likely.where()} AND id IS NOT ? ORDER BY id",
            (*key, current and current["id"]),
        ).fetchall()
        return [_duplicate_message(twins)] if twins else []

    def add(self, store: Store, raw: dict) -> crud.Added:
        """Add one consultant, with `availability` periods if given."""
        raw = dict(raw)
        try:
            periods = parse_periods(raw.pop("availability", None))
        except FieldError as exc:
            raise Invalid(records.about("availability", str(exc))) from None
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
                ngettext(
                    "consultant {id} has {n} mission; a consultant with missions is kept for the record",
                    "consultant {id} has {n} missions; a consultant with missions is kept for the record",
                    missions,
                ).format(id=row["id"], n=missions),
                hint=_(
                    "Set the status to inactive instead (`maliext consultant edit {id} --status inactive`), "
                    "or remove the missions first."
                ).format(id=row["id"]),
            )
        crud.refuse_if_referenced(
            store,
            row,
            [
                (
                    "agreement",
                    "consultant_id",
                    lambda n: (
                        ngettext(
                            "consultant {id} is referenced by {n} agreement",
                            "consultant {id} is referenced by {n} agreements",
                            n,
                        ),
                        ngettext(
                            "Remove or change that agreement first.", "Remove or change those agreements first.", n
                        ),
                    ),
                )
            ],
        )
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

    # ------------------------------------------------------------------ import
    import_columns = {"availability": (parse_periods, AVAILABILITY_HEADERS)}

    def duplicate_batches(self, store: Store, unit: str) -> DuplicateWarnings:
        return DuplicateWarnings(store, unit)

    def write_extra(self, store: Store, row_id: int, extra: dict, *, new: bool) -> bool:
        periods = extra.get("availability")
        if periods is None:
            return False
        if new:
            for start, end in periods:
                store.insert("availability", {"consultant_id": row_id, "start": start, "end": end})
            return bool(periods)
        return _replace_periods(store, row_id, periods)

    def write_extras(self, bulk, rows: list[tuple[int, dict]]) -> None:
        """The availability periods of the new consultants, after them all (as the
        change log always had them)."""
        periods = [
            (cid, start, end)
            for cid, extra in rows
            if extra["availability"] and extra["availability"] is not MISSING
            for start, end in extra["availability"]
        ]
        if periods:
            bulk.insert_rows("availability", ("consultant_id", "start", "end"), [list(c) for c in zip(*periods)])


NOUN = Consultants()


class DuplicateWarnings:
    """`Consultants.duplicates` for a batch of new consultants at once: the likely
    duplicates (`LIKELY_DUPLICATE`) of each among the consultants here and the rows
    before it, from a map instead of one query a row."""

    def __init__(self, store: Store, unit: str):
        self.unit = unit
        self.known: dict[tuple, list[tuple[int, str, int | None]]] = {}
        rows = store.conn.execute("SELECT id, family_name, given_names, birth_year FROM consultant ORDER BY id")
        for i, family, given, year in rows:
            key = LIKELY_DUPLICATE.key({"family_name": family, "given_names": given, "birth_year": year})
            self.known.setdefault(key, []).append((i, f"{given} {family}", year))

    def __call__(self, lines: list[int], values: dict[str, list], new: list[int], ids: list[int]) -> list[str]:
        families, givens = values["family_name"], values["given_names"]
        years = [None if y is MISSING else y for y in values.get("birth_year") or [None] * len(lines)]
        # The key of each row, column by column (`LIKELY_DUPLICATE.key`: fold() keeps its answers).
        keys = LIKELY_DUPLICATE.keys([families[k] for k in new], [givens[k] for k in new], [years[k] for k in new])
        warnings: list[str] = []
        known, unit = self.known, self.unit
        for k, row_id, key in zip(new, ids, keys):
            twins = known.get(key)
            if twins is None:
                twins = known[key] = []
            else:
                warnings.append(at(unit, lines[k], _duplicate_message(twins)))
            twins.append((row_id, f"{givens[k]} {families[k]}", years[k]))
        return warnings


def _duplicate_message(twins: list) -> str:
    """The warning about a consultant's likely duplicates (id, name, birth year), oldest first."""
    row_id, name, year = twins[0]
    more = len(twins) - 1
    names = dict(id=row_id, name=name, year=year, n=more, reason=_(LIKELY_DUPLICATE.reason))
    if not more:
        if year:
            return _("likely duplicate of consultant {id} ({name}, born {year}): {reason}").format(**names)
        return _("likely duplicate of consultant {id} ({name}, year of birth unknown): {reason}").format(**names)
    if year:
        return ngettext(
            "likely duplicate of consultant {id} ({name}, born {year}) and {n} other: {reason}",
            "likely duplicate of consultant {id} ({name}, born {year}) and {n} others: {reason}",
            more,
        ).format(**names)
    return ngettext(
        "likely duplicate of consultant {id} ({name}, year of birth unknown) and {n} other: {reason}",
        "likely duplicate of consultant {id} ({name}, year of birth unknown) and {n} others: {reason}",
        more,
    ).format(**names)


def _replace_periods(store: Store, consultant_id: int, periods: list[tuple[str, str]]) -> bool:
    current = [
        (r["id"], r["start"], r["end"])
        for r in store.rows(
            'SELECT id, start, "end" FROM availability WHERE consultant_id = ? ORDER BY start', (consultant_id,)
        )
    ]
    if [(s, e) for _id, s, e in current] == periods:
        return False
    for id_, _start, _end in current:
        store.delete("availability", id_)
    for start, end in periods:
        store.insert("availability", {"consultant_id": consultant_id, "start": start, "end": end})
    return True
