"""`maliext project ...`: co-development projects, their money, filters, import and report."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import Cli, digest
from .test_associations import copy_database

RECORD_KEYS = [
    "id",
    "uid",
    "association",
    "title",
    "sector",
    "locality",
    "region",
    "year",
    "diaspora_contribution",
    "subsidy",
    "other_funding",
    "currency",
    "subsidy_funder",
    "status",
    "notes",
    "association_name",
    "association_acronym",
    "total",
    "created_at",
    "updated_at",
]
REPORT_FIGURES = [
    "projects",
    "associations",
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

ASSOCIATIONS = """nom,sigle,niveau,parent,pays,statut
Haut Conseil des Maliens de l'Extérieur,HCME,hcme,,ML,
Conseil des Maliens de France,CMF,national,HCME,FR,
Ressortissants de Kersignané,ARKF,base,CMF,FR,
Ressortissants de Diéma,ARD,base,CMF,FR,
Tontine de Bouaké,TB,base,,CI,
Ancienne association,AA,base,,FR,dissoute
"""
# association, title, sector, locality, region, year, diaspora, subsidy, other, currency, funder, status
PROJECTS = [
    (
        "ARKF",
        "Forage de Kersignané",
        "eau",
        "Kersignané",
        "Kayes",
        "2005",
        "12 000",
        "18000",
        "1500,50",
        "EUR",
        "FSP Codéveloppement Mali",
        "achevé",
    ),
    (
        "ARKF",
        "CSCOM de Kersignané",
        "santé",
        "Kersignané",
        "Kayes",
        "2006",
        "6559570",
        "3279785",
        "",
        "FCFA",
        "fsp codeveloppement mali",
        "en cours",
    ),
    ("ARD", "École de Diéma", "éducation", "Diéma", "kayes", "2012", "8000", "0", "0", "EUR", "", "proposé"),
    (
        "TB",
        "Moulin des femmes",
        "agr",
        "Sikasso",
        "Sikasso",
        "2019",
        "1000000",
        "500000",
        "250000",
        "XOF",
        "ANICT",
        "approuvé",
    ),
]
HEADERS = [
    "association",
    "titre",
    "secteur",
    "localité",
    "région",
    "année",
    "contribution de la diaspora",
    "subvention",
    "autres financements",
    "devise",
    "bailleur",
    "statut",
]


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("projects") / "projects.db"
    builder = Cli(path)
    builder.ok("association", "import", "-", input=ASSOCIATIONS)
    builder.ok("project", "import", "-", input=_csv([HEADERS, *PROJECTS]))
    return path


@pytest.fixture
def projects(db, template) -> Cli:
    copy_database(template, db)
    return Cli(db)


def titles(records) -> list[str]:
    return [r["title"] for r in records]


def test_add_parses_amounts_and_prints_the_record(projects):
    result = projects.ok(
        "project",
        "add",
        "--association",
        "arkf",
        "--title",
        "Périmètre rizicole",
        "--sector",
        "riziculture",
        "--currency",
        "€",
        "--diaspora-contribution",
        "1 500,50",
        "--subsidy",
        "3000.25",
        "-f",
        "json",
    )
    record = json.loads(result.stdout)
    assert list(record) == RECORD_KEYS
    assert record["association_acronym"] == "ARKF"
    assert (record["sector"], record["currency"], record["status"]) == ("agriculture", "EUR", "proposed")
    assert (record["diaspora_contribution"], record["subsidy"], record["other_funding"]) == (1500.5, 3000.25, 0)
    assert record["total"] == 4500.75


def test_list_json_keys_and_money_in_units(projects):
    records = projects.json("project", "list")
    assert [list(r) for r in records] == [RECORD_KEYS] * 4
    first = records[0]
    assert (first["diaspora_contribution"], first["subsidy"], first["other_funding"], first["total"]) == (
        12000,
        18000,
        1500.5,
        31500.5,
    )
    assert first["association_name"] == "Ressortissants de Kersignané"
    assert records[1]["currency"] == "XOF" and records[1]["other_funding"] == 0  # a blank amount is 0


def test_csv_export_reads_back(projects, tmp_path):
    rows = projects.csv("project", "export")
    assert list(rows[0]) == RECORD_KEYS
    assert rows[0]["other_funding"] == "1500.5"
    other = Cli(tmp_path / "copy.db")
    other.ok("association", "import", "-", input=ASSOCIATIONS)
    other.ok("project", "import", "-", input=projects.ok("project", "export").stdout)
    again = other.json("project", "list")
    assert [(r["association_acronym"], r["title"], r["total"]) for r in again] == [
        (r["association_acronym"], r["title"], r["total"]) for r in projects.json("project", "list")
    ]


def test_required_and_invalid_fields_write_nothing(projects, db):
    before = digest(db)
    result = projects("project", "add", "--title", "Sans association")
    assert result.exit_code == 1 and "association: is required" in result.stderr
    result = projects("project", "add", "--association", "NOPE", "--title", "X")
    assert result.exit_code == 3 and "association: no association 'NOPE'" in result.stderr  # a missing record: exit 3
    result = projects(
        "project",
        "add",
        "--association",
        "ARD",
        "--title",
        "X",
        "--subsidy",
        "-5",
        "--currency",
        "USD",
        "--year",
        "1800",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 3 fields are invalid")
    for field in ("subsidy:", "currency: 'USD' is not a known currency", "year: must be between"):
        assert field in result.stderr
    assert digest(db) == before


def test_clearing_an_amount_sets_it_back_to_zero(projects):
    projects.ok("project", "edit", "1", "--subsidy", "", "--status", "")
    record = projects.json("project", "show", "1")
    assert (record["subsidy"], record["status"], record["total"]) == (0, "proposed", 13500.5)


def test_a_project_of_a_dissolved_association_warns(projects):
    result = projects.ok("project", "add", "--association", "AA", "--title", "Puits", "-q")
    assert "Warning: association 6 is dissolved" in result.stderr


def test_list_filters(projects):
    def found(*args):
        return titles(projects.json("project", "list", *args))

    everything = ["Forage de Kersignané", "CSCOM de Kersignané", "École de Diéma", "Moulin des femmes"]
    assert found() == everything
    assert found("--association", "ARKF") == everything[:2]
    assert found("--under", "HCME") == everything[:3]  # TB is not federated
    assert found("--under", "CMF", "--sector", "education") == ["École de Diéma"]
    assert found("--country", "Côte d'Ivoire") == ["Moulin des femmes"]
    assert found("--region", "kayes", "--status", "completed") == ["Forage de Kersignané"]
    assert found("--year", "2006") == ["CSCOM de Kersignané"]
    assert found("--year", "2005-2012") == everything[:3]
    assert found("--year", "2005", "--year", "2019") == [everything[0], everything[3]]
    assert found("--funder", "codéveloppement") == everything[:2]  # contains, accents and case ignored
    assert found("--search", "diema") == ["École de Diéma"]
    assert found("--search", "kersignane forage") == ["Forage de Kersignané"]
    assert found("--sort", "-total", "--limit", "1") == ["Forage de Kersignané"]


def test_bad_filters(projects):
    result = projects("project", "list", "--year", "2012-2005")
    assert result.exit_code == 1 and result.stderr.startswith("Error: --year:")
    assert projects("project", "list", "--association", "NOPE").exit_code == 3


def test_remove(projects):
    projects.ok("project", "remove", "3", "--yes")
    assert "École de Diéma" not in titles(projects.json("project", "list"))


def test_import_reports_bad_rows_with_their_lines(projects, db):
    before = digest(db)
    data = _csv(
        [
            HEADERS,
            ["ARKF", "Bon", "eau", "", "", "2005", "100", "0", "0", "EUR", "", ""],
            ["NOPE", "Mauvaise association", "", "", "", "", "", "", "", "", "", ""],
            ["ARKF", "", "", "", "", "", "10,555", "", "", "", "", ""],
        ]
    )
    result = projects("project", "import", "-", input=data)
    assert result.exit_code == 1
    assert "line 3: association: no association 'NOPE'" in result.stderr
    assert "line 4: title: is required" in result.stderr
    assert "line 4: diaspora_contribution:" in result.stderr
    assert digest(db) == before


# ----------------------------------------------------------------- report
def test_report_by_sector_and_year_hand_computed(projects):
    rows = projects.json("project", "report", "--by", "sector,year")
    assert [list(r) for r in rows] == [["sector", "year", *REPORT_FIGURES]] * 4
    groups = {(r["sector"], r["year"]): r for r in rows}
    assert list(groups) == [("education", 2012), ("health", 2006), ("income", 2019), ("water", 2005)]
    assert groups["health", 2006] == {
        "sector": "health",
        "year": 2006,
        "projects": 1,
        "associations": 1,
        "diaspora_contribution_eur": 10000.0,  # 6 559 570 FCFA at 655.957
        "diaspora_contribution_xof": 6559570,
        "subsidy_eur": 5000.0,
        "subsidy_xof": 3279785,
        "other_funding_eur": 0.0,
        "other_funding_xof": 0,
        "total_eur": 15000.0,
        "total_xof": 9839355,
        "leverage": 0.5,
    }
    water = groups["water", 2005]
    assert (water["other_funding_eur"], water["other_funding_xof"]) == (1500.5, 984263)  # 984 263.4785
    assert (water["total_xof"], water["leverage"]) == (20662973, 1.5)  # 31 500.50 € = 20 662 973.4785 FCFA
    income = groups["income", 2019]
    assert (income["diaspora_contribution_eur"], income["total_eur"]) == (1524.49, 2667.86)


def test_report_by_funder_groups_spellings_and_counts_associations_once(projects):
    rows = projects.json("project", "report", "--by", "funder")
    assert [(r["funder"], r["projects"], r["associations"]) for r in rows] == [
        (None, 1, 1),
        ("ANICT", 1, 1),
        ("FSP Codéveloppement Mali", 2, 1),  # two spellings, one funder; one association
    ]
    fsp = rows[2]
    assert (fsp["diaspora_contribution_eur"], fsp["subsidy_eur"], fsp["leverage"]) == (22000.0, 23000.0, 1.05)


def test_report_total_row_in_table_formats_only(projects):
    table = projects.ok("project", "report", "--by", "sector", "-f", "markdown").stdout.splitlines()
    total = [cell.strip() for cell in table[-1].strip("|").split("|")]
    # 12 000 + 10 000 + 8 000 + 1 524.49 € of diaspora money, 3 associations
    assert total[:4] == ["total", "4", "3", "31524.49"]
    assert total[-1] == "0.75"  # 23 762.25 € of subsidies for 31 524.49 €
    assert all(r["sector"] != "total" for r in projects.csv("project", "report", "--by", "sector"))
    piped = projects.ok("project", "report").stdout.splitlines()  # default --by sector
    assert piped[0].split()[:3] == ["Sector", "Projects", "Associations"] and piped[-1].startswith("total")


def test_report_formats_and_errors(projects):
    html = projects.ok("project", "report", "--by", "region", "-f", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and 'class="total"' in html
    lines = projects.ok("project", "report", "--by", "country", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["country"] for line in lines] == ["CI", "FR"]
    assert [r["association"] for r in projects.json("project", "report", "--by", "association")] == [
        "ARD",
        "ARKF",
        "TB",
    ]
    assert projects.json("project", "report", "--by", "status", "--under", "CMF", "--year", "2006")[0]["status"] == (
        "in-progress"
    )
    result = projects("project", "report", "--by", "sector,sector")
    assert result.exit_code == 2 and "a key is given twice" in result.stderr
    assert projects("project", "report", "-f", "pdf").exit_code == 2


def test_example_projects_carry_the_codevelopment_figure():
    from maliext_cli.services.demo import examples_dir

    rows = list(csv.DictReader(io.StringIO((examples_dir() / "projects.csv").read_text(encoding="utf-8"))))
    assert len(rows) >= 200
    fsp = [r for r in rows if r["bailleur"] == "FSP Codéveloppement Mali"]
    assert sum(int(r["contribution de la diaspora"]) for r in fsp) == 900_000
    assert {r["devise"] for r in fsp} == {"EUR"} and all(2003 <= int(r["année"]) <= 2007 for r in fsp)
    assert any("PADDY" in r["titre"] and r["localité"] == "Yélimané" for r in rows)
    assert {"CSCOM", "École", "Forage", "rizicole"} <= {w for r in rows for w in r["titre"].replace("'", " ").split()}


def test_report_in_french_titles_the_page_and_keeps_the_csv(projects):
    french = {"MALIEXT_LANG": "fr"}
    html = projects("project", "report", "-f", "html", env=french)
    assert html.exit_code == 0 and "<h1>Projets de codéveloppement</h1>" in html.stdout
    assert "<h1>Associations de la diaspora</h1>" in projects.ok("association", "report", "-f", "html", env=french).stdout
    for noun in ("project", "association"):
        csv_fr = projects.ok(noun, "report", "-f", "csv", env=french).stdout
        assert csv_fr == projects.ok(noun, "report", "-f", "csv").stdout  # headers and figures never change
