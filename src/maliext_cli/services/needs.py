"""Needs posted by host institutions: a course, theses to supervise, a workshop...

A need's status is `open` or `cancelled` as stored; `filled` is never stored: a need is
filled when its non-cancelled missions take all its seats.
"""

from __future__ import annotations

from datetime import date

from maliext_cli.errors import Conflict, DerivedValue, Invalid
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference import disciplines, iso, vocab
from maliext_cli.reference.vocab import Codes
from maliext_cli.services import crud, parse, records
from maliext_cli.services.records import Derived, Entity, Field, Period
from maliext_cli.store import Store


def _duration(raw) -> int:
    return parse.integer(raw, 7, 90)


def _stored_status(raw) -> str:
    status = vocab.NEED_STATUS.resolve(raw)
    if status == "filled":
        raise DerivedValue(_("'filled' follows from the need's missions and cannot be set; use open or cancelled"))
    return status


def _priority(raw) -> int:
    return int(vocab.PRIORITY.resolve(raw))


# 'filled' is never stored: it follows from the need's missions.
STORED_STATUS = Codes(N_("stored need status"), frozenset({"open", "cancelled"}), _stored_status)
WINDOW = Period("window_start", "window_end", N_("window"))
# How many seats of each need its missions take (cancelled missions free theirs).
_SEATS_FILLED = "(SELECT count(*) FROM mission taken WHERE taken.need_id = {t}.id AND taken.status <> 'cancelled')"


ENTITY = Entity(
    table="need",
    label=N_("need"),
    periods=(WINDOW,),
    named_by=(("title",),),
    derived=(
        Derived("seats_filled", _SEATS_FILLED),
        # The status users see: open, filled or cancelled.
        Derived(
            "current_status",
            "CASE WHEN {t}.status = 'cancelled' THEN 'cancelled' "
            f"WHEN {_SEATS_FILLED} >= {{t}}.seats THEN 'filled' ELSE 'open' END",
        ),
    ),
    fields=(
        Field(
            "institution",
            ref="institution",
            required=True,
            headers=("etablissement", "structure", "institution d accueil"),
            labels=(("institution_acronym", "acronym"), ("institution_name", "name")),
            help="The host institution (id, uid or acronym).",
        ),
        Field(
            "title",
            required=True,
            headers=("titre", "intitule", "objet"),
            help="What is asked, e.g. Cours de chimie organique (DEA).",
        ),
        Field(
            "discipline",
            vocabulary=disciplines.DETAILED_FIELDS,
            required=True,
            headers=("domaine",),
            help="ISCED-F 2013 detailed field: code or name.",
        ),
        Field(
            "keywords",
            many=True,
            headers=("mots cles", "mots-cles"),
            help="Keywords (repeat, or separate with ';').",
        ),
        Field(
            "type",
            vocabulary=vocab.MISSION_TYPE,
            required=True,
            headers=("type de mission", "nature"),
            help="lecture, conference, supervision, workshop, training, technical-support or administrative-support.",
        ),
        Field(
            "level",
            vocabulary=vocab.NEED_LEVEL,
            headers=("niveau",),
            help="licence, master, dea, dess, doctorat or professional.",
        ),
        Field(
            "window_start",
            parse.iso_date,
            required=True,
            headers=("debut de la fenetre", "du", "a partir du", "debut"),
            help="First day the mission may start (YYYY-MM-DD).",
        ),
        Field(
            "window_end",
            parse.iso_date,
            required=True,
            headers=("fin de la fenetre", "au", "jusqu au", "fin"),
            help="Last day the mission may end (YYYY-MM-DD).",
        ),
        Field(
            "duration_days",
            _duration,
            required=True,
            headers=("duree", "duree en jours", "jours"),
            help="Days on site, 7 to 90.",
        ),
        Field(
            "seats",
            lambda raw: parse.integer(raw, 1, 100),
            default=1,
            headers=("places", "postes", "nombre de consultants"),
            help="How many consultants (default 1).",
        ),
        Field(
            "priority",
            _priority,
            default=2,
            headers=("priorite",),
            help="1 (high), 2 (normal, default) or 3 (low).",
        ),
        Field(
            "languages",
            vocabulary=iso.LANGUAGES,
            many=True,
            default=["fr"],
            headers=("langues", "langue"),
            help="Languages of the mission (default fr).",
        ),
        Field(
            "status",
            vocabulary=STORED_STATUS,
            default="open",
            headers=("statut", "etat"),
            help="open or cancelled (filled follows from the missions).",
        ),
        Field("notes", parse.text, headers=("remarques", "observations"), help="Free notes."),
    ),
)


# The derived values over the alias `t` of the queries below (and of matching's).
SEATS_FILLED = ENTITY.expression("seats_filled")
STATUS = ENTITY.expression("current_status")


def _status_filter(values: list[str]) -> tuple[str, list]:
    statuses = [vocab.NEED_STATUS.resolve(v) for v in values]
    return f"{STATUS} IN ({', '.join('?' * len(statuses))})", statuses


class Needs(crud.Noun):
    entity = ENTITY
    select = f"""
        SELECT t.*, i.acronym AS institution_acronym, i.name AS institution_name,
               {SEATS_FILLED} AS seats_filled, {STATUS} AS current_status
        FROM need t JOIN institution i ON i.id = t.institution_id"""
    extras = ("institution_acronym", "institution_name", "seats_filled")
    computed = extras
    search = "t.title || ' ' || t.keywords || ' ' || coalesce(t.notes, '')"
    sections = ("missions",)
    brief = ("id", "institution_acronym", "title", "window_start", "window_end", "seats", "status")
    default_sort = "t.priority, t.window_start, t.id"
    filters = (
        crud.Filter(
            "institution", "Host institution (id, uid or acronym).", crud.any_of("t.institution_id"), ref="institution"
        ),
        crud.Filter("status", "open, filled or cancelled.", _status_filter),
        crud.Filter("type", "Mission type.", crud.any_of("t.type", vocab.MISSION_TYPE.resolve)),
        crud.Filter(
            "discipline",
            "ISCED-F code or name; 05 or 053 takes the whole field.",
            crud.discipline_prefixes("t.discipline"),
        ),
        crud.Filter(
            "level",
            "licence, master, dea, dess, doctorat or professional.",
            crud.any_of("t.level", vocab.NEED_LEVEL.resolve),
        ),
        crud.Filter("priority", "1, 2 or 3.", crud.any_of("t.priority", _priority)),
        crud.Filter(
            "window_from",
            "Window ends on or after this date.",
            crud.date_on_or_after("t.window_end"),
            many=False,
            metavar="DATE",
            option="--from",
        ),
        crud.Filter(
            "window_to",
            "Window starts on or before this date.",
            crud.date_on_or_before("t.window_start"),
            many=False,
            metavar="DATE",
            option="--to",
        ),
    )

    def present(self, row: dict) -> dict:
        record = super().present(row)
        record["status"] = row["current_status"]
        return record

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        WINDOW.check(values)
        window = (date.fromisoformat(values["window_end"]) - date.fromisoformat(values["window_start"])).days + 1
        if values["duration_days"] > window:
            raise Invalid(
                records.about(
                    "duration_days",
                    ngettext(
                        "{days} days do not fit in the window ({window} day)",
                        "{days} days do not fit in the window ({window} days)",
                        window,
                    ).format(days=values["duration_days"], window=window),
                )
            )
        if current is None:
            return []
        missions = store.rows(
            "SELECT id, start_date, end_date FROM mission WHERE need_id = ? AND status <> 'cancelled' ORDER BY start_date",
            (current["id"],),
        )
        outside = [
            m for m in missions if m["start_date"] < values["window_start"] or m["end_date"] > values["window_end"]
        ]
        if outside:
            m = outside[0]
            raise Conflict(
                _("mission {id} ({start} to {end}) would fall outside the new window").format(
                    id=m["id"], start=m["start_date"], end=m["end_date"]
                )
            )
        if values["seats"] < len(missions):
            raise Conflict(
                ngettext(
                    "the need already has {n} mission; it cannot have fewer seats",
                    "the need already has {n} missions; it cannot have fewer seats",
                    len(missions),
                ).format(n=len(missions))
            )
        if values["status"] == "cancelled" and current["status"] != "cancelled":
            active = [
                m["id"]
                for m in store.rows(
                    "SELECT id FROM mission WHERE need_id = ? AND status IN ('planned', 'ongoing') ORDER BY id",
                    (current["id"],),
                )
            ]
            if active:
                raise Conflict(
                    ngettext(
                        "need {id} has a planned or ongoing mission: {missions}",
                        "need {id} has planned or ongoing missions: {missions}",
                        len(active),
                    ).format(id=current["id"], missions=", ".join(map(str, active))),
                    hint=ngettext(
                        "Cancel that mission first (`maliext mission cancel ID`).",
                        "Cancel those missions first (`maliext mission cancel ID`).",
                        len(active),
                    ),
                )
        return []

    def removing(self, store: Store, row: dict) -> None:
        crud.refuse_if_referenced(
            store,
            row,
            [
                (
                    "mission",
                    "need_id",
                    lambda n: (
                        ngettext(
                            "need {id} is referenced by {n} mission", "need {id} is referenced by {n} missions", n
                        ),
                        ngettext("Remove or change that mission first.", "Remove or change those missions first.", n),
                    ),
                )
            ],
        )

    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        return {
            "missions": store.rows(
                "SELECT m.id, c.given_names || ' ' || c.family_name AS consultant_name, m.start_date, m.end_date, m.status "
                "FROM mission m JOIN consultant c ON c.id = m.consultant_id WHERE m.need_id = ? ORDER BY m.start_date, m.id",
                (row["id"],),
            )
        }

    def cancel(self, store: Store, ref) -> tuple[int, bool]:
        """Cancel a need (the rules of `check`: refused while planned or ongoing missions fill it)."""
        need_id, changed, _warnings = self.edit(store, ref, {"status": "cancelled"})
        return need_id, changed


NOUN = Needs()
