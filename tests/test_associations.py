"""`maliext association ...`: the register, its parent rules, the tree, the report, imports."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest

from .conftest import Cli, digest

RECORD_KEYS = [
    "id",
    "uid",
    "name",
    "acronym",
    "level",
    "parent",
    "kind",
    "country",
    "city",
    "origin_region",
    "origin_locality",
    "members",
    "founded",
    "contact_name",
    "contact_phone",
    "contact_email",
    "status",
    "notes",
    "parent_name",
    "parent_acronym",
    "created_at",
    "updated_at",
]
NNBSP, NBSP = "\u202f", "\u00a0"
NODE_KEYS = ["id", "name", "acronym", "level", "country", "city", "members", "subtree", "children"]
SUBTREE_KEYS = ["associations", "members", "projects", "diaspora_contribution_eur", "subsidy_eur"]
REPORT_FIGURES = [
    "associations",
    "members",
    "projects",
    "diaspora_contribution_eur",
    "diaspora_contribution_xof",
    "subsidy_eur",
    "subsidy_xof",
    "other_funding_eur",
    "other_funding_xof",
    "total_eur",
    "total_xof",
    "leverage",
]

# acronym: (name, level, parent, country, extra options)
REGISTER = {
    "HCME": ("Haut Conseil des Maliens de l'Extérieur", "hcme", None, "ML", ["--city", "Bamako"]),
    "CMF": ("Conseil des Maliens de France", "national", "HCME", "France", ["--members", "17"]),
    "CMCI": ("Conseil des Maliens de Côte d'Ivoire", "national", "HCME", "CI", ["--members", "17"]),
    "FAMM": (
        "Fédération des associations maliennes de Montreuil",
        "city",
        "CMF",
        "FR",
        ["--members", "25", "--city", "Montreuil"],
    ),
    "ARKF": (
        "Association des ressortissants de Kersignané en France",
        "base",
        "FAMM",
        "FR",
        [
            "--members",
            "140",
            "--city",
            "Montreuil",
            "--kind",
            "développement local",
            "--kind",
            "tontine",
            "--origin-region",
            "Kayes",
            "--origin-locality",
            "Kersignané",
            "--contact-name",
            "Moussa Sacko",
            "--contact-phone",
            "+33 6 11 22 33 44",
            "--contact-email",
            "m.sacko@example.org",
        ],
    ),
    "ART": (
        "Caisse de rapatriement de Tambacara",
        "base",
        "CMF",
        "FR",
        ["--members", "60", "--city", "Saint-Denis", "--kind", "repatriation", "--origin-region", "kayes"],
    ),
    "ACI": (
        "Tontine des Maliens de Bouaké",
        "base",
        "CMCI",
        "CI",
        ["--members", "30", "--city", "Bouaké", "--kind", "tontine", "--origin-region", "Sikasso"],
    ),
}


def add_association(cli, acronym: str) -> int:
    name, level, parent, country, extra = REGISTER[acronym]
    args = ["association", "add", "--name", name, "--acronym", acronym, "--level", level, "--country", country]
    if parent:
        args += ["--parent", parent]
    return int(cli.ok(*args, *extra, "-q").stdout)


def copy_database(source, target) -> None:
    """A consistent copy of a fixture database (SQLite's backup API)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture(scope="module")
def register_template(tmp_path_factory) -> tuple:
    """The register, built once per module through `add` (a database takes a while to create)."""
    path = tmp_path_factory.mktemp("register") / "register.db"
    builder = Cli(path)
    return path, {acronym: add_association(builder, acronym) for acronym in REGISTER}


@pytest.fixture
def register(db, register_template) -> dict[str, int]:
    path, ids = register_template
    copy_database(path, db)
    return ids


# Amounts chosen so that the sums check XOF/EUR conversion and rounding by hand.
PROJECTS = [
    ("ARKF", "Forage de Kersignané", "EUR", "1000", "2000", "500"),
    ("ARKF", "CSCOM de Kersignané", "XOF", "655957", "1311914", "0"),  # 1 000 € and 2 000 €
    ("ART", "Rapatriements 2006", "EUR", "300,50", "0", "0"),
    ("ACI", "Moulin des femmes", "XOF", "100 000", "50000", "0"),
]


@pytest.fixture(scope="module")
def funded_template(tmp_path_factory, register_template) -> tuple:
    path, ids = register_template
    funded = tmp_path_factory.mktemp("funded") / "funded.db"
    copy_database(path, funded)
    builder = Cli(funded)
    for acronym, title, currency, diaspora, subsidy, other in PROJECTS:
        builder.ok(
            "project",
            "add",
            "--association",
            acronym,
            "--title",
            title,
            "--currency",
            currency,
            "--diaspora-contribution",
            diaspora,
            "--subsidy",
            subsidy,
            "--other-funding",
            other,
            "-q",
        )
    return funded, ids


@pytest.fixture
def funded(db, funded_template) -> dict[str, int]:
    path, ids = funded_template
    copy_database(path, db)
    return ids


def acronyms(records) -> set[str]:
    return {r["acronym"] for r in records}


# ---------------------------------------------------------------- records
def test_list_json_keys_are_the_contract(cli, register):
    records = cli.json("association", "list")
    assert [list(r) for r in records] == [RECORD_KEYS] * len(REGISTER)
    arkf = next(r for r in records if r["acronym"] == "ARKF")
    assert arkf["parent"] == register["FAMM"]
    assert arkf["parent_name"] == "Fédération des associations maliennes de Montreuil"
    assert arkf["parent_acronym"] == "FAMM"
    assert arkf["kind"] == ["local-development", "tontine"]
    assert arkf["country"] == "FR" and arkf["origin_region"] == "kayes" and arkf["members"] == 140
    assert arkf["status"] == "active"


def test_list_csv_headers_and_list_cells(cli, register):
    rows = cli.csv("association", "list", "--under", "FAMM")
    assert list(rows[0]) == RECORD_KEYS
    assert [r["acronym"] for r in rows] == ["FAMM", "ARKF"]
    assert rows[1]["kind"] == "local-development;tontine"


def test_show_by_acronym_case_insensitive_with_sections(cli, funded):
    record = cli.json("association", "show", "famm")
    assert record["id"] == funded["FAMM"]
    assert [c["acronym"] for c in record["children"]] == ["ARKF"]
    assert cli.json("association", "show", "arkf")["projects"][0]["diaspora_contribution"] == 1000


def test_export_redact_leaves_out_contacts(cli, register):
    rows = list(csv.DictReader(io.StringIO(cli.ok("association", "export", "--redact").stdout)))
    assert not {"contact_name", "contact_phone", "contact_email"} & set(rows[0])
    full = cli.json("association", "export", "--under", "ARKF")
    assert full[0]["contact_email"] == "m.sacko@example.org"


def test_acronym_is_unique_without_regard_to_case(cli, db, register):
    before = digest(db)
    result = cli("association", "add", "--name", "Autre", "--acronym", "arkf", "--level", "base", "--country", "FR")
    assert result.exit_code == 1
    assert "acronym arkf is already used by association" in result.stderr
    result = cli("association", "add", "--name", "Autre", "--acronym", "1234", "--level", "base", "--country", "FR")
    assert result.exit_code == 1
    assert "acronym:" in result.stderr
    assert digest(db) == before


# ---------------------------------------------------------- parent rules
BASE = ["association", "add", "--name", "Nouvelle", "--country", "FR"]
RULES = [
    (
        [*BASE, "--level", "base", "--parent", "ARKF"],
        "a base association sits under a city federation or a national council, not under a base association",
    ),
    ([*BASE, "--level", "city", "--parent", "HCME"], "a city federation sits under a national council"),
    ([*BASE, "--level", "city", "--parent", "FAMM"], "a city federation sits under a national council"),
    ([*BASE, "--level", "national", "--parent", "CMF"], "a national council sits under the High Council (hcme)"),
    ([*BASE, "--level", "hcme", "--parent", "HCME"], "the High Council (hcme) has no parent"),
    (
        [*BASE, "--level", "base", "--parent", "CMCI"],
        "only the High Council (hcme) may be the parent of an association in another country",
    ),
    (
        ["association", "add", "--name", "N", "--country", "SN", "--level", "city", "--parent", "CMF"],
        "only the High Council (hcme) may be the parent of an association in another country",
    ),
    (["association", "edit", "FAMM", "--parent", "FAMM"], "association 4 (FAMM) cannot be its own parent"),
    (["association", "edit", "CMF", "--parent", "FAMM"], "would close a cycle"),
    (["association", "edit", "HCME", "--parent", "ARKF"], "would close a cycle"),
    (["association", "edit", "ARKF", "--parent", "ACI"], "not under a base association"),
    (["association", "edit", "ARKF", "--parent", "CMCI"], "may be the parent of an association in another country"),
    (["association", "edit", "CMF", "--parent", "CMCI"], "a national council sits under the High Council"),
    (["association", "edit", "ARKF", "--country", "SN"], "may be the parent of an association in another country"),
    # a level or country change must suit the parent...
    (["association", "edit", "CMF", "--level", "city"], "a city federation sits under a national council"),
    (["association", "edit", "FAMM", "--level", "hcme"], "the High Council (hcme) has no parent"),
    # ...and the children
    (
        ["association", "edit", "FAMM", "--level", "base"],
        "association 5 (ARKF) cannot sit under association 4 (FAMM): a base association sits under a city federation",
    ),
    (["association", "edit", "HCME", "--level", "national"], "associations under association 1 (HCME) would break"),
    (["association", "edit", "CMF", "--country", "SN"], "associations under association 2 (CMF) would break"),
]


@pytest.mark.parametrize(("args", "message"), RULES, ids=[" ".join(a[1:5]) for a, _ in RULES])
def test_every_parent_rule_refuses_and_writes_nothing(cli, db, register, args, message):
    before = digest(db)
    result = cli(*args)
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(db) == before


def test_a_parent_that_does_not_exist_exits_3(cli, db, register):
    before = digest(db)
    result = cli("association", "edit", "ACI", "--parent", "NOPE")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: parent: no association 'NOPE'")
    assert digest(db) == before


def test_moves_that_keep_the_rules_are_accepted(cli, register):
    cli.ok("association", "edit", "ART", "--parent", "FAMM")  # base: from a council to a federation
    cli.ok("association", "edit", "ARKF", "--parent", "")  # no parent: allowed
    cli.ok("association", "edit", "FAMM", "--level", "national", "--parent", "HCME")  # its child ART may follow
    assert cli.json("association", "show", "ARKF")["parent"] is None
    assert cli.json("association", "show", "FAMM")["level"] == "national"
    result = cli("association", "edit", "FAMM", "--level", "city")
    assert result.exit_code == 1  # its parent is now the High Council


def test_the_high_council_may_federate_councils_abroad(cli, register):
    councils = cli.json("association", "list", "--level", "national")
    assert {(c["acronym"], c["country"], c["parent_acronym"]) for c in councils} == {
        ("CMF", "FR", "HCME"),
        ("CMCI", "CI", "HCME"),
    }


# ---------------------------------------------------------------- filters
def test_under_takes_the_whole_subtree(cli, register):
    assert acronyms(cli.json("association", "list", "--under", "CMF")) == {"CMF", "FAMM", "ARKF", "ART"}
    assert acronyms(cli.json("association", "list", "--under", str(register["FAMM"]))) == {"FAMM", "ARKF"}
    assert acronyms(cli.json("association", "list", "--under", "HCME", "--country", "CI")) == {"CMCI", "ACI"}
    assert acronyms(cli.json("association", "list", "--under", "FAMM", "--under", "ACI")) == {"FAMM", "ARKF", "ACI"}
    assert acronyms(cli.json("association", "list", "--under", "ARKF")) == {"ARKF"}


def test_list_filters(cli, register):
    def found(*args):
        return acronyms(cli.json("association", "list", *args))

    assert found("--kind", "tontine") == {"ARKF", "ACI"}
    assert found("--kind", "rapatriement des défunts") == {"ART"}
    assert found("--level", "base", "--country", "France") == {"ARKF", "ART"}
    assert found("--level", "conseil national") == {"CMF", "CMCI"}
    assert found("--origin-region", "kayes") == {"ARKF", "ART"}
    assert found("--city", "montreuil") == {"FAMM", "ARKF"}
    assert found("--status", "active") == set(REGISTER)
    assert found("--search", "KERSIGNANE") == {"ARKF"}  # accents and case ignored
    assert found("--search", "bouake") == {"ACI"}  # the city
    assert found("--search", "cmci") == {"CMCI"}  # the acronym
    assert found("--search", "maliens france") == {"CMF"}


def test_bad_filters(cli, db, register):
    assert cli("association", "list", "--under", "NOPE").exit_code == 3
    result = cli("association", "list", "--kind", "chorale")
    assert result.exit_code == 1 and result.stderr.startswith("Error: --kind:")


# ----------------------------------------------------------------- remove
def test_remove_refuses_an_association_with_children_or_projects(cli, db, funded):
    before = digest(db)
    result = cli("association", "remove", "FAMM", "--yes")
    assert result.exit_code == 1
    assert "has 1 association under it" in result.stderr and "--cascade" in result.stderr
    result = cli("association", "remove", "ARKF", "--yes")
    assert result.exit_code == 1 and "association 5 (ARKF) has 2 projects\n" in result.stderr
    assert digest(db) == before


def test_remove_needs_confirmation_without_a_terminal(cli, db, funded):
    before = digest(db)
    result = cli("association", "remove", "CMF", "--cascade")
    assert result.exit_code == 1 and "needs confirmation" in result.stderr
    assert digest(db) == before


def test_remove_a_leaf(cli, register):
    cli.ok("association", "remove", "ART", "--yes")
    assert "ART" not in acronyms(cli.json("association", "list"))


def test_cascade_removes_the_subtree_and_its_projects_through_the_change_log(cli, db, funded):
    result = cli.ok("association", "remove", "CMF", "--cascade", "--yes")
    assert result.stderr.splitlines() == [
        f"Removed association {funded['CMF']} and 3 associations below it.",
        "Removed 3 projects of its subtree.",
    ]
    assert acronyms(cli.json("association", "list")) == {"HCME", "CMCI", "ACI"}
    assert [p["association_acronym"] for p in cli.json("project", "list")] == ["ACI"]
    conn = sqlite3.connect(db)
    try:
        logged = dict(
            conn.execute(
                "SELECT table_name || ' ' || action, count(*) FROM change "
                "WHERE command_id = (SELECT max(id) FROM command) GROUP BY table_name, action"
            ).fetchall()
        )
    finally:
        conn.close()
    assert logged == {"association delete": 4, "project delete": 3}


# ------------------------------------------------------------------- tree
def test_tree_json_shape_and_rollups(cli, funded):
    roots = cli.json("association", "tree")
    assert [r["acronym"] for r in roots] == ["HCME"]  # every association without a parent
    hcme = roots[0]
    for node in _nodes(hcme):
        assert list(node) == NODE_KEYS
        assert list(node["subtree"]) == SUBTREE_KEYS
    assert hcme["members"] is None
    assert hcme["subtree"] == {
        "associations": 7,
        "members": 17 + 17 + 25 + 140 + 60 + 30,
        "projects": 4,
        # 1000 € + 655 957 XOF + 300.50 € + 100 000 XOF, at 655.957, rounded once
        "diaspora_contribution_eur": 2452.95,
        "subsidy_eur": 4076.22,
    }
    cmci, cmf = hcme["children"]  # by level, then country, then name
    assert (cmci["acronym"], cmf["acronym"]) == ("CMCI", "CMF")
    assert cmf["subtree"] == {
        "associations": 4,
        "members": 242,
        "projects": 3,
        "diaspora_contribution_eur": 2300.5,
        "subsidy_eur": 4000.0,
    }
    assert cmci["subtree"] == {
        "associations": 2,
        "members": 47,
        "projects": 1,
        "diaspora_contribution_eur": 152.45,
        "subsidy_eur": 76.22,
    }
    famm = cmf["children"][0]
    assert famm["acronym"] == "FAMM" and famm["members"] == 25
    assert famm["subtree"]["associations"] == 2 and famm["subtree"]["members"] == 165
    assert [c["acronym"] for c in cmf["children"]] == ["FAMM", "ART"]  # federations first


def _nodes(node):
    yield node
    for child in node["children"]:
        yield from _nodes(child)


def test_tree_of_one_association_is_an_object(cli, funded):
    node = cli.json("association", "tree", "famm")
    assert node["acronym"] == "FAMM" and [c["acronym"] for c in node["children"]] == ["ARKF"]
    assert cli("association", "tree", "NOPE").exit_code == 3


def test_tree_by_country_starts_at_its_council(cli, funded):
    assert [r["acronym"] for r in cli.json("association", "tree", "--country", "France")] == ["CMF"]
    cli.ok("association", "edit", "ART", "--parent", "")
    assert [r["acronym"] for r in cli.json("association", "tree", "--country", "FR")] == ["CMF", "ART"]
    hcme = cli.json("association", "tree", "HCME", "--country", "CI")
    assert [c["acronym"] for c in hcme["children"]] == ["CMCI"]
    assert hcme["subtree"]["associations"] == 3


def test_tree_depth_cuts_the_drawing_not_the_figures(cli, funded):
    hcme = cli.json("association", "tree", "HCME", "--depth", "1")
    assert [c["children"] for c in hcme["children"]] == [[], []]
    assert [c["subtree"]["associations"] for c in hcme["children"]] == [2, 4]
    assert cli("association", "tree", "--depth", "-1").exit_code == 1


def test_tree_as_indented_text_and_csv(cli, funded):
    text = cli.ok("association", "tree", "CMF").stdout.splitlines()
    assert text[0].startswith(
        "Conseil des Maliens de France (CMF) — national council, FR — 17 members; subtree: 4 associations"
    )
    assert "€2,300 diaspora, €4,000 subsidy" in text[0]  # whole euros, half to even like money.py
    french = cli.ok("association", "tree", "CMF", env={"MALIEXT_LANG": "fr"}).stdout.splitlines()
    assert french[0].startswith(
        f"Conseil des Maliens de France (CMF) — conseil national, FR — 17 membres{NNBSP}; "
        f"avec ce qui en dépend{NNBSP}: 4 associations"
    )
    assert f"2{NNBSP}300{NBSP}€ de la diaspora, 4{NNBSP}000{NBSP}€ de subvention" in french[0]
    assert text[1].startswith("    Fédération des associations maliennes de Montreuil (FAMM)")
    assert text[2].startswith("        Association des ressortissants de Kersignané en France (ARKF)")
    rows = cli.csv("association", "tree", "CMF")
    assert list(rows[0]) == [
        "id",
        "parent",
        "depth",
        "name",
        "acronym",
        "level",
        "country",
        "city",
        "members",
        "subtree_associations",
        "subtree_members",
        "subtree_projects",
        "subtree_diaspora_contribution_eur",
        "subtree_subsidy_eur",
    ]
    assert [(r["acronym"], r["depth"], r["parent"]) for r in rows] == [
        ("CMF", "0", ""),
        ("FAMM", "1", str(funded["CMF"])),
        ("ARKF", "2", str(funded["FAMM"])),
        ("ART", "1", str(funded["CMF"])),
    ]


def test_tree_is_drawn_by_rich_on_a_terminal():
    from maliext_cli.render.tree import tree

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    figures = {"associations": 2, "members": 50, "projects": 0, "diaspora_contribution_eur": 0, "subsidy_eur": 0}
    leaf = {**figures, "associations": 1, "members": 30}
    nodes = [
        {
            "id": 1,
            "name": "Fédération [test]",
            "acronym": "F",
            "level": "city",
            "country": "FR",
            "city": None,
            "members": 20,
            "subtree": figures,
            "children": [
                {
                    "id": 2,
                    "name": "Base",
                    "acronym": None,
                    "level": "base",
                    "country": "FR",
                    "city": None,
                    "members": 30,
                    "subtree": leaf,
                    "children": [],
                }
            ],
        }
    ]
    out = Terminal()
    tree(nodes, "table", stream=out)
    drawn = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())  # bold names, dim guides
    assert "Fédération [test] (F)" in drawn  # names are text, never markup
    assert "└── Base — grassroots association, FR — 30 members" in drawn


# ----------------------------------------------------------------- report
def test_report_by_country_and_level_hand_computed(cli, funded):
    rows = cli.json("association", "report", "--by", "country,level")
    assert [list(r) for r in rows] == [["country", "level", *REPORT_FIGURES]] * 6
    groups = {(r["country"], r["level"]): r for r in rows}
    assert list(groups) == [
        ("CI", "base"),
        ("CI", "national"),
        ("FR", "base"),
        ("FR", "city"),
        ("FR", "national"),
        ("ML", "hcme"),
    ]
    assert groups["FR", "base"] == {
        "country": "FR",
        "level": "base",
        "associations": 2,
        "members": 200,
        "projects": 3,
        "diaspora_contribution_eur": 2300.5,
        "diaspora_contribution_xof": 1509029,  # 655 957 + 655 957 + 197 115.0785
        "subsidy_eur": 4000.0,
        "subsidy_xof": 2623828,
        "other_funding_eur": 500.0,
        "other_funding_xof": 327978,  # 327 978.5, rounded half to even
        "total_eur": 6800.5,
        "total_xof": 4460836,
        "leverage": 1.74,
    }
    assert groups["CI", "base"]["diaspora_contribution_eur"] == 152.45
    assert groups["CI", "base"]["total_eur"] == 228.67
    assert groups["CI", "base"]["leverage"] == 0.5
    assert groups["ML", "hcme"]["members"] == 0 and groups["ML", "hcme"]["leverage"] is None


def test_report_by_kind_counts_each_association_once_in_the_total(cli, db, funded):
    from maliext_cli.services import association_report
    from maliext_cli.store import Store

    rows = cli.json("association", "report", "--by", "kind")
    by_kind = {r["kind"]: (r["associations"], r["members"], r["projects"]) for r in rows}
    assert by_kind == {
        None: (4, 59, 0),
        "local-development": (1, 140, 2),
        "repatriation": (1, 60, 1),
        "tontine": (2, 170, 3),
    }
    store = Store.open(db)
    try:
        _, _, totals = association_report.report(store, ["kind"])
    finally:
        store.close()
    assert totals["kind"] == "total"
    assert (totals["associations"], totals["members"], totals["projects"]) == (7, 289, 4)
    assert (totals["total_eur"], totals["total_xof"], totals["leverage"]) == (7029.17, 4610836, 1.66)
    table = cli.ok("association", "report", "--by", "kind", "-f", "markdown").stdout.splitlines()
    last = [cell.strip() for cell in table[-1].strip("|").split("|")]
    assert last[:4] == ["total", "7", "289", "4"]
    assert len(table) == 2 + 4 + 1  # header, rule, groups, total


def test_report_formats_filters_and_columns(cli, funded):
    rows = cli.csv("association", "report", "--by", "origin_region", "--by", "status", "--under", "CMF")
    assert list(rows[0]) == ["origin_region", "status", *REPORT_FIGURES]
    assert [(r["origin_region"], r["associations"]) for r in rows] == [("", "2"), ("kayes", "2")]
    assert all("total" not in r.values() for r in rows)  # no total row in CSV
    lines = cli.ok("association", "report", "--by", "city", "-f", "jsonl").stdout.splitlines()
    assert {json.loads(line)["city"] for line in lines} == {None, "Bamako", "Bouaké", "Montreuil", "Saint-Denis"}
    html = cli.ok("association", "report", "-f", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<td>FR</td>" in html
    narrow = cli.csv("association", "report", "-c", "country,members")
    assert [list(r.values()) for r in narrow] == [["CI", "47"], ["FR", "242"], ["ML", "0"]]


def test_report_refuses_unknown_keys(cli, funded):
    result = cli("association", "report", "--by", "country,colour")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --by: unknown key colour")


# ----------------------------------------------------------------- import
def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


HEADERS = ["nom", "sigle", "niveau", "parent", "type", "pays", "ville", "région d'origine", "membres", "fondée"]
FILE = [
    ["Haut Conseil des Maliens de l'Extérieur", "HCME", "hcme", "", "", "Mali", "Bamako", "", "", "1993"],
    ["Conseil des Maliens de France", "CMF", "conseil national", "hcme", "", "France", "Paris", "", "17", ""],
    ["Fédération de Montreuil", "FAMM", "city", "CMF", "affinité régionale", "FR", "Montreuil", "", "25", ""],
    [
        "Ressortissants de Kersignané",
        "ARKF",
        "base",
        "famm",
        "tontine;développement local",
        "FR",
        "",
        "Kayes",
        "140",
        "",
    ],
    ["Conseil des Maliens du Sénégal", "CMSN", "national", "HCME", "", "Sénégal", "Dakar", "", "17", ""],
]


def test_import_with_parents_named_by_acronym_in_reverse_order(cli):
    data = _csv([HEADERS, *reversed(FILE)])
    result = cli.ok("association", "import", "-", input=data)
    assert "Imported 5 rows: 5 new, 0 updated." in result.stderr
    records = {r["acronym"]: r for r in cli.json("association", "list")}
    assert {a: r["parent_acronym"] for a, r in records.items()} == {
        "HCME": None,
        "CMF": "HCME",
        "FAMM": "CMF",
        "ARKF": "FAMM",
        "CMSN": "HCME",
    }
    assert records["ARKF"]["kind"] == ["tontine", "local-development"]
    assert records["HCME"]["founded"] == 1993 and records["CMF"]["level"] == "national"


def test_import_json_in_any_order(cli):
    objects = [dict(zip(["name", "acronym", "level", "parent", "kind", "country"], row[:6])) for row in FILE]
    cli.ok("association", "import", "-", "--input-format", "json", input=json.dumps(objects[::-1][:2] + objects[:3]))
    assert len(cli.json("association", "list")) == 5


def test_import_reports_every_bad_row_and_writes_nothing(cli, db, register):
    before = digest(db)
    data = _csv(
        [
            ["nom", "sigle", "niveau", "parent", "pays"],
            ["A", "AA", "base", "BB", "FR"],  # 2: base under base
            ["B", "BB", "base", "", "FR"],
            ["C", "CC", "city", "NOPE", "FR"],  # 4: unknown parent
            ["D", "DD", "city", "CMCI", "FR"],  # 5: a council of another country
            ["E", "aa", "base", "", "FR"],  # 6: acronym twice
            ["F", "FF", "bogus", "", "FR"],  # 7: level
            ["G", "GG", "base", "FF", "FR"],  # parent is the invalid row 7: not reported twice
            ["H", "HH", "national", "II", "FR"],  # 9 and 10: a cycle
            ["I", "II", "national", "HH", "FR"],
            ["J", "ARKF", "base", "", "FR"],  # 11: exists, no --upsert
        ]
    )
    result = cli("association", "import", "-", input=data)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 8 of 10 lines are invalid; nothing was imported"
    assert lines[1:] == [
        "  line 2: AA (line 2) cannot sit under BB (line 3): a base association sits under a city federation or a national council, not under a base association",
        "  line 4: parent: no association 'NOPE'",
        "  line 5: DD (line 5) cannot sit under association 3 (CMCI): one is in FR, the other in CI; "
        "only the High Council (hcme) may be the parent of an association in another country",
        "  line 6: acronym aa is also on line 2",
        "  line 7: level: 'bogus' is not a known association level; expected one of: base, city, national, hcme",
        "  line 9: parent: the association would sit below itself (a cycle)",
        "  line 10: parent: the association would sit below itself (a cycle)",
        "  line 11: association 5 already has this acronym; use --upsert to update it",  # one message for every noun
    ]
    assert digest(db) == before


def test_import_upsert_checks_the_children_in_the_database(cli, db, register):
    before = digest(db)
    data = _csv([["sigle", "nom", "niveau", "pays"], ["FAMM", "Fédération de Montreuil", "base", "FR"]])
    result = cli("association", "import", "-", "--upsert", input=data)
    assert result.exit_code == 1
    assert "line 2: association 5 (ARKF) cannot sit under association 4 (FAMM)" in result.stderr
    assert digest(db) == before
    ok = _csv([["sigle", "nom", "niveau", "pays", "membres"], ["famm", "Fédération de Montreuil", "city", "FR", "30"]])
    assert "1 updated" in cli.ok("association", "import", "-", "--upsert", input=ok).stderr
    assert cli.json("association", "show", "FAMM")["parent_acronym"] == "CMF"  # no parent column: kept


def test_export_then_import_into_another_database_in_reverse_order(cli, register, tmp_path):
    exported = cli.ok("association", "export").stdout
    header, *rows = exported.splitlines()
    other = type(cli)(tmp_path / "other.db")
    other.ok("association", "add", "--name", "Déjà là", "--level", "base", "--country", "FR", "-q")  # shifts the ids
    result = other.ok("association", "import", "-", input="\n".join([header, *reversed(rows)]) + "\n")
    assert ": 7 new," in result.stderr
    parents = {r["acronym"]: r["parent_acronym"] for r in other.json("association", "list") if r["acronym"]}
    assert parents == {
        "HCME": None,
        "CMF": "HCME",
        "CMCI": "HCME",
        "FAMM": "CMF",
        "ARKF": "FAMM",
        "ART": "CMF",
        "ACI": "CMCI",
    }


def test_import_dry_run_writes_nothing(cli, db):
    cli.ok("init")
    before = digest(db)
    result = cli.ok("association", "import", "-", "--dry-run", input=_csv([HEADERS, *FILE]))
    assert "Would import 5 rows: 5 new," in result.stderr
    assert digest(db) == before


def test_example_register_is_shaped_like_the_field_children_listed_before_parents():
    from maliext_cli.services.demo import examples_dir

    rows = list(csv.DictReader(io.StringIO((examples_dir() / "associations.csv").read_text(encoding="utf-8"))))
    assert len(rows) >= 500
    france = [r for r in rows if r["pays"] == "FR"]
    assert len(france) > 400
    assert sum(r["région d'origine"] in ("Kayes", "Nioro du Sahel", "Kita") for r in france) > len(france) * 0.7
    position = {r["sigle"]: n for n, r in enumerate(rows)}
    assert any(position[r["parent"]] > n for n, r in enumerate(rows) if r["parent"])  # children before parents
    assert {r["niveau"] for r in rows} == {"base", "city", "national", "hcme"}


# ----------------------------------------------------------------- in French
FRENCH = {"MALIEXT_LANG": "fr"}


def test_cascade_removal_in_french_counts_asks_and_takes_oui(cli, db, funded, monkeypatch):
    from maliext_cli.cli import common

    monkeypatch.setattr(common, "interactive", lambda: True)
    before = digest(db)
    refused = cli("association", "remove", "FAMM", "--cascade", input="n\n", env=FRENCH)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[:2] == [
        f"1 association dépend de l'association {funded['FAMM']}.",
        "Sa branche compte 2 projets.",
    ]
    assert f"Supprimer l'association {funded['FAMM']} et toute sa branche\u202f? [o/N]" in refused.stderr
    assert refused.stderr.endswith("Erreur\u202f: annulé\u202f; rien n'a été modifié\n")
    assert digest(db) == before

    accepted = cli("association", "remove", "CMCI", "--cascade", input="oui\n", env=FRENCH)
    assert accepted.exit_code == 0, accepted.stderr
    assert accepted.stderr.endswith(
        f"Association {funded['CMCI']} supprimée, avec 1 association qui en dépendait.\n"
        "1 projet de sa branche supprimé.\n"
    )
    assert "CMCI" not in acronyms(cli.json("association", "list"))

    done = cli("association", "remove", "CMF", "--cascade", "--yes", env=FRENCH)
    assert done.exit_code == 0
    assert done.stderr.splitlines() == [
        f"Association {funded['CMF']} supprimée, avec les 3 associations qui en dépendaient.",
        "3 projets de sa branche supprimés.",
    ]
    assert acronyms(cli.json("association", "list")) == {"HCME"}


def test_association_help_in_french_keeps_its_command_lines(cli):
    result = cli("association", "edit", "--help", env=FRENCH)
    assert result.exit_code == 0
    # The examples are kept line by line; the prose is wrapped to the terminal.
    assert "  Exemples\u202f:\n" in result.stdout
    assert "    maliext association edit ARKF --members 160 --status dormant\n" in result.stdout
    assert "# la rattacher ailleurs (les règles de rattachement sont vérifiées)\n" in result.stdout
    words = " ".join(result.stdout.split())
    for wanted in (
        "Modifier certains champs d'une association\u202f; les autres restent tels quels.",
        "--parent REF La fédération ou le conseil dont elle relève\u202f: id, uid ou sigle. Une valeur vide l'efface.",
    ):
        assert " ".join(wanted.split()) in words
