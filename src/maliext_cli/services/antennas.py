"""Relay antennas abroad and inter-university cooperation agreements.

Antennas: the TOKTEN relay antennas (Paris, Dakar, Montréal...) that keep in touch with
Malians abroad. A consultant's `antenna` is a free code, not a foreign key, so the
rules that tie the two are kept here: an antenna that consultants carry cannot be
removed, nor its code changed, until those consultants are moved to another one.

Agreements: cooperation agreements between a Malian institution and a partner
university, often brokered by a consultant. An agreement counts as *signed* when it
has a signing date (`signed_on`): status `signed` needs one, `negotiated` has none,
`expired` may have one (signed, then run out) or not (a negotiation that lapsed).
A signing date is never in the future.
"""

from __future__ import annotations

from maliext_cli import clock
from maliext_cli.errors import Conflict, Invalid
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference import iso, vocab
from maliext_cli.services import crud, parse, records
from maliext_cli.services.consultants import antenna_code  # the one rule for antenna codes
from maliext_cli.services.records import Entity, Field
from maliext_cli.store import Store

# ------------------------------------------------------------------------ antenna
ANTENNA = Entity(
    table="antenna",
    label=N_("antenna"),
    natural_key="code",
    find_hint=N_("Name an antenna by its id, its uid or its code (PARIS, DAKAR...)."),
    named_by=(("code",), ("email",)),
    fields=(
        Field(
            "code",
            antenna_code,
            required=True,
            headers=("antenne", "sigle", "code antenne"),
            help="Antenna code, unique, as consultants carry it (PARIS, DAKAR, MONTREAL...).",
        ),
        Field("city", headers=("ville",), help="City where the antenna sits."),
        Field(
            "country",
            vocabulary=iso.COUNTRIES,
            headers=("pays",),
            help="Country: ISO code or French/English name.",
        ),
        Field(
            "coordinator",
            headers=("coordinateur", "coordinatrice", "responsable", "point focal"),
            help="Name of the antenna's coordinator.",
        ),
        Field(
            "email",
            parse.email,
            headers=("courriel", "e mail", "mail", "adresse electronique"),
            contact=True,
            help="The antenna's e-mail address.",
        ),
    ),
)

# Consultants that carry an antenna's code (consultant.antenna is stored upper-case).
_CARRIERS = "(SELECT count(*) FROM consultant c WHERE c.antenna = t.code COLLATE NOCASE)"


def _carriers(store: Store, code: str) -> int:
    return store.value("SELECT count(*) FROM consultant WHERE antenna = ? COLLATE NOCASE", (code,))


class Antennas(crud.Noun):
    entity = ANTENNA
    select = f"SELECT t.*, {_CARRIERS} AS consultants FROM antenna t"
    extras = ("consultants",)
    computed = extras
    search = "t.code || ' ' || coalesce(t.city, '') || ' ' || coalesce(t.coordinator, '')"
    sections = ("consultant_list",)
    brief = ("id", "code", "city", "country", "coordinator", "email", "consultants")
    default_sort = "t.code"
    filters = (crud.Filter("country", "Country (ISO code or name).", crud.any_of("t.country", iso.country)),)

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        if current and values["code"].upper() != current["code"].upper():
            used = _carriers(store, current["code"])
            if used:
                raise Conflict(
                    ngettext(
                        "antenna {code} is the antenna of {n} consultant; changing its code would leave them on an "
                        "unknown antenna",
                        "antenna {code} is the antenna of {n} consultants; changing its code would leave them on an "
                        "unknown antenna",
                        used,
                    ).format(code=current["code"], n=used),
                    hint=_(
                        "Move them first: `maliext consultant list --antenna {code} -c id` lists them, "
                        "and `maliext consultant edit ID --antenna {new}` moves one."
                    ).format(code=current["code"], new=values["code"]),
                )
        return []

    def removing(self, store: Store, row: dict) -> None:
        used = _carriers(store, row["code"])
        if used:
            raise Conflict(
                ngettext(
                    "antenna {code} is the antenna of {n} consultant",
                    "antenna {code} is the antenna of {n} consultants",
                    used,
                ).format(code=row["code"], n=used),
                hint=_(
                    "Move them to another antenna first (`maliext consultant list --antenna {code} -c id` lists them; "
                    "`maliext consultant edit ID --antenna CODE` moves one)."
                ).format(code=row["code"]),
            )

    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        return {
            "consultant_list": store.rows(
                "SELECT id, given_names || ' ' || family_name AS name, country, city, status FROM consultant "
                "WHERE antenna = ? COLLATE NOCASE ORDER BY fold(family_name), fold(given_names), id",
                (row["code"],),
            )
        }


# ---------------------------------------------------------------------- agreement
AGREEMENT = Entity(
    table="agreement",
    label=N_("agreement"),
    dates=("signed_on",),
    named_by=(("title",),),
    fields=(
        Field(
            "title",
            required=True,
            headers=("titre", "intitule", "objet", "accord"),
            help="What the agreement is about, e.g. Accord-cadre FAST – Université d'Orléans.",
        ),
        Field(
            "institution",
            ref="institution",
            required=True,
            headers=("etablissement", "partenaire malien", "institution malienne"),
            labels=(("institution_acronym", "acronym"),),
            help="The Malian institution (id, uid or acronym).",
        ),
        Field(
            "partner",
            required=True,
            headers=("partenaire", "universite partenaire", "partner university"),
            help="The partner university or institution abroad.",
        ),
        Field(
            "partner_country",
            vocabulary=iso.COUNTRIES,
            headers=("pays du partenaire", "pays partenaire", "pays"),
            help="The partner's country: ISO code or French/English name.",
        ),
        Field(
            "status",
            vocabulary=vocab.AGREEMENT_STATUS,
            default="negotiated",
            headers=("statut", "etat"),
            help="negotiated (default), signed (needs --signed-on) or expired.",
        ),
        Field(
            "signed_on",
            parse.iso_date,
            headers=("signe le", "date de signature", "signature"),
            help="Date of signature (YYYY-MM-DD), not in the future; required when signed.",
        ),
        Field(
            "consultant",
            ref="consultant",
            headers=("consultant", "negocie par", "courtier"),
            labels=(("consultant_name", "given_names || ' ' || family_name"),),
            help="The consultant who brokered it (id, uid or e-mail).",
        ),
        Field("notes", parse.text, headers=("remarques", "observations"), help="Free notes."),
    ),
)


class Agreements(crud.Noun):
    entity = AGREEMENT
    select = """
        SELECT t.*, i.acronym AS institution_acronym, c.given_names || ' ' || c.family_name AS consultant_name
        FROM agreement t JOIN institution i ON i.id = t.institution_id LEFT JOIN consultant c ON c.id = t.consultant_id"""
    extras = ("institution_acronym", "consultant_name")
    computed = extras
    search = "t.title || ' ' || t.partner || ' ' || coalesce(t.notes, '')"
    sort_aliases = {"title": ("fold(t.title)",), "partner": ("fold(t.partner)",)}
    brief = ("id", "institution_acronym", "partner", "title", "status", "signed_on")
    filters = (
        crud.Filter(
            "status", "negotiated, signed or expired.", crud.any_of("t.status", vocab.AGREEMENT_STATUS.resolve)
        ),
        crud.Filter(
            "institution",
            "Malian institution (id, uid or acronym).",
            crud.any_of("t.institution_id"),
            ref="institution",
        ),
        crud.Filter(
            "partner_country", "Partner's country (ISO code or name).", crud.any_of("t.partner_country", iso.country)
        ),
        crud.Filter(
            "consultant",
            "Brokered by this consultant (id, uid or e-mail).",
            crud.any_of("t.consultant_id"),
            ref="consultant",
        ),
    )

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        status, signed_on = values.get("status"), values.get("signed_on")
        if status == "signed" and not signed_on:
            raise Invalid(_("a signed agreement needs its date of signature"), hint=_("Give --signed-on YYYY-MM-DD."))
        if status == "negotiated" and signed_on:
            raise Invalid(
                _("a negotiated agreement is not signed yet, but it has a date of signature ({date})").format(
                    date=signed_on
                ),
                hint=_("Give --status signed, or clear the date with --signed-on ''."),
            )
        if signed_on and signed_on > clock.today().isoformat():
            raise Invalid(
                records.about(
                    "signed_on",
                    _("{date} is in the future; record the signature once it has happened").format(date=signed_on),
                )
            )
        return []


ANTENNAS = Antennas()
AGREEMENTS = Agreements()
