"""Host institutions in Mali (faculties, grandes écoles, hospitals, research centres,
ministries) and the programmes that fund missions (TOKTEN, TALMALI...)."""

from __future__ import annotations

from maliext_cli.errors import Conflict, FieldError
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference import vocab
from maliext_cli.services import crud, parse
from maliext_cli.services.records import Entity, Field, Period
from maliext_cli.store import Store


def _acronym(raw) -> str:
    value = parse.line(raw)
    if len(value) > 30:
        raise FieldError(_("{value!r}... is too long for an acronym (at most 30 characters)").format(value=value[:30]))
    return value


INSTITUTION = Entity(
    table="institution",
    label=N_("institution"),
    natural_key="acronym",
    find_hint=N_("Name an institution by its id, its uid or its acronym (FAST, FSJP...)."),
    named_by=(("acronym",), ("name",)),
    fields=(
        Field(
            "name",
            required=True,
            headers=("nom", "denomination", "intitule"),
            help="Full name, e.g. Faculté des Sciences et Techniques.",
        ),
        Field("acronym", _acronym, headers=("sigle", "acronyme"), help="Acronym, unique (FAST, FSJP, ISFRA, IUG...)."),
        Field(
            "kind",
            vocabulary=vocab.INSTITUTION_KIND,
            headers=("type", "nature", "categorie"),
            help="university, faculty, grande-ecole, institute, research-centre, hospital, health-centre, administration, enterprise or other.",
        ),
        Field(
            "parent",
            ref="institution",
            headers=("rattachement", "tutelle", "parent institution"),
            labels=(("parent_acronym", "acronym"), ("parent_name", "name")),
            help="The institution it belongs to (a faculty's university).",
        ),
        Field("city", headers=("ville", "localite"), help="City in Mali."),
        Field("region", vocabulary=vocab.REGION, headers=("region",), help="Mali region (see `maliext ref regions`)."),
        Field("notes", parse.text, headers=("remarques", "observations"), help="Free notes."),
    ),
)


class Institutions(crud.Noun):
    entity = INSTITUTION
    select = """
        SELECT t.*, p.acronym AS parent_acronym, p.name AS parent_name
        FROM institution t LEFT JOIN institution p ON p.id = t.parent_id"""
    extras = ("parent_acronym", "parent_name")
    computed = extras
    search = "t.name || ' ' || coalesce(t.acronym, '') || ' ' || coalesce(t.city, '')"
    sections = ("children", "needs", "missions")
    brief = ("id", "acronym", "name", "kind", "city", "parent_acronym")
    sort_aliases = {"name": ("fold(t.name)",)}
    filters = (
        crud.Filter(
            "kind",
            "Kind of institution (university, faculty, hospital...).",
            crud.any_of("t.kind", vocab.INSTITUTION_KIND.resolve),
        ),
        crud.Filter("region", "Mali region.", crud.any_of("t.region", vocab.REGION.resolve)),
        crud.Filter(
            "parent", "Part of this institution (id, uid or acronym).", crud.any_of("t.parent_id"), ref="institution"
        ),
    )

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        parent = values.get("parent_id")
        if parent and current:
            if parent == current["id"]:
                raise Conflict(_("an institution cannot be its own parent"))
            ancestors = store.rows(
                "WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT i.parent_id FROM institution i JOIN up ON i.id = up.id "
                "WHERE i.parent_id IS NOT NULL) SELECT id FROM up",
                (parent,),
            )
            if any(a["id"] == current["id"] for a in ancestors):
                raise Conflict(
                    _("institution {parent} is inside institution {id}: that parent would make a cycle").format(
                        parent=parent, id=current["id"]
                    )
                )
        return []

    def removing(self, store: Store, row: dict) -> None:
        crud.refuse_if_referenced(
            store,
            row,
            [
                (
                    "institution",
                    "parent_id",
                    lambda n: (
                        ngettext(
                            "institution {id} has {n} institution under it",
                            "institution {id} has {n} institutions under it",
                            n,
                        ),
                        ngettext(
                            "Remove or change that institution first.", "Remove or change those institutions first.", n
                        ),
                    ),
                ),
                (
                    "need",
                    "institution_id",
                    lambda n: (
                        ngettext(
                            "institution {id} is referenced by {n} need",
                            "institution {id} is referenced by {n} needs",
                            n,
                        ),
                        ngettext("Remove or change that need first.", "Remove or change those needs first.", n),
                    ),
                ),
                (
                    "mission",
                    "institution_id",
                    lambda n: (
                        ngettext(
                            "institution {id} is referenced by {n} mission",
                            "institution {id} is referenced by {n} missions",
                            n,
                        ),
                        ngettext("Remove or change that mission first.", "Remove or change those missions first.", n),
                    ),
                ),
                (
                    "agreement",
                    "institution_id",
                    lambda n: (
                        ngettext(
                            "institution {id} is referenced by {n} agreement",
                            "institution {id} is referenced by {n} agreements",
                            n,
                        ),
                        ngettext(
                            "Remove or change that agreement first.", "Remove or change those agreements first.", n
                        ),
                    ),
                ),
                (
                    "conflict",
                    "institution_id",
                    lambda n: (
                        ngettext(
                            "institution {id} is referenced by {n} declared conflict of interest",
                            "institution {id} is referenced by {n} declared conflicts of interest",
                            n,
                        ),
                        ngettext(
                            "Withdraw that declaration first (`maliext consultant conflict remove`).",
                            "Withdraw those declarations first (`maliext consultant conflict remove`).",
                            n,
                        ),
                    ),
                ),
            ],
        )

    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        return {
            "children": store.rows(
                "SELECT id, acronym, name, kind FROM institution WHERE parent_id = ? ORDER BY id", (row["id"],)
            ),
            "needs": store.rows(
                "SELECT id, title, type, window_start, window_end, status FROM need WHERE institution_id = ? ORDER BY window_start, id",
                (row["id"],),
            ),
            "missions": store.rows(
                "SELECT m.id, c.given_names || ' ' || c.family_name AS consultant_name, m.type, m.start_date, m.end_date, m.status "
                "FROM mission m JOIN consultant c ON c.id = m.consultant_id WHERE m.institution_id = ? ORDER BY m.start_date, m.id",
                (row["id"],),
            ),
        }


def _code(raw) -> str:
    value = parse.line(raw).upper()
    if not value.replace("-", "").replace("_", "").isalnum() or len(value) > 30:
        raise FieldError(
            _("{value!r} is not a programme code (letters, digits, '-', e.g. TOKTEN)").format(value=value[:30])
        )
    return value


def _reference_prefix(raw) -> str:
    """The start of a paper's reference (`TOKTEN` in TOKTEN/2027/014): letters, digits
    and `-_./`, as a mail register writes it."""
    value = parse.line(raw).upper()
    if not value.replace("-", "").replace("_", "").replace(".", "").replace("/", "").isalnum() or len(value) > 40:
        raise FieldError(
            _("{value!r} is not a reference prefix (letters, digits, '-', '_', '.', '/', e.g. TOKTEN)").format(
                value=value[:40]
            )
        )
    return value.strip("/")


PROGRAMME = Entity(
    table="programme",
    label=N_("programme"),
    natural_key="code",
    find_hint=N_("Name a programme by its id, its uid or its code (TOKTEN...)."),
    periods=(Period("start", "end", N_("programme")),),
    named_by=(("code",), ("name",)),
    fields=(
        Field(
            "code",
            _code,
            required=True,
            headers=("sigle", "programme"),
            help="Short code, unique (TOKTEN, TALMALI...).",
        ),
        Field("name", headers=("nom", "intitule"), help="Full name."),
        Field(
            "funders",
            many=True,
            headers=("bailleurs", "financeurs", "funder"),
            help="Funders (repeat, or separate with ';'), e.g. PNUD;Coopération française.",
        ),
        Field("start", parse.iso_date, headers=("debut", "date de debut"), help="First day (YYYY-MM-DD)."),
        Field("end", parse.iso_date, headers=("fin", "date de fin"), help="Last day (YYYY-MM-DD)."),
        # What the papers of its missions carry (`mission document`, services/papers.py).
        Field(
            "letterhead",
            parse.text,
            headers=("en tete", "entete"),
            help="Heading of its papers, one line each (e.g. the ministry, then the programme's name).",
        ),
        Field(
            "address",
            parse.text,
            headers=("adresse", "adresse postale"),
            help="Postal address and telephone, printed at the foot of its papers.",
        ),
        Field(
            "city",
            headers=("ville", "lieu", "lieu de signature"),
            help="Where its papers are signed and dated (default: Bamako).",
        ),
        Field(
            "email",
            parse.email,
            headers=("courriel", "e mail", "mail", "adresse electronique"),
            help="The programme's contact e-mail address, on its papers.",
        ),
        Field(
            "signatory",
            headers=("signataire",),
            help="Who signs its papers, e.g. Dr Amadou Diarra.",
        ),
        Field(
            "signatory_title",
            headers=("titre du signataire", "qualite du signataire", "fonction du signataire"),
            help="The signatory's title, e.g. Coordonnateur national du programme TOKTEN-Mali.",
        ),
        Field(
            "reference_prefix",
            _reference_prefix,
            headers=("prefixe", "prefixe des references", "prefix"),
            help="What the references of its papers start with (default: its code), e.g. TOKTEN or MMEIA/TOKTEN.",
        ),
    ),
)


class Programmes(crud.Noun):
    entity = PROGRAMME
    search = "t.code || ' ' || coalesce(t.name, '') || ' ' || t.funders"
    sections = ("missions",)
    brief = ("id", "code", "name", "funders", "start", "end")

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        PROGRAMME.periods[0].check(values)
        return []

    def removing(self, store: Store, row: dict) -> None:
        crud.refuse_if_referenced(
            store,
            row,
            [
                (
                    "mission",
                    "programme_id",
                    lambda n: (
                        ngettext(
                            "programme {id} is referenced by {n} mission",
                            "programme {id} is referenced by {n} missions",
                            n,
                        ),
                        ngettext("Remove or change that mission first.", "Remove or change those missions first.", n),
                    ),
                )
            ],
        )

    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        return {
            "missions": store.rows(
                "SELECT m.id, c.given_names || ' ' || c.family_name AS consultant_name, i.acronym AS institution_acronym, "
                "m.start_date, m.end_date, m.status FROM mission m JOIN consultant c ON c.id = m.consultant_id "
                "JOIN institution i ON i.id = m.institution_id WHERE m.programme_id = ? ORDER BY m.start_date, m.id",
                (row["id"],),
            )
        }


INSTITUTIONS = Institutions()
PROGRAMMES = Programmes()
