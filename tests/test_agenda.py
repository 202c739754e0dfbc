"""`maliext agenda` on a hand-built database: one case of each kind (and cases just
outside each), on a day the test sets."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from .conftest import Cli, add_consultant, digest

KEYS = ["kind", "record", "table", "due", "message", "command"]
DAY = "2027-06-30"  # with the default window of 14 days: up to 2027-07-14


def _mission(cli: Cli, consultant: str, start: str, end: str, **more: str) -> str:
    args = ["mission", "add", "--consultant", consultant, "--institution", "FAST", "--programme", "TOKTEN",
            "--type", "lecture", "--start-date", start, "--end-date", end, "-q"]
    for name, value in more.items():
        args += [f"--{name.replace('_', '-')}", value]
    return cli.ok(*args).stdout.strip()


def build(cli: Cli) -> None:
    cli.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "-q")
    cli.ok("programme", "add", "--code", "TOKTEN", "-q")
    for n in range(1, 7):
        add_consultant(cli, family_name=f"Expert{n}", given_names="Awa", country="FR", degree="doctorat",
                       discipline="0531", email=f"c{n}@example.org")
    assert _mission(cli, "c1@example.org", "2027-07-05", "2027-07-18") == "1"  # starting within the window
    assert _mission(cli, "c2@example.org", "2027-08-02", "2027-08-15") == "2"  # starting later: not listed
    assert _mission(cli, "c3@example.org", "2027-06-20", "2027-07-10") == "3"  # started, still planned
    assert _mission(cli, "c4@example.org", "2027-05-01", "2027-05-20") == "4"  # ended, still planned
    assert _mission(cli, "c5@example.org", "2027-04-01", "2027-04-14") == "5"  # completed without outcomes
    cli.ok("mission", "complete", "5")
    cli.ok("mission", "evaluate", "5", "--by", "consultant", "--score", "overall=4", "--on", "2027-04-20", "-q")
    assert _mission(cli, "c6@example.org", "2026-06-28", "2026-07-09") == "6"  # a year ago: follow-up due
    cli.ok("mission", "complete", "6", "--hours-taught", "20")
    for side in ("host", "consultant"):
        cli.ok("mission", "evaluate", "6", "--by", side, "--score", "overall=5", "--on", "2026-07-10", "-q")
    cli.ok("mission", "evaluate", "6", "--by", "consultant", "--kind", "followup", "--score", "sustainability=4",
           "--on", "2027-06-01", "-q")
    assert _mission(cli, "c1@example.org", "2025-01-06", "2025-01-19") == "7"  # long ago: nothing asked any more
    cli.ok("mission", "complete", "7", "--people-trained", "8")
    cli.ok("need", "add", "--institution", "FAST", "--title", "Cours de catalyse", "--discipline", "0531",
           "--type", "lecture", "--window-start", "2027-03-01", "--window-end", "2027-06-01",
           "--duration-days", "14", "-q")  # window over, still open
    cli.ok("need", "add", "--institution", "FAST", "--title", "Atelier de chimie verte", "--discipline", "0531",
           "--type", "workshop", "--window-start", "2027-03-01", "--window-end", "2027-12-31",
           "--duration-days", "14", "-q")  # window open for months


# The `application` table of the calls for candidates (DESIGN.md 6.1), as that work
# creates it, made by hand here: the agenda reads it when a file has it.
APPLICATIONS = """
CREATE TABLE application (
    id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    need_id INTEGER NOT NULL REFERENCES need(id), consultant_id INTEGER NOT NULL REFERENCES consultant(id),
    status TEXT NOT NULL, invited_on TEXT, responded_on TEXT, deadline TEXT, score REAL,
    mission_id INTEGER REFERENCES mission(id), note TEXT
);
INSERT INTO application (uid, created_at, updated_at, need_id, consultant_id, status, invited_on, deadline) VALUES
    ('00000000-0000-4000-8000-000000000001', '2027-06-01T00:00:00Z', '2027-06-01T00:00:00Z', 2, 2, 'invited', '2027-06-01', '2027-06-20'),
    ('00000000-0000-4000-8000-000000000002', '2027-06-01T00:00:00Z', '2027-06-01T00:00:00Z', 2, 3, 'applied', '2027-06-01', '2027-06-20'),
    ('00000000-0000-4000-8000-000000000003', '2027-06-01T00:00:00Z', '2027-06-01T00:00:00Z', 2, 4, 'invited', '2027-06-01', '2027-08-01');
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("agenda") / "agenda.db"
    build(Cli(path))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def cli(template, db) -> Cli:
    db.write_bytes(template.read_bytes())
    return Cli(db)


def with_applications(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(APPLICATIONS)
    conn.close()


EXPECTED = [
    {"kind": "mission-starting", "record": 1, "table": "mission", "due": "2027-07-05",
     "message": "mission 1 (Awa Expert1, FAST) starts on 2027-07-05",
     "command": "maliext mission document 1 --kind order -o order-1.html"},
    {"kind": "mission-should-be-ongoing", "record": 3, "table": "mission", "due": "2027-06-20",
     "message": "mission 3 (Awa Expert3, FAST) started on 2027-06-20 but is still planned",
     "command": "maliext mission edit 3 --status ongoing"},
    {"kind": "mission-should-be-closed", "record": 4, "table": "mission", "due": "2027-05-21",
     "message": "mission 4 (Awa Expert4, FAST) ended on 2027-05-20 but is still planned",
     "command": "maliext mission complete 4 --hours-taught HOURS --people-trained PEOPLE --theses-supervised THESES"},
    {"kind": "outcomes-missing", "record": 5, "table": "mission", "due": "2027-04-15",
     "message": "mission 5 (Awa Expert5, FAST) is completed but records no outcome: hours taught, people trained, "
                "theses supervised",
     "command": "maliext mission complete 5 --hours-taught HOURS --people-trained PEOPLE --theses-supervised THESES"},
    {"kind": "evaluation-missing", "record": 5, "table": "mission", "due": "2027-04-15",
     "message": "mission 5 (Awa Expert5, FAST) has no end-of-mission evaluation by its host institution",
     "command": "maliext mission evaluate 5 --by host --score CRITERION=SCORE"},
    {"kind": "need-window-over", "record": 1, "table": "need", "due": "2027-06-02",
     "message": "need 1 (FAST: Cours de catalyse) is still open but its window ended on 2027-06-01",
     "command": "maliext need cancel 1"},
    {"kind": "application-unanswered", "record": 1, "table": "application", "due": "2027-06-21",
     "message": "application 1 (Awa Expert2, need 2) got no answer by its deadline, 2027-06-20",
     "command": "maliext application decline 1"},
    {"kind": "followup-due", "record": 6, "table": "mission", "due": "2027-07-09",
     "message": "mission 6 (Awa Expert6, FAST) is due a follow-up evaluation by its host institution on 2027-07-09",
     "command": "maliext mission evaluate 6 --by host --kind followup --score CRITERION=SCORE"},
]


def test_one_item_of_each_kind_in_order_with_its_command(cli, db):
    with_applications(db)
    before = digest(db)
    result = cli("agenda", "--date", DAY, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == EXPECTED
    assert digest(db) == before  # it only reads


def test_without_applications_the_kind_is_empty(cli):
    items = cli.json("agenda", "--date", DAY)
    assert [i["kind"] for i in items] == [e["kind"] for e in EXPECTED if e["kind"] != "application-unanswered"]


def test_the_window_decides_what_is_coming(cli, db):
    with_applications(db)
    none_ahead = cli.json("agenda", "--date", DAY, "--within", "0")
    assert "mission-starting" not in [i["kind"] for i in none_ahead]
    assert "followup-due" not in [i["kind"] for i in none_ahead]  # due on 9 July
    wide = cli.json("agenda", "--date", DAY, "--within", "40")
    found = {(i["kind"], i["record"]) for i in wide}
    # Within 40 days: mission 2 starts (2 August), application 3 reaches its deadline (1 August).
    assert {("mission-starting", 2), ("application-unanswered", 3)} <= found
    coming = next(i for i in wide if i["record"] == 3 and i["table"] == "application")
    assert coming["message"] == "application 3 (Awa Expert4, need 2) awaits an answer by 2027-08-01"
    assert coming["command"] == "maliext application show 3"


def test_the_day_changes_the_answer_and_settled_items_leave(cli):
    earlier = cli.json("agenda", "--date", "2027-05-10")
    assert ("mission-should-be-ongoing", 4) in {(i["kind"], i["record"]) for i in earlier}  # 1 to 20 May
    assert not any(i["kind"] == "need-window-over" for i in earlier)  # the window ends on 1 June
    cli.ok("mission", "edit", "3", "--status", "ongoing")
    cli.ok("mission", "complete", "5", "--hours-taught", "30")
    cli.ok("mission", "evaluate", "5", "--by", "host", "--score", "overall=4")
    cli.ok("need", "cancel", "1")
    kinds = {(i["kind"], i["record"]) for i in cli.json("agenda", "--date", DAY)}
    assert ("mission-should-be-ongoing", 3) not in kinds
    assert not {("outcomes-missing", 5), ("evaluation-missing", 5), ("need-window-over", 1)} & kinds


def test_an_ongoing_mission_ending_soon_is_to_be_closed(cli):
    cli.ok("mission", "edit", "3", "--status", "ongoing")  # ends on 10 July
    item = next(i for i in cli.json("agenda", "--date", DAY) if i["record"] == 3)
    assert item["kind"] == "mission-should-be-closed" and item["due"] == "2027-07-11"
    assert item["message"] == "mission 3 (Awa Expert3, FAST) ends on 2027-07-10: complete it then, with its outcomes"


def test_every_format(cli, db):
    with_applications(db)
    rows = list(csv.DictReader(io.StringIO(cli.ok("agenda", "--date", DAY, "-f", "csv").stdout)))
    assert list(rows[0]) == KEYS and len(rows) == len(EXPECTED)
    lines = cli.ok("agenda", "--date", DAY, "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == EXPECTED
    table = cli.ok("agenda", "--date", DAY).stdout
    assert "Missions starting (1)" in table and "Follow-up evaluations due (1)" in table
    assert table.index("Missions starting") < table.index("Outcomes missing") < table.index("Follow-up evaluations")
    markdown = cli.ok("agenda", "--date", DAY, "-f", "markdown").stdout
    assert "## Needs whose window is over (1)" in markdown
    html = cli.ok("agenda", "--date", DAY, "-f", "html").stdout
    assert '<section id="application-unanswered">' in html and "maliext application decline 1" in html


def test_in_french(cli, db):
    with_applications(db)
    table = cli.ok("agenda", "--date", DAY, env={"MALIEXT_LANG": "fr"}).stdout
    assert "Missions qui commencent (1)" in table and "Évaluations de suivi dues (1)" in table
    assert "la mission 3 (Awa Expert3, FAST) a commencé le 2027-06-20 mais est toujours prévue" in table
    assert "le 30 juin 2027" in table
    # Machine formats keep their keys and codes in every language.
    assert json.loads(cli.ok("agenda", "--date", DAY, "-f", "json", env={"MALIEXT_LANG": "fr"}).stdout)[0]["kind"] == (
        "mission-starting"
    )


def test_nothing_to_do_is_said_and_exits_0(tmp_path):
    cli = Cli(tmp_path / "empty.db")
    cli.ok("init")
    assert cli.json("agenda") == []
    result = cli("agenda")
    assert result.exit_code == 0 and "Nothing needs attention." in result.stdout


def test_bad_options(cli, db):
    before = digest(db)
    bad = cli("agenda", "--date", "2027-02-30")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: --date:")
    assert cli("agenda", "--within", "-3").exit_code == 2
    assert cli("agenda", "--within", "soon").exit_code == 2
    assert digest(db) == before
