"""What a column is called where people read it: the one map from column names (the
JSON keys and CSV headers, which never change) to their labels in the interface language.

Table headers are labels in the formats people read (`table`, `markdown`, the tabulate
formats, html) and field names in those scripts read (csv, tsv, json, jsonl). A column
printed by any command has a label here (tests/test_terminal.py checks it); a column
without one (the names a user gives in `db sql`) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Collection

from maliext_cli.i18n import N_, _
from maliext_cli.services.records import LABEL_SUFFIX

# A reference column (consultant, institution...) holds the record's id in lists and
# exports: its label says so, and the label column beside it (consultant_name,
# institution_acronym) takes the plain name.
LABELS: dict[str, str] = {
    # every record
    "id": N_("ID"),
    "uid": N_("UID"),
    "created_at": N_("Created"),
    "updated_at": N_("Updated"),
    # consultant
    "family_name": N_("Family name"),
    "given_names": N_("Given names"),
    "sex": N_("Sex"),
    "birth_year": N_("Birth year"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "country": N_("Country"),
    "city": N_("City"),
    "antenna": N_("Antenna"),
    "origin_region": N_("Region of origin"),
    "degree": N_("Degree"),
    "discipline": N_("Discipline"),
    "specialities": N_("Specialities"),
    "languages": N_("Languages"),
    "employer": N_("Employer"),
    "status": N_("Status"),
    "notes": N_("Notes"),
    "availability": N_("Availability"),
    "conflicts": N_("Conflicts of interest"),
    "start": N_("Start"),
    "end": N_("End"),
    "days": N_("Days"),
    "reason": N_("Reason"),
    # institution, programme
    "name": N_("Name"),
    "acronym": N_("Acronym"),
    "kind": N_("Kind"),
    "parent": N_("Parent ID"),
    "parent_acronym": N_("Parent"),
    "parent_name": N_("Parent name"),
    "region": N_("Region"),
    "children": N_("Attached"),
    "code": N_("Code"),
    "funders": N_("Funders"),
    # need
    "institution": N_("Institution ID"),
    "institution_acronym": N_("Institution"),
    "institution_name": N_("Institution name"),
    "title": N_("Title"),
    "keywords": N_("Keywords"),
    "type": N_("Type"),
    "level": N_("Level"),
    # Translators: the first day of a need's window (its missions start on or after it).
    "window_start": N_("From"),
    # Translators: the last day of a need's window (its missions end on or before it).
    "window_end": N_("Until"),
    "duration_days": N_("Duration (days)"),
    "seats": N_("Seats"),
    "seats_filled": N_("Filled"),
    "priority": N_("Priority"),
    "needs": N_("Needs"),
    # mission
    "consultant": N_("Consultant ID"),
    "consultant_name": N_("Consultant"),
    "need": N_("Need ID"),
    "need_title": N_("Need"),
    "programme": N_("Programme ID"),
    "programme_code": N_("Programme"),
    "start_date": N_("Start"),
    "end_date": N_("End"),
    "travel_cost": N_("Travel cost"),
    "per_diem": N_("Per diem"),
    "fees": N_("Fees"),
    "currency": N_("Currency"),
    "funder": N_("Funder"),
    "hours_taught": N_("Hours taught"),
    "people_trained": N_("People trained"),
    "theses_supervised": N_("Theses supervised"),
    "rating": N_("Rating"),
    "report": N_("Report"),
    "forced_reason": N_("Why forced"),
    "cost": N_("Cost"),
    "missions": N_("Missions"),
    "reference": N_("Reference"),
    "evaluations": N_("Evaluations"),
    # programme: what its papers carry
    "letterhead": N_("Letterhead"),
    "address": N_("Address"),
    "signatory": N_("Signatory"),
    "signatory_title": N_("Signatory's title"),
    "reference_prefix": N_("Reference prefix"),
    # evaluation
    "mission": N_("Mission ID"),
    # Translators: who evaluated a mission: its host institution or its consultant.
    "by": N_("By"),
    "evaluated_on": N_("Evaluated on"),
    "mission_start_date": N_("Mission start"),
    "relevance": N_("Relevance"),
    "preparation": N_("Preparation"),
    "organisation": N_("Organisation"),
    "transfer": N_("Transfer"),
    "results": N_("Results"),
    "sustainability": N_("Sustainability"),
    "overall": N_("Overall"),
    "comment": N_("Comment"),
    # Translators: the mean of the scores of an evaluation.
    "mean": N_("Mean"),
    # agenda
    # Translators: the day an item of the agenda is due.
    "due": N_("Due"),
    "message": N_("Message"),
    # antenna, agreement
    "coordinator": N_("Coordinator"),
    "consultants": N_("Consultants"),
    "consultant_list": N_("Consultants"),
    "partner": N_("Partner"),
    "partner_country": N_("Partner country"),
    "signed_on": N_("Signed on"),
    # association, project
    "origin_locality": N_("Locality of origin"),
    "members": N_("Members"),
    "founded": N_("Founded"),
    "contact_name": N_("Contact"),
    "contact_phone": N_("Contact phone"),
    "contact_email": N_("Contact e-mail"),
    "association": N_("Association ID"),
    "association_acronym": N_("Association"),
    "association_name": N_("Association name"),
    "sector": N_("Sector"),
    "locality": N_("Locality"),
    "year": N_("Year"),
    "diaspora_contribution": N_("Diaspora contribution"),
    "subsidy": N_("Subsidy"),
    "other_funding": N_("Other funding"),
    "subsidy_funder": N_("Subsidy funder"),
    "total": N_("Total"),
    "projects": N_("Projects"),
    # the federation tree, one row per node
    "depth": N_("Depth"),
    "subtree_associations": N_("Associations in subtree"),
    "subtree_members": N_("Members in subtree"),
    "subtree_projects": N_("Projects in subtree"),
    "subtree_diaspora_contribution_eur": N_("Diaspora contribution in subtree (EUR)"),
    "subtree_subsidy_eur": N_("Subsidies in subtree (EUR)"),
    # reports
    "month": N_("Month"),
    "new_consultants": N_("New consultants"),
    "returning_consultants": N_("Returning consultants"),
    "person_days": N_("Person-days"),
    "cost_eur": N_("Cost (EUR)"),
    "cost_xof": N_("Cost (FCFA)"),
    "mean_cost_eur": N_("Mean cost (EUR)"),
    "mean_rating": N_("Mean rating"),
    "associations": N_("Associations"),
    "diaspora_contribution_eur": N_("Diaspora contribution (EUR)"),
    "diaspora_contribution_xof": N_("Diaspora contribution (FCFA)"),
    "subsidy_eur": N_("Subsidy (EUR)"),
    "subsidy_xof": N_("Subsidy (FCFA)"),
    "other_funding_eur": N_("Other funding (EUR)"),
    "other_funding_xof": N_("Other funding (FCFA)"),
    "total_eur": N_("Total (EUR)"),
    "total_xof": N_("Total (FCFA)"),
    "leverage": N_("Leverage"),
    "key": N_("Key"),
    "value": N_("Value"),
    # matching
    "score": N_("Score"),
    "experience": N_("Experience"),
    "rotation": N_("Rotation"),
    "excluded": N_("Excluded because"),
    "eligible": N_("Eligible"),
    "criterion": N_("Criterion"),
    "weight": N_("Weight"),
    "contribution": N_("Contribution"),
    "why": N_("Why"),
    "free_seats": N_("Free seats"),
    "components": N_("Components"),
    "values": N_("Values"),
    "weights": N_("Weights"),
    "details": N_("Details"),
    # Translators: the dates at which a consultant could carry out a need's mission.
    "slots": N_("Possible dates"),
    "filled": N_("Filled"),
    # history
    "at": N_("When"),
    "user": N_("User"),
    "command": N_("Command"),
    "table": N_("Table"),
    "record": N_("Record"),
    "action": N_("Action"),
    "before": N_("Before"),
    "after": N_("After"),
    # merge
    "field": N_("Field"),
    # Translators: in a merge, the value in this file (the other file's is "Theirs").
    "mine": N_("Mine"),
    # Translators: in a merge, the value in the other site's file (this file's is "Mine").
    "theirs": N_("Theirs"),
    "note": N_("Note"),
    "peer": N_("Other site"),
    "other_uid": N_("Other UID"),
    "other_name": N_("Other name"),
    "state": N_("State"),
    # vocabularies (`maliext ref`)
    "name_fr": N_("French name"),
    "name_en": N_("English name"),
    "iso": N_("ISO code"),
}

# Where a reference column names its record instead of giving its id: the groups of a
# report (`--by institution`), the institution of a plan.
NAMED: dict[str, str] = {
    "consultant": N_("Consultant"),
    "institution": N_("Institution"),
    "need": N_("Need"),
    "programme": N_("Programme"),
    "association": N_("Association"),
    "parent": N_("Parent"),
}

def known(column: str) -> bool:
    """Whether `column` has a label."""
    if column.endswith(LABEL_SUFFIX) and column[: -len(LABEL_SUFFIX)] in LABELS:
        return True
    return column in LABELS


def label(column: str, *, named: Collection[str] = ()) -> str:
    """The header of `column` in the interface language; the column's own name when it
    has no label. `named`: the reference columns that hold a name, not an id."""
    if column in named and column in NAMED:
        return _(NAMED[column])
    if column.endswith(LABEL_SUFFIX) and column not in LABELS:
        column = column[: -len(LABEL_SUFFIX)]  # discipline_label, headed as discipline
    text = LABELS.get(column)
    return _(text) if text else column
