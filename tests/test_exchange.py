"""Files that travel between databases: an export read by another site's `import`
attaches every row to the records it was written for, never to others that happen to
carry the same local id."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import Cli, add_consultant, digest

# Nouns in the order a new site imports them (each after those it refers to).
NOUNS = ("consultant", "institution", "programme", "need", "mission", "agreement", "association", "project")


def site_a(cli: Cli) -> None:
    """A site whose records reference each other through every kind of reference."""
    cli.ok("institution", "add", "--name", "Université de Bamako", "--acronym", "UB", "--kind", "university")
    cli.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "--parent", "UB")
    cli.ok("institution", "add", "--name", "CHU du Point G", "--acronym", "CHU-PG", "--kind", "hospital")
    cli.ok("programme", "add", "--code", "TOKTEN")
    add_consultant(cli, family_name="Traoré", given_names="Aminata", country="FR", degree="hdr", discipline="0531",
                   email="a@example.org")
    add_consultant(cli, family_name="Keïta", given_names="Moussa", country="SN", degree="doctorat",
                   discipline="0912", email="m@example.org")
    cli.ok("need", "add", "--institution", "FAST", "--title", "DEA de chimie", "--discipline", "chimie",
           "--type", "supervision", "--window-start", "2027-01-10", "--window-end", "2027-03-31",
           "--duration-days", "21")
    cli.ok("need", "add", "--institution", "CHU-PG", "--title", "Formation en cardiologie", "--discipline", "0912",
           "--type", "training", "--window-start", "2027-04-01", "--window-end", "2027-06-30",
           "--duration-days", "14")
    cli.ok("mission", "add", "--consultant", "a@example.org", "--need", "1", "--programme", "TOKTEN",
           "--start-date", "2027-02-01", "--end-date", "2027-02-21")
    cli.ok("mission", "add", "--consultant", "m@example.org", "--need", "2", "--programme", "TOKTEN",
           "--start-date", "2027-04-05", "--end-date", "2027-04-18")
    cli.ok("agreement", "add", "--title", "Accord de chimie", "--institution", "FAST", "--partner",
           "Université d'Orléans", "--consultant", "m@example.org")
    cli.ok("association", "add", "--name", "Conseil des Maliens de France", "--acronym", "CMF",
           "--level", "national", "--country", "FR")
    cli.ok("association", "add", "--name", "Association des ressortissants de Yélimané", "--acronym", "ARY",
           "--level", "base", "--country", "FR", "--parent", "CMF")
    cli.ok("project", "add", "--association", "ARY", "--title", "Forage de Kremis", "--sector", "water")


def site_b(cli: Cli) -> None:
    """Another site whose local ids 1, 2, 3 name other records than site A's."""
    cli.ok("institution", "add", "--name", "Institut Polytechnique Rural", "--acronym", "IPR", "--kind", "institute")
    cli.ok("institution", "add", "--name", "Hôpital de Kati", "--acronym", "HK", "--kind", "hospital")
    cli.ok("institution", "add", "--name", "École Normale Supérieure", "--acronym", "ENSUP")
    cli.ok("programme", "add", "--code", "TALMALI")
    for n, name in enumerate(("Diallo", "Coulibaly", "Sissoko"), 1):
        add_consultant(cli, family_name=name, given_names="Awa", country="CA", degree="master", discipline="0311",
                       email=f"b{n}@example.org")
    cli.ok("need", "add", "--institution", "HK", "--title", "Atelier de gestion", "--discipline", "0413",
           "--type", "workshop", "--window-start", "2027-01-01", "--window-end", "2027-12-31",
           "--duration-days", "10")
    cli.ok("need", "add", "--institution", "IPR", "--title", "Cours d'agronomie", "--discipline", "0811",
           "--type", "lecture", "--window-start", "2027-01-01", "--window-end", "2027-12-31",
           "--duration-days", "10")
    cli.ok("association", "add", "--name", "Haut Conseil des Maliens de l'Extérieur", "--acronym", "HCME",
           "--level", "hcme", "--country", "ML")
    cli.ok("association", "add", "--name", "Conseil des Maliens du Sénégal", "--acronym", "CMS",
           "--level", "national", "--country", "SN")


@pytest.fixture
def sites(tmp_path):
    a, b = Cli(tmp_path / "a.db"), Cli(tmp_path / "b.db")
    site_a(a)
    site_b(b)
    return a, b


def who(cli: Cli) -> dict:
    """What each record of the database refers to, by what people name it."""
    return {
        "missions": sorted(
            (m["consultant_name"], m["institution_acronym"], m["need_title"], m["programme_code"], m["start_date"])
            for m in cli.json("mission", "list")
        ),
        "needs": sorted((n["title"], n["institution_acronym"]) for n in cli.json("need", "list")),
        "institutions": sorted((i["acronym"], i["parent_acronym"]) for i in cli.json("institution", "list")),
        "agreements": sorted((g["title"], g["institution_acronym"], g["consultant_name"])
                             for g in cli.json("agreement", "list")),
        "associations": sorted((s["acronym"], s["parent_acronym"]) for s in cli.json("association", "list")),
        "projects": sorted((p["title"], p["association_acronym"]) for p in cli.json("project", "list")),
    }


def keep(found: dict, other: dict) -> dict:
    """`found` restricted to the records of `other` (a site holds its own too)."""
    return {k: [r for r in v if r in other[k]] for k, v in found.items()}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_imported_at_another_site_keep_every_reference(sites, tmp_path, fmt):
    a, b = sites
    for noun in NOUNS:
        out = tmp_path / f"{noun}.{fmt}"
        a.ok(noun, "export", "-f", fmt, "-o", str(out))
        result = b(noun, "import", str(out))
        assert result.exit_code == 0, (noun, result.stderr)
    expected = who(a)
    assert keep(who(b), expected) == expected
    assert b("db", "check").exit_code == 0


def test_export_writes_references_by_natural_key_else_uid(sites):
    a, _ = sites
    a.ok("institution", "add", "--name", "Institut sans sigle")
    a.ok("institution", "add", "--name", "Institut au sigle numérique", "--acronym", "2025")
    a.ok("institution", "edit", "FAST", "--parent", "4")
    a.ok("institution", "edit", "CHU-PG", "--parent", "5")
    a.ok("consultant", "edit", "m@example.org", "--email", "")
    uids = {c["family_name"]: c["uid"] for c in a.json("consultant", "list")}
    need_uids = {n["id"]: n["uid"] for n in a.json("need", "list")}
    institution_uids = {i["id"]: i["uid"] for i in a.json("institution", "list")}
    rows = list(csv.DictReader(io.StringIO(a.ok("mission", "export").stdout)))
    assert [(r["consultant"], r["institution"], r["programme"], r["need"]) for r in rows] == [
        ("a@example.org", "FAST", "TOKTEN", need_uids[1]),
        (uids["Keïta"], "CHU-PG", "TOKTEN", need_uids[2]),
    ]
    parents = {r["acronym"]: r["parent"] for r in csv.DictReader(io.StringIO(a.ok("institution", "export").stdout))}
    assert (parents["FAST"], parents["CHU-PG"]) == (institution_uids[4], institution_uids[5])
    # `list` keeps local ids (its JSON contract); only exports travel.
    assert [m["consultant"] for m in a.json("mission", "list")] == [1, 2]


def old_style_export(cli: Cli, noun: str, *filters: str) -> str:
    """What earlier versions exported: references as this file's local ids, labels beside."""
    return json.dumps(cli.json(noun, "list", *filters))


@pytest.mark.parametrize(
    ("noun", "message"),
    [
        ("mission", "consultant: consultant 1 is 'Awa Diallo' in this database, but the row's consultant_name says "
                    "'Aminata Traoré'"),
        ("need", "institution: institution 2 is 'HK' in this database, but the row's institution_acronym says 'FAST'"),
        ("institution", "parent: institution 1 is 'IPR' in this database, but the row's parent_acronym says 'UB'"),
        ("agreement", "the file's ids come from another database; name the institution by its uid instead"),
        ("project", "association: association 2 is 'Conseil des Maliens du Sénégal' in this database"),
        ("association", "parent: association 1 is \"Haut Conseil des Maliens de l'Extérieur\" in this database"),
    ],
)
def test_local_ids_from_another_database_are_refused(sites, noun, message):
    a, b = sites
    for earlier in NOUNS[: NOUNS.index(noun)]:
        if earlier != "association" or noun == "project":
            assert b(earlier, "import", "-", input=a.ok(earlier, "export").stdout).exit_code == 0, earlier
    before = digest(b.db)
    # A parent in the same file is found by the file's own ids: leave it out.
    subset = {"association": ["--level", "base"], "institution": ["--parent", "UB"]}.get(noun, [])
    result = b(noun, "import", "-", input=old_style_export(a, noun, *subset))
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert digest(b.db) == before


@pytest.mark.parametrize("noun", NOUNS[1:])
def test_local_ids_read_back_into_their_own_database_change_nothing(sites, noun):
    a, _ = sites
    before = digest(a.db)
    result = a(noun, "import", "-", "--upsert", input=old_style_export(a, noun))
    assert result.exit_code == 0, result.stderr
    assert digest(a.db) == before


def test_a_filled_need_exported_reads_back_as_it_is(sites):
    """`filled` follows from the missions: an import leaves the stored status as it is
    (add and edit still refuse it)."""
    a, _ = sites
    before = digest(a.db)
    assert [n["status"] for n in a.json("need", "list")] == ["filled", "filled"]
    a.ok("need", "import", "-", "--upsert", input=a.ok("need", "export").stdout)
    assert digest(a.db) == before
    result = a("need", "edit", "1", "--status", "filled")
    assert result.exit_code == 1 and "follows from the need's missions" in result.stderr


def test_parents_named_by_the_file_s_own_ids_in_any_order(sites):
    a, b = sites
    rows = list(reversed(a.json("institution", "list")))  # children before their parents
    b.ok("institution", "import", "-", input=json.dumps(rows))
    assert [(i["acronym"], i["parent_acronym"]) for i in b.json("institution", "list", "--parent", "UB")] == [
        ("FAST", "UB")
    ]


def test_a_hand_written_file_may_name_records_by_local_id(sites):
    a, _ = sites
    data = "consultant;institution;programme;type;start_date;end_date\n2;3;1;lecture;2027-09-01;2027-09-10\n"
    a.ok("mission", "import", "-", input=data)
    last = a.json("mission", "list")[-1]
    assert (last["consultant_name"], last["institution_acronym"]) == ("Moussa Keïta", "CHU-PG")
