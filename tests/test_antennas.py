"""`maliext antenna` and `maliext agreement`: fields, rules, references, import/export."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from maliext_cli import clock

from .conftest import Cli, add_consultant, digest

ANTENNA_KEYS = [
    "id",
    "uid",
    "code",
    "city",
    "country",
    "coordinator",
    "email",
    "consultants",
    "created_at",
    "updated_at",
]
AGREEMENT_KEYS = [
    "id",
    "uid",
    "title",
    "institution",
    "partner",
    "partner_country",
    "status",
    "signed_on",
    "consultant",
    "notes",
    "institution_acronym",
    "consultant_name",
    "created_at",
    "updated_at",
]


@pytest.fixture
def antennas(cli):
    cli.ok("antenna", "add", "--code", "paris", "--city", "Paris", "--country", "France", "-q")
    cli.ok("antenna", "add", "--code", "DAKAR", "--city", "Dakar", "--country", "Sénégal", "--email", "a@x.org", "-q")
    add_consultant(
        cli, family_name="Traoré", given_names="Aminata", country="FR", degree="hdr", discipline="0531",
        email="aminata@x.org", antenna="Paris",
    )  # fmt: skip
    return cli


def test_antenna_add_list_show_json(antennas):
    rows = antennas.json("antenna", "list")
    assert [list(r) for r in rows] == [ANTENNA_KEYS, ANTENNA_KEYS]
    assert [(r["code"], r["country"], r["consultants"]) for r in rows] == [("DAKAR", "SN", 0), ("PARIS", "FR", 1)]
    shown = antennas.json("antenna", "show", "paris")
    assert shown["code"] == "PARIS" and shown["consultants"] == 1
    assert [c["name"] for c in shown["consultant_list"]] == ["Aminata Traoré"]
    assert [r["code"] for r in antennas.json("antenna", "list", "--country", "Sénégal")] == ["DAKAR"]


def test_antenna_mistakes_change_nothing(antennas, db):
    before = digest(db)
    for args, code, message in (
        (("add", "--code", "PARIS"), 1, "code PARIS is already used by antenna 1"),
        (("add", "--code", "P"), 1, "is not an antenna code"),
        (("add", "--code", "TOKYO", "--country", "Atlantide"), 1, "unknown country 'Atlantide'"),
        (("add", "--code", "TOKYO", "--email", "pas-un-courriel"), 1, "is not a valid e-mail address"),
        (("add", "--city", "Tokyo"), 1, "code: is required"),
        (("show", "TOKYO"), 3, "no antenna 'TOKYO'"),
        (("edit", "PARIS", "--code", "PARIS-IDF"), 1, "antenna PARIS is the antenna of 1 consultant;"),
        (("remove", "PARIS", "--yes"), 1, "antenna PARIS is the antenna of 1 consultant\n"),
        (("edit", "PARIS"), 2, "nothing to change"),
    ):
        result = antennas("antenna", *args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert "maliext consultant list --antenna PARIS" in antennas("antenna", "remove", "PARIS", "--yes").stderr
    assert digest(db) == before


def test_antenna_removed_or_renamed_once_nobody_carries_it(antennas):
    antennas.ok("consultant", "edit", "aminata@x.org", "--antenna", "DAKAR")
    antennas.ok("antenna", "edit", "PARIS", "--code", "PARIS-IDF", "--coordinator", "Mamadou Keïta")
    assert antennas.json("antenna", "show", "PARIS-IDF")["coordinator"] == "Mamadou Keïta"
    antennas.ok("antenna", "remove", "PARIS-IDF", "--yes")
    assert [r["code"] for r in antennas.json("antenna", "list")] == ["DAKAR"]
    antennas.ok("antenna", "edit", "DAKAR", "--city", "Thiès")  # same code: allowed while carried


def test_antenna_export_import_round_trip(antennas, tmp_path):
    exported = antennas.ok("antenna", "export").stdout
    assert exported.splitlines()[0] == ",".join(ANTENNA_KEYS)
    other = Cli(tmp_path / "other.db")
    other.ok("antenna", "import", "-", input=exported)
    assert [(r["uid"], r["code"], r["email"]) for r in other.json("antenna", "list")] == [
        (r["uid"], r["code"], r["email"]) for r in antennas.json("antenna", "list")
    ]
    french = "code;ville;pays;coordinateur;courriel\nGENEVE;Genève;Suisse;Rokia Gassama;antenne.geneve@example.org\n"
    antennas.ok("antenna", "import", "-", input=french)
    assert antennas.json("antenna", "show", "GENEVE")["country"] == "CH"
    again = antennas("antenna", "import", "-", input=french)
    assert again.exit_code == 1 and "use --upsert" in again.stderr


# ------------------------------------------------------------------------ agreements
@pytest.fixture
def parties(cli):
    cli.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "-q")
    add_consultant(
        cli, family_name="Keïta", given_names="Moussa", country="CA", degree="doctorat", discipline="0541",
        email="moussa@x.org",
    )  # fmt: skip
    return cli


def _agreement(cli, *args: str):
    return cli(
        "agreement",
        "add",
        "--title",
        "DEA de mathématiques",
        "--institution",
        "FAST",
        "--partner",
        "Université Laval",
        *args,
    )


def test_agreement_add_with_references_and_json_keys(parties):
    result = _agreement(
        parties, "--partner-country", "Canada", "--status", "signé", "--signed-on", "12/03/2021",
        "--consultant", "moussa@x.org", "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert list(shown) == AGREEMENT_KEYS
    assert (shown["status"], shown["signed_on"], shown["partner_country"]) == ("signed", "2021-03-12", "CA")
    assert (shown["institution_acronym"], shown["consultant_name"]) == ("FAST", "Moussa Keïta")
    assert _agreement(parties, "-q").exit_code == 0
    assert [r["status"] for r in parties.json("agreement", "list", "--status", "negotiated")] == ["negotiated"]
    assert len(parties.json("agreement", "list", "--institution", "FAST", "--consultant", "moussa@x.org")) == 1


def test_agreement_signature_rules(parties, db):
    before = digest(db)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    for args, code, message in (
        (("--status", "signed"), 1, "a signed agreement needs its date of signature"),
        (("--status", "signed", "--signed-on", tomorrow), 1, f"signed_on: {tomorrow} is in the future"),
        (("--signed-on", "2020-01-01"), 1, "a negotiated agreement is not signed yet"),
        (("--status", "abandoned"), 1, "'abandoned' is not a known agreement status"),
        (("--institution", "NOPE"), 3, "institution: no institution 'NOPE'"),
        (("--consultant", "nobody@x.org"), 3, "consultant: no consultant 'nobody@x.org'"),
    ):
        result = _agreement(parties, *args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert digest(db) == before
    # An expired agreement may have been signed (then it counts as signed) or not.
    assert _agreement(parties, "--status", "expired", "-q").exit_code == 0
    assert _agreement(parties, "--status", "expired", "--signed-on", "2015-06-01", "-q").exit_code == 0


def test_agreement_edit_checks_the_row_as_it_will_be(parties):
    ref = _agreement(parties, "--status", "signed", "--signed-on", "2021-03-12", "-q").stdout.strip()
    refused = parties("agreement", "edit", ref, "--status", "negotiated")
    assert refused.exit_code == 1 and "--signed-on ''" in refused.stderr
    parties.ok("agreement", "edit", ref, "--status", "negotiated", "--signed-on", "")
    assert parties.json("agreement", "show", ref)["signed_on"] is None


def test_referenced_institution_and_consultant_are_kept(parties):
    _agreement(parties, "--consultant", "moussa@x.org", "-q")
    institution = parties("institution", "remove", "FAST", "--yes")
    assert institution.exit_code == 1 and "referenced by 1 agreement" in institution.stderr
    consultant = parties("consultant", "remove", "moussa@x.org", "--yes")
    assert consultant.exit_code == 1 and "referenced by 1 agreement" in consultant.stderr


def test_agreement_import_french_headers(parties):
    data = (
        "titre,établissement,partenaire,pays du partenaire,statut,signé le,consultant,remarques\n"
        "MIAGE,FAST,Université de Montréal,CA,signed,2019-09-18,moussa@x.org,\n"
        "Co-tutelle,FAST,Université Gaston Berger,Sénégal,negotiated,,,En attente\n"
    )
    result = parties("agreement", "import", "-", input=data)
    assert result.exit_code == 0, result.stderr
    rows = parties.json("agreement", "list")
    assert [(r["title"], r["partner_country"], r["consultant_name"]) for r in rows] == [
        ("MIAGE", "CA", "Moussa Keïta"),
        ("Co-tutelle", "SN", None),
    ]
    bad = parties("agreement", "import", "-", input=data.replace("2019-09-18", ""))
    assert bad.exit_code == 1 and "line 2: a signed agreement needs its date of signature" in bad.stderr
