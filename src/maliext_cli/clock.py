"""The one clock of maliext: what day it is, and what time, asked in one place.

Rules that look at today (no signature in the future, a mission completed only once
it has started, the latest birth year, the year an association was founded) and the
date printed on reports all ask `today()`. `MALIEXT_TODAY=YYYY-MM-DD` sets that day,
so that tests and examples give the same answers whatever day they run.

Timestamps (records' created_at and updated_at, the change log, the names of backup
copies) come from `now()`, the real time even when `MALIEXT_TODAY` is set: they
order what happened, they are not rules about the calendar.

`SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) sets the
date printed on reports only (`report_day()`), never the rules.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from maliext_cli.errors import UsageProblem
from maliext_cli.i18n import _

TODAY_VAR = "MALIEXT_TODAY"
EPOCH_VAR = "SOURCE_DATE_EPOCH"


def today() -> date:
    """Today on the user's calendar, or the day `MALIEXT_TODAY` gives."""
    raw = os.environ.get(TODAY_VAR, "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        # A clock set wrong must not silently fall back to the real day.
        raise UsageProblem(
            _("{variable} must be a date YYYY-MM-DD, got {value!r}").format(variable=TODAY_VAR, value=raw[:40])
        ) from None


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def report_day() -> date:
    """The date printed on a report: the day of `SOURCE_DATE_EPOCH` (UTC) when it is
    set, else `today()`."""
    epoch = os.environ.get(EPOCH_VAR, "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return today()
