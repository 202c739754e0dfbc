"""Missions: a consultant on site for one week to three months, funded by a programme.

Rules (each refused with exit code 1, nothing written): 7 to 90 days unless forced
with a recorded reason; no two non-cancelled missions of one consultant overlap; a
mission on a need lies inside its window, at its institution, on a need that is neither
cancelled nor already filled; an inactive consultant gets no mission; a mission is
completed only once started, and a cancelled one never.
"""

from __future__ import annotations

import re
from datetime import date

from maliext_cli import clock
from maliext_cli.errors import Conflict, FieldError, Invalid
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference import vocab
from maliext_cli.services import crud, needs, parse, records
from maliext_cli.services.records import Derived, Entity, Field, Period
from maliext_cli.store import Store

MIN_DAYS, MAX_DAYS = 7, 90
# Both ends count: 1 to 21 February is 21 days (the stored column `days`).
PERIOD = Period("start_date", "end_date", N_("mission"))


def _count(raw) -> int:
    return parse.integer(raw, 0, 1_000_000)


# A paper's reference: the programme's prefix, the year the mission starts and its
# number in that year (services/papers.py).
REFERENCE = re.compile(r"[\w.\-/]+/(\d{4})/(\d+)")


def _reference(raw) -> str:
    value = parse.line(raw).upper()
    if not REFERENCE.fullmatch(value):
        raise FieldError(
            _("{value!r} is not a reference PREFIX/YEAR/NUMBER, e.g. TOKTEN/2027/014").format(value=value[:60])
        )
    return value


ENTITY = Entity(
    table="mission",
    label=N_("mission"),
    periods=(PERIOD,),
    # What a mission costs, in its currency (the per diem paid for every day).
    derived=(Derived("cost", "({t}.travel_cost + {t}.per_diem * {t}.days + {t}.fees)"),),
    fields=(
        Field(
            "consultant",
            ref="consultant",
            required=True,
            headers=("consultant e mail", "courriel du consultant", "expert"),
            labels=(("consultant_name", "given_names || ' ' || family_name"),),
            help="The consultant (id, uid or e-mail).",
        ),
        Field(
            "institution",
            ref="institution",
            required=True,
            headers=("etablissement", "structure d accueil"),
            labels=(("institution_acronym", "acronym"),),
            help="Host institution (id, uid or acronym); defaults to the need's.",
        ),
        Field(
            "need",
            ref="need",
            headers=("besoin",),
            labels=(("need_title", "title"),),
            help="The need it fills (id or uid), if any.",
        ),
        Field(
            "programme",
            ref="programme",
            required=True,
            labels=(("programme_code", "code"),),
            headers=("programme",),
            help="Funding programme (id, uid or code, e.g. TOKTEN).",
        ),
        Field(
            "type",
            vocabulary=vocab.MISSION_TYPE,
            required=True,
            headers=("type de mission", "nature"),
            help="lecture, conference, supervision, workshop, training, technical-support or administrative-support; defaults to the need's.",
        ),
        Field(
            "start_date",
            parse.iso_date,
            required=True,
            headers=("debut", "date de debut", "du", "arrivee"),
            help="First day on site (YYYY-MM-DD).",
        ),
        Field(
            "end_date",
            parse.iso_date,
            required=True,
            headers=("fin", "date de fin", "au", "depart"),
            help="Last day on site (YYYY-MM-DD); both ends count.",
        ),
        Field(
            "status",
            vocabulary=vocab.MISSION_STATUS,
            default="planned",
            headers=("statut", "etat"),
            help="planned (default), ongoing, completed or cancelled.",
        ),
        Field(
            "travel_cost",
            parse.money,
            money=True,
            default=0,
            headers=("billet", "voyage", "frais de voyage", "transport"),
            help="Travel cost, in the mission's currency.",
        ),
        Field(
            "per_diem",
            parse.money,
            money=True,
            default=0,
            headers=("indemnite journaliere", "perdiem", "per diem"),
            help="Daily allowance, in the mission's currency.",
        ),
        Field(
            "fees",
            parse.money,
            money=True,
            default=0,
            headers=("honoraires", "frais"),
            help="Fees, in the mission's currency.",
        ),
        Field(
            "currency",
            vocabulary=vocab.CURRENCY,
            default="XOF",
            headers=("devise", "monnaie"),
            help="XOF (FCFA, default) or EUR.",
        ),
        Field(
            "funder",
            headers=("bailleur", "financeur", "financement"),
            help="Who paid, e.g. PNUD, Coopération française, UNESCO, État malien.",
        ),
        Field("hours_taught", _count, headers=("heures", "heures enseignees", "volume horaire"), help="Hours taught."),
        Field(
            "people_trained",
            _count,
            headers=("personnes formees", "formes", "participants"),
            help="People trained.",
        ),
        Field(
            "theses_supervised",
            _count,
            headers=("theses encadrees", "theses", "memoires encadres"),
            help="Theses supervised.",
        ),
        Field(
            "rating",
            lambda raw: parse.integer(raw, 1, 5),
            headers=("note", "appreciation", "evaluation"),
            help="Rating from 1 to 5.",
        ),
        Field("report", parse.text, headers=("rapport", "compte rendu", "observations"), help="Short report."),
        Field(
            "forced_reason",
            parse.text,
            headers=("justification", "derogation"),
            cli=False,
            help="Why a duration outside 7 to 90 days was accepted.",
        ),
        Field(
            "reference",
            _reference,
            headers=("numero", "reference du dossier", "ref"),
            cli=False,
            help="The reference its papers carry (e.g. TOKTEN/2027/014), given by `mission document`; never changed.",
        ),
    ),
)

OUTCOMES = ("hours_taught", "people_trained", "theses_supervised", "rating", "report")


class Missions(crud.Noun):
    entity = ENTITY
    select = f"""
        SELECT t.*, c.given_names || ' ' || c.family_name AS consultant_name, i.acronym AS institution_acronym,
               p.code AS programme_code, n.title AS need_title, t.days AS days, {ENTITY.expression("cost")} AS cost
        FROM mission t
        JOIN consultant c ON c.id = t.consultant_id
        JOIN institution i ON i.id = t.institution_id
        JOIN programme p ON p.id = t.programme_id
        LEFT JOIN need n ON n.id = t.need_id"""
    extras = ("consultant_name", "institution_acronym", "programme_code", "need_title", "days", "cost")
    computed = extras
    search = "coalesce(t.report, '') || ' ' || coalesce(t.funder, '') || ' ' || c.family_name || ' ' || c.given_names"
    default_sort = "t.start_date, t.id"
    sections = ("evaluations",)
    brief = (
        "id", "consultant_name", "institution_acronym", "programme_code", "type", "start_date", "end_date", "status"
    )
    filters = (
        crud.Filter("consultant", "Consultant (id, uid or e-mail).", crud.any_of("t.consultant_id"), ref="consultant"),
        crud.Filter(
            "institution", "Host institution (id, uid or acronym).", crud.any_of("t.institution_id"), ref="institution"
        ),
        crud.Filter("need", "Need (id or uid).", crud.any_of("t.need_id"), ref="need"),
        crud.Filter("programme", "Programme (id, uid or code).", crud.any_of("t.programme_id"), ref="programme"),
        crud.Filter("type", "Mission type.", crud.any_of("t.type", vocab.MISSION_TYPE.resolve)),
        crud.Filter(
            "status", "planned, ongoing, completed or cancelled.", crud.any_of("t.status", vocab.MISSION_STATUS.resolve)
        ),
        crud.Filter("funder", "Funder, as written.", crud.any_of("t.funder")),
        crud.Filter(
            "start_from",
            "Starting on or after this date.",
            crud.date_on_or_after("t.start_date"),
            many=False,
            metavar="DATE",
            option="--from",
        ),
        crud.Filter(
            "start_to",
            "Starting on or before this date.",
            crud.date_on_or_before("t.start_date"),
            many=False,
            metavar="DATE",
            option="--to",
        ),
    )

    def present(self, row: dict) -> dict:
        record = super().present(row)
        record["cost"] = records.money_out(row.get("cost"))
        return record

    # ------------------------------------------------------------------ rules
    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        PERIOD.check(values)
        self._check_reference(store, values, current)
        start, end = values["start_date"], values["end_date"]
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
        if not MIN_DAYS <= days <= MAX_DAYS and not values.get("forced_reason"):
            raise Invalid(
                ngettext(
                    "a mission lasts {least} to {most} days; this one lasts {days} day",
                    "a mission lasts {least} to {most} days; this one lasts {days} days",
                    days,
                ).format(least=MIN_DAYS, most=MAX_DAYS, days=days),
                hint=_("To record an exception, give --force --reason TEXT."),
            )
        before = current["status"] if current else None
        if values["status"] == "cancelled":
            if before == "completed":
                raise Conflict(
                    _("mission {id} is completed; a completed mission is not cancelled").format(id=current["id"])
                )
            return []
        if values["status"] == "completed":
            if before == "cancelled":
                raise Conflict(_("mission {id} is cancelled; it cannot be completed").format(id=current["id"]))
            if start > clock.today().isoformat():
                raise Invalid(
                    _("the mission starts on {start}: it cannot be completed before it has started").format(start=start)
                )
        # The consultant must be active for a new mission, a moved one, or one brought back.
        moved = (
            current is None
            or before == "cancelled"
            or any(current[k] != values[k] for k in ("consultant_id", "start_date", "end_date"))
        )
        if moved:
            consultant = store.row("SELECT id, status FROM consultant WHERE id = ?", (values["consultant_id"],))
            if consultant["status"] == "inactive":
                raise Conflict(
                    _("consultant {id} is inactive").format(id=consultant["id"]),
                    hint=_("Set the consultant's status to active first, if they are available again."),
                )
        other = store.row(
            "SELECT m.id, m.start_date, m.end_date, i.acronym FROM mission m JOIN institution i ON i.id = m.institution_id "
            "WHERE m.consultant_id = ? AND m.status <> 'cancelled' AND m.id IS NOT ? AND m.start_date <= ? AND m.end_date >= ? "
            "ORDER BY m.start_date LIMIT 1",
            (values["consultant_id"], current and current["id"], end, start),
        )
        if other:
            names = dict(
                consultant=values["consultant_id"],
                mission=other["id"],
                institution=other["acronym"],
                other_start=other["start_date"],
                other_end=other["end_date"],
                start=start,
                end=end,
            )
            if other["acronym"]:
                overlap = _(
                    "consultant {consultant} already has mission {mission} ({institution}, {other_start} to "
                    "{other_end}), which overlaps {start} to {end}"
                )
            else:
                overlap = _(
                    "consultant {consultant} already has mission {mission} ({other_start} to {other_end}), "
                    "which overlaps {start} to {end}"
                )
            raise Conflict(overlap.format(**names))
        if values.get("need_id"):
            self._check_need(store, values, current)
        return []

    def _check_need(self, store: Store, values: dict, current: dict | None) -> None:
        need = store.row(
            "SELECT n.*, (SELECT count(*) FROM mission m WHERE m.need_id = n.id AND m.status <> 'cancelled' AND m.id IS NOT ?) AS taken "
            "FROM need n WHERE n.id = ?",
            (current and current["id"], values["need_id"]),
        )
        if current is None or current["need_id"] != need["id"] or current["status"] == "cancelled":
            if need["status"] == "cancelled":
                raise Conflict(_("need {id} is cancelled").format(id=need["id"]))
            if need["taken"] >= need["seats"]:
                raise Conflict(
                    ngettext(
                        "need {id} is already filled ({taken} of {seats} seat)",
                        "need {id} is already filled ({taken} of {seats} seats)",
                        need["seats"],
                    ).format(id=need["id"], taken=need["taken"], seats=need["seats"])
                )
        if values["institution_id"] != need["institution_id"]:
            raise Conflict(
                _("need {id} belongs to institution {institution}, not {given}").format(
                    id=need["id"], institution=need["institution_id"], given=values["institution_id"]
                )
            )
        if values["start_date"] < need["window_start"] or values["end_date"] > need["window_end"]:
            raise Conflict(
                _(
                    "the mission ({start} to {end}) is outside the window of need {id} ({window_start} to {window_end})"
                ).format(
                    start=values["start_date"],
                    end=values["end_date"],
                    id=need["id"],
                    window_start=need["window_start"],
                    window_end=need["window_end"],
                )
            )

    def _check_reference(self, store: Store, values: dict, current: dict | None) -> None:
        """A reference, once given, never changes; no two missions share one."""
        given = values.get("reference")
        if current is not None and current.get("reference") and given != current["reference"]:
            raise Conflict(
                _("mission {id} has the reference {reference}, which never changes once its papers are made").format(
                    id=current["id"], reference=current["reference"]
                )
            )
        if given and (current is None or given != current.get("reference")):
            other = store.value(
                "SELECT id FROM mission WHERE reference = ? AND id IS NOT ?", (given, current and current["id"])
            )
            if other:
                raise Conflict(
                    _("the reference {reference} is already mission {other}'s").format(reference=given, other=other)
                )

    # ------------------------------------------------------------------ show
    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        from maliext_cli.services import evaluations

        return {"evaluations": evaluations.of_mission(store, row["id"])}

    def removing(self, store: Store, row: dict) -> None:
        crud.refuse_if_referenced(
            store,
            row,
            [
                (
                    "evaluation",
                    "mission_id",
                    lambda n: (
                        ngettext(
                            "mission {id} is referenced by {n} evaluation",
                            "mission {id} is referenced by {n} evaluations",
                            n,
                        ),
                        ngettext(
                            "Remove that evaluation first (`maliext evaluation remove`).",
                            "Remove those evaluations first (`maliext evaluation remove`).",
                            n,
                        ),
                    ),
                )
            ],
        )

    # ---------------------------------------------------------------- writes
    def _from_need(self, store: Store, raw: dict) -> dict:
        """A mission on a need takes the need's institution and type unless given."""
        if not raw.get("need") or (raw.get("institution") and raw.get("type")):
            return raw
        need = records.find(store, needs.ENTITY, raw["need"])
        filled = dict(raw)
        if not filled.get("institution"):
            filled["institution"] = str(need["institution_id"])
        if not filled.get("type"):
            filled["type"] = need["type"]
        return filled

    def add(self, store: Store, raw: dict, *, forced_reason: str | None = None) -> crud.Added:
        with store.transaction():
            raw = self._from_need(store, raw)
            if forced_reason:
                raw = {**raw, "forced_reason": forced_reason}
            return super().add(store, raw)

    def edit(self, store: Store, ref, raw: dict, *, forced_reason: str | None = None) -> tuple[int, bool, list[str]]:
        if forced_reason:
            raw = {**raw, "forced_reason": forced_reason}
        return super().edit(store, ref, raw)

    def complete(self, store: Store, ref, raw: dict) -> tuple[int, bool]:
        """Mark a started mission completed, with its outcomes (the rules of `check`)."""
        unknown = set(raw) - set(OUTCOMES)
        if unknown:
            raise Invalid(_("complete takes outcomes only, not {fields}").format(fields=", ".join(sorted(unknown))))
        mission_id, changed, _warnings = self.edit(store, ref, {**raw, "status": "completed"})
        return mission_id, changed

    def cancel(self, store: Store, ref) -> tuple[int, bool]:
        """Cancel a mission (the rules of `check`: never a completed one)."""
        mission_id, changed, _warnings = self.edit(store, ref, {"status": "cancelled"})
        return mission_id, changed


NOUN = Missions()
