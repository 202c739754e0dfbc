"""`report summary` and `report annual`: figures checked against values computed by hand
from a small programme, every output format, French and English, the checksum, the
HTML page (parsed, self-contained; its print layout is in test_print_layout.py) and the
sample report in examples/."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
from decimal import ROUND_HALF_EVEN, Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from maliext_cli import i18n
from maliext_cli.render import charts, formats, summary_report
from maliext_cli.services import reports

from .conftest import Cli, add_consultant

PARITY = Decimal("655.957")
NNBSP = "\u202f"  # narrow no-break space: French thousands, and before : ; ! ?
NBSP = "\u00a0"  # no-break space: before % in French (CLDR), inside a date in a table
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def eur(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def xof(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_EVEN))


# Costs of the completed missions, by hand (cost = travel + per diem x days + fees).
M1_XOF = Decimal(500_000 + 40_000 * 14)  # 2024, Aminata, FAST, PNUD
M2_EUR = Decimal(600 + 50 * 10 + 100)  # 2025, Aminata, ISFRA, UNESCO
M3_XOF = Decimal(450_000 + 35_000 * 21)  # 2025, Moussa, FAST (need N2), PNUD
P2_XOF = Decimal(6_559_570)  # a 2024 project: exactly 10 000 euros


def _build(cli: Cli) -> None:
    """Four consultants, two institutions, two programmes, three antennas; missions in
    2024, 2025 (one cancelled) and 2027 (planned); four needs; three agreements; three
    associations; two projects."""
    for name, acronym in (
        ("Faculté des Sciences et Techniques", "FAST"),
        ("Institut Supérieur de Formation et de Recherche Appliquée", "ISFRA"),
    ):
        cli.ok("institution", "add", "--name", name, "--acronym", acronym, "-q")
    cli.ok("programme", "add", "--code", "TOKTEN", "-q")
    cli.ok("programme", "add", "--code", "TALMALI", "-q")
    for code, city, country in (("PARIS", "Paris", "France"), ("DAKAR", "Dakar", "SN"), ("BERLIN", "Berlin", "DE")):
        cli.ok("antenna", "add", "--code", code, "--city", city, "--country", country, "-q")
    person = {"family_name", "given_names", "country", "degree", "discipline", "email"}
    for fields in (
        dict(family_name="Traoré", given_names="Aminata", sex="F", country="FR", degree="hdr", discipline="0531",
             email="a@x.org", antenna="PARIS"),
        dict(family_name="Keïta", given_names="Moussa", sex="M", country="SN", degree="doctorat", discipline="0541",
             email="b@x.org", antenna="DAKAR"),
        dict(family_name="Diarra", given_names="Oumou", sex="F", country="CA", degree="master", discipline="0533",
             email="c@x.org", status="candidate"),
        dict(family_name="Coulibaly", given_names="Bakary", country="FR", degree="doctorat", discipline="0421",
             email="d@x.org", status="inactive"),
    ):  # fmt: skip
        assert person <= set(fields)
        add_consultant(cli, **fields)

    def need(institution, title, discipline, kind, start, end, days):
        return cli.ok(
            "need", "add", "--institution", institution, "--title", title, "--discipline", discipline,
            "--type", kind, "--window-start", start, "--window-end", end, "--duration-days", days, "-q",
        ).stdout.strip()  # fmt: skip

    need("FAST", "Cours de chimie organique", "0531", "lecture", "2025-01-06", "2025-12-19", "14")
    n2 = need("FAST", "Encadrement en analyse numérique", "0541", "supervision", "2025-05-01", "2025-07-31", "21")
    n3 = need("ISFRA", "Atelier annulé", "0111", "workshop", "2025-03-01", "2025-04-30", "7")
    need("ISFRA", "Formation continue des enseignants", "0111", "training", "2024-10-01", "2025-01-31", "10")
    cli.ok("need", "cancel", n3)

    def mission(*args):
        return cli.ok("mission", "add", *args, "-q").stdout.strip()

    m1 = mission(
        "--consultant", "a@x.org", "--institution", "FAST", "--programme", "TOKTEN", "--type", "lecture",
        "--start-date", "2024-03-04", "--end-date", "2024-03-17", "--travel-cost", "500 000", "--per-diem", "40000",
        "--funder", "PNUD",
    )  # fmt: skip
    cli.ok("mission", "complete", m1, "--hours-taught", "40", "--rating", "4")
    m2 = mission(
        "--consultant", "a@x.org", "--institution", "ISFRA", "--programme", "TALMALI", "--type", "workshop",
        "--start-date", "2025-02-03", "--end-date", "2025-02-12", "--travel-cost", "600", "--per-diem", "50",
        "--fees", "100", "--currency", "EUR", "--funder", "UNESCO",
    )  # fmt: skip
    cli.ok("mission", "complete", m2, "--people-trained", "25", "--rating", "5")
    m3 = mission(
        "--consultant", "b@x.org", "--need", n2, "--programme", "TOKTEN", "--start-date", "2025-06-02",
        "--end-date", "2025-06-22", "--travel-cost", "450000", "--per-diem", "35000", "--funder", "PNUD",
    )  # fmt: skip
    cli.ok("mission", "complete", m3, "--theses-supervised", "3", "--rating", "3")
    m4 = mission(
        "--consultant", "c@x.org", "--institution", "FAST", "--programme", "TOKTEN", "--type", "lecture",
        "--start-date", "2025-11-03", "--end-date", "2025-11-09", "--travel-cost", "999999",
    )  # fmt: skip
    cli.ok("mission", "cancel", m4)
    mission(
        "--consultant", "b@x.org", "--institution", "ISFRA", "--programme", "TOKTEN", "--type", "training",
        "--start-date", "2027-03-01", "--end-date", "2027-03-10",
    )  # fmt: skip

    cli.ok(
        "agreement", "add", "--title", "DEA de chimie", "--institution", "FAST", "--partner", "Université d'Orléans",
        "--partner-country", "France", "--status", "signed", "--signed-on", "2025-05-10", "--consultant", "a@x.org",
        "-q",
    )  # fmt: skip
    cli.ok(
        "agreement", "add", "--title", "DESS d'environnement", "--institution", "ISFRA", "--partner",
        "Université de Sherbrooke", "--partner-country", "CA", "--status", "expired", "--signed-on", "2019-03-01", "-q",
    )  # fmt: skip
    cli.ok("agreement", "add", "--title", "MIAGE", "--institution", "FAST", "--partner", "Université Laval", "-q")

    def association(name, acronym, country, founded):
        cli.ok(
            "association", "add", "--name", name, "--acronym", acronym, "--level", "base", "--country", country,
            "--founded", founded, "--city", "Paris" if country == "FR" else "Dakar", "--members", "40", "-q",
        )  # fmt: skip

    association("Association des ressortissants de Kersignané en France", "ARKF", "FR", "2025")
    association("Amicale des Maliens de Montreuil", "AMM", "FR", "2010")
    association("Association des Maliens de Dakar", "AMD", "SN", "1998")
    cli.ok(
        "project", "add", "--association", "ARKF", "--title", "Forage de Kersignané", "--sector", "water",
        "--year", "2025", "--currency", "EUR", "--diaspora-contribution", "10000", "--subsidy", "5000", "-q",
    )  # fmt: skip
    cli.ok(
        "project", "add", "--association", "AMD", "--title", "Moulin des femmes", "--year", "2024",
        "--diaspora-contribution", str(P2_XOF), "-q",
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("programme") / "programme.db"
    _build(Cli(path))
    return path


@pytest.fixture
def rep(built: Path, tmp_path: Path) -> Cli:
    """A copy of the built programme for one test (through SQLite: the WAL goes too)."""
    path = tmp_path / "programme.db"
    source, target = sqlite3.connect(built), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return Cli(path)


# ------------------------------------------------------------------------ summary
def expected_summary() -> dict:
    total_units = M2_EUR * PARITY + M1_XOF + M3_XOF
    codev_xof = Decimal(15_000) * PARITY + P2_XOF
    return {
        "consultants": 4,
        "consultants_by_status": {"candidate": 1, "active": 2, "inactive": 1},
        "consultants_by_sex": {"F": 2, "M": 1, "X": 0, "unknown": 1},
        "consultants_by_degree": {
            "licence": 0,
            "master": 1,
            "dea": 0,
            "dess": 0,
            "ingenieur": 0,
            "doctorat": 2,
            "hdr": 1,
        },
        "consultants_by_country": {"FR": 2, "CA": 1, "SN": 1},
        "consultants_by_antenna": {"none": 2, "DAKAR": 1, "PARIS": 1},
        "missions": 3,
        "missions_planned": 1,
        "mission_consultants": 2,
        "person_days": 14 + 10 + 21,
        "hours_taught": 40,
        "theses_supervised": 3,
        "people_trained": 25,
        "mission_cost_eur": eur(total_units / PARITY),
        "mission_cost_xof": xof(total_units),
        "needs": 4,
        "needs_open": 2,
        "needs_filled": 1,
        "needs_cancelled": 1,
        "agreements_negotiated": 3,
        "agreements_signed": 2,
        "agreements_in_force": 1,
        "antennas": 3,
        "associations": 3,
        "associations_by_country": {"FR": 2, "SN": 1},
        "associations_by_level": {"base": 3, "city": 0, "national": 0, "hcme": 0},
        "projects": 2,
        "codev_diaspora_eur": 20_000.0,
        "codev_subsidy_eur": 5_000.0,
        "codev_other_eur": 0.0,
        "codev_total_eur": 25_000.0,
        "codev_total_xof": xof(codev_xof),
    }


def test_summary_json_keys_and_figures_by_hand(rep):
    data = rep.json("report", "summary")
    assert list(data) == list(reports.SUMMARY_KEYS)
    for key in (
        "consultants",
        "consultants_by_status",
        "missions",
        "mission_consultants",
        "person_days",
        "theses_supervised",
        "people_trained",
        "needs_open",
        "needs_filled",
        "agreements_signed",
        "agreements_negotiated",
        "antennas",
        "associations",
        "associations_by_country",
        "projects",
        "codev_total_eur",
    ):  # DESIGN.md section 5
        assert key in data
    assert data == expected_summary()
    assert data["codev_total_xof"] == 16_398_925  # 15 000 EUR x 655.957 + 6 559 570 XOF
    assert data["mission_cost_xof"] == 3_032_148  # 1 200 EUR = 787 148.4 XOF, + 2 245 000 XOF


def test_summary_two_columns_in_csv_tsv_markdown_and_jsonl(rep):
    rows = rep.csv("report", "summary")
    flat = dict(reports.flatten(expected_summary()))
    assert [r["key"] for r in rows] == list(flat)
    assert {r["key"]: r["value"] for r in rows}["consultants_by_status.active"] == "2"
    assert {r["key"]: r["value"] for r in rows}["consultants_by_antenna.none"] == "2"
    assert {r["key"]: r["value"] for r in rows}["codev_total_eur"] == "25000"
    tsv = rep.ok("report", "summary", "-f", "tsv").stdout.splitlines()
    assert tsv[0] == "key\tvalue" and "associations_by_level.base\t3" in tsv
    markdown = rep.ok("report", "summary", "-f", "markdown").stdout.splitlines()
    assert re.fullmatch(r"\| Key +\| Value +\|", markdown[0])  # headers people read: the columns' labels
    assert any(re.fullmatch(r"\| agreements_negotiated +\| 3 +\|", line) for line in markdown)
    lines = rep.ok("report", "summary", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0]) == expected_summary()


def test_summary_table_has_labels_and_bars_in_the_chosen_language(rep):
    french = rep.ok("report", "summary", "--lang", "fr").stdout
    assert "Le programme en bref" in french and "Accords signés" in french
    assert re.search(r"Actif +2  " + charts.BAR * charts.BAR_WIDTH, french)
    assert re.search(r"Sans antenne +2  " + charts.BAR * charts.BAR_WIDTH, french)
    assert re.search(rf"Financement total des projets \(EUR\) +25{NNBSP}000,00", french)
    english = rep.ok("report", "summary", "--lang", "en").stdout
    assert re.search(r"Total project funding \(EUR\) +25,000\.00", english)


def test_summary_on_a_terminal_draws_rich_bar_charts():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    charts.write(summary_report.summary_document(expected_summary(), "en"), "table", out)
    text = out.getvalue()
    assert "The programme at a glance" in text and "Consultants by status" in text
    assert charts.BAR * charts.BAR_WIDTH in text  # the largest group's bar


def test_summary_of_an_empty_database(cli):
    cli.ok("init")
    data = cli.json("report", "summary")
    assert list(data) == list(reports.SUMMARY_KEYS)
    assert data["consultants"] == 0 and data["consultants_by_status"] == {"candidate": 0, "active": 0, "inactive": 0}
    assert data["codev_total_eur"] == 0.0 and data["associations_by_country"] == {}
    french = cli.ok("report", "summary", "--lang", "fr").stdout
    assert "Associations par pays\n---------------------\n\nNéant." in french
    annual = cli.json("report", "annual", "--year", "2025")
    assert annual["summary"]["missions"] == 0 and annual["change_percent"]["missions"] is None
    page = cli.ok("report", "annual", "--year", "2025", "-f", "html", "--lang", "en").stdout
    assert page.count("<svg") == 3 and "None." in page


# ------------------------------------------------------------------------- annual
def expected_year(year: int) -> dict:
    if year == 2025:
        units = M2_EUR * PARITY + M3_XOF
        return {
            "missions": 2,
            "mission_consultants": 2,
            "new_consultants": 1,  # Moussa: first mission in June 2025
            "returning_consultants": 1,  # Aminata: first mission in 2024
            "person_days": 31,
            "hours_taught": 0,
            "people_trained": 25,
            "theses_supervised": 3,
            "cost_eur": eur(units / PARITY),
            "cost_xof": xof(units),
            "mean_cost_eur": eur(units / PARITY / 2),
            "mean_rating": 4.0,
            "needs_unfilled": 2,
            "agreements_signed": 1,
            "associations_founded": 1,
            "projects": 1,
            "codev_total_eur": 15_000.0,
        }
    return {
        "missions": 1,
        "mission_consultants": 1,
        "new_consultants": 1,
        "returning_consultants": 0,
        "person_days": 14,
        "hours_taught": 40,
        "people_trained": 0,
        "theses_supervised": 0,
        "cost_eur": eur(M1_XOF / PARITY),
        "cost_xof": 1_060_000,
        "mean_cost_eur": eur(M1_XOF / PARITY),
        "mean_rating": 4.0,
        "needs_unfilled": 1,
        "agreements_signed": 0,
        "associations_founded": 0,
        "projects": 1,
        "codev_total_eur": 10_000.0,
    }


def test_annual_json_sections_and_figures_by_hand(rep):
    data = rep.json("report", "annual", "--year", "2025")
    assert list(data) == list(reports.ANNUAL_KEYS)
    assert (data["year"], data["previous_year"]) == (2025, 2024)
    assert list(data["summary"]) == list(reports.YEAR_KEYS)
    assert data["summary"] == expected_year(2025)
    assert data["previous"] == expected_year(2024)
    now, before = expected_year(2025), expected_year(2024)
    assert data["change"]["missions"] == 1 and data["change_percent"]["missions"] == 100.0
    assert data["change"]["person_days"] == 17 and data["change_percent"]["person_days"] == 121.4  # 31 / 14
    assert data["change"]["new_consultants"] == 0 and data["change_percent"]["new_consultants"] == 0.0
    assert data["change"]["returning_consultants"] == 1 and data["change_percent"]["returning_consultants"] is None
    assert data["change"]["hours_taught"] == -40 and data["change_percent"]["hours_taught"] == -100.0
    assert data["change"]["cost_xof"] == now["cost_xof"] - before["cost_xof"] == 912_148
    assert data["change"]["cost_eur"] == round(now["cost_eur"] - before["cost_eur"], 2)
    assert data["change"]["codev_total_eur"] == 5000.0 and data["change_percent"]["codev_total_eur"] == 50.0

    assert data["costs_by_funder"] == [
        {"funder": "PNUD", "missions": 1, "cost_eur": eur(M3_XOF / PARITY), "cost_xof": 1_185_000},
        {"funder": "UNESCO", "missions": 1, "cost_eur": 1200.0, "cost_xof": 787_148},  # 1 200 x 655.957 = 787 148.4
    ]
    months = {r["month"]: r["missions"] for r in data["missions_by_month"]}
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert months == {f"2025-{m:02d}": (1 if m in (2, 6) else 0) for m in range(1, 13)}
    assert [(r["institution"], r["missions"]) for r in data["missions_by_institution"]] == [("FAST", 1), ("ISFRA", 1)]
    assert [(r["type"], r["person_days"]) for r in data["missions_by_type"]] == [("supervision", 21), ("workshop", 10)]
    assert [(r["discipline"], r["missions"]) for r in data["missions_by_discipline"]] == [("0531", 1), ("0541", 1)]
    assert [(r["programme"], r["new_consultants"]) for r in data["missions_by_programme"]] == [
        ("TALMALI", 0),
        ("TOKTEN", 1),
    ]
    assert data["consultants_by_country"] == [
        {"country": "FR", "consultants": 1, "missions": 1},
        {"country": "SN", "consultants": 1, "missions": 1},
    ]
    assert [(c["name"], c["new"], c["first_mission"]) for c in data["consultants"]] == [
        ("Moussa Keïta", True, "2025-06-02"),
        ("Aminata Traoré", False, "2024-03-04"),
    ]
    assert [n["title"] for n in data["unfilled_needs"]] == [
        "Formation continue des enseignants",
        "Cours de chimie organique",
    ]
    done = data["completed_missions"]
    assert [(m["start_date"], m["institution"], m["days"], m["cost_eur"]) for m in done] == [
        ("2025-02-03", "ISFRA", 10, 1200.0),
        ("2025-06-02", "FAST", 21, eur(M3_XOF / PARITY)),
    ]
    assert (done[0]["people_trained"], done[1]["theses_supervised"], done[1]["rating"]) == (25, 3, 3)
    assert [(a["title"], a["signed_on"], a["consultant_name"]) for a in data["agreements_signed"]] == [
        ("DEA de chimie", "2025-05-10", "Aminata Traoré")
    ]
    assert [a["acronym"] for a in data["associations_founded"]] == ["ARKF"]
    assert [(p["title"], p["total_eur"]) for p in data["projects"]] == [("Forage de Kersignané", 15_000.0)]
    stamp = data["stamp"]
    assert list(stamp) == ["maliext", "database", "date", "checksum"]
    assert stamp["database"] == "programme.db" and re.fullmatch(r"sha256:[0-9a-f]{64}", stamp["checksum"])


def test_annual_french_markdown_numbers_months_and_labels(rep):
    text = rep.ok("report", "annual", "--year", "2025", "--lang", "fr", "-f", "markdown").stdout
    assert text.startswith("# Rapport annuel d'activité 2025\n")
    assert "## Chiffres clés 2025 et évolution depuis 2024" in text
    assert f"1{NNBSP}972{NNBSP}148" in text  # FCFA of 2025, French thousands
    assert f"1{NNBSP}200,00" in text  # a cost in euros, decimal comma
    assert f"+121,4{NBSP}%" in text  # person-days, 31 against 14 (CLDR: a no-break space before %)
    for month in ("janvier", "février", "juin", "août", "décembre"):
        assert f"| {month} " in text
    assert "Encadrement de thèses et mémoires" in text and "Coûts par bailleur" in text
    assert f"Nouveaux (première mission){NNBSP}: 1{NNBSP}; déjà venus{NNBSP}: 1." in text and "| déjà venu " in text
    assert f"Empreinte des données lues{NNBSP}: sha256:" in text and "le " in text.splitlines()[-1]
    assert f"| 3–12{NBSP}févr. " in text and f"| 10{NBSP}mai{NBSP}2025 " in text  # a mission's dates, a signature
    assert "1,972,148" not in text and "June" not in text and "2025-02-03" not in text


def test_annual_english_markdown_numbers_and_months(rep):
    text = rep.ok("report", "annual", "--year", "2025", "--lang", "en", "-f", "markdown").stdout
    assert text.startswith("# Annual activity report 2025\n")
    assert "1,972,148" in text and "1,200.00" in text and "+121.4%" in text
    assert "| February " in text and "| June " in text and "Costs by funder" in text
    assert f"| 3{NBSP}– 12{NBSP}Feb " in text and f"| 10{NBSP}May{NBSP}2025 " in text  # British dates
    assert "Thesis supervision" in text or "thesis supervision" in text.lower()
    assert "Checksum of the data read: sha256:" in text


def test_annual_table_prints_titled_sections(rep):
    text = rep.ok("report", "annual", "--year", "2025", "--lang", "en").stdout
    for title in (
        "Key figures 2025 and change from 2024",
        "Completed missions by month",
        "Missions by host institution",
        "Missions by type",
        "Missions by discipline",
        "Missions by programme",
        "Costs by funder",
        "Consultants on mission by country of residence",
        "Consultants on mission: new and returning",
        "Unfilled needs",
        "Completed missions and their outcomes",
        "Cooperation agreements signed",
        "Associations founded",
        "Co-development projects of the year",
    ):
        assert f"{title}\n{'-' * len(title)}\n" in text
    assert re.search(r"Completed missions +2 +1 +\+1 +\+100\.0%", text)


def test_language_follows_the_interface_unless_given(rep):
    locale_only = {"MALIEXT_LANG": ""}  # the suite sets it to en: these runs ask the locale
    french = rep.ok("report", "annual", "--year", "2025", "-f", "markdown", env={**locale_only, "LC_ALL": "fr_FR.UTF-8"})
    assert french.stdout.startswith("# Rapport annuel")
    by_lang = rep.ok(
        "report", "annual", "--year", "2025", "-f", "markdown",
        env={**locale_only, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_ML"},
    )  # fmt: skip
    assert by_lang.stdout.startswith("# Rapport annuel")
    english = rep.ok("report", "annual", "--year", "2025", "-f", "markdown", env={**locale_only, "LC_ALL": "C.UTF-8"})
    assert english.stdout.startswith("# Annual activity report")
    interface = rep.ok("report", "annual", "--year", "2025", "-f", "markdown", env={"MALIEXT_LANG": "fr"})
    assert interface.stdout.startswith("# Rapport annuel")
    forced = rep.ok("report", "annual", "--year", "2025", "-f", "markdown", "--lang", "en", env={"MALIEXT_LANG": "fr"})
    assert forced.stdout.startswith("# Annual activity report")
    # The report in the language asked for, the messages in the interface's.
    written = rep.ok(
        "report", "annual", "--year", "2025", "--lang", "en", "-o", str(rep.db.with_suffix(".md")),
        env={"MALIEXT_LANG": "fr"},
    )  # fmt: skip
    assert "Rapport annuel 2025 écrit dans" in written.stderr
    assert rep.db.with_suffix(".md").read_text(encoding="utf-8").startswith("Annual activity report")
    summary = rep.ok("report", "summary", "--lang", "fr-FR", env={"MALIEXT_LANG": "en"}).stdout
    assert summary.startswith("Le programme en bref")


def test_reports_in_french_and_english_with_babel_numbers_and_dates(rep):
    """The same report in both languages: the same figures, each written as its language
    writes numbers, months and dates (CLDR, through Babel); JSON identical."""
    fr = rep.ok("report", "annual", "--year", "2025", "-f", "markdown", "--lang", "fr").stdout
    en = rep.ok("report", "annual", "--year", "2025", "-f", "markdown", "--lang", "en").stdout
    for french, english in (
        (f"1{NNBSP}972{NNBSP}148", "1,972,148"),  # FCFA of 2025
        (f"1{NNBSP}200,00", "1,200.00"),  # euros with cents
        (f"+121,4{NBSP}%", "+121.4%"),  # person-days
        (f"-100,0{NBSP}%", "-100.0%"),  # hours taught: 0 against 40
        ("| février ", "| February "),  # month names
        (f"| 2–22{NBSP}juin ", f"| 2{NBSP}– 22{NBSP}Jun "),  # a mission's period within the year
        (f"{NNBSP}: sha256:", ": sha256:"),
        ("Coûts par bailleur", "Costs by funder"),
    ):
        assert french in fr, french
        assert english in en, english
    footer_fr, footer_en = fr.splitlines()[-1], en.splitlines()[-1]
    assert re.search(r" le (1er|[12]?\d|3[01]) [a-zéû]+ \d{4}\. ", footer_fr), footer_fr  # a long date
    assert re.search(r" on ([12]?\d|3[01]) [A-Z][a-z]+ \d{4}\. ", footer_en), footer_en
    for args in (("report", "annual", "--year", "2025"), ("report", "summary")):
        outputs = {
            rep.ok(*args, "-f", "json", *lang, env={"MALIEXT_LANG": interface}).stdout
            for lang in ((), ("--lang", "fr"), ("--lang", "en"))
            for interface in ("fr", "en")
        }
        assert len(outputs) == 1, args  # JSON is the same in every language


def test_number_and_date_conventions():
    assert formats.number(1234.5, "fr") == f"1{NNBSP}234,5"
    assert formats.number(1234.5, "en") == "1,234.5"
    assert formats.number(1234567, "fr") == f"1{NNBSP}234{NNBSP}567"
    assert formats.money(85701.5, "fr") == f"85{NNBSP}701,50" and formats.money(85701.5, "en") == "85,701.50"
    assert formats.percent(-28.571, "fr") == f"-28,6{NBSP}%" and formats.percent(9.09, "en") == "+9.1%"
    assert formats.percent(None, "fr") == formats.DASH and formats.signed(0, "en") == "0"
    assert formats.long_date("2026-03-01", "fr") == "1er mars 2026"
    assert formats.long_date("2026-08-27", "fr") == "27 août 2026"
    assert formats.long_date("2026-08-27", "en") == "27 August 2026"
    assert formats.month_names("fr")[1] == "février" and formats.month_names("en")[1] == "February"
    assert formats.euros(2300.5, "fr") == f"2{NNBSP}300{NBSP}€" and formats.euros(2300.5, "en") == "€2,300"
    with i18n.speaking("fr"):  # the interface language, when none is given
        assert formats.number(1234.5) == f"1{NNBSP}234,5"


def test_first_of_the_month_and_dates_in_a_table():
    with i18n.speaking("fr"):
        assert formats.long_date("2027-02-01") == "1er février 2027"
        assert formats.medium_date("2027-02-01") == f"1er{NBSP}févr.{NBSP}2027"
        assert formats.period("2025-03-01", "2025-03-12", year=2025) == f"1er{NBSP}mars{NBSP}– 12{NBSP}mars"
    assert formats.long_date("2027-02-01", "en") == "1 February 2027"
    assert formats.period("2025-12-09", "2026-02-06", "en", year=2025) == (
        f"9{NBSP}Dec{NBSP}2025{NBSP}– 6{NBSP}Feb{NBSP}2026"  # a line may break after the dash only
    )


def test_annual_mistakes_are_errors_with_their_exit_codes(rep, tmp_path):
    for args, code, message in (
        (("--year", "1800"), 1, "--year: 1800 is out of range"),
        (("--year", "2025", "-f", "csv"), 2, "unknown format 'csv'"),
        (("--year", "2025", "--lang", "de"), 2, "--lang: unknown language 'de'"),
        (("--year", "2025", "-o", str(tmp_path / "missing" / "r.html")), 1, "cannot write"),
    ):
        result = rep("report", "annual", *args)
        assert result.exit_code == code, result.stderr
        assert result.stderr.startswith("Error: ") and message in result.stderr
        assert "Traceback" not in result.stderr
    assert rep("report", "annual", "--year", "deux-mille").exit_code == 2
    assert rep("report", "annual").exit_code == 2
    missing = Cli(tmp_path / "nothing.db")("report", "summary")
    assert missing.exit_code == 1 and "no database" in missing.stderr
    assert not (tmp_path / "nothing.db").exists()


def test_output_file_is_written_whole_and_stdout_stays_empty(rep, tmp_path):
    target = tmp_path / "rapport-2025.html"
    result = rep.ok("report", "annual", "--year", "2025", "--lang", "fr", "-f", "html", "-o", str(target))
    assert result.stdout == "" and f"Wrote the annual report for 2025 to {target}." in result.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob("*.part"))


# ----------------------------------------------------------------------- checksum
def _checksum(cli: Cli, *args: str) -> str:
    return cli.json("report", "annual", "--year", "2025", *args)["stamp"]["checksum"]


def test_checksum_is_stable_and_follows_the_data_read(rep):
    first = _checksum(rep)
    assert _checksum(rep) == first  # another run
    html_fr = rep.ok("report", "annual", "--year", "2025", "--lang", "fr", "-f", "html").stdout
    html_en = rep.ok("report", "annual", "--year", "2025", "--lang", "en", "-f", "html").stdout
    assert first in html_fr and first in html_en  # the language is not data
    # A record the 2025 report does not read: the checksum stays.
    rep.ok("consultant", "edit", "c@x.org", "--city", "Québec")
    assert _checksum(rep) == first
    # A completed mission of 2025 changes: the checksum changes, and comes back with the data.
    mission = rep.json("mission", "list", "--from", "2025-02-01", "--to", "2025-02-28")[0]["id"]
    rep.ok("mission", "edit", str(mission), "--fees", "101")
    changed = _checksum(rep)
    assert changed != first
    rep.ok("mission", "edit", str(mission), "--fees", "100")
    assert _checksum(rep) == first
    # The year before is read too (for the change): a 2024 figure changes it.
    rep.ok("project", "edit", rep.json("project", "list", "--year", "2024")[0]["id"].__str__(), "--subsidy", "1")
    assert _checksum(rep) != first


def test_checksum_is_the_same_for_the_same_data_in_another_file(rep, tmp_path):
    copy = tmp_path / "autre-bureau.db"
    shutil.copy(rep.db, copy)
    for suffix in ("-wal", "-shm"):
        if Path(f"{rep.db}{suffix}").exists():
            shutil.copy(f"{rep.db}{suffix}", f"{copy}{suffix}")
    other = Cli(copy)
    assert other.json("report", "annual", "--year", "2025")["stamp"]["database"] == "autre-bureau.db"
    assert _checksum(other) == _checksum(rep)


def test_checksum_ignores_local_ids_and_insertion_order(rep, tmp_path):
    """Another office that typed the same programme after other records agrees."""
    other = Cli(tmp_path / "other.db")
    other.ok("institution", "add", "--name", "Autre", "--acronym", "AUTRE", "-q")  # shifts every institution id
    other.ok("programme", "add", "--code", "AUTRE", "-q")
    _build(other)
    assert _checksum(other) == _checksum(rep)


# --------------------------------------------------------------------------- HTML
class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.svgs: list[dict] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag == "svg":
            self.svgs.append(dict(attrs))
        if tag == "html":
            self.lang = dict(attrs).get("lang")


def check_self_contained(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    lowered = page.lower()
    for forbidden in ("http", "//", "src=", "@import", "url(", "<script", "<link", "<img", "<iframe"):
        assert forbidden not in lowered, forbidden
    assert not any(name in ("src", "href") or name.startswith("on") for name, _ in parser.attributes)
    assert "style" in parser.tags and "table" in parser.tags and "footer" in parser.tags
    return parser


def test_annual_html_parses_is_self_contained_and_has_three_svg_charts(rep):
    page = rep.ok("report", "annual", "--year", "2025", "--lang", "fr", "-f", "html").stdout
    parser = check_self_contained(page)
    assert parser.lang == "fr"
    assert [s["id"] for s in parser.svgs] == ["chart-months", "chart-funders", "chart-countries"]
    assert "@page { size: A4" in page
    assert ">févr.<" in page and ">juin<" in page  # month labels of the chart
    assert ">UNESCO<" in page and f">1{NNBSP}200,00<" in page  # funder bar and its value
    assert "<title>Rapport annuel d&#x27;activité 2025</title>" in page


def test_summary_html_is_self_contained(rep):
    page = rep.ok("report", "summary", "-f", "html", "--lang", "en").stdout
    parser = check_self_contained(page)
    assert len(parser.svgs) == 7 and "chart-consultants_by_status" in page


# How these pages print on A4 (Chromium): tests/test_print_layout.py.


# ---------------------------------------------------------- the sample in examples/
def test_demo_data_tell_the_programme_figures(demo_db):
    data = Cli(demo_db).json("report", "summary")
    assert (data["agreements_signed"], data["agreements_negotiated"], data["antennas"]) == (12, 16, 11)
    antennas = {a["code"] for a in Cli(demo_db).json("antenna", "list")}
    assert set(data["consultants_by_antenna"]) - {"none"} == antennas  # every code carried is an antenna


def _without_footer(page: str) -> str:
    return re.sub(r"<footer>.*?</footer>", "", page, flags=re.S)


def test_sample_report_in_examples_is_self_contained_and_up_to_date(demo_db):
    sample = (EXAMPLES / "annual-report-2025.html").read_text(encoding="utf-8")
    check_self_contained(sample)
    fresh = Cli(demo_db).ok("report", "annual", "--year", "2025", "--lang", "fr", "-f", "html").stdout
    hint = (
        "examples/annual-report-2025.html is out of date; regenerate it with the command in the README "
        "(section Reports)"
    )
    assert _without_footer(fresh) == _without_footer(sample), hint
    checksum = re.search(r"sha256:[0-9a-f]{64}", fresh).group()
    assert checksum in sample, hint


def test_annual_report_in_other_formats_and_empty_sections_said_once(cli):
    cli.ok("init")
    grid = cli.ok("report", "annual", "--year", "2025", "--lang", "en", "-f", "grid").stdout
    assert "+====" in grid
    costs = grid.split("Costs by funder")[1].split("Consultants on mission by country")[0]
    assert costs.count("None.") == 1
    line = cli.ok("report", "annual", "--year", "2025", "-f", "jsonl").stdout
    assert line.count("\n") == 1 and json.loads(line)["year"] == 2025
