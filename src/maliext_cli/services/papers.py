"""Mission papers: the terms of reference, the invitation letter, the mission order and
the certificate of a mission (`maliext mission document`), as data that
render/papers.py lays out on an A4 page.

What each paper needs is read here: the mission, its consultant, host institution, need
and programme (whose letterhead, address, place, signatory and reference prefix head
the page), and the costs of a mission order in both currencies (the fixed parity).

A certificate is made for a completed mission only, and no order for a cancelled one
(Conflict, exit code 1, nothing written).

The reference: every paper of a mission carries the mission's reference, `PREFIX/YEAR/
NUMBER` (`TOKTEN/2027/014`), PREFIX the programme's `reference_prefix` (else its code),
YEAR the year the mission starts, NUMBER the next one free for that prefix and year,
three digits at least. It is given when the first paper of the mission is made, stored
on the mission (`mission.reference`, in the change log like every write: `undo` takes it
back) and never changed afterwards, even if the mission's programme or dates change: a
paper once sent is quoted by that number. Two missions never share one (the mission's
rules and `db check`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from maliext_cli import clock
from maliext_cli.errors import Conflict
from maliext_cli.i18n import N_, _
from maliext_cli.services import missions, money, records
from maliext_cli.store import Store

KINDS = {
    "tor": N_("terms of reference"),
    "invitation": N_("invitation letter"),
    "order": N_("mission order"),
    "certificate": N_("certificate of mission"),
}
# Where papers are signed when the programme does not say (the programme unit's city).
DEFAULT_PLACE = "Bamako"
NUMBER_DIGITS = 3


@dataclass
class Costs:
    """A mission's costs in its currency (units, exact), and the total in the other."""

    currency: str
    travel: Decimal
    per_diem: Decimal
    days: int
    fees: Decimal
    total: Decimal
    other_currency: str
    other_total: Decimal


@dataclass
class Paper:
    """Everything a paper shows, read from the database (rows as stored)."""

    kind: str
    reference: str
    issued_on: str  # YYYY-MM-DD
    place: str
    mission: dict
    consultant: dict
    institution: dict
    parent: dict | None
    need: dict | None
    programme: dict
    costs: Costs
    # What the programme lacks for a complete paper (letterhead, signatory...), as
    # field names: the command warns about them.
    missing: list[str] = field(default_factory=list)


def check_kind(kind: str) -> str:
    """`kind` if it is one of KINDS (the CLI offers only those)."""
    if kind not in KINDS:
        from maliext_cli.errors import UsageProblem

        raise UsageProblem(
            _("--kind: unknown kind {kind!r}; use one of: {kinds}").format(kind=kind, kinds=", ".join(KINDS))
        )
    return kind


def refuse(kind: str, mission: dict) -> None:
    """Conflict when the mission cannot have this paper."""
    if kind == "certificate" and mission["status"] != "completed":
        text = {
            "planned": _("mission {id} is planned: a certificate is made for a completed mission only"),
            "ongoing": _("mission {id} is ongoing: a certificate is made for a completed mission only"),
        }.get(mission["status"], _("mission {id} is cancelled: a certificate is made for a completed mission only"))
        raise Conflict(
            text.format(id=mission["id"]),
            hint=None
            if mission["status"] == "cancelled"
            else _("Record its outcomes first: `maliext mission complete {id} --hours-taught ...`.").format(
                id=mission["id"]
            ),
        )
    if kind == "order" and mission["status"] == "cancelled":
        raise Conflict(_("mission {id} is cancelled: no mission order is made for it").format(id=mission["id"]))


def prefix_of(programme: dict) -> str:
    return programme.get("reference_prefix") or programme["code"]


def next_reference(store: Store, prefix: str, year: str) -> str:
    """The first reference free for `prefix` and `year`: one more than the highest given."""
    start = f"{prefix}/{year}/"
    numbers = [
        int(found.group(2))
        for (reference,) in store.conn.execute(
            "SELECT reference FROM mission WHERE substr(reference, 1, ?) = ?", (len(start), start)
        )
        if (found := missions.REFERENCE.fullmatch(reference)) and reference[: len(start)] == start
    ]
    return f"{start}{max(numbers, default=0) + 1:0{NUMBER_DIGITS}d}"


def reference(store: Store, mission: dict, programme: dict) -> str:
    """The mission's reference, given now if it has none yet (inside the caller's
    transaction: the number is taken and written at once)."""
    if mission.get("reference"):
        return mission["reference"]
    given = next_reference(store, prefix_of(programme), mission["start_date"][:4])
    store.update("mission", mission["id"], {"reference": given})
    return given


def costs(mission: dict) -> Costs:
    """The mission's costs: travel, per diem for each day, fees, and the total in its
    currency and in the other one at the fixed parity (to the cent, to the franc)."""
    currency = mission["currency"]
    hundredths = mission["travel_cost"] + mission["per_diem"] * mission["days"] + mission["fees"]
    common = money.to_common(hundredths, currency)
    other = "XOF" if currency == "EUR" else "EUR"
    other_total = Decimal(str(money.xof(common))) if other == "XOF" else Decimal(str(money.eur(common)))
    return Costs(
        currency=currency,
        travel=Decimal(mission["travel_cost"]) / 100,
        per_diem=Decimal(mission["per_diem"]) / 100,
        days=mission["days"],
        fees=Decimal(mission["fees"]) / 100,
        total=Decimal(hundredths) / 100,
        other_currency=other,
        other_total=other_total,
    )


def prepare(store: Store, ref, kind: str) -> Paper:
    """The paper `kind` of the mission `ref`, its reference given if it had none (one
    transaction). Conflict when the mission cannot have it; nothing is written then."""
    check_kind(kind)
    with store.transaction():
        found = records.find(store, missions.ENTITY, ref)
        mission = store.row("SELECT * FROM mission WHERE id = ?", (found["id"],))
        refuse(kind, mission)
        programme = store.row("SELECT * FROM programme WHERE id = ?", (mission["programme_id"],))
        given = reference(store, mission, programme)
    consultant = store.row("SELECT * FROM consultant WHERE id = ?", (mission["consultant_id"],))
    institution = store.row("SELECT * FROM institution WHERE id = ?", (mission["institution_id"],))
    parent = (
        store.row("SELECT * FROM institution WHERE id = ?", (institution["parent_id"],))
        if institution["parent_id"]
        else None
    )
    need = store.row("SELECT * FROM need WHERE id = ?", (mission["need_id"],)) if mission["need_id"] else None
    if need is not None:
        for column in ("keywords", "languages"):
            need[column] = json.loads(need[column] or "[]")
    missing = [name for name in ("letterhead", "signatory", "signatory_title") if not programme.get(name)]
    return Paper(
        kind=kind,
        reference=given,
        issued_on=clock.report_day().isoformat(),
        place=programme.get("city") or DEFAULT_PLACE,
        mission=mission,
        consultant=consultant,
        institution=institution,
        parent=parent,
        need=need,
        programme=programme,
        costs=costs(mission),
        missing=missing,
    )


def calendar_missions(
    store: Store, given: dict | None = None, *, search: str | None = None, sort: str | None = None, limit: int | None = None
) -> list[dict]:
    """The missions of `mission list` (the same filters), each with its host
    institution's name and city, for a calendar (render/calendar.py)."""
    rows = missions.NOUN.query(store, given, search=search, sort=sort, limit=limit)
    places = {r["id"]: r for r in store.rows("SELECT id, name, city FROM institution")}
    for r in rows:
        place = places.get(r["institution"]) or {}
        r["institution_name"] = place.get("name")
        r["institution_city"] = place.get("city")
    return rows
