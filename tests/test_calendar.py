"""`mission list|export -f ics`: an RFC 5545 calendar, parsed back with the library that
Thunderbird-compatible tools use (icalendar), every field checked."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from . import mission_world
from .conftest import Cli


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return mission_world.template(tmp_path_factory.mktemp("calendar"))


@pytest.fixture
def world(template, db) -> Cli:
    return mission_world.copy(template, db)


def events(data: bytes) -> tuple[Calendar, dict]:
    calendar = Calendar.from_ical(data)
    return calendar, {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def test_one_event_per_mission_with_every_field(world):
    missions = {m["uid"]: m for m in world.json("mission", "list")}
    data = world.ok("mission", "list", "-f", "ics").stdout_bytes
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends CRLF
    calendar, found = events(data)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//maliext//maliext ")
    assert set(found) == set(missions)
    expected = {
        1: ("CONFIRMED", date(2027, 2, 1), date(2027, 2, 22), "Mission: Aminata Traoré — FAST"),
        2: ("TENTATIVE", date(2027, 7, 5), date(2027, 7, 19), "Mission: Moussa Keïta — FAST"),
        3: ("CANCELLED", date(2027, 3, 1), date(2027, 3, 11), "Mission: Awa Diallo — FAST"),
    }
    for uid, mission in missions.items():
        event = found[uid]
        status, start, end, summary = expected[mission["id"]]
        assert str(event["status"]) == status
        assert event.decoded("dtstart") == start and not isinstance(event.decoded("dtstart"), datetime)
        assert event.decoded("dtend") == end  # the day after the last: RFC 5545's exclusive end
        assert str(event["summary"]) == summary
        assert str(event["location"]) == "Bamako"  # the institution's city
        assert event.decoded("dtstamp") == _stamp(mission["updated_at"])
        assert event.decoded("last-modified") == _stamp(mission["updated_at"])
        assert event.decoded("created") == _stamp(mission["created_at"])
        assert str(event["transp"]) == "TRANSPARENT"
        description = str(event["description"])
        assert f"maliext mission show {mission['id']}" in description
        assert "Programme: TOKTEN" in description or "Programme: TALMALI" in description
    assert "Need: DEA de chimie organique" in str(found[next(u for u, m in missions.items() if m["id"] == 1)]["description"])


def test_filters_and_export_to_a_file(world, tmp_path):
    _, planned = events(world.ok("mission", "list", "--status", "planned", "-f", "ics").stdout_bytes)
    assert len(planned) == 1
    out = tmp_path / "missions.ics"
    result = world("mission", "export", "--programme", "TOKTEN", "-f", "ics", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    _, exported = events(out.read_bytes())
    assert len(exported) == 2  # TALMALI's mission left out
    # The same data give the same file, byte for byte.
    assert world.ok("mission", "export", "--programme", "TOKTEN", "-f", "ics").stdout_bytes == out.read_bytes()


def test_words_in_the_interface_language_codes_unchanged(world):
    data = world.ok("mission", "list", "-f", "ics", env={"MALIEXT_LANG": "fr"}).stdout_bytes
    calendar, found = events(data)
    summaries = {str(e["summary"]) for e in found.values()}
    assert "Mission : Aminata Traoré — FAST".replace(" :", "\u202f:") in summaries
    assert {str(e["status"]) for e in found.values()} == {"CONFIRMED", "TENTATIVE", "CANCELLED"}


def test_an_empty_calendar_is_still_a_calendar(world):
    calendar, found = events(world.ok("mission", "list", "--status", "ongoing", "-f", "ics").stdout_bytes)
    assert found == {} and str(calendar["version"]) == "2.0"
