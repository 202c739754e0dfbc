"""Evaluations of missions: what the host institution and the consultant think of a
mission at its end, and again a year later (the follow-up that IOM's CD4D and UNDP's
TOKTEN asked of both sides).

Each evaluation scores some of the criteria of `vocab.EVALUATION_CRITERION` from 1 (poor)
to 5 (excellent), one column each, and may carry a comment. Rules (refused with exit
code 1, nothing written): the mission took place (ongoing or completed: a planned or a
cancelled one has nothing to evaluate yet), a follow-up comes after a completed
mission's end, the evaluation is dated between the mission's start and today, it holds
at least one score or a comment, and a mission has at most one evaluation of each kind
by each side (edit it rather than add another). `db check` reports files that break
them (services/checks.py).

A follow-up is due twelve months after the mission's end (`FOLLOWUP_MONTHS`); `maliext
agenda` lists the missions waiting for one (services/agenda.py).
"""

from __future__ import annotations

from datetime import date

from maliext_cli import clock
from maliext_cli.errors import Conflict, FieldError, Invalid
from maliext_cli.i18n import N_, _
from maliext_cli.reference import vocab
from maliext_cli.services import crud, parse, records
from maliext_cli.services.records import Entity, Field
from maliext_cli.store import Store

CRITERIA: tuple[str, ...] = vocab.EVALUATION_CRITERION.codes
LOWEST, HIGHEST = 1, 5
# A follow-up evaluation is due this many months after the mission's last day.
FOLLOWUP_MONTHS = 12


def _score(raw) -> int:
    return parse.integer(raw, LOWEST, HIGHEST)


def _criterion_field(term: vocab.Term) -> Field:
    return Field(
        term.code,
        _score,
        headers=(term.en, *term.aliases),
        help=f"Score from 1 to 5: {term.en}.",
    )


ENTITY = Entity(
    table="evaluation",
    label=N_("evaluation"),
    dates=("evaluated_on",),
    named_by=(("kind", "by", "evaluated_on"),),
    fields=(
        Field(
            "mission",
            ref="mission",
            required=True,
            headers=("mission evaluee",),
            # A mission is named by its uid in exports; a bare id read back is checked
            # against the first day written beside it (services/records.py foreign_id).
            labels=(("mission_start_date", "start_date"),),
            help="The mission evaluated (id or uid).",
        ),
        Field(
            "by",
            vocabulary=vocab.EVALUATOR,
            required=True,
            headers=("par", "evaluateur", "evalue par", "evaluator"),
            help="Who evaluates: host (the host institution) or consultant.",
        ),
        Field(
            "kind",
            vocabulary=vocab.EVALUATION_KIND,
            default="end",
            headers=("moment", "type d evaluation"),
            help="end (at the end of the mission, default) or followup (a year after it).",
        ),
        Field(
            "evaluated_on",
            parse.iso_date,
            required=True,
            headers=("date", "date de l evaluation", "evalue le"),
            help="The day of the evaluation (YYYY-MM-DD).",
        ),
        *(_criterion_field(term) for term in vocab.EVALUATION_CRITERION.terms),
        Field("comment", parse.text, headers=("commentaire", "observations", "remarques"), help="Comment."),
    ),
)

# The mean of the criteria scored in one evaluation (alias t), two decimals; NULL if none.
MEAN_SQL = "round(CAST({total} AS REAL) / nullif({count}, 0), 2)".format(
    total=" + ".join(f"coalesce(t.{c}, 0)" for c in CRITERIA),
    count=" + ".join(f"(t.{c} IS NOT NULL)" for c in CRITERIA),
)

# "mission 12 already has ...": one whole sentence for each side and kind.
_TAKEN = {
    ("host", "end"): N_("mission {mission} already has an end-of-mission evaluation by its host institution (evaluation {other})"),
    ("consultant", "end"): N_("mission {mission} already has an end-of-mission evaluation by its consultant (evaluation {other})"),
    ("host", "followup"): N_("mission {mission} already has a follow-up evaluation by its host institution (evaluation {other})"),
    ("consultant", "followup"): N_("mission {mission} already has a follow-up evaluation by its consultant (evaluation {other})"),
}


def followup_due(end_date: str) -> date:
    """The day a mission's follow-up evaluation is due: twelve months after its last
    day (the 28th of February for a 29th)."""
    end = date.fromisoformat(end_date)
    month = end.month - 1 + FOLLOWUP_MONTHS
    year, month = end.year + month // 12, month % 12 + 1
    for day in (end.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # every month has a 28th


class Evaluations(crud.Noun):
    entity = ENTITY
    select = f"""
        SELECT t.*, m.start_date AS mission_start_date, c.given_names || ' ' || c.family_name AS consultant_name,
               i.acronym AS institution_acronym, {MEAN_SQL} AS mean
        FROM evaluation t
        JOIN mission m ON m.id = t.mission_id
        JOIN consultant c ON c.id = m.consultant_id
        JOIN institution i ON i.id = m.institution_id"""
    extras = ("mission_start_date", "consultant_name", "institution_acronym", "mean")
    computed = extras
    search = "coalesce(t.comment, '') || ' ' || c.family_name || ' ' || c.given_names || ' ' || coalesce(i.acronym, '')"
    default_sort = "t.evaluated_on, t.id"
    brief = ("id", "mission", "consultant_name", "institution_acronym", "by", "kind", "evaluated_on", "mean")
    filters = (
        crud.Filter("mission", "Mission (id or uid).", crud.any_of("t.mission_id"), ref="mission"),
        crud.Filter("consultant", "The mission's consultant (id, uid or e-mail).", crud.any_of("m.consultant_id"), ref="consultant"),
        crud.Filter(
            "institution", "The mission's host institution (id, uid or acronym).", crud.any_of("m.institution_id"), ref="institution"
        ),
        crud.Filter("by", "host or consultant.", crud.any_of("t.by", vocab.EVALUATOR.resolve)),
        crud.Filter("kind", "end or followup.", crud.any_of("t.kind", vocab.EVALUATION_KIND.resolve)),
        crud.Filter(
            "evaluated_from",
            "Made on or after this date.",
            crud.date_on_or_after("t.evaluated_on"),
            many=False,
            metavar="DATE",
            option="--from",
        ),
        crud.Filter(
            "evaluated_to",
            "Made on or before this date.",
            crud.date_on_or_before("t.evaluated_on"),
            many=False,
            metavar="DATE",
            option="--to",
        ),
    )

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        mission = store.row(
            "SELECT id, status, start_date, end_date FROM mission WHERE id = ?", (values["mission_id"],)
        )
        if mission["status"] == "cancelled":
            raise Conflict(_("mission {id} is cancelled: there is nothing to evaluate").format(id=mission["id"]))
        if mission["status"] == "planned":
            raise Conflict(
                _("mission {id} is planned: it is evaluated once it is ongoing or completed").format(id=mission["id"]),
                hint=_("Record that it started (`maliext mission edit {id} --status ongoing`) first.").format(
                    id=mission["id"]
                ),
            )
        on = values["evaluated_on"]
        if values["kind"] == "followup":
            if mission["status"] != "completed":
                raise Conflict(
                    _("mission {id} is not completed: a follow-up evaluation comes after its end").format(
                        id=mission["id"]
                    )
                )
            if on <= mission["end_date"]:
                raise Invalid(
                    _("evaluated_on: a follow-up evaluation comes after the mission's end ({end}), not on {day}").format(
                        end=mission["end_date"], day=on
                    )
                )
        if on < mission["start_date"]:
            raise Invalid(
                _("evaluated_on: {day} is before the mission starts ({start})").format(day=on, start=mission["start_date"])
            )
        if on > clock.today().isoformat():
            raise Invalid(_("evaluated_on: {day} is in the future").format(day=on))
        if all(values.get(c) is None for c in CRITERIA) and not values.get("comment"):
            raise Invalid(
                _("an evaluation holds at least one score or a comment"),
                hint=_("Score a criterion from 1 to 5 ({criteria}) or give a comment.").format(
                    criteria=", ".join(CRITERIA)
                ),
            )
        other = store.value(
            "SELECT id FROM evaluation WHERE mission_id = ? AND by = ? AND kind = ? AND id IS NOT ? ORDER BY id LIMIT 1",
            (mission["id"], values["by"], values["kind"], current and current["id"]),
        )
        if other:
            raise Conflict(
                _(_TAKEN[values["by"], values["kind"]]).format(mission=mission["id"], other=other),
                hint=_("Change that one instead: `maliext evaluation edit {other}`.").format(other=other),
            )
        return []


NOUN = Evaluations()


def scores(given: list[str]) -> dict[str, str]:
    """{criterion: score} from `--score CRITERION=N` values (a criterion by its code or
    any name `ref criteria` accepts: relevance=4, pertinence=4); each criterion once."""
    found: dict[str, str] = {}
    for item in given:
        name, sep, score = item.partition("=")
        if not sep or not name.strip() or not score.strip():
            raise Invalid(
                records.about("--score", _("{value!r} is not CRITERION=SCORE, e.g. relevance=4").format(value=item))
            )
        try:
            criterion = vocab.EVALUATION_CRITERION.resolve(name.strip())
        except FieldError as exc:
            raise Invalid(records.about("--score", str(exc))) from None
        if criterion in found:
            raise Invalid(records.about("--score", _("{criterion} is scored twice").format(criterion=criterion)))
        found[criterion] = score.strip()
    return found


def evaluate(
    store: Store,
    mission_ref,
    *,
    by: str,
    given_scores: list[str],
    comment: str | None = None,
    kind: str | None = None,
    on: str | None = None,
) -> crud.Added:
    """Record an evaluation of the mission `mission_ref` (`mission evaluate`): the scores
    as `--score CRITERION=N`, dated today unless `on` is given."""
    from maliext_cli.services import missions

    with store.transaction():
        mission = records.find(store, missions.ENTITY, mission_ref)
        raw: dict = {"mission": str(mission["id"]), "by": by, **scores(given_scores)}
        raw["evaluated_on"] = on if on is not None else clock.today().isoformat()
        if kind is not None:
            raw["kind"] = kind
        if comment is not None:
            raw["comment"] = comment
        return NOUN.add(store, raw)


def of_mission(store: Store, mission_id: int) -> list[dict]:
    """A mission's evaluations, as `mission show` lists them."""
    return store.rows(
        f"SELECT t.id, t.by, t.kind, t.evaluated_on, {', '.join('t.' + c for c in CRITERIA)}, {MEAN_SQL} AS mean, "
        "t.comment FROM evaluation t WHERE t.mission_id = ? ORDER BY t.evaluated_on, t.id",
        (mission_id,),
    )
