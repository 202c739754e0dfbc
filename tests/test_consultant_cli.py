"""`maliext consultant ...` through the CLI: contract keys, exit codes, streams, rules."""

from __future__ import annotations

import json

import pytest

from .conftest import AMINATA, add_consultant, digest

RECORD_KEYS = [
    "id",
    "uid",
    "family_name",
    "given_names",
    "sex",
    "birth_year",
    "email",
    "phone",
    "country",
    "city",
    "antenna",
    "origin_region",
    "degree",
    "discipline",
    "specialities",
    "languages",
    "employer",
    "status",
    "notes",
    "availability",
    "created_at",
    "updated_at",
]


def test_add_quiet_prints_only_the_id(cli):
    result = cli.ok("consultant", "add", *AMINATA, "-q")
    assert result.stdout == "1\n"
    assert result.stderr == "Created a new database at " + str(cli.db) + "\n"


def test_add_normalises_and_prints_the_record(cli):
    result = cli.ok(
        "consultant",
        "add",
        *AMINATA,
        "--languages",
        "Français;bambara",
        "--specialities",
        "chimie organique",
        "--specialities",
        "Catalyse",
        "--availability",
        "2027-01-04/2027-03-31",
        "--origin-region",
        "Ségou",
        "-f",
        "json",
    )
    record = json.loads(result.stdout)
    assert record["country"] == "CI"
    assert record["discipline"] == "0531"
    assert record["languages"] == ["fr", "bm"]
    assert record["specialities"] == ["chimie organique", "Catalyse"]
    assert record["origin_region"] == "segou"
    assert record["status"] == "active"
    assert [(p["start"], p["end"], p["days"]) for p in record["availability"]] == [("2027-01-04", "2027-03-31", 87)]
    assert "Added consultant 1" in result.stderr


def test_list_json_keys_are_the_contract(cli):
    add_consultant(cli, *AMINATA)
    records = cli.json("consultant", "list")
    assert list(records[0]) == RECORD_KEYS
    assert records[0]["family_name"] == "Traoré"  # stored as typed


def test_list_csv_headers_and_list_cells(cli):
    add_consultant(
        cli, *AMINATA, "--languages", "fr;en", "--availability", "2027-01-04/2027-03-31;2027-07-01/2027-08-15"
    )
    rows = cli.csv("consultant", "list")
    assert list(rows[0]) == RECORD_KEYS
    assert rows[0]["languages"] == "fr;en"
    assert rows[0]["availability"] == "2027-01-04/2027-03-31;2027-07-01/2027-08-15"


def test_show_json_is_one_object_with_sections(cli):
    cid = add_consultant(cli, *AMINATA)
    record = cli.json("consultant", "show", "aminata@example.org")
    assert record["id"] == cid
    assert {"availability", "missions", "conflicts"} <= set(record)


def test_references_by_id_uid_and_email(cli):
    cid = add_consultant(cli, *AMINATA)
    uid = cli.json("consultant", "show", str(cid))["uid"]
    assert cli.json("consultant", "show", uid)["id"] == cid
    assert cli.json("consultant", "show", "AMINATA@example.org")["id"] == cid


def test_unknown_reference_exits_3(cli):
    cli.ok("init")
    result = cli("consultant", "show", "nobody@example.org")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("Error: no consultant 'nobody@example.org'")


def test_invalid_values_exit_1_listing_every_field_and_write_nothing(cli, db):
    cli.ok("init")
    before = digest(db)
    result = cli(
        "consultant",
        "add",
        "--family-name",
        "X",
        "--given-names",
        "Y",
        "--country",
        "Fraance",
        "--degree",
        "bac",
        "--discipline",
        "chimmie",
        "--email",
        "bad",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 4 fields are invalid")
    for field in (
        "country: unknown country 'Fraance'; did you mean FR",
        "degree:",
        "discipline: unknown discipline",
        "email:",
    ):
        assert field in result.stderr
    assert digest(db) == before


def test_missing_required_fields_without_a_terminal(cli):
    result = cli("consultant", "add", "--family-name", "X")
    assert result.exit_code == 1
    assert "given_names: is required" in result.stderr


def test_duplicate_email_refused(cli, db):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    result = cli(
        "consultant",
        "add",
        "--family-name",
        "Keïta",
        "--given-names",
        "Moussa",
        "--country",
        "FR",
        "--degree",
        "hdr",
        "--discipline",
        "0541",
        "--email",
        "Aminata@Example.org",
    )
    assert result.exit_code == 1
    assert "already used by consultant 1" in result.stderr
    assert digest(db) == before


def test_likely_duplicate_is_a_warning(cli):
    add_consultant(cli, *AMINATA, "--birth-year", "1970")
    result = cli.ok(
        "consultant",
        "add",
        "--family-name",
        "TRAORE",
        "--given-names",
        "aminata",
        "--birth-year",
        "1970",
        "--country",
        "FR",
        "--degree",
        "hdr",
        "--discipline",
        "0531",
        "-q",
    )
    assert result.stdout == "2\n"
    assert "Warning: likely duplicate of consultant 1" in result.stderr


def test_edit_changes_only_given_fields(cli):
    cid = add_consultant(cli, *AMINATA, "--phone", "+223 76 12 34 56", "--city", "Abidjan")
    before = cli.json("consultant", "show", str(cid))
    cli.ok("consultant", "edit", str(cid), "--status", "inactive", "--city", "")
    after = cli.json("consultant", "show", str(cid))
    assert after["status"] == "inactive"
    assert after["city"] is None
    assert after["phone"] == before["phone"]
    assert after["updated_at"] >= before["updated_at"]
    unchanged = cli.ok("consultant", "edit", str(cid), "--status", "inactive")
    assert "nothing changed" in unchanged.stderr


def test_edit_cannot_clear_a_required_field(cli, db):
    cid = add_consultant(cli, *AMINATA)
    before = digest(db)
    result = cli("consultant", "edit", str(cid), "--family-name", "")
    assert result.exit_code == 1
    assert "family_name: is required" in result.stderr
    assert digest(db) == before


def test_edit_without_fields_is_a_usage_error(cli):
    cid = add_consultant(cli, *AMINATA)
    assert cli("consultant", "edit", str(cid)).exit_code == 2


def test_remove_needs_confirmation_without_a_terminal(cli, db):
    cid = add_consultant(cli, *AMINATA, "--availability", "2027-01-04/2027-03-31")
    before = digest(db)
    result = cli("consultant", "remove", str(cid))
    assert result.exit_code == 1
    assert "--yes" in result.stderr
    assert digest(db) == before
    cli.ok("consultant", "remove", str(cid), "--yes")
    assert cli.json("consultant", "list") == []
    assert cli("consultant", "show", str(cid)).exit_code == 3


@pytest.fixture
def repertory(cli):
    add_consultant(
        cli,
        family_name="Traoré",
        given_names="Aminata",
        country="FR",
        degree="hdr",
        discipline="0531",
        specialities="chimie organique",
        employer="École normale supérieure",
        languages="fr;bm",
        antenna="PARIS",
        availability="2027-07-01/2027-08-15",
    )
    add_consultant(
        cli,
        family_name="Keïta",
        given_names="Moussa",
        country="SN",
        degree="doctorat",
        discipline="0541",
        specialities="analyse numérique",
        languages="fr;en",
        antenna="DAKAR",
        status="candidate",
        availability="2027-07-20/2027-07-31",
    )
    add_consultant(
        cli,
        family_name="Diarra",
        given_names="Oumou",
        country="CA",
        degree="master",
        discipline="0533",
        specialities="Chimie-Organique;optique",
        languages="fr;en",
        birth_year="1975",
    )
    return cli


def _ids(cli, *args):
    return [r["id"] for r in cli.json("consultant", "list", *args)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--country", "Sénégal"), [2]),
        (("--country", "FR", "--country", "CA"), [1, 3]),
        (("--degree", "HDR"), [1]),
        (("--status", "candidate"), [2]),
        (("--antenna", "paris"), [1]),
        (("--language", "en"), [2, 3]),
        (("--discipline", "053"), [1, 3]),
        (("--discipline", "Mathématiques"), [2]),
        (("--search", "ecole"), [1]),
        (("--search", "chimie organique"), [1, 3]),
        (("--search", "KEITA"), [2]),
        (("--available-from", "2027-07-21", "--available-to", "2027-07-30"), [1, 2]),
        (("--available-from", "2027-08-01", "--available-to", "2027-08-10"), [1]),
        (("--available-from", "2027-06-01"), []),
        (("--limit", "2"), [1, 2]),
        (("--sort", "name"), [3, 2, 1]),
        (("--sort", "-id"), [3, 2, 1]),
    ],
)
def test_list_filters(repertory, args, expected):
    assert _ids(repertory, *args) == expected


def test_list_bad_filter_value_is_refused(repertory):
    result = repertory("consultant", "list", "--country", "Atlantis")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --country: unknown country")
    assert repertory("consultant", "list", "--sort", "shoe_size").exit_code == 1


def test_list_on_a_missing_database_is_refused(cli, db):
    result = cli("consultant", "list")
    assert result.exit_code == 1
    assert "no database" in result.stderr
    assert not db.exists()


def test_columns_option(repertory):
    rows = repertory.csv("consultant", "list", "-c", "id,family_name", "--limit", "1")
    assert rows == [{"id": "1", "family_name": "Traoré"}]
    assert repertory("consultant", "list", "-c", "shoe_size").exit_code == 2


def test_availability_commands(cli):
    cid = add_consultant(cli, *AMINATA)
    period = int(
        cli.ok(
            "consultant", "availability", "add", str(cid), "--start", "2027-01-04", "--end", "2027-03-31", "-q"
        ).stdout
    )
    overlap = cli("consultant", "availability", "add", str(cid), "--start", "2027-03-01", "--end", "2027-04-30")
    assert overlap.exit_code == 1
    assert "overlaps 2027-01-04/2027-03-31" in overlap.stderr
    backwards = cli("consultant", "availability", "add", str(cid), "--start", "2027-05-01", "--end", "2027-04-30")
    assert backwards.exit_code == 1
    assert "end is before the start" in backwards.stderr
    periods = cli.json("consultant", "availability", "list", str(cid))
    assert [(p["id"], p["start"], p["end"], p["days"]) for p in periods] == [(period, "2027-01-04", "2027-03-31", 87)]
    cli.ok("consultant", "availability", "remove", str(cid), "2027-01-04/2027-03-31")
    assert cli.json("consultant", "availability", "list", str(cid)) == []
    assert cli("consultant", "availability", "remove", str(cid), "2027-01-04/2027-03-31").exit_code == 3


def test_db_option_before_the_subcommand(cli, db):
    cli.ok("init")
    result = cli.runner.invoke(
        __import__("maliext_cli.cli.app", fromlist=["app"]).app, ["--db", str(db), "consultant", "list", "-f", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_env_var_chooses_the_database(cli, tmp_path):
    target = tmp_path / "from-env.db"
    result = cli("db", "path", db=False, env={"MALIEXT_DB": str(target)})
    assert result.stdout == f"{target}\n"
    assert "MALIEXT_DB" in result.stderr


@pytest.mark.parametrize("fmt", ["table", "markdown", "grid", "tsv", "jsonl", "rst"])
def test_every_format_prints_the_same_records(repertory, fmt):
    result = repertory.ok("consultant", "list", "-f", fmt, "-c", "id,family_name")
    assert "Keïta" in result.stdout and "Diarra" in result.stdout


def test_unknown_format_is_a_usage_error(repertory):
    result = repertory("consultant", "list", "-f", "xml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown format 'xml'")


def test_add_on_a_terminal_asks_for_missing_required_fields(cli, monkeypatch):
    from maliext_cli.cli import common

    monkeypatch.setattr(common, "interactive", lambda: True)
    answers = "Traoré\nAminata\nSénégal\ndoctorat\nchimie\n"
    result = cli("consultant", "add", "--email", "a@example.org", "-q", input=answers)
    assert result.exit_code == 0, result.stderr
    # (the test runner echoes the answers to stdout, as a terminal would show them)
    record = cli.json("consultant", "show", result.stdout.split()[-1])
    assert (
        record["family_name"],
        record["given_names"],
        record["country"],
        record["degree"],
        record["discipline"],
    ) == ("Traoré", "Aminata", "SN", "doctorat", "0531")
    assert "--family-name" in result.stderr  # the questions go to stderr, naming the option


def test_remove_on_a_terminal_asks_and_a_no_keeps_everything(cli, db, monkeypatch):
    from maliext_cli.cli import common

    cid = add_consultant(cli, *AMINATA)
    monkeypatch.setattr(common, "interactive", lambda: True)
    before = digest(db)
    declined = cli("consultant", "remove", str(cid), input="n\n")
    assert declined.exit_code == 1 and "cancelled; nothing was changed" in declined.stderr
    assert digest(db) == before
    accepted = cli("consultant", "remove", str(cid), input="y\n")
    assert accepted.exit_code == 0
    assert cli("consultant", "show", str(cid)).exit_code == 3


# ------------------------------------------------------------------ in French
FR = {"MALIEXT_LANG": "fr"}
NNBSP = "\u202f"


def test_add_edit_and_remove_speak_french(cli, db, monkeypatch):
    from maliext_cli.cli import common

    added = cli("consultant", "add", *AMINATA, "-f", "json", env=FR)
    assert added.exit_code == 0, added.stderr
    assert "Consultant 1 ajouté.\n" in added.stderr
    assert set(RECORD_KEYS) <= set(json.loads(added.stdout))  # the data keeps its keys
    assert cli("consultant", "edit", "1", "--city", "Dakar", env=FR).stderr == "Consultant 1 mis à jour.\n"
    unchanged = cli("consultant", "edit", "1", "--city", "Dakar", env=FR)
    assert (unchanged.exit_code, unchanged.stderr) == (
        0,
        f"Le consultant 1 avait déjà ces valeurs{NNBSP}; rien n'a changé.\n",
    )

    nothing = cli("consultant", "edit", "1", env=FR)
    assert nothing.exit_code == 2
    assert "rien à modifier\nDonnez au moins une option de champ (voir --help).\n" in nothing.stderr

    monkeypatch.setattr(common, "interactive", lambda: True)
    before = digest(db)
    declined = cli("consultant", "remove", "1", input="non\n", env=FR)
    assert declined.exit_code == 1
    assert f"Supprimer le consultant 1{NNBSP}? [o/N]{NNBSP}: " in declined.stderr
    assert f"annulé{NNBSP}; rien n'a été modifié" in declined.stderr
    assert digest(db) == before
    accepted = cli("consultant", "remove", "1", input="oui\n", env=FR)
    assert accepted.exit_code == 0 and accepted.stderr.endswith("Consultant 1 supprimé.\n")
    assert cli.json("consultant", "list") == []


def test_import_report_speaks_french_with_plurals(cli, db):
    header = "nom,prénom,pays,diplôme,discipline,courriel\n"
    rows = ["Traoré,Aminata,FR,doctorat,0531,a@example.org\n", "Keïta,Moussa,SN,hdr,0541,m@example.org\n"]
    cli.ok("init")
    before = digest(db)
    dry = cli("consultant", "import", "-", "--dry-run", input=header + "".join(rows), env=FR)
    assert dry.exit_code == 0, dry.stderr
    assert dry.stderr == (
        f"Simulation{NNBSP}: 2 lignes seraient importées (ajouts{NNBSP}: 2, mises à jour{NNBSP}: 0){NNBSP}; "
        "rien n'a été écrit.\n"
    )
    assert digest(db) == before
    one = cli("consultant", "import", "-", input=header + rows[0], env=FR)
    assert (one.exit_code, one.stderr) == (0, f"1 ligne importée (ajouts{NNBSP}: 1, mises à jour{NNBSP}: 0).\n")
    assert [c["email"] for c in cli.json("consultant", "list")] == ["a@example.org"]


def test_availability_and_conflict_messages_speak_french(cli):
    cli.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "-q")
    add_consultant(cli, *AMINATA)
    added = cli("consultant", "availability", "add", "1", "--start", "2027-07-01", "--end", "2027-08-15", env=FR)
    assert (added.exit_code, added.stderr) == (0, "Période de disponibilité 1 ajoutée.\n")
    removed = cli("consultant", "availability", "remove", "1", "2027-07-01/2027-08-15", env=FR)
    assert removed.stderr == "Période de disponibilité 2027-07-01/2027-08-15 supprimée.\n"
    declared = cli("consultant", "conflict", "add", "1", "--institution", "FAST", env=FR)
    assert (declared.exit_code, declared.stderr) == (0, "Conflit d'intérêts 1 déclaré.\n")


def test_help_speaks_french_and_keeps_the_command_lines(cli):
    english = cli("consultant", "add", "--help", db=False).stdout
    french = cli("consultant", "add", "--help", db=False, env=FR)
    assert french.exit_code == 0
    assert "Ajouter un consultant au répertoire." in french.stdout
    assert f"Exemples{NNBSP}:" in french.stdout
    words = " ".join(french.stdout.split())  # as Click wrapped it
    assert "--family-name TEXT Nom de famille, tel qu'il s'écrit (accents compris). Obligatoire." in words
    assert _examples(english, "Examples:") == _examples(french.stdout, f"Exemples{NNBSP}:") != []


def _examples(help_text: str, heading: str) -> list[str]:
    """The command lines under the examples' heading of a --help."""
    return help_text[help_text.index(f"  {heading}\n") :].split("\n\n")[0].splitlines()[1:]


def test_every_noun_has_its_own_sentences():
    """Each noun's add/edit/remove/export messages are whole sentences of its own (the
    French noun has a gender); a new noun gets its own in cli/crud.py `SAID`."""
    from maliext_cli.cli import crud
    from maliext_cli.services import nouns

    # Periods and conflicts are added and removed by `consultant availability|conflict`, in sentences of their own.
    kept_elsewhere = {"availability", "conflict"}
    labels = {e.label for table, e in nouns.ENTITIES.items() if table not in kept_elsewhere}
    assert labels <= set(crud.SAID), labels - set(crud.SAID)


def test_add_on_a_terminal_asks_in_french(cli, monkeypatch):
    from maliext_cli.cli import common

    monkeypatch.setattr(common, "interactive", lambda: True)
    answers = "Traoré\nAminata\nSénégal\ndoctorat\nchimie\n"
    result = cli("consultant", "add", "-q", input=answers, env=FR)
    assert result.exit_code == 0, result.stderr
    assert f"--family-name (Nom de famille, tel qu'il s'écrit (accents compris)){NNBSP}: " in result.stderr
    assert f"--degree (licence, master, dea, dess, ingenieur, doctorat ou hdr){NNBSP}: " in result.stderr
    assert cli.json("consultant", "show", "1")["degree"] == "doctorat"
