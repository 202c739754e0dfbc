"""The change log (`history`) and `undo`: every write is logged, exactly, and undone exactly."""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json
import sqlite3
from datetime import UTC, datetime

import pytest

from maliext_cli.cli import common
from maliext_cli.errors import Conflict
from maliext_cli.services import history
from maliext_cli.store import Store
from maliext_cli.store.schema import RECORD_TABLES

from .conftest import AMINATA, add_consultant, digest

KEYS = ["id", "at", "user", "command", "table", "uid", "action", "before", "after"]


# ------------------------------------------------------------------ helpers
def snapshot(db) -> dict[tuple[str, str], dict]:
    """Every stored row of every record table, by (table, uid), as the log keeps rows."""
    conn = sqlite3.connect(db)
    try:
        rows = {}
        for table in RECORD_TABLES:
            columns = [c[1] for c in conn.execute(f"PRAGMA table_xinfo({table})") if c[6] == 0]
            names = ", ".join(f'"{c}"' for c in columns)
            for values in conn.execute(f"SELECT {names} FROM {table}"):
                row = dict(zip(columns, values))
                rows[(table, row["uid"])] = row
        return rows
    finally:
        conn.close()


def records_digest(db) -> str:
    """The content of the record tables only (undo adds to the log, not to records)."""
    return hashlib.sha256(repr(sorted((k, sorted(v.items())) for k, v in snapshot(db).items())).encode()).hexdigest()


def last_change(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT coalesce(max(id), 0) FROM change").fetchone()[0]
    finally:
        conn.close()


def logged(cli, *args, **kwargs):
    """Run a writing command and prove that the log holds exactly what it changed:
    every row that differs, with its row before and after, under one command row."""
    db = cli.db
    before, since = snapshot(db) if db.exists() else {}, last_change(db) if db.exists() else 0
    started = datetime.now(UTC).replace(microsecond=0)  # the log keeps whole seconds
    result = cli.ok(*args, **kwargs)
    ended = datetime.now(UTC)
    after = snapshot(db)
    changes = sorted((c for c in cli.json("history") if c["id"] > since), key=lambda c: c["id"])
    assert changes, f"{args} wrote nothing to the log"
    assert all(list(c) == KEYS for c in changes)
    differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    touched = {(c["table"], c["uid"]) for c in changes}
    assert touched == differing, f"{args}: the log and the data disagree"
    for key in touched:
        mine = [c for c in changes if (c["table"], c["uid"]) == key]
        assert mine[0]["before"] == before.get(key)
        assert mine[-1]["after"] == after.get(key)
        for earlier, later in zip(mine, mine[1:]):
            assert earlier["after"] == later["before"]
        assert mine[0]["action"] == ("insert" if key not in before else "update" if key in after else "delete")
    assert len({(c["at"], c["user"], c["command"]) for c in changes}) == 1, "one command row per command"
    assert changes[0]["user"] == getpass.getuser()
    at = datetime.strptime(changes[0]["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert started <= at <= ended, (started, at, ended)  # the real time of the command
    return result, changes


def setup_places(cli) -> None:
    cli.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "-q")
    cli.ok("programme", "add", "--code", "TOKTEN", "-q")


# ---------------------------------------------------------- every command family
def test_consultant_commands_are_logged_exactly(cli, tmp_path):
    logged(cli, "consultant", "add", *AMINATA, "--availability", "2027-01-04/2027-03-31", "-q")
    logged(cli, "consultant", "edit", "1", "--city", "Orléans", "--notes", "=1+1")
    logged(cli, "consultant", "availability", "add", "1", "--start", "2027-06-01", "--end", "2027-06-30")
    logged(cli, "consultant", "availability", "remove", "1", "2027-06-01/2027-06-30")
    setup_places(cli)
    logged(cli, "consultant", "conflict", "add", "1", "--institution", "FAST", "--reason", "former employer")
    logged(cli, "consultant", "conflict", "remove", "1", "--institution", "FAST")
    rows = "nom,prénom,pays,diplôme,discipline,courriel,disponibilités\n" + "".join(
        f"N{i},P,FR,hdr,0531,p{i}@example.org,2027-0{1 + i % 5}-01/2027-0{1 + i % 5}-20\n" for i in range(30)
    )
    logged(cli, "consultant", "import", "-", input=rows)
    upsert = "courriel,ville,disponibilités\np1@example.org,Dakar,2027-09-01/2027-09-30\n"
    logged(cli, "consultant", "import", "-", "--upsert", input=upsert)
    cli.ok("consultant", "conflict", "add", "2", "--institution", "FAST")
    _, changes = logged(cli, "consultant", "remove", "2", "--yes")
    assert {c["table"] for c in changes} == {"consultant", "availability", "conflict"}


def test_institution_programme_need_mission_commands_are_logged_exactly(cli):
    add_consultant(cli, *AMINATA)
    logged(cli, "institution", "add", "--name", "Université de Bamako", "--acronym", "UB", "-q")
    logged(cli, "institution", "add", "--name", "FAST", "--acronym", "FAST", "--parent", "UB", "-q")
    logged(cli, "institution", "edit", "FAST", "--city", "Bamako")
    logged(cli, "institution", "import", "-", input="nom,sigle,type\nISFRA,ISFRA,institute\nIUG,IUG,institute\n")
    logged(cli, "institution", "remove", "IUG", "--yes")
    logged(cli, "programme", "add", "--code", "TOKTEN", "--funders", "PNUD;UNESCO", "-q")
    logged(cli, "programme", "edit", "TOKTEN", "--start", "1998-10-01")
    logged(cli, "programme", "import", "-", input="code,name\nTALMALI,Talents du Mali\n")
    logged(cli, "programme", "remove", "TALMALI", "--yes")
    need = [
        "--institution",
        "FAST",
        "--title",
        "Chimie organique",
        "--discipline",
        "0531",
        "--type",
        "lecture",
        "--window-start",
        "2027-01-01",
        "--window-end",
        "2027-03-31",
        "--duration-days",
        "21",
    ]
    logged(cli, "need", "add", *need, "-q")
    logged(cli, "need", "edit", "1", "--seats", "2")
    logged(
        cli,
        "need",
        "import",
        "-",
        input="institution,title,discipline,type,window_start,window_end,duration_days\n"
        "ISFRA,Atelier SIG,0532,workshop,2027-04-01,2027-05-31,10\n",
    )
    logged(cli, "need", "cancel", "2")
    logged(cli, "need", "remove", "2", "--yes")
    mission = ["--consultant", "1", "--need", "1", "--programme", "TOKTEN"]
    logged(cli, "mission", "add", *mission, "--start-date", "2027-01-10", "--end-date", "2027-01-30", "-q")
    logged(cli, "mission", "edit", "1", "--fees", "1200,50", "--currency", "EUR")
    logged(cli, "mission", "cancel", "1")
    logged(
        cli,
        "mission",
        "import",
        "-",
        input="consultant,institution,programme,type,start_date,end_date\n"
        "aminata@example.org,ISFRA,TOKTEN,workshop,2020-03-01,2020-03-10\n",
    )
    logged(cli, "mission", "complete", "2", "--hours-taught", "40", "--rating", "5")
    logged(cli, "mission", "remove", "1", "--yes")


def test_association_and_project_commands_are_logged_exactly(cli):
    logged(
        cli, "association", "add", "--name", "Haut Conseil", "--acronym", "HCME", "--level", "hcme", "--country", "ML"
    )
    rows = (
        "name,acronym,level,parent,country,contact_name,contact_email\n"
        "Association de Kersignané,ARKF,base,CMF,FR,Awa Diallo,awa@example.org\n"
        "Conseil des Maliens de France,CMF,national,HCME,FR,,\n"
    )
    _, changes = logged(cli, "association", "import", "-", input=rows)
    assert {c["action"] for c in changes} >= {"insert"}
    logged(cli, "association", "edit", "ARKF", "--members", "140")
    logged(cli, "project", "add", "--association", "ARKF", "--title", "Forage", "--subsidy", "18000", "-q")
    logged(cli, "project", "edit", "1", "--status", "approved")
    logged(cli, "project", "import", "-", input="association,title,year\nARKF,École,2005\n")
    logged(cli, "project", "remove", "2", "--yes")
    _, changes = logged(cli, "association", "remove", "CMF", "--cascade", "--yes")
    assert {(c["table"], c["action"]) for c in changes} == {("association", "delete"), ("project", "delete")}


def test_match_plan_commit_is_logged_exactly(cli):
    add_consultant(cli, *AMINATA, "--availability", "2027-01-01/2027-06-30", "--languages", "fr")
    setup_places(cli)
    cli.ok(
        "need",
        "add",
        "--institution",
        "FAST",
        "--title",
        "Chimie organique",
        "--discipline",
        "0531",
        "--type",
        "lecture",
        "--window-start",
        "2027-02-01",
        "--window-end",
        "2027-03-31",
        "--duration-days",
        "14",
        "-q",
    )
    _, changes = logged(cli, "match", "plan", "--commit", "--programme", "TOKTEN")
    assert [(c["table"], c["action"]) for c in changes] == [("mission", "insert")]


# ------------------------------------------------------------------- history
def test_history_json_keys_before_after_and_filters(cli, db):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--city", "Orléans")
    cli.ok("consultant", "edit", "aminata@example.org", "--city", "Bamako")
    setup_places(cli)
    changes = cli.json("history")
    assert [list(c) for c in changes] == [KEYS] * 5
    assert [c["id"] for c in changes] == sorted((c["id"] for c in changes), reverse=True)
    mine = cli.json("history", "--record", "consultant:aminata@example.org")
    assert [c["action"] for c in mine] == ["update", "update", "insert"]
    insert, first, second = reversed(mine)
    assert insert["before"] is None and insert["after"] == first["before"]
    assert first["before"]["city"] is None and first["after"]["city"] == "Orléans"
    assert second["before"] == first["after"] and second["after"]["city"] == "Bamako"
    assert second["after"] == snapshot(db)[("consultant", second["uid"])]
    # the same record named every way
    uid = insert["uid"]
    for ref in (["--record", uid], ["--record", uid.upper()], ["--table", "consultant", "--record", "1"]):
        assert cli.json("history", *ref) == mine, ref
    assert cli.json("history", "--record", "consultant:1", "--limit", "1") == mine[:1]
    assert {c["table"] for c in cli.json("history", "--table", "programme")} == {"programme"}
    assert cli.json("history", "--since", "2999-01-01") == []
    assert len(cli.json("history", "--since", "2000-01-01")) == 5
    assert cli.json("history", "--limit", "0") == []


def test_history_of_a_removed_record_by_its_old_id_or_key(cli):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "remove", "1", "--yes")
    for ref in ("consultant:1", "consultant:aminata@example.org"):
        changes = cli.json("history", "--record", ref)
        assert [c["action"] for c in changes] == ["delete", "insert"]
        assert changes[0]["after"] is None and changes[0]["before"]["family_name"] == "Traoré"
    missing = cli("history", "--record", "consultant:99")
    assert missing.exit_code == 3 and missing.stderr.startswith("Error: no consultant '99'")
    huge = cli("history", "--record", "consultant:99999999999999999999999")
    assert huge.exit_code == 3


def test_history_usage_errors(cli):
    add_consultant(cli, *AMINATA)
    assert cli("history", "--table", "nope").exit_code == 2
    ambiguous = cli("history", "--record", "12")
    assert ambiguous.exit_code == 1 and "TABLE:REF" in ambiguous.stderr
    assert cli("history", "--since", "yesterday").exit_code == 1
    assert cli("history", "--limit", "-1").exit_code == 1
    assert cli("history", "-f", "nope").exit_code == 2


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "jsonl", "markdown", "grid"])
def test_history_in_every_format(cli, fmt):
    add_consultant(cli, *AMINATA)
    out = cli.ok("history", "-f", fmt).stdout
    assert "consultant" in out and "insert" in out
    if fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert list(rows[0]) == KEYS and rows[0]["before"] == ""
        assert json.loads(rows[0]["after"])["family_name"] == "Traoré"
    if fmt == "jsonl":
        assert list(json.loads(out.splitlines()[0])) == KEYS
    picked = cli.ok("history", "-f", "csv", "-c", "action,table").stdout
    assert picked == "action,table\ninsert,consultant\n"


def test_history_on_an_empty_database_prints_the_header(cli):
    cli.ok("init")
    assert cli.ok("history", "-f", "csv").stdout == ",".join(KEYS) + "\n"
    assert cli.json("history") == []


def test_history_names_the_command_line_and_user_in_a_real_process(tmp_path):
    from .test_end_to_end import run

    db = tmp_path / "e2e.db"
    args = ["consultant", "add", *AMINATA, "--db", str(db)]
    assert run(*args).returncode == 0
    done = run("history", "-f", "json", "--db", str(db))
    (change,) = json.loads(done.stdout)
    import shlex

    assert change["command"] == shlex.join(["maliext", *args])
    assert change["user"] == getpass.getuser()


# ---------------------------------------------------------------------- undo
def test_nothing_to_undo(cli, db):
    cli.ok("init")
    before = digest(db)
    result = cli.ok("undo")
    assert result.stderr == "Nothing to undo.\n" and result.stdout == ""
    assert digest(db) == before


def test_undo_asks_and_refuses_without_a_terminal(cli, db):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--city", "Orléans")
    before = digest(db)
    refused = cli("undo")
    assert refused.exit_code == 1
    assert "needs confirmation" in refused.stderr and "Add --yes" in refused.stderr
    lines = refused.stderr.splitlines()
    assert lines[0].startswith("Last command, ") and lines[2:4] == ["It changed 1 row:", "  consultant: 1 changed"]
    assert "  changed consultant 1 (Aminata Traoré): city null -> 'Orléans'" in lines
    assert digest(db) == before


def test_undo_import_of_500_rows_in_one_step_then_the_one_before(cli, db):
    add_consultant(cli, *AMINATA)
    after_add = records_digest(db)
    rows = "nom,prénom,pays,diplôme,discipline,disponibilités\n" + "".join(
        f"N{i},P,FR,hdr,0531,2027-01-01/2027-02-0{1 + i % 9}\n" for i in range(500)
    )
    cli.ok("consultant", "import", "-", input=rows)
    summary = cli.ok("undo", "--yes").stderr
    assert "consultant: 500 added" in summary and "availability: 500 added" in summary
    assert "... and 995 more" in summary
    assert records_digest(db) == after_add
    cli.ok("undo", "--yes")  # the one before: the add
    assert snapshot(db) == {}
    assert cli.ok("undo").stderr == "Nothing to undo.\n"
    # the undos are in the log, with the rows they removed
    conn = sqlite3.connect(db)
    undos = conn.execute(
        "SELECT c.action, c.before IS NOT NULL FROM change c JOIN command k ON k.id = c.command_id WHERE k.kind = 'undo'"
    ).fetchall()
    conn.close()
    assert len(undos) == 1001 and set(undos) == {("delete", 1)}


def test_undo_restores_removed_and_changed_rows_exactly(cli, db):
    add_consultant(cli, *AMINATA, "--availability", "2027-01-04/2027-03-31")
    setup_places(cli)
    cli.ok("consultant", "conflict", "add", "1", "--institution", "FAST")
    before = snapshot(db)
    cli.ok("consultant", "remove", "1", "--yes")
    cli.ok("undo", "--yes")
    assert snapshot(db) == before  # same ids, uids, timestamps: exactly
    cli.ok("consultant", "edit", "1", "--family-name", "Keïta", "--specialities", "a;b")
    cli.ok("undo", "--yes")
    assert snapshot(db) == before


def test_undo_skips_undos_and_undone_commands(cli, db):
    states = []
    for i in range(3):
        states.append(records_digest(db) if db.exists() else None)
        add_consultant(cli, family_name=f"N{i}", given_names="P", country="FR", degree="hdr", discipline="0531")
    for expected in reversed(states[1:]):
        cli.ok("undo", "--yes")
        assert records_digest(db) == expected
    cli.ok("undo", "--yes")
    assert snapshot(db) == {}
    conn = sqlite3.connect(db)
    kinds = conn.execute("SELECT kind, undone_by IS NOT NULL FROM command ORDER BY id").fetchall()
    conn.close()
    assert kinds == [("command", 1)] * 3 + [("undo", 0)] * 3


def test_undo_of_a_mission_cancel_and_of_a_need_edit(cli, db):
    add_consultant(cli, *AMINATA)
    setup_places(cli)
    cli.ok(
        "mission",
        "add",
        "--consultant",
        "1",
        "--institution",
        "FAST",
        "--programme",
        "TOKTEN",
        "--type",
        "lecture",
        "--start-date",
        "2027-01-10",
        "--end-date",
        "2027-01-30",
    )
    before = records_digest(db)
    cli.ok("mission", "cancel", "1")
    cli.ok("undo", "--yes")
    assert records_digest(db) == before
    assert cli.json("mission", "show", "1")["status"] == "planned"


def test_undo_refused_when_a_later_command_changed_the_same_rows(cli, db, monkeypatch):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--city", "Orléans")

    # Another command edits the same consultant while `undo` waits for its answer.
    def meanwhile(question: str, yes: bool) -> None:
        store = Store.open(db, command_line="maliext consultant edit 1 --city Dakar")
        from maliext_cli.services.consultants import NOUN

        NOUN.edit(store, "1", {"city": "Dakar"})
        store.close()

    monkeypatch.setattr(common, "confirm", meanwhile)
    refused = cli("undo", "--yes")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-3].startswith("Error: cannot undo `")
    assert "consultant edit 1 --city Dakar" in refused.stderr
    monkeypatch.undo()
    # the other command's edit went in, and the undo changed nothing...
    assert cli.json("consultant", "show", "1")["city"] == "Dakar"
    assert [c["command"] for c in cli.json("history", "--limit", "1")] == ["maliext consultant edit 1 --city Dakar"]
    # ... and `undo` now takes back the other command.
    summary = cli.ok("undo", "--yes").stderr
    assert "  maliext consultant edit 1 --city Dakar" in summary.splitlines()
    assert cli.json("consultant", "show", "1")["city"] == "Orléans"


def test_undo_of_an_older_command_is_refused_by_the_service(db):
    store = Store.open(db)
    from maliext_cli.services.consultants import NOUN

    first = NOUN.add(
        store, {"family_name": "A", "given_names": "B", "country": "FR", "degree": "hdr", "discipline": "0531"}
    ).id
    store.close()
    store = Store.open(db)
    NOUN.edit(store, str(first), {"city": "Kayes"})
    before = digest(db)
    with pytest.raises(Conflict, match="changed again later"):
        history.undo(store, command_id=1)
    assert digest(db) == before


def test_undo_refused_when_restoring_would_clash(cli, db):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "remove", "1", "--yes")
    # Another consultant takes the e-mail: restoring the removed one would duplicate it.
    add_consultant(cli, family_name="X", given_names="Y", country="FR", degree="hdr", discipline="0531")
    cli.ok("consultant", "edit", "2", "--email", "aminata@example.org")
    store = Store.open(db)
    removal = store.value("SELECT command_id FROM change WHERE action = 'delete'")
    before = digest(db)
    with pytest.raises(Conflict, match="clashes with the data as it is now") as clash:
        history.undo(store, command_id=removal)
    assert "UNIQUE" in clash.value.message
    assert digest(db) == before


def test_undo_refused_when_it_would_break_a_rule(db):
    """A later change that touched other rows can make an undo break a rule (two
    missions overlapping): the undo is refused, nothing changes."""
    store = Store.open(db)
    from maliext_cli.services import consultants, institutions, missions

    consultants.NOUN.add(
        store, {"family_name": "A", "given_names": "B", "country": "FR", "degree": "hdr", "discipline": "0531"}
    )
    institutions.INSTITUTIONS.add(store, {"name": "FAST", "acronym": "FAST"})
    institutions.PROGRAMMES.add(store, {"code": "TOKTEN"})
    base = {"consultant": "1", "institution": "FAST", "programme": "TOKTEN", "type": "lecture"}
    missions.NOUN.add(store, {**base, "start_date": "2027-01-10", "end_date": "2027-01-30"})
    missions.NOUN.cancel(store, "1")
    cancel = store.value("SELECT max(id) FROM command")
    missions.NOUN.add(store, {**base, "start_date": "2027-01-15", "end_date": "2027-02-15"})
    before = digest(db)
    with pytest.raises(Conflict, match="would break 1 rule") as refused:
        history.undo(store, command_id=cancel)
    assert "overlaps mission 2" in refused.value.details[0]
    assert digest(db) == before


def test_undo_summary_counts_and_examples(cli):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--city", "Orléans", "--employer", "CNRS", "--phone", "+33 6 12 34 56 78")
    store = Store.open(cli.db)
    shown = history.plan(store)
    assert shown.total == 1 and dict(shown.counts["consultant"]) == {"update": 1}
    assert shown.examples == [
        "changed consultant 1 (Aminata Traoré): phone null -> '+33 6 12 34 56 78', city null -> 'Orléans', "
        "employer null -> 'CNRS'"
    ]
    lines = history.summary_lines(shown)
    assert lines[0].startswith("Last command, ") and lines[0].endswith(f"by {getpass.getuser()}:")
    assert lines[2:4] == ["It changed 1 row:", "  consultant: 1 changed"]


# ----------------------------------------------------------------- in French
FRENCH = {"MALIEXT_LANG": "fr"}


def test_undo_in_french_takes_oui_and_o(cli, db, monkeypatch):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--city", "Orléans")
    cli.ok("consultant", "edit", "1", "--city", "Kayes")
    monkeypatch.setattr(common, "interactive", lambda: True)
    for answer, city in (("oui", "Orléans"), ("o", None)):
        result = cli("undo", input=f"{answer}\n", env=FRENCH)
        assert result.exit_code == 0, result.stderr
        assert "Annuler cette commande\u202f? [o/N]" in result.stderr
        assert result.stderr.splitlines()[-1].startswith("Commande annulée\u202f: ")
        assert cli.json("consultant", "show", "1")["city"] == city


def test_undo_in_french_asks_again_then_a_non_changes_nothing(cli, db, monkeypatch):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--city", "Orléans")
    monkeypatch.setattr(common, "interactive", lambda: True)
    before = digest(db)
    result = cli("undo", input="peut-être\nnon\n", env=FRENCH)
    assert result.exit_code == 1
    assert "Répondez oui ou non." in result.stderr
    assert result.stderr.endswith("Erreur\u202f: annulé\u202f; rien n'a été modifié\n")
    assert digest(db) == before


def test_undo_in_french_without_a_terminal_is_refused_with_its_hint(cli, db):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    result = cli("undo", env=FRENCH)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.endswith(
        "Erreur\u202f: cette commande modifie des données et demande une confirmation, mais l'entrée standard n'est pas "
        "un terminal\nAjoutez --yes pour confirmer.\n"
    )
    assert digest(db) == before


def test_nothing_to_undo_in_french(cli):
    cli.ok("init")
    assert (cli("undo", env=FRENCH).exit_code, cli("undo", env=FRENCH).stderr) == (0, "Rien à annuler.\n")
