"""Institutions, programmes, needs and missions: contract keys and every rule."""

from __future__ import annotations

import json

import pytest

from .conftest import add_consultant, digest

MISSION_KEYS = [
    "id",
    "uid",
    "consultant",
    "institution",
    "need",
    "programme",
    "type",
    "start_date",
    "end_date",
    "status",
    "travel_cost",
    "per_diem",
    "fees",
    "currency",
    "funder",
    "hours_taught",
    "people_trained",
    "theses_supervised",
    "rating",
    "report",
    "forced_reason",
    "reference",
    "consultant_name",
    "institution_acronym",
    "programme_code",
    "need_title",
    "days",
    "cost",
    "created_at",
    "updated_at",
]
NEED_KEYS = [
    "id",
    "uid",
    "institution",
    "title",
    "discipline",
    "keywords",
    "type",
    "level",
    "window_start",
    "window_end",
    "duration_days",
    "seats",
    "priority",
    "languages",
    "status",
    "notes",
    "institution_acronym",
    "institution_name",
    "seats_filled",
    "created_at",
    "updated_at",
]


@pytest.fixture
def world(cli):
    """Two institutions (a faculty under its university), a programme, two consultants."""
    cli.ok("institution", "add", "--name", "Université de Bamako", "--acronym", "UB", "--kind", "university", "-q")
    cli.ok(
        "institution",
        "add",
        "--name",
        "Faculté des Sciences et Techniques",
        "--acronym",
        "FAST",
        "--kind",
        "faculté",
        "--parent",
        "ub",
        "--region",
        "Bamako",
        "-q",
    )
    cli.ok("programme", "add", "--code", "tokten", "--funders", "PNUD;Coopération française", "-q")
    add_consultant(
        cli,
        family_name="Traoré",
        given_names="Aminata",
        country="FR",
        degree="hdr",
        discipline="0531",
        email="a@example.org",
    )
    add_consultant(
        cli,
        family_name="Keïta",
        given_names="Moussa",
        country="SN",
        degree="doctorat",
        discipline="0541",
        email="m@example.org",
    )
    return cli


def need(cli, *extra: str) -> int:
    args = [
        "--institution",
        "FAST",
        "--title",
        "DEA de chimie",
        "--discipline",
        "chimie",
        "--type",
        "supervision",
        "--level",
        "dea",
        "--window-start",
        "2030-01-10",
        "--window-end",
        "2030-03-31",
        "--duration-days",
        "21",
        *extra,
    ]
    return int(cli.ok("need", "add", *args, "-q").stdout)


def mission(cli, consultant: str, start: str, end: str, *extra: str):
    base = ["--consultant", consultant, "--programme", "TOKTEN", "--start-date", start, "--end-date", end]
    if "--need" not in extra and "--institution" not in extra:
        base += ["--institution", "FAST", "--type", "lecture"]
    return cli("mission", "add", *base, *extra, "-q")


def refused(cli, db, result, message: str, before: str, code: int = 1) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert digest(db) == before


# ------------------------------------------------------------------ institutions
def test_institution_parent_by_acronym_and_labels(world):
    fast = world.json("institution", "show", "fast")
    assert (
        fast["parent"] == 1
        and fast["parent_acronym"] == "UB"
        and fast["kind"] == "faculty"
        and fast["region"] == "bamako"
    )
    assert [r["acronym"] for r in world.json("institution", "list", "--parent", "UB")] == ["FAST"]
    assert [r["acronym"] for r in world.json("institution", "list", "--kind", "university")] == ["UB"]
    assert world.json("institution", "show", "UB")["children"][0]["acronym"] == "FAST"


def test_institution_acronym_unique_and_no_cycle(world, db):
    before = digest(db)
    refused(
        world,
        db,
        world("institution", "add", "--name", "Autre", "--acronym", "fast"),
        "acronym fast is already used",
        before,
    )
    refused(world, db, world("institution", "edit", "UB", "--parent", "FAST"), "would make a cycle", before)
    refused(world, db, world("institution", "edit", "UB", "--parent", "UB"), "its own parent", before)


def test_institution_remove_refused_while_referenced(world, db):
    need(world)
    before = digest(db)
    refused(world, db, world("institution", "remove", "FAST", "--yes"), "referenced by 1 need\n", before)
    refused(world, db, world("institution", "remove", "UB", "--yes"), "has 1 institution under it", before)


def test_programme_rules(world, db):
    assert world.json("programme", "show", "TOKTEN")["funders"] == ["PNUD", "Coopération française"]
    before = digest(db)
    result = world("programme", "add", "--code", "TALMALI", "--start", "2009-01-01", "--end", "2001-01-01")
    refused(world, db, result, "the end (2001-01-01) is before the start", before)


# ------------------------------------------------------------------------ needs
def test_need_contract_and_derived_status(world):
    nid = need(world, "--seats", "2")
    records = world.json("need", "list")
    assert list(records[0]) == NEED_KEYS
    assert (records[0]["status"], records[0]["seats_filled"]) == ("open", 0)
    assert mission(world, "a@example.org", "2030-02-01", "2030-02-21", "--need", str(nid)).exit_code == 0
    assert world.json("need", "show", str(nid))["status"] == "open"
    assert world.json("need", "show", str(nid))["seats_filled"] == 1
    assert mission(world, "m@example.org", "2030-02-01", "2030-02-21", "--need", str(nid)).exit_code == 0
    assert world.json("need", "show", str(nid))["status"] == "filled"
    assert [n["id"] for n in world.json("need", "list", "--status", "filled")] == [nid]
    assert world.json("need", "list", "--status", "open") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--duration-days", "6"), "duration_days: must be between 7 and 90"),
        (("--duration-days", "91"), "duration_days: must be between 7 and 90"),
        (("--window-end", "2030-01-20"), "do not fit in the window"),
        (("--window-end", "2029-12-31"), "the end (2029-12-31) is before the start"),
        (("--type", "holiday"), "type:"),
    ],
)
def test_need_rules(world, db, args, message):
    before = digest(db)
    base = {
        "--institution": "FAST",
        "--title": "T",
        "--discipline": "0531",
        "--type": "lecture",
        "--window-start": "2030-01-10",
        "--window-end": "2030-03-31",
        "--duration-days": "21",
    }
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    refused(world, db, world("need", "add", *[x for kv in base.items() for x in kv]), message, before)


def test_need_filled_cannot_be_set_and_cancel_rules(world, db):
    nid = need(world)
    before = digest(db)
    refused(
        world, db, world("need", "edit", str(nid), "--status", "filled"), "follows from the need's missions", before
    )
    mission(world, "a@example.org", "2030-02-01", "2030-02-21", "--need", str(nid))
    before = digest(db)
    refused(world, db, world("need", "cancel", str(nid)), "has a planned or ongoing mission: 1", before)
    refused(world, db, world("need", "edit", str(nid), "--window-end", "2030-02-10"), "outside the new window", before)
    world.ok("mission", "cancel", "1")
    world.ok("need", "cancel", str(nid))
    assert world.json("need", "show", str(nid))["status"] == "cancelled"


# --------------------------------------------------------------------- missions
def test_mission_contract_cost_and_defaults_from_need(world):
    nid = need(world)
    result = mission(
        world,
        "a@example.org",
        "2030-02-01",
        "2030-02-21",
        "--need",
        str(nid),
        "--travel-cost",
        "650",
        "--per-diem",
        "60,50",
        "--fees",
        "100",
        "--currency",
        "EUR",
    )
    assert result.exit_code == 0, result.stderr
    record = world.json("mission", "list")[0]
    assert list(record) == MISSION_KEYS
    assert (record["institution_acronym"], record["type"], record["days"]) == ("FAST", "supervision", 21)
    assert record["cost"] == 650 + 60.5 * 21 + 100
    assert record["per_diem"] == 60.5
    shown = world.json("consultant", "show", "a@example.org")["missions"]
    assert [m["id"] for m in shown] == [record["id"]]


def test_mission_duration_rules_and_force(world, db):
    before = digest(db)
    refused(world, db, mission(world, "a@example.org", "2030-02-01", "2030-02-06"), "lasts 6", before)
    refused(world, db, mission(world, "a@example.org", "2030-01-01", "2030-04-01"), "lasts 91", before)
    refused(
        world,
        db,
        mission(world, "a@example.org", "2030-02-10", "2030-02-01"),
        "the end (2030-02-01) is before the start",
        before,
    )
    refused(
        world,
        db,
        mission(world, "a@example.org", "2030-02-01", "2030-02-03", "--force"),
        "--force needs --reason",
        before,
        code=2,
    )
    forced = mission(
        world, "a@example.org", "2030-02-01", "2030-02-03", "--force", "--reason", "atelier de trois jours"
    )
    assert forced.exit_code == 0, forced.stderr
    assert world.json("mission", "show", forced.stdout.strip())["forced_reason"] == "atelier de trois jours"


def test_mission_overlap_names_the_other_mission(world, db):
    assert mission(world, "a@example.org", "2030-02-01", "2030-02-21").exit_code == 0
    before = digest(db)
    refused(
        world,
        db,
        mission(world, "a@example.org", "2030-02-21", "2030-03-05"),
        "already has mission 1 (FAST, 2030-02-01 to 2030-02-21)",
        before,
    )
    assert mission(world, "a@example.org", "2030-02-22", "2030-03-05").exit_code == 0  # the next day is free
    assert mission(world, "m@example.org", "2030-02-01", "2030-02-21").exit_code == 0  # another consultant
    world.ok("mission", "cancel", "1")
    assert (
        mission(world, "a@example.org", "2030-02-05", "2030-02-20").exit_code == 0
    )  # a cancelled mission frees the dates


def test_mission_need_rules(world, db):
    nid = need(world)
    before = digest(db)
    refused(
        world,
        db,
        mission(world, "a@example.org", "2030-03-20", "2030-04-09", "--need", str(nid)),
        "outside the window of need 1",
        before,
    )
    refused(
        world,
        db,
        mission(
            world,
            "a@example.org",
            "2030-02-01",
            "2030-02-21",
            "--need",
            str(nid),
            "--institution",
            "UB",
            "--type",
            "lecture",
        ),
        "belongs to institution 2",
        before,
    )
    assert mission(world, "a@example.org", "2030-02-01", "2030-02-21", "--need", str(nid)).exit_code == 0
    before = digest(db)
    refused(
        world,
        db,
        mission(world, "m@example.org", "2030-02-01", "2030-02-21", "--need", str(nid)),
        "already filled (1 of 1 seat)",
        before,
    )
    other = need(world, "--title", "Cours")
    world.ok("need", "cancel", str(other))
    before = digest(db)
    refused(
        world,
        db,
        mission(world, "m@example.org", "2030-02-01", "2030-02-21", "--need", str(other)),
        "need 2 is cancelled",
        before,
    )
    refused(
        world,
        db,
        mission(world, "m@example.org", "2030-02-01", "2030-02-21", "--need", "99"),
        "no need '99'",
        before,
        code=3,
    )


def test_inactive_consultant_gets_no_mission(world, db):
    world.ok("consultant", "edit", "m@example.org", "--status", "inactive")
    before = digest(db)
    refused(world, db, mission(world, "m@example.org", "2030-02-01", "2030-02-21"), "consultant 2 is inactive", before)


def test_complete_and_cancel_rules(world, db):
    assert mission(world, "a@example.org", "2026-01-05", "2026-01-20").exit_code == 0
    assert mission(world, "a@example.org", "2030-02-01", "2030-02-21").exit_code == 0
    before = digest(db)
    refused(
        world,
        db,
        world("mission", "complete", "2", "--rating", "5"),
        "cannot be completed before it has started",
        before,
    )
    refused(world, db, world("mission", "complete", "1", "--rating", "6"), "rating: must be between 1 and 5", before)
    world.ok(
        "mission",
        "complete",
        "1",
        "--hours-taught",
        "40",
        "--theses-supervised",
        "2",
        "--rating",
        "5",
        "--report",
        "Cours de DEA",
    )
    done = world.json("mission", "show", "1")
    assert (done["status"], done["hours_taught"], done["theses_supervised"], done["rating"]) == ("completed", 40, 2, 5)
    before = digest(db)
    refused(world, db, world("mission", "cancel", "1"), "a completed mission is not cancelled", before)
    world.ok("mission", "cancel", "2")
    before = digest(db)
    refused(world, db, world("mission", "complete", "2"), "is cancelled", before)


def test_consultant_with_missions_is_not_removed(world, db):
    mission(world, "a@example.org", "2030-02-01", "2030-02-21")
    before = digest(db)
    refused(world, db, world("consultant", "remove", "a@example.org", "--yes"), "has 1 mission;", before)


def test_mission_import_checks_rows_against_each_other(world, db):
    before = digest(db)
    data = (
        "consultant,établissement,programme,type,début,fin,devise,billet\n"
        "a@example.org,FAST,TOKTEN,lecture,2030-02-01,2030-02-21,EUR,650\n"
        "a@example.org,FAST,TOKTEN,lecture,2030-02-10,2030-02-28,EUR,650\n"
        "nobody@example.org,FAST,TOKTEN,lecture,2030-05-01,2030-05-21,XOF,1\n"
    )
    result = world("mission", "import", "-", input=data)
    assert result.exit_code == 1
    assert (
        "line 3: consultant a@example.org already has mission" in result.stderr
        or "line 3: consultant 1 already has mission" in result.stderr
    )
    assert "line 4: consultant: no consultant 'nobody@example.org'" in result.stderr
    assert digest(db) == before
    good = "\n".join(data.splitlines()[:2]) + "\n"
    assert world("mission", "import", "-", input=good).exit_code == 0
    assert world.json("mission", "list")[0]["travel_cost"] == 650


def test_conflict_commands(world, db):
    world.ok("consultant", "conflict", "add", "a@example.org", "--institution", "FAST", "--reason", "ancien collègue")
    listed = world.json("consultant", "conflict", "list", "a@example.org")
    assert [(c["institution_acronym"], c["reason"]) for c in listed] == [("FAST", "ancien collègue")]
    before = digest(db)
    refused(
        world,
        db,
        world("consultant", "conflict", "add", "1", "--institution", "fast"),
        "already has a conflict",
        before,
    )
    world.ok("consultant", "conflict", "remove", "1", "--institution", "FAST")
    assert world.json("consultant", "conflict", "list", "1") == []


def test_export_import_round_trip_of_missions(world, tmp_path):
    nid = need(world)
    mission(
        world,
        "a@example.org",
        "2030-02-01",
        "2030-02-21",
        "--need",
        str(nid),
        "--travel-cost",
        "650,5",
        "--currency",
        "EUR",
    )
    out = tmp_path / "missions.json"
    world.ok("mission", "export", "-f", "json", "-o", str(out))
    exported = json.loads(out.read_text())
    assert exported[0]["travel_cost"] == 650.5
    assert world("mission", "import", str(out)).exit_code == 1  # already there
    assert world("mission", "import", str(out), "--upsert").exit_code == 0


def test_edit_and_import_keep_the_cancel_and_complete_rules(world, db):
    nid = need(world)
    assert mission(world, "a@example.org", "2030-02-01", "2030-02-21", "--need", str(nid)).exit_code == 0
    assert mission(world, "m@example.org", "2026-01-05", "2026-01-20").exit_code == 0
    world.ok("mission", "complete", "2")
    before = digest(db)
    refused(
        world,
        db,
        world("need", "edit", str(nid), "--status", "cancelled"),
        "has a planned or ongoing mission: 1",
        before,
    )
    refused(
        world,
        db,
        world("mission", "edit", "2", "--status", "cancelled"),
        "a completed mission is not cancelled",
        before,
    )
    world.ok("mission", "cancel", "1")
    before = digest(db)
    refused(
        world,
        db,
        world("mission", "edit", "1", "--status", "completed"),
        "is cancelled; it cannot be completed",
        before,
    )
    data = json.dumps([{"uid": world.json("mission", "show", "2")["uid"], "status": "cancelled"}])
    refused(
        world,
        db,
        world("mission", "import", "-", "--upsert", input=data),
        "a completed mission is not cancelled",
        before,
    )


def test_a_blank_list_field_takes_its_default(world):
    nid = need(world, "--languages", "")
    assert world.json("need", "show", str(nid))["languages"] == ["fr"]
    world.ok("need", "edit", str(nid), "--languages", "en")
    world.ok("need", "edit", str(nid), "--languages", "")
    assert world.json("need", "show", str(nid))["languages"] == ["fr"]


def test_mission_and_need_messages_speak_french(world, db, tmp_path):
    fr = {"MALIEXT_LANG": "fr"}
    before = digest(db)
    unreasoned = world(
        "mission",
        "add",
        "--consultant",
        "a@example.org",
        "--programme",
        "TOKTEN",
        "--institution",
        "FAST",
        "--type",
        "lecture",
        "--start-date",
        "2030-02-01",
        "--end-date",
        "2030-02-03",
        "--force",
        env=fr,
    )
    assert unreasoned.exit_code == 2
    assert "--force exige --reason TEXT, un motif qui est conservé sur la mission\n" in unreasoned.stderr
    assert digest(db) == before

    assert mission(world, "a@example.org", "2030-02-01", "2030-02-21").exit_code == 0
    cancelled = world("mission", "cancel", "1", env=fr)
    assert (cancelled.exit_code, cancelled.stderr) == (0, "Mission 1 annulée.\n")
    again = world("mission", "cancel", "1", env=fr)
    assert (again.exit_code, again.stderr) == (0, "La mission 1 était déjà annulée.\n")
    nid = need(world)
    assert world("need", "cancel", str(nid), env=fr).stderr == f"Besoin {nid} annulé.\n"

    target = tmp_path / "missions.csv"
    exported = world("mission", "export", "-o", str(target), env=fr)
    assert (exported.exit_code, exported.stderr) == (0, f"1 mission exportée dans {target}.\n")
    assert world("need", "export", "-o", str(target), env=fr).stderr == f"1 besoin exporté dans {target}.\n"
    institutions = world("institution", "export", "-o", str(target), env=fr)
    assert institutions.stderr == f"2 établissements exportés dans {target}.\n"
