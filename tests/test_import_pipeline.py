"""The one import pipeline: every noun's import keeps the rules of its `add`, and the
consultants' batch form of their duplicate warnings agrees with the row form."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maliext_cli.errors import Invalid
from maliext_cli.services import consultants, importer, importing, institutions
from maliext_cli.store import Store

from .conftest import digest

CONSULTANTS = (
    "family_name,given_names,country,degree,discipline,email\n"
    "Traoré,Aminata,FR,hdr,0531,a@example.org\n"
    "Peeters,Awa,BE,doctorat,0531,b@example.org\n"
)
INSTITUTIONS = "name,acronym,kind\nFaculté des Sciences et Techniques,FAST,faculty\nInstitut belge,IB,institute\n"


def _no_belgians(self, store, values, current):
    """A rule a maintainer might add to a noun's `check`."""
    if values.get("country") == "BE" or values.get("acronym") == "IB":
        raise Invalid("the programme takes no one from here")
    return []


@pytest.mark.parametrize(
    ("noun", "cls", "data", "add"),
    [
        (
            "consultant",
            consultants.Consultants,
            CONSULTANTS,
            [
                "--family-name",
                "P",
                "--given-names",
                "A",
                "--country",
                "BE",
                "--degree",
                "master",
                "--discipline",
                "0531",
            ],
        ),
        ("institution", institutions.Institutions, INSTITUTIONS, ["--name", "Institut belge", "--acronym", "IB"]),
    ],
)
def test_a_rule_added_to_check_is_kept_by_add_and_by_import(cli, db, monkeypatch, noun, cls, data, add):
    monkeypatch.setattr(cls, "check", _no_belgians)
    cli.ok("init")
    before = digest(db)
    refused = cli(noun, "add", *add)
    assert refused.exit_code == 1 and "the programme takes no one from here" in refused.stderr
    refused = cli(noun, "import", "-", input=data)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "Error: 1 of 2 lines is invalid; nothing was imported",
        "  line 3: the programme takes no one from here",
    ]
    assert digest(db) == before


NAMES = st.sampled_from(["Traoré", "TRAORE", "Keïta", "Keita", "Diallo"])
GIVEN = st.sampled_from(["Aminata", "aminata", "Moussa"])
YEARS = st.sampled_from([None, 1960, 1975])
PEOPLE = st.lists(st.tuples(NAMES, GIVEN, YEARS), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(here=st.lists(st.tuples(NAMES, GIVEN, YEARS), max_size=4), rows=PEOPLE, batch=st.integers(1, 5))
def test_duplicate_batches_agree_with_duplicates(tmp_path_factory, monkeypatch, here, rows, batch):
    """The warnings of an import (new rows checked a batch at a time, in bulk) are the
    ones `duplicates` gives when the same rows are added one by one."""
    monkeypatch.setattr(importer, "BATCH_ROWS", batch)
    folder = tmp_path_factory.mktemp("agree")
    by_import, by_add = Store.open(folder / "import.db"), Store.open(folder / "add.db")
    noun = consultants.NOUN

    def person(family, given_name, year, n):
        values = {
            "family_name": family,
            "given_names": given_name,
            "country": "FR",
            "degree": "master",
            "discipline": "0531",
            "email": f"p{n}@example.org",
        }
        if year is not None:
            values["birth_year"] = year
        return values

    for store in (by_import, by_add):
        for n, (family, given_name, year) in enumerate(here):
            noun.add(store, person(family, given_name, year, n))
    people = [person(f, g, y, 100 + n) for n, (f, g, y) in enumerate(rows)]
    source = importing.read(json.dumps(people).encode(), input_format="json")
    warned = noun.import_source(by_import, source).warnings
    expected = [f"record {n}: {w}" for n, values in enumerate(people, 1) for w in noun.add(by_add, values).warnings]
    assert warned == expected
