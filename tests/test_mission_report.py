"""`mission report`: figures checked against values computed by hand."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from .conftest import add_consultant

PARITY = Decimal("655.957")
KEYS = [
    "missions",
    "consultants",
    "new_consultants",
    "returning_consultants",
    "person_days",
    "cost_eur",
    "cost_xof",
    "mean_cost_eur",
    "hours_taught",
    "people_trained",
    "theses_supervised",
    "mean_rating",
]


def eur(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


@pytest.fixture
def history(cli):
    """A (2026, XOF) and A again (2027, EUR); B (2027, XOF, first mission); C cancelled."""
    cli.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "-q")
    cli.ok(
        "institution",
        "add",
        "--name",
        "Institut Supérieur de Formation et de Recherche Appliquée",
        "--acronym",
        "ISFRA",
        "-q",
    )
    cli.ok("programme", "add", "--code", "TOKTEN", "-q")
    cli.ok("programme", "add", "--code", "TALMALI", "-q")
    add_consultant(
        cli, family_name="Traoré", given_names="Aminata", country="FR", degree="hdr", discipline="0531", email="a@x.org"
    )
    add_consultant(
        cli,
        family_name="Keïta",
        given_names="Moussa",
        country="SN",
        degree="doctorat",
        discipline="0541",
        email="b@x.org",
    )
    add_consultant(
        cli,
        family_name="Diarra",
        given_names="Oumou",
        country="CA",
        degree="master",
        discipline="0533",
        email="c@x.org",
    )

    def add(consultant, institution, programme, start, end, *costs):
        args = [
            "--consultant",
            consultant,
            "--institution",
            institution,
            "--programme",
            programme,
            "--type",
            "lecture",
            "--start-date",
            start,
            "--end-date",
            end,
            *costs,
            "-q",
        ]
        return int(cli.ok("mission", "add", *args).stdout)

    a1 = add(
        "a@x.org",
        "FAST",
        "TOKTEN",
        "2026-01-05",
        "2026-01-14",
        "--travel-cost",
        "500 000",
        "--per-diem",
        "40000",
        "--funder",
        "PNUD",
    )
    cli.ok("mission", "complete", str(a1), "--rating", "5", "--people-trained", "12")
    add(
        "a@x.org",
        "ISFRA",
        "TALMALI",
        "2027-03-01",
        "2027-03-07",
        "--travel-cost",
        "600",
        "--per-diem",
        "50",
        "--fees",
        "100",
        "--currency",
        "EUR",
        "--funder",
        "UNESCO",
    )
    b1 = add(
        "b@x.org",
        "FAST",
        "TOKTEN",
        "2027-02-01",
        "2027-02-14",
        "--travel-cost",
        "400000",
        "--per-diem",
        "50000",
        "--fees",
        "100000",
        "--funder",
        "PNUD",
    )
    cli.ok("mission", "edit", str(b1), "--hours-taught", "30", "--rating", "4")
    c1 = add("c@x.org", "FAST", "TOKTEN", "2027-05-01", "2027-05-20", "--travel-cost", "999999")
    cli.ok("mission", "cancel", str(c1))
    return cli


def test_by_year_hand_computed(history):
    rows = history.json("mission", "report", "--by", "year")
    assert [list(r) for r in rows] == [["year", *KEYS]] * 2
    y2026, y2027 = rows
    xof_2026 = Decimal(500_000 + 40_000 * 10)
    assert y2026 == {
        "year": 2026,
        "missions": 1,
        "consultants": 1,
        "new_consultants": 1,
        "returning_consultants": 0,
        "person_days": 10,
        "cost_eur": eur(xof_2026 / PARITY),
        "cost_xof": 900_000,
        "mean_cost_eur": eur(xof_2026 / PARITY),
        "hours_taught": 0,
        "people_trained": 12,
        "theses_supervised": 0,
        "mean_rating": 5.0,
    }
    eur_2027 = Decimal(600 + 50 * 7 + 100)
    xof_2027 = Decimal(400_000 + 50_000 * 14 + 100_000)
    total_xof = eur_2027 * PARITY + xof_2027
    assert y2027 == {
        "year": 2027,
        "missions": 2,
        "consultants": 2,
        "new_consultants": 1,
        "returning_consultants": 1,
        "person_days": 21,
        "cost_eur": eur(eur_2027 + xof_2027 / PARITY),
        "cost_xof": int(total_xof.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)),
        "mean_cost_eur": eur((eur_2027 + xof_2027 / PARITY) / 2),
        "hours_taught": 30,
        "people_trained": 0,
        "theses_supervised": 0,
        "mean_rating": 4.0,
    }


def test_two_keys_csv_and_filters(history):
    rows = history.csv("mission", "report", "--by", "year,institution")
    assert [(r["year"], r["institution"], r["missions"]) for r in rows] == [
        ("2026", "FAST", "1"),
        ("2027", "FAST", "1"),
        ("2027", "ISFRA", "1"),
    ]
    by_programme = history.json("mission", "report", "--by", "programme", "--programme", "TALMALI")
    assert [(r["programme"], r["missions"], r["cost_xof"]) for r in by_programme] == [("TALMALI", 1, 688755)]
    only_fast = history.json("mission", "report", "--by", "funder", "--institution", "FAST", "--from", "2027-01-01")
    assert [(r["funder"], r["missions"], r["new_consultants"], r["returning_consultants"]) for r in only_fast] == [
        ("PNUD", 1, 1, 0)
    ]
    with_cancelled = history.json("mission", "report", "--by", "status", "--status", "cancelled", "--status", "planned")
    assert [(r["status"], r["missions"]) for r in with_cancelled] == [("cancelled", 1), ("planned", 2)]


def test_new_versus_returning_by_month_and_by_consultant(history):
    months = {
        r["month"]: (r["new_consultants"], r["returning_consultants"])
        for r in history.json("mission", "report", "--by", "month")
    }
    assert months == {"2026-01": (1, 0), "2027-02": (1, 0), "2027-03": (0, 1)}
    people = {
        r["consultant"]: r["missions"]
        for r in history.json("mission", "report", "--by", "consultant", "--from", "2027-01-01")
    }
    assert people == {"Aminata Traoré": 1, "Moussa Keïta": 1}
    returning = history.json("mission", "report", "--by", "country", "--from", "2027-01-01")
    assert {r["country"]: (r["new_consultants"], r["returning_consultants"]) for r in returning} == {
        "FR": (0, 1),
        "SN": (1, 0),
    }


def test_total_row_in_table_formats_only(history):
    table = history.ok("mission", "report", "--by", "year", "-f", "tsv").stdout
    assert "Total" not in table
    markdown = history.ok("mission", "report", "--by", "year", "-f", "markdown").stdout
    last = markdown.strip().splitlines()[-1]
    assert "Total" in last and "| 3 " in last


def test_html_report_is_self_contained(history):
    page = history.ok("mission", "report", "--by", "year", "-f", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "http" not in page


def test_unknown_key_is_a_usage_error(history):
    result = history("mission", "report", "--by", "colour")
    assert result.exit_code == 2
    assert "unknown key colour" in result.stderr
