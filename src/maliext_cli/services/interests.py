"""Conflicts of interest: the institutions a consultant is declared not to be sent to
(`maliext consultant conflict add|list|remove`, table `conflict`). Matching skips those
pairs, and treats a consultant's employer as one without a declaration
(services/matching/eligibility.py). Nothing to do with the conflicts of a merge."""

from __future__ import annotations

from maliext_cli.errors import Conflict, FieldError, Invalid, NotFound
from maliext_cli.i18n import N_, _
from maliext_cli.services import consultants, institutions, parse, records
from maliext_cli.services.records import Entity, Field
from maliext_cli.store import Store

# An institution a consultant must not be sent to (matching skips the pair).
CONFLICT_OF_INTEREST = Entity(
    table="conflict",
    label=N_("conflict of interest"),
    fields=(
        Field("consultant", ref="consultant", required=True),
        Field("institution", ref="institution", required=True),
        Field("reason", parse.text),
    ),
)
CONFLICT_OF_INTEREST_COLUMNS = ["id", "uid", "institution", "institution_acronym", "institution_name", "reason"]
CONFLICT_OF_INTEREST_BRIEF = ("id", "institution_acronym", "institution_name", "reason")


def declare_conflict_of_interest(store: Store, ref, institution, reason: str | None = None) -> int:
    """Declare that a consultant must not be sent to an institution (matching skips the pair)."""
    with store.transaction():
        consultant = records.find(store, consultants.ENTITY, ref)
        place = records.find(store, institutions.INSTITUTION, institution)
        try:
            text = parse.text(reason) if reason else None
        except FieldError as exc:
            raise Invalid(records.about("reason", str(exc))) from None
        if store.value(
            "SELECT id FROM conflict WHERE consultant_id = ? AND institution_id = ?", (consultant["id"], place["id"])
        ):
            raise Conflict(
                _("consultant {id} already has a conflict declared with institution {institution}").format(
                    id=consultant["id"], institution=place["id"]
                )
            )
        return store.insert(
            "conflict", {"consultant_id": consultant["id"], "institution_id": place["id"], "reason": text}
        )


def conflicts_of_interest(store: Store, ref) -> list[dict]:
    """A consultant's declared conflicts of interest, as `consultant show` lists them."""
    consultant = records.find(store, consultants.ENTITY, ref)
    return consultants.NOUN.details(store, consultant)["conflicts"]


def remove_conflict_of_interest(store: Store, ref, institution) -> dict:
    """Withdraw a declaration; the row as it was."""
    with store.transaction():
        consultant = records.find(store, consultants.ENTITY, ref)
        place = records.find(store, institutions.INSTITUTION, institution)
        row = store.row(
            "SELECT * FROM conflict WHERE consultant_id = ? AND institution_id = ?", (consultant["id"], place["id"])
        )
        if row is None:
            raise NotFound(
                _("consultant {id} has no conflict declared with institution {institution}").format(
                    id=consultant["id"], institution=place["id"]
                )
            )
        store.delete("conflict", row["id"])
        return row
