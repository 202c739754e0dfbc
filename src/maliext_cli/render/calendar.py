"""Missions as an iCalendar file (RFC 5545), written by the `icalendar` library: one
VEVENT per mission, which Thunderbird, Google Calendar and Outlook import.

Each event: UID the mission's uid (stable across files and exports, so that importing
the file again updates the events rather than doubling them); DTSTART and DTEND whole
days, DTEND the day after the last (RFC 5545: the end of an all-day event is exclusive);
SUMMARY the consultant and the host institution; LOCATION the institution's city;
STATUS TENTATIVE while planned, CANCELLED once cancelled, CONFIRMED otherwise; TRANSP
TRANSPARENT (a mission does not make the unit's own calendar busy); DTSTAMP and
LAST-MODIFIED the mission's last change and CREATED its creation (without a METHOD,
RFC 5545 asks DTSTAMP to be the last revision: the same file for the same data).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from maliext_cli import __version__
from maliext_cli.i18n import _, current
from maliext_cli.reference import vocab

STATUS = {"planned": "TENTATIVE", "cancelled": "CANCELLED"}  # otherwise CONFIRMED


def _moment(stamp: str) -> datetime:
    """A record's timestamp (UTC ISO 8601, `2027-06-30T08:00:00Z`) as an aware datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)


def missions(rows: Sequence[dict]) -> bytes:
    """The calendar of `rows` (missions with `consultant_name`, `institution_name`,
    `institution_acronym`, `institution_city`, `programme_code`, `need_title`), as the
    bytes of an .ics file (UTF-8, CRLF line ends, long lines folded)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//maliext//maliext {__version__}//{current().upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # Translators: the name of the calendar of missions that `mission list -f ics` writes.
    calendar.add("x-wr-calname", _("maliext missions"))
    for r in rows:
        event = Event()
        institution = r.get("institution_acronym") or r.get("institution_name") or ""
        event.add("uid", r["uid"])
        event.add("dtstamp", _moment(r["updated_at"]))
        event.add("created", _moment(r["created_at"]))
        event.add("last-modified", _moment(r["updated_at"]))
        event.add("dtstart", date.fromisoformat(r["start_date"]))
        event.add("dtend", date.fromisoformat(r["end_date"]) + timedelta(days=1))
        event.add(
            "summary", _("Mission: {consultant} — {institution}").format(consultant=r["consultant_name"], institution=institution)
        )
        if r.get("institution_city"):
            event.add("location", r["institution_city"])
        lines = [
            _("Type: {type}").format(type=vocab.MISSION_TYPE.label(r["type"])),
            _("Host institution: {institution}").format(institution=r.get("institution_name") or institution),
            _("Programme: {programme}").format(programme=r["programme_code"]),
            _("Status: {status}").format(status=vocab.MISSION_STATUS.label(r["status"])),
        ]
        if r.get("need_title"):
            lines.append(_("Need: {need}").format(need=r["need_title"]))
        if r.get("reference"):
            lines.append(_("Reference: {reference}").format(reference=r["reference"]))
        lines.append(f"maliext mission show {r['id']}")
        event.add("description", "\n".join(lines))
        event.add("categories", [r["programme_code"]])
        event.add("status", STATUS.get(r["status"], "CONFIRMED"))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
