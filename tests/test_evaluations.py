"""Evaluations of missions: `mission evaluate`, the `evaluation` noun on the shared
machinery (list, show, edit, remove, import, export, history, undo, db check), `mission
show`, and the annual report's means per criterion."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from . import mission_world
from .conftest import Cli, digest

EVALUATION_KEYS = [
    "id", "uid", "mission", "by", "kind", "evaluated_on", "relevance", "preparation", "organisation", "transfer",
    "results", "sustainability", "overall", "comment", "mission_start_date", "consultant_name", "institution_acronym",
    "mean", "created_at", "updated_at",
]
CRITERIA = ["relevance", "preparation", "organisation", "transfer", "results", "sustainability", "overall"]
NNBSP = "\u202f"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return mission_world.template(tmp_path_factory.mktemp("evaluations"))


@pytest.fixture
def world(template, db) -> Cli:
    return mission_world.copy(template, db)


def evaluate(cli: Cli, *args: str) -> int:
    return int(cli.ok("mission", "evaluate", *args, "-q").stdout)


def test_mission_evaluate_records_the_scores(world):
    first = evaluate(world, "1", "--by", "host", "--score", "relevance=5", "--score", "transfert=4",
                     "--score", "overall=5", "--comment", "Cours repris par l'équipe", "--on", "2027-02-25")
    record = world.json("evaluation", "show", str(first))
    assert list(record) == EVALUATION_KEYS
    assert (record["mission"], record["by"], record["kind"], record["evaluated_on"]) == (1, "host", "end", "2027-02-25")
    assert [record[c] for c in CRITERIA] == [5, None, None, 4, None, None, 5]
    assert record["mean"] == pytest.approx(4.67)
    assert (record["consultant_name"], record["institution_acronym"]) == ("Aminata Traoré", "FAST")
    # Dated today unless --on is given; the same criterion named in French (a vocabulary alias).
    second = evaluate(world, "1", "--by", "consultant", "--score", "organisation=3", "--score", "pertinence=4")
    assert world.json("evaluation", "show", str(second))["evaluated_on"] == "2027-06-30"
    shown = world.json("mission", "show", "1")["evaluations"]
    assert [(e["id"], e["by"], e["kind"], e["relevance"], e["organisation"]) for e in shown] == [
        (first, "host", "end", 5, None),
        (second, "consultant", "end", 4, 3),
    ]
    followup = evaluate(world, "1", "--by", "host", "--kind", "followup", "--score", "sustainability=4")
    assert world.json("evaluation", "list", "--kind", "followup")[0]["id"] == followup


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("2", "--by", "host", "--score", "overall=4"), 1, "mission 2 is planned: it is evaluated once it is ongoing or completed"),
        (("3", "--by", "host", "--score", "overall=4"), 1, "mission 3 is cancelled: there is nothing to evaluate"),
        (("1", "--by", "host", "--score", "overall=6"), 1, "overall: must be between 1 and 5, got 6"),
        (("1", "--by", "host", "--score", "overall=0"), 1, "overall: must be between 1 and 5, got 0"),
        (("1", "--by", "host", "--score", "beauty=4"), 1, "--score: 'beauty' is not a known evaluation criterion"),
        (("1", "--by", "host", "--score", "overall"), 1, "--score: 'overall' is not CRITERION=SCORE"),
        (("1", "--by", "host", "--score", "overall=4", "--score", "global=3"), 1, "--score: overall is scored twice"),
        (("1", "--by", "jury", "--score", "overall=4"), 1, "by: 'jury' is not a known evaluator"),
        (("1", "--by", "host"), 1, "an evaluation holds at least one score or a comment"),
        (("1", "--by", "host", "--score", "overall=4", "--on", "2027-01-20"), 1,
         "evaluated_on: 2027-01-20 is before the mission starts (2027-02-01)"),
        (("1", "--by", "host", "--score", "overall=4", "--on", "2027-07-01"), 1, "evaluated_on: 2027-07-01 is in the future"),
        (("1", "--by", "host", "--kind", "followup", "--score", "overall=4", "--on", "2027-02-10"), 1,
         "evaluated_on: a follow-up evaluation comes after the mission's end (2027-02-21), not on 2027-02-10"),
        (("1", "--by", "host", "--kind", "later", "--score", "overall=4"), 1, "kind: 'later' is not a known evaluation kind"),
        (("9", "--by", "host", "--score", "overall=4"), 3, "no mission '9'"),
    ],
)
def test_refusals_write_nothing(world, db, args, code, message):
    before = digest(db)
    result = world("mission", "evaluate", *args)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith(f"Error: {message}"), result.stderr
    assert digest(db) == before


def test_one_evaluation_of_each_kind_by_each_side(world, db):
    first = evaluate(world, "1", "--by", "host", "--score", "overall=4")
    before = digest(db)
    result = world("mission", "evaluate", "1", "--by", "host", "--score", "overall=5")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: mission 1 already has an end-of-mission evaluation by its host institution (evaluation {first})",
        f"Change that one instead: `maliext evaluation edit {first}`.",
    ]
    assert digest(db) == before
    world.ok("evaluation", "edit", str(first), "--overall", "5")
    assert world.json("evaluation", "show", str(first))["overall"] == 5
    refused = world("evaluation", "edit", str(first), "--overall", "")  # no score nor comment left
    assert refused.exit_code == 1 and "at least one score or a comment" in refused.stderr


def test_a_follow_up_needs_a_completed_mission(world, db):
    world.ok("mission", "add", "--consultant", "w@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-06-21", "--end-date", "2027-07-04", "--status", "ongoing")
    evaluate(world, "4", "--by", "host", "--score", "preparation=3")  # an ongoing mission: its end evaluation
    before = digest(db)
    result = world("mission", "evaluate", "4", "--by", "host", "--kind", "followup", "--score", "overall=3")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: mission 4 is not completed: a follow-up evaluation comes after its end")
    assert digest(db) == before


def test_refusal_in_french(world, db):
    result = world("mission", "evaluate", "3", "--by", "host", "--score", "overall=4", env={"MALIEXT_LANG": "fr"})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Erreur{NNBSP}: la mission 3 est annulée{NNBSP}: il n'y a rien à évaluer")


def test_a_mission_with_evaluations_is_not_removed(world, db):
    evaluate(world, "1", "--by", "host", "--score", "overall=4")
    before = digest(db)
    result = world("mission", "remove", "1", "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: mission 1 is referenced by 1 evaluation",
        "Remove that evaluation first (`maliext evaluation remove`).",
    ]
    assert digest(db) == before


def test_history_and_undo(world):
    first = evaluate(world, "1", "--by", "host", "--score", "overall=4")
    changes = world.json("history", "--table", "evaluation")
    assert [(c["action"], c["table"]) for c in changes] == [("insert", "evaluation")]
    world.ok("undo", "--yes")
    assert world("evaluation", "show", str(first)).exit_code == 3


def test_export_reads_back_here_and_at_another_site(world, db, tmp_path):
    evaluate(world, "1", "--by", "host", "--score", "relevance=5", "--comment", "Très utile; à renouveler")
    evaluate(world, "1", "--by", "consultant", "--score", "organisation=2", "--on", "2027-02-22")
    exported = world.ok("evaluation", "export").stdout
    before = digest(db)
    assert world("evaluation", "import", "-", "--upsert", "--input-format", "csv", input=exported).exit_code == 0
    assert digest(db) == before
    # Another site: the same missions (by uid), then the evaluations, which name them by uid.
    other = Cli(tmp_path / "other.db")
    for noun in ("institution", "programme", "consultant", "need", "mission"):
        data = world.ok(noun, "export", "-f", "json").stdout
        other.ok(noun, "import", "-", "--input-format", "json", input=data)
    other.ok("evaluation", "import", "-", "--input-format", "csv", input=exported)
    mine = [{k: v for k, v in e.items() if k not in ("id", "created_at", "updated_at")} for e in world.json("evaluation", "list")]
    theirs = [{k: v for k, v in e.items() if k not in ("id", "created_at", "updated_at")} for e in other.json("evaluation", "list")]
    assert theirs == mine


def test_db_check_reports_evaluations_that_break_the_rules(world, db):
    first = evaluate(world, "1", "--by", "host", "--score", "overall=4")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO evaluation (uid, created_at, updated_at, mission_id, by, kind, evaluated_on, overall) "
            "VALUES ('00000000-0000-4000-8000-00000000000a', 'x', 'x', 1, 'host', 'end', '2027-01-01', 3), "
            "('00000000-0000-4000-8000-00000000000b', 'x', 'x', 3, 'consultant', 'followup', '2027-03-05', 3), "
            "('00000000-0000-4000-8000-00000000000c', 'x', 'x', 1, 'jury', 'end', '2027-03-05', 3)"
        )
    conn.close()
    result = world("db", "check")
    assert result.exit_code == 4
    assert result.stdout.splitlines() == [
        "evaluation 2: is dated 2027-01-01, before its mission 1 starts (2027-02-01)",
        f"evaluation 2: repeats evaluation {first} (same mission 1, side and kind)",
        "evaluation 3: evaluates mission 3, which is cancelled",
        "evaluation 3: is a follow-up dated 2027-03-05, not after its mission 3 ends (2027-03-10)",
        "evaluation 4: by 'jury' is not a known evaluator",
    ]


# ---------------------------------------------------------------- annual report
def test_the_annual_report_gives_the_mean_of_each_criterion(world):
    evaluate(world, "1", "--by", "host", "--score", "relevance=5", "--score", "transfer=4", "--score", "overall=5")
    evaluate(world, "1", "--by", "consultant", "--score", "relevance=4", "--score", "organisation=3",
             "--score", "overall=4")
    report = world.json("report", "annual", "--year", "2027")
    found = report["evaluations"]
    assert list(found) == ["evaluations", "missions_evaluated", "by_criterion"]
    assert (found["evaluations"], found["missions_evaluated"]) == (2, 1)
    means = {r["criterion"]: r for r in found["by_criterion"]}
    assert list(means) == CRITERIA
    assert list(means["relevance"]) == ["criterion", "scores", "mean", "mean_host", "mean_consultant"]
    assert (means["relevance"]["scores"], means["relevance"]["mean"]) == (2, 4.5)
    assert (means["relevance"]["mean_host"], means["relevance"]["mean_consultant"]) == (5, 4)
    assert (means["transfer"]["mean"], means["transfer"]["mean_consultant"]) == (4, None)
    assert (means["results"]["scores"], means["results"]["mean"]) == (0, None)
    table = world.ok("report", "annual", "--year", "2027").stdout
    assert "Evaluations of the missions" in table and "Relevance to the host's need" in table
    french = world.ok("report", "annual", "--year", "2027", "--lang", "fr", "-f", "markdown").stdout
    assert "## Évaluation des missions" in french
    assert "| Pertinence au regard du besoin de l'établissement" in french and "4,5" in french
    html = world.ok("report", "annual", "--year", "2027", "-f", "html").stdout
    assert '<section id="evaluations">' in html
    empty = world.json("report", "annual", "--year", "2026")["evaluations"]
    assert (empty["evaluations"], empty["by_criterion"][0]["mean"]) == (0, None)


def test_evaluations_travel_with_a_merge(template, tmp_path):
    bamako = mission_world.copy(template, tmp_path / "bamako.db")
    paris = mission_world.copy(template, tmp_path / "paris.db")
    evaluate(paris, "1", "--by", "consultant", "--score", "organisation=4", "--comment", "Accueil parfait")
    bamako.ok("merge", str(paris.db))
    merged = bamako.json("evaluation", "list")
    sent = paris.json("evaluation", "list")
    assert [(e["uid"], e["mission"], e["by"], e["organisation"], e["comment"]) for e in merged] == [
        (e["uid"], e["mission"], e["by"], e["organisation"], e["comment"]) for e in sent
    ]
    paris.ok("evaluation", "edit", str(sent[0]["id"]), "--organisation", "5")
    bamako.ok("merge", str(paris.db))
    assert bamako.json("evaluation", "list")[0]["organisation"] == 5
