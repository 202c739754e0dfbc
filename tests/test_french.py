"""The interface in French, as issue 13 asks for it: chosen by MALIEXT_LANG or by the
locale (LANG, LC_MESSAGES, LC_ALL), for help, an error with its hint, a question, a
table header and `ref degrees`; the files scripts read are the same bytes in every
language. Other files test the French of their own commands; this one is the contract."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import AMINATA, Cli, add_consultant, digest

NNBSP = "\u202f"
# The two ways a French-speaking user gets French: the variable, or a French locale
# (MALIEXT_LANG unset: the locale decides).
FRENCH = {
    "MALIEXT_LANG": {"MALIEXT_LANG": "fr"},
    "LANG": {"MALIEXT_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "fr_FR.UTF-8"},
}


@pytest.fixture(params=list(FRENCH), ids=list(FRENCH))
def french(request) -> dict:
    return FRENCH[request.param]


def test_help_is_in_french(cli, french):
    result = cli("consultant", "add", "--help", env=french, db=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Usage\u202f: maliext consultant add [OPTIONS]"
    assert f"Options{NNBSP}:" in lines and f"  Exemples{NNBSP}:" in lines
    assert "  Ajouter un consultant au répertoire." in lines
    assert "Afficher cette aide et quitter." in result.stdout
    assert "Show this message" not in result.stdout and "Examples:" not in result.stdout
    # The example command lines are code: the same in every language.
    english = cli("consultant", "add", "--help", db=False).stdout
    assert [line for line in lines if "maliext consultant add --" in line] == [
        line for line in english.splitlines() if "maliext consultant add --" in line
    ]


def test_an_error_and_its_hint_are_in_french(cli, db, french):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    result = cli("consultant", "show", "personne@example.org", env=french)
    assert result.exit_code == 3 and result.stdout == ""
    first, *rest = result.stderr.splitlines()
    assert first.startswith(f"Erreur{NNBSP}: ") and "introuvable" in first
    assert rest and not rest[0].startswith("Error")  # the hint, in French too
    usage = cli("consultant", "availability", "add", "1", "--end", "2027-03-31", env=french)
    assert usage.exit_code == 2
    assert f"Erreur{NNBSP}: Option manquante '--start'." in usage.stderr
    assert digest(db) == before


def test_a_question_is_asked_and_answered_in_french(cli, db, french, monkeypatch):
    from maliext_cli.cli import common

    add_consultant(cli, *AMINATA)
    monkeypatch.setattr(common, "interactive", lambda: True)
    kept = cli("consultant", "remove", "1", input="non\n", env=french)
    assert kept.exit_code == 1
    assert f"Supprimer le consultant 1{NNBSP}? [o/N]{NNBSP}:" in kept.stderr
    assert cli.json("consultant", "list")[0]["id"] == 1
    removed = cli("consultant", "remove", "1", input="o\n", env=french)
    assert removed.exit_code == 0, removed.stderr
    assert cli.json("consultant", "list") == []


def test_table_headers_and_labels_are_in_french(cli, french):
    add_consultant(cli, *AMINATA)
    table = cli.ok("consultant", "list", env=french).stdout.splitlines()
    header = table[0].split()
    assert "Nom" in header and "Pays" in header and "Diplôme" in header
    assert "family_name" not in table[0]


def test_ref_degrees_in_french(cli, french):
    rows = list(csv.DictReader(io.StringIO(cli.ok("ref", "degrees", "-f", "csv", env=french, db=False).stdout)))
    assert [r["code"] for r in rows] == ["licence", "master", "dea", "dess", "ingenieur", "doctorat", "hdr"]
    names = {r["code"]: r["name"] for r in rows}
    assert names["ingenieur"] == "Diplôme d'ingénieur" and names["hdr"].startswith("HDR (habilitation")


EXPORTED = ("consultant", "institution", "need", "mission", "association", "project")


def test_exports_are_the_same_bytes_in_every_language(demo_db):
    """What scripts and other sites read: keys, headers and codes never change."""
    site = Cli(demo_db)
    for noun in EXPORTED:
        for fmt in ("csv", "json"):
            english = site.ok(noun, "export", "-f", fmt).stdout
            for env in FRENCH.values():
                assert site.ok(noun, "export", "-f", fmt, env=env).stdout == english, (noun, fmt)
    summary = site.ok("report", "summary", "-f", "json").stdout
    assert site.ok("report", "summary", "-f", "json", env=FRENCH["LANG"]).stdout == summary
    assert json.loads(summary)["consultants"] > 0
