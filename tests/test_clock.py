"""The one clock (maliext_cli/clock.py): `MALIEXT_TODAY` sets the day the rules see
and the date printed on reports; timestamps stay the real time; `SOURCE_DATE_EPOCH`
sets the report's date only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from maliext_cli import clock
from maliext_cli.errors import UsageProblem

from .conftest import AMINATA, TODAY, Cli


def test_the_suite_runs_on_a_fixed_day():
    assert clock.today() == date.fromisoformat(TODAY)


def test_without_the_variable_today_is_the_real_day(monkeypatch):
    monkeypatch.delenv("MALIEXT_TODAY")
    assert date.today() <= clock.today() <= date.today()  # (the day may turn meanwhile)


@pytest.mark.parametrize("wrong", ["tomorrow", "30/06/2027", "2027-02-30"])
def test_a_clock_set_wrong_is_a_usage_error(cli, monkeypatch, wrong):
    monkeypatch.setenv("MALIEXT_TODAY", wrong)
    with pytest.raises(UsageProblem, match="MALIEXT_TODAY must be a date YYYY-MM-DD"):
        clock.today()
    result = cli("consultant", "add", *AMINATA, "--birth-year", "1970")
    assert result.exit_code == 2 and result.stderr.startswith("Error: MALIEXT_TODAY must be a date"), result.stderr


def test_rules_about_the_future_ask_the_clock(cli: Cli, monkeypatch):
    cli.ok("institution", "add", "--name", "FAST", "--acronym", "FAST", "-q")
    agreement = ("agreement", "add", "--title", "Accord", "--institution", "FAST", "--partner", "U", "--status", "signed")  # fmt: skip
    monkeypatch.setenv("MALIEXT_TODAY", "2030-01-09")
    refused = cli(*agreement, "--signed-on", "2030-01-10")
    assert refused.exit_code == 1 and "signed_on: 2030-01-10 is in the future" in refused.stderr
    cli.ok(*agreement, "--signed-on", "2030-01-09", "-q")
    # The latest birth year is 16 years before this year.
    assert cli("consultant", "add", *AMINATA, "--birth-year", "2015").exit_code == 1
    monkeypatch.setenv("MALIEXT_TODAY", "2031-01-01")
    started = datetime.now(UTC).replace(microsecond=0)
    cli.ok("consultant", "add", *AMINATA, "--birth-year", "2015", "-q")
    ended = datetime.now(UTC)
    # Timestamps are the real time whatever the day the rules see.
    stamped = datetime.strptime(cli.json("consultant", "show", "1")["created_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert started <= stamped.replace(tzinfo=UTC) <= ended


def test_the_date_on_reports(cli: Cli, monkeypatch):
    def stamped() -> str:
        return json.loads(cli.ok("report", "annual", "--year", "2026", "-f", "json").stdout)["stamp"]["date"]

    cli.ok("init")
    assert stamped() == TODAY
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert stamped() == "2026-01-01"
