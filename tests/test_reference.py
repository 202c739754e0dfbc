"""Vocabularies and value parsers (services, no CLI)."""

from __future__ import annotations

import contextlib

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maliext_cli import i18n
from maliext_cli.errors import FieldError
from maliext_cli.reference import disciplines, iso, vocab
from maliext_cli.services import cells, parse
from maliext_cli.text import fold


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Côte d'Ivoire", "CI"),
        ("cote d ivoire", "CI"),
        ("Etats-Unis", "US"),
        ("États-Unis", "US"),
        ("USA", "US"),
        ("fr", "FR"),
        ("Sénégal", "SN"),
        ("senegal", "SN"),
        ("Germany", "DE"),
        ("Allemagne", "DE"),
        ("RDC", "CD"),
        ("République de Corée", "KR"),
        ("Royaume-Uni", "GB"),
    ],
)
def test_countries_by_code_or_french_or_english_name(typed, code):
    assert iso.country(typed) == code


def test_unknown_country_suggests():
    with pytest.raises(FieldError, match="did you mean FR"):
        iso.country("Fraance")


def test_embedded_code_lists_match_pycountry():
    assert {c.alpha_2 for c in pycountry.countries} == iso.COUNTRY_CODES
    assert {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")} == iso.LANGUAGE_CODES


@pytest.mark.parametrize(
    ("typed", "code"), [("bm", "bm"), ("Bambara", "bm"), ("anglais", "en"), ("Français", "fr"), ("peul", "ff")]
)
def test_languages(typed, code):
    assert iso.language(typed) == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0531", "0531"),
        ("531", "0531"),
        ("Chimie", "0531"),
        ("chemistry", "0531"),
        ("Droit", "0421"),
        ("Sciences de l'éducation", "0111"),
        ("mathematiques", "0541"),
        ("informatique", "0613"),
    ],
)
def test_disciplines_by_code_or_name(typed, code):
    assert disciplines.resolve(typed) == code


def test_discipline_near_miss_suggests_in_the_interface_language():
    with pytest.raises(FieldError, match="did you mean '0531 Chemistry'"):
        disciplines.resolve("chimmie")
    with i18n.speaking("fr"), pytest.raises(FieldError, match="vouliez-vous dire '0531 Chimie'"):
        disciplines.resolve("chimmie")


def test_broad_field_is_not_a_discipline():
    with pytest.raises(FieldError, match="broad ISCED-F field"):
        disciplines.resolve("05")


def test_isced_table_is_consistent():
    codes = disciplines.BY_CODE
    for d in disciplines.ALL:
        assert len(d.code) in (2, 3, 4)
        if len(d.code) > 2:
            assert d.code[:-1] in codes, f"{d.code} has no parent"
        assert d.name_fr and d.name_en
    assert len(disciplines.DETAILED) > 80


def test_mali_regions_are_the_19_regions_and_bamako():
    assert len(vocab.REGION.terms) == 20
    assert vocab.REGION.resolve("Ségou") == "segou"
    assert vocab.REGION.resolve("ML-BKO") == "bamako"
    assert vocab.REGION.resolve("Nioro du Sahel") == "nioro"


def test_vocabulary_accepts_labels_and_aliases():
    assert vocab.DEGREE.resolve("Doctorat") == "doctorat"
    assert vocab.DEGREE.resolve("PhD") == "doctorat"
    assert vocab.DEGREE.resolve("Ingénieur") == "ingenieur"
    assert vocab.CURRENCY.resolve("FCFA") == "XOF"
    with pytest.raises(FieldError, match="expected one of: licence, master"):
        vocab.DEGREE.resolve("bac")


def test_fold():
    assert fold("École") == "ecole"
    assert fold("Chimie-Organique") == fold("chimie organique")
    assert fold("  Cœur  d’Ivoire ") == "coeur d ivoire"


@pytest.mark.parametrize(
    ("typed", "hundredths"),
    [("1500", 150000), ("1 500,50", 150050), ("1500.5", 150050), ("12 000", 1200000), (750, 75000)],
)
def test_money(typed, hundredths):
    assert parse.money(typed) == hundredths


@pytest.mark.parametrize("typed", ["1,500.50", "1,555", "-3", "abc", "1.234", "12 000 FCFA", "400 €", "300EUR"])
def test_money_refused(typed):
    with pytest.raises(FieldError):
        parse.money(typed)


@pytest.mark.parametrize(
    ("typed", "iso_date"), [("2027-02-01", "2027-02-01"), ("01/02/2027", "2027-02-01"), ("1/2/2027", "2027-02-01")]
)
def test_dates(typed, iso_date):
    assert parse.iso_date(typed) == iso_date


@pytest.mark.parametrize("typed", ["2027-02-30", "2027/02/01", "tomorrow", "1800-01-01"])
def test_dates_refused(typed):
    with pytest.raises(FieldError):
        parse.iso_date(typed)


@pytest.mark.parametrize("typed", ["a@b.org", "aminata.traore@univ-bamako.ml", "x+tag@example.co.uk"])
def test_emails(typed):
    assert parse.email(typed) == typed


@pytest.mark.parametrize("typed", ["a@b", "a b@c.org", "@c.org", "a@@c.org", "a@c..org"])
def test_emails_refused(typed):
    with pytest.raises(FieldError):
        parse.email(typed)


@pytest.mark.parametrize("typed", ["Tra\x00oré", "Tra\u202eoré", "A\nB", "x" * 301])
def test_line_refuses_controls_bidi_and_huge_text(typed):
    with pytest.raises(FieldError):
        parse.line(typed)


def test_line_normalises():
    assert parse.line("  Keïta   Moussa ") == "Keïta Moussa"
    assert parse.line("Ke\u0069\u0308ta") == "Keïta"  # decomposed input stored composed


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("-12.5", "-12.5"),
        ("'=x", "''=x"),
        ("'abc", "'abc"),
        ("plain", "plain"),
    ],
)
def test_spreadsheet_cells_round_trip(value, exported):
    assert cells.neutralise(value) == exported
    assert cells.restore(exported) == value


PARSERS = [
    parse.line,
    parse.text,
    parse.email,
    parse.phone,
    parse.money,
    parse.iso_date,
    parse.integer,
    parse.year,
    iso.country,
    iso.language,
    disciplines.resolve,
    vocab.DEGREE.resolve,
    vocab.REGION.resolve,
]


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(
        st.text(),
        st.binary().map(lambda b: b.decode("utf-8", "surrogateescape")),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
    )
)
def test_parsers_raise_only_field_errors(value):
    for parser in PARSERS:
        with contextlib.suppress(FieldError):
            parser(value)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cells_round_trip_any_text(value):
    assert cells.restore(cells.neutralise(value)) == value


@pytest.mark.parametrize("language", i18n.available())
def test_every_printed_label_is_read_back(language):
    """What `ref` and the reports print is accepted as input, in every language: a French
    user may paste a French label, an English one an English label."""
    with i18n.speaking(language):
        for vocabulary in vocab.ALL.values():
            for code in vocabulary.codes:
                assert vocabulary.resolve(vocabulary.label(code)) == code, (vocabulary.name, code)
        for field in disciplines.DETAILED:
            assert disciplines.resolve(field.name()) == field.code


def test_vocabulary_messages_in_french():
    with i18n.speaking("fr"), pytest.raises(FieldError) as raised:
        vocab.DEGREE.resolve("bac")
    assert str(raised.value) == (
        "'bac' n'est pas une valeur admise pour «\u202fdiplôme\u202f»\u202f; "
        "valeurs attendues\u202f: licence, master, dea, dess, ingenieur, doctorat, hdr"
    )
    with i18n.speaking("fr"), pytest.raises(FieldError, match="vouliez-vous dire FR \\(France\\)"):
        iso.country("Fraance")
    with i18n.speaking("fr"), pytest.raises(FieldError, match="est un grand domaine de la CITE-F \\(Sciences"):
        disciplines.resolve("05")
    assert iso.country_name("DE", "fr") == "Allemagne" and iso.country_name("DE", "en") == "Germany"
    assert iso.language_name("en", "fr") == "Anglais" and iso.language_name("en", "en") == "English"
