"""`maliext agenda`: what needs attention on a day, and in the days after it.

Nothing here breaks a rule (`db check` stays silent about all of it): these are the
things a programme unit does by date, which the file cannot do by itself. Each item has
a kind, the record it is about (`table`, `record`), the day it is due, a message and the
command that settles it. An item is listed when its due day is on or before the day
asked plus `within` days (the default `DEFAULT_WITHIN`): what is overdue, due that day,
or coming within that time.

The kinds, in the order they are listed (D is the day asked, H = D + within):

- `mission-starting`: a planned mission starts between D and H; due its first day;
  settled by preparing its papers (`mission document`).
- `mission-should-be-ongoing`: a planned mission started before D and has not ended;
  due its first day; `mission edit --status ongoing`.
- `mission-should-be-closed`: a planned mission that ended before D, or an ongoing one
  whose day after its last falls on or before H; due the day after its last;
  `mission complete` with its outcomes.
- `outcomes-missing`: a completed mission records no hours taught, people trained nor
  theses supervised; due the day after its last; `mission complete` with them.
- `evaluation-missing`: a completed mission has no end-of-mission evaluation by its host
  institution, or by its consultant (one item each); due the day after its last, and
  listed until its follow-up falls due; `mission evaluate`.
- `need-window-over`: an open need (neither filled nor cancelled) whose window ends
  before H; due the day after the window; `need cancel` once it is over, `match rank`
  while it lasts.
- `application-unanswered`: an application still `invited` whose deadline falls before
  H; due the day after the deadline. It reads the `application` table of the calls for
  candidates, and is empty in a file that has none.
- `followup-due`: a completed mission has no follow-up evaluation by its host, or by its
  consultant; due twelve months after its last day (services/evaluations.py), and
  listed until twelve months after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from maliext_cli.i18n import N_, _
from maliext_cli.services import needs
from maliext_cli.services.evaluations import followup_due
from maliext_cli.store import Store

# Two weeks: the time it takes to send a mission's papers and for a consultant abroad to
# obtain a visa and leave from an employer.
DEFAULT_WITHIN = 14

KINDS = {
    "mission-starting": N_("Missions starting"),
    "mission-should-be-ongoing": N_("Missions that should be ongoing"),
    "mission-should-be-closed": N_("Missions that should be closed"),
    "outcomes-missing": N_("Outcomes missing"),
    "evaluation-missing": N_("End-of-mission evaluations missing"),
    "need-window-over": N_("Needs whose window is over"),
    "application-unanswered": N_("Applications unanswered"),
    "followup-due": N_("Follow-up evaluations due"),
}
KEYS = ("kind", "record", "table", "due", "message", "command")

_MISSIONS = """
    SELECT m.id, m.status, m.start_date, m.end_date, m.hours_taught, m.people_trained, m.theses_supervised,
           c.given_names || ' ' || c.family_name AS consultant, coalesce(i.acronym, i.name) AS institution
    FROM mission m JOIN consultant c ON c.id = m.consultant_id JOIN institution i ON i.id = m.institution_id"""
_EVALUATED_BY = {
    "host": N_("mission {id} ({who}) has no end-of-mission evaluation by its host institution"),
    "consultant": N_("mission {id} ({who}) has no end-of-mission evaluation by its consultant"),
}
_FOLLOWUP_BY = {
    "host": N_("mission {id} ({who}) is due a follow-up evaluation by its host institution on {due}"),
    "consultant": N_("mission {id} ({who}) is due a follow-up evaluation by its consultant on {due}"),
}


@dataclass(frozen=True)
class Item:
    kind: str
    record: int
    table: str
    due: str
    message: str
    command: str

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in KEYS}


def _day(iso: str, days: int = 0) -> str:
    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()


def _who(row: dict) -> str:
    return f"{row['consultant']}, {row['institution']}"


def agenda(store: Store, day: date, within: int = DEFAULT_WITHIN) -> list[Item]:
    """Every item due on or before `day` + `within` days, by kind (in the order of
    KINDS), then by due day and record."""
    if within < 0:
        from maliext_cli.errors import UsageProblem

        raise UsageProblem(_("--within: {days} is negative; give a number of days from 0").format(days=within))
    d = day.isoformat()
    h = (day + timedelta(days=within)).isoformat()
    items = [
        *_missions(store, d, h),
        *_evaluations(store, day, h),
        *_needs(store, d, h),
        *_applications(store, d, h),
    ]
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(items, key=lambda item: (order[item.kind], item.due, item.record))


def _missions(store: Store, d: str, h: str) -> list[Item]:
    items = []
    rows = store.rows(
        _MISSIONS + " WHERE m.status IN ('planned', 'ongoing') OR (m.status = 'completed' AND m.hours_taught IS NULL "
        "AND m.people_trained IS NULL AND m.theses_supervised IS NULL) ORDER BY m.id"
    )
    for r in rows:
        who, mid = _who(r), r["id"]
        after = _day(r["end_date"], 1)
        outcomes = (
            f"maliext mission complete {mid} --hours-taught HOURS --people-trained PEOPLE --theses-supervised THESES"
        )
        if r["status"] == "completed":
            if after <= h:
                items.append(
                    Item(
                        "outcomes-missing",
                        mid,
                        "mission",
                        after,
                        _(
                            "mission {id} ({who}) is completed but records no outcome: hours taught, people trained, "
                            "theses supervised"
                        ).format(id=mid, who=who),
                        outcomes,
                    )
                )
            continue
        if r["status"] == "planned" and d <= r["start_date"] <= h:
            items.append(
                Item(
                    "mission-starting",
                    mid,
                    "mission",
                    r["start_date"],
                    _("mission {id} ({who}) starts on {start}").format(id=mid, who=who, start=r["start_date"]),
                    f"maliext mission document {mid} --kind order -o order-{mid}.html",
                )
            )
        elif r["status"] == "planned" and r["start_date"] < d <= r["end_date"]:
            items.append(
                Item(
                    "mission-should-be-ongoing",
                    mid,
                    "mission",
                    r["start_date"],
                    _("mission {id} ({who}) started on {start} but is still planned").format(
                        id=mid, who=who, start=r["start_date"]
                    ),
                    f"maliext mission edit {mid} --status ongoing",
                )
            )
        elif r["status"] == "planned" and r["end_date"] < d:
            items.append(
                Item(
                    "mission-should-be-closed",
                    mid,
                    "mission",
                    after,
                    _("mission {id} ({who}) ended on {end} but is still planned").format(
                        id=mid, who=who, end=r["end_date"]
                    ),
                    outcomes,
                )
            )
        elif r["status"] == "ongoing" and after <= h:
            if r["end_date"] < d:
                text = _("mission {id} ({who}) ended on {end} but is still ongoing")
            else:
                text = _("mission {id} ({who}) ends on {end}: complete it then, with its outcomes")
            items.append(
                Item("mission-should-be-closed", mid, "mission", after, text.format(id=mid, who=who, end=r["end_date"]), outcomes)
            )
    return items


def _evaluations(store: Store, day: date, h: str) -> list[Item]:
    """The end-of-mission and follow-up evaluations that completed missions lack."""
    d = day.isoformat()
    items = []
    done: dict[tuple[int, str, str], bool] = {
        (r["mission_id"], r["by"], r["kind"]): True
        for r in store.rows("SELECT DISTINCT mission_id, by, kind FROM evaluation")
    }
    # Missions whose end evaluation is still wanted (their follow-up not yet due) or
    # whose follow-up is due within the horizon and not overdue by a year.
    for r in store.rows(_MISSIONS + " WHERE m.status = 'completed' ORDER BY m.id"):
        who, mid = _who(r), r["id"]
        after = _day(r["end_date"], 1)
        followup = followup_due(r["end_date"]).isoformat()
        for side in ("host", "consultant"):
            if after <= h and d < followup and (mid, side, "end") not in done:
                items.append(
                    Item(
                        "evaluation-missing",
                        mid,
                        "mission",
                        after,
                        _(_EVALUATED_BY[side]).format(id=mid, who=who),
                        f"maliext mission evaluate {mid} --by {side} --score CRITERION=SCORE",
                    )
                )
            if followup <= h and d < followup_due(followup).isoformat() and (mid, side, "followup") not in done:
                items.append(
                    Item(
                        "followup-due",
                        mid,
                        "mission",
                        followup,
                        _(_FOLLOWUP_BY[side]).format(id=mid, who=who, due=followup),
                        f"maliext mission evaluate {mid} --by {side} --kind followup --score CRITERION=SCORE",
                    )
                )
    return items


def _needs(store: Store, d: str, h: str) -> list[Item]:
    items = []
    for r in store.rows(
        f"SELECT t.id, t.title, t.window_end, coalesce(i.acronym, i.name) AS institution FROM need t "
        f"JOIN institution i ON i.id = t.institution_id WHERE {needs.STATUS} = 'open' AND t.window_end < ? ORDER BY t.id",
        (h,),
    ):
        who = f"{r['institution']}: {r['title']}"
        if r["window_end"] < d:
            text = _("need {id} ({who}) is still open but its window ended on {end}")
            command = f"maliext need cancel {r['id']}"
        else:
            text = _("the window of need {id} ({who}) ends on {end} and it is still open")
            command = f"maliext match rank {r['id']}"
        items.append(
            Item(
                "need-window-over",
                r["id"],
                "need",
                _day(r["window_end"], 1),
                text.format(id=r["id"], who=who, end=r["window_end"]),
                command,
            )
        )
    return items


def _applications(store: Store, d: str, h: str) -> list[Item]:
    """Invitations still unanswered at their deadline, from the calls for candidates'
    `application` table when the file has one."""
    if not store.value("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'application'"):
        return []
    items = []
    for r in store.rows(
        "SELECT a.id, a.need_id, a.deadline, c.given_names || ' ' || c.family_name AS consultant "
        "FROM application a JOIN consultant c ON c.id = a.consultant_id "
        "WHERE a.status = 'invited' AND a.deadline IS NOT NULL AND a.deadline < ? ORDER BY a.id",
        (h,),
    ):
        who = _("{consultant}, need {need}").format(consultant=r["consultant"], need=r["need_id"])
        if r["deadline"] < d:
            text = _("application {id} ({who}) got no answer by its deadline, {deadline}")
            command = f"maliext application decline {r['id']}"
        else:
            text = _("application {id} ({who}) awaits an answer by {deadline}")
            command = f"maliext application show {r['id']}"
        items.append(
            Item(
                "application-unanswered",
                r["id"],
                "application",
                _day(r["deadline"], 1),
                text.format(id=r["id"], who=who, deadline=r["deadline"]),
                command,
            )
        )
    return items
