"""Mission papers (`mission document`): the letter fields of programmes, the four kinds in
French and English read back with html.parser, the reference that never changes, the
refusals, PDF through Chromium, and each paper printed in headless Chromium on one A4 page
(its PNG photographed, as a person would look at it)."""

from __future__ import annotations

import os
import re
import stat
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from . import mission_world
from .browser import Chromium
from .conftest import Cli, digest

KINDS = ("tor", "invitation", "order", "certificate")
LANGS = ("fr", "en")
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return mission_world.template(tmp_path_factory.mktemp("papers"))


@pytest.fixture
def world(template, db) -> Cli:
    return mission_world.copy(template, db)


class Text(HTMLParser):
    """The text of a page, and the text of its elements by class."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.by_class: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []
        self.lang: str | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        for name in ("src", "href"):
            if attrs.get(name):
                self.external.append(attrs[name])
        if tag in ("br",):
            self.parts.append("\n")
            return
        self._open.append((tag, attrs.get("class")))
        if attrs.get("class"):
            self.by_class.setdefault(attrs["class"], []).append("")

    def handle_endtag(self, tag):
        while self._open:
            opened, _css = self._open.pop()
            if opened == tag:
                break
        self.parts.append("\n")

    def handle_data(self, data):
        if any(tag in ("style", "title") for tag, _ in self._open):
            return
        self.parts.append(data)
        for _tag, css in self._open:
            if css:
                self.by_class[css][-1] += data

    @property
    def text(self) -> str:
        return re.sub(r"[ \t]+", " ", "".join(self.parts))

    def first(self, css: str) -> str:
        return self.by_class[css][0].strip()


def read(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    parser.close()
    return parser


def document(cli: Cli, mission: str, kind: str, lang: str | None = None, *extra: str, env: dict | None = None):
    args = ["mission", "document", mission, "--kind", kind, *(("--lang", lang) if lang else ()), *extra]
    return cli(*args, env=env)


# ------------------------------------------------------------------ programmes
def test_programmes_carry_the_fields_of_letters(world):
    shown = world.json("programme", "show", "TOKTEN")
    assert shown["letterhead"] == mission_world.LETTERHEAD
    assert shown["address"] == mission_world.ADDRESS
    assert (shown["city"], shown["email"], shown["signatory"]) == ("Bamako", "tokten@example.org", "Dr Amadou Diarra")
    assert shown["signatory_title"] == "Coordonnateur national du programme TOKTEN-Mali"
    assert shown["reference_prefix"] is None
    assert world.json("programme", "show", "TALMALI")["reference_prefix"] == "MESRS/TALMALI"
    world.ok("programme", "edit", "TALMALI", "--reference-prefix", "mesrs/talmali-2")
    assert world.json("programme", "show", "TALMALI")["reference_prefix"] == "MESRS/TALMALI-2"


def test_programme_letter_fields_travel_in_exports_with_french_headers(world, tmp_path):
    exported = world.csv("programme", "export")
    assert {"letterhead", "address", "city", "email", "signatory", "signatory_title", "reference_prefix"} <= set(
        exported[0]
    )
    other = Cli(tmp_path / "other.db")
    path = tmp_path / "programmes.csv"
    path.write_text(
        "sigle;en-tête;adresse;signataire;titre du signataire;préfixe\n"
        'UNESCO-ML;"Commission nationale\nPour l\'UNESCO";BP 119 Bamako;Awa Touré;Secrétaire générale;CNU\n',
        encoding="utf-8",
    )
    other.ok("programme", "import", str(path))
    row = other.json("programme", "show", "UNESCO-ML")
    assert row["letterhead"] == "Commission nationale\nPour l'UNESCO"
    assert (row["signatory"], row["signatory_title"], row["reference_prefix"]) == ("Awa Touré", "Secrétaire générale", "CNU")


@pytest.mark.parametrize("prefix", ["TOK TEN", "A" * 41, "<b>", "/"])
def test_a_bad_reference_prefix_is_refused(world, db, prefix):
    before = digest(db)
    result = world("programme", "edit", "TOKTEN", "--reference-prefix", prefix)
    assert result.exit_code == 1 and result.stderr.startswith("Error: reference_prefix:"), result.stderr
    assert digest(db) == before


# ---------------------------------------------------------------- the papers
EXPECTED = {
    "fr": {
        "place": "Bamako, le 30 juin 2027",
        "period": "du 1er février 2027 au 21 février 2027",
        "days": "21 jours",
        "type": "encadrement de thèses et mémoires",
        "ref": "N° TOKTEN/2027/001",
    },
    "en": {
        "place": "Bamako, 30 June 2027",
        "period": "from 1 February 2027 to 21 February 2027",
        "days": "21 days",
        "type": "thesis supervision",
        "ref": "Ref. TOKTEN/2027/001",
    },
}
TITLES = {
    ("tor", "fr"): "Termes de référence",
    ("tor", "en"): "Terms of reference",
    ("invitation", "fr"): "Objet",
    ("invitation", "en"): "Subject",
    ("order", "fr"): "Ordre de mission",
    ("order", "en"): "Mission order",
    ("certificate", "fr"): "Attestation de mission",
    ("certificate", "en"): "Certificate of mission",
}
# What each kind must show, beyond what every paper shows, by language.
FIGURES = {
    ("tor", "fr"): ["DEA de chimie organique", "Encadrement de thèses et mémoires", "DEA", "chimie organique, catalyse",
                    "du 10 janvier 2027 au 31 mars 2027", "Le laboratoire ouvre un DEA de chimie organique.",
                    "Pour l'établissement d'accueil (FAST)"],
    ("tor", "en"): ["DEA de chimie organique", "Thesis supervision", "DEA", "chimie organique, catalyse",
                    "from 10 January 2027 to 31 March 2027", "For the host institution (FAST)"],
    ("invitation", "fr"): ["Madame,", "Dr Aminata Traoré", "CNRS", "Orléans, France", f"«{NNBSP}DEA de chimie organique{NNBSP}»",
                           "tokten@example.org", "Je vous prie d'agréer, Madame,"],
    ("invitation", "en"): ["Dear Madam,", "Dr Aminata Traoré", "CNRS", "Orléans, France", "“DEA de chimie organique”",
                           "tokten@example.org", "Yours faithfully,"],
    ("order", "fr"): ["TRAORÉ Aminata", "HDR", "CNRS", "Orléans, France", "PNUD", "650,00 €",
                      f"60,00 € × 21 jours = 1{NNBSP}260,00 €", "100,00 €", f"2{NNBSP}010,00 €",
                      f"1{NNBSP}318{NNBSP}474 FCFA", "655,957"],
    ("order", "en"): ["TRAORÉ Aminata", "HDR", "CNRS", "Orléans, France", "PNUD", "€650.00",
                      "€60.00 × 21 days = €1,260.00", "€100.00", "€2,010.00", "1,318,474 FCFA", "655.957"],
    ("certificate", "fr"): ["Nous, Dr Amadou Diarra, Coordonnateur national du programme TOKTEN-Mali, attestons que "
                            "Dr Aminata Traoré (HDR, CNRS)", "40 heures d'enseignement", "12 personnes formées",
                            "2 thèses et mémoires encadrés"],
    ("certificate", "en"): ["I, the undersigned, Dr Amadou Diarra, Coordonnateur national du programme TOKTEN-Mali, "
                            "certify that Dr Aminata Traoré (HDR, CNRS)", "40 hours taught", "12 people trained",
                            "2 theses and dissertations supervised"],
}


def _plain(text: str) -> str:
    """The page's text with no-break spaces read as spaces, except the narrow ones of
    French typography (kept: the figures are checked with them)."""
    return re.sub(r"[ \t\r\n\u00a0]+", " ", text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_paper_in_each_language_holds_its_figures(world, tmp_path, kind, lang):
    out = tmp_path / f"{kind}-{lang}.html"
    result = document(world, "1", kind, lang, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    page = read(out.read_text(encoding="utf-8"))
    assert page.lang == lang
    assert page.external == []  # self-contained: nothing fetched
    text = _plain(page.text)
    expected = EXPECTED[lang]
    assert page.first("reference") == expected["ref"]
    assert _plain(page.first("place-date")) == expected["place"]
    assert "Faculté des Sciences et Techniques (FAST), Université de Bamako" in text
    assert "PROGRAMME TOKTEN-MALI" in text.upper() and "Un Peuple – Un But – Une Foi" in text
    assert "Cité administrative, bâtiment 7, BP E 1234, Bamako" in text  # the address at the foot
    assert TITLES[kind, lang] in text
    if kind != "tor":
        assert expected["period"] in text
    for figure in FIGURES[kind, lang]:
        assert _plain(figure) in text, f"{figure!r} not in the {kind} ({lang}):\n{text}"
    if kind in ("invitation", "certificate"):
        assert expected["type"] in text and expected["days"] in text
    if kind != "tor":
        assert "Dr Amadou Diarra" in text  # the signature block


def test_papers_are_french_by_default_whatever_the_interface_language(world):
    result = world("mission", "document", "1", "--kind", "order")
    assert result.exit_code == 0, result.stderr
    page = read(result.stdout)
    assert page.lang == "fr" and "Ordre de mission" in page.text
    english = world("mission", "document", "1", "--kind", "order", "--lang", "en", env={"MALIEXT_LANG": "fr"})
    assert read(english.stdout).lang == "en"
    assert "Mission order" in english.stdout


def test_a_paper_without_letter_fields_names_the_programme_and_warns(world):
    result = world("mission", "document", "3", "--kind", "tor")  # TALMALI: no letterhead, no signatory
    assert result.exit_code == 0, result.stderr
    assert "Warning: programme TALMALI has no letterhead, signatory, signatory_title" in result.stderr
    page = read(result.stdout)
    assert page.first("reference") == "N° MESRS/TALMALI/2027/001"
    assert "TALMALI" in page.first("issuer")
    assert "Pour le programme TALMALI" in page.text


def test_a_mission_without_costs_says_so_on_its_order(world, db):
    world.ok("mission", "edit", "2", "--travel-cost", "0", "--per-diem", "0")
    text = _plain(read(world.ok("mission", "document", "2", "--kind", "order").stdout).text)
    assert "Le programme ne prend en charge aucun frais pour cette mission." in text


def test_an_order_in_francs_gives_the_euro_equivalent(world):
    text = _plain(read(world.ok("mission", "document", "2", "--kind", "order").stdout).text)
    # 450 000 + 25 000 × 14 days = 800 000 FCFA, that is 1 219,59 € at 655.957.
    assert f"25{NNBSP}000 FCFA × 14 jours = 350{NNBSP}000 FCFA" in text
    assert f"800{NNBSP}000 FCFA" in text and f"1{NNBSP}219,59 €" in text


# ----------------------------------------------------------------- references
def _reference(cli: Cli, mission: str) -> str | None:
    return cli.json("mission", "show", mission)["reference"]


def test_the_reference_is_given_once_and_never_changes(world, db):
    assert _reference(world, "1") is None
    world.ok("mission", "document", "1", "--kind", "tor")
    assert _reference(world, "1") == "TOKTEN/2027/001"
    world.ok("mission", "document", "2", "--kind", "invitation")
    assert _reference(world, "2") == "TOKTEN/2027/002"  # the next number of the prefix and year
    world.ok("mission", "document", "1", "--kind", "certificate")
    assert _reference(world, "1") == "TOKTEN/2027/001"  # every paper of a mission carries the same
    # Moved to another programme and year, the mission keeps its reference.
    world.ok("programme", "edit", "TOKTEN", "--reference-prefix", "MESRS/TOKTEN")
    world.ok("mission", "edit", "2", "--start-date", "2027-07-06")
    world.ok("mission", "document", "2", "--kind", "order")
    assert _reference(world, "2") == "TOKTEN/2027/002"
    # An export read back keeps it; a changed one is refused (exit 1, nothing written).
    exported = world.ok("mission", "export", "-f", "json").stdout
    before = digest(db)
    assert world("mission", "import", "-", "--upsert", "--input-format", "json", input=exported).exit_code == 0
    assert digest(db) == before
    changed = exported.replace("TOKTEN/2027/002", "TOKTEN/2027/009")
    result = world("mission", "import", "-", "--upsert", "--input-format", "json", input=changed)
    assert result.exit_code == 1 and "never changes" in result.stderr
    assert digest(db) == before


def test_references_are_unique_per_prefix_and_year_and_grow_past_the_highest(world):
    world.ok("mission", "document", "3", "--kind", "tor")
    assert _reference(world, "3") == "MESRS/TALMALI/2027/001"
    world.ok("mission", "document", "2", "--kind", "tor")
    assert _reference(world, "2") == "TOKTEN/2027/001"  # another prefix: numbered apart
    # A number taken by a mission read from another site's file is never given again.
    world.ok(
        "mission", "import", "-", "--input-format", "json",
        input='[{"consultant": "w@example.org", "institution": "FAST", "programme": "TOKTEN", "type": "lecture", '
        '"start_date": "2027-04-05", "end_date": "2027-04-16", "reference": "tokten/2027/007"}]',
    )
    world.ok("mission", "document", "1", "--kind", "tor")
    assert _reference(world, "1") == "TOKTEN/2027/008"
    duplicate = world(
        "mission", "import", "-", "--input-format", "json",
        input='[{"consultant": "w@example.org", "institution": "FAST", "programme": "TOKTEN", "type": "lecture", '
        '"start_date": "2027-05-03", "end_date": "2027-05-14", "reference": "TOKTEN/2027/008"}]',
    )
    assert duplicate.exit_code == 1 and "the reference TOKTEN/2027/008 is already mission 1's" in duplicate.stderr
    world.ok("programme", "edit", "TALMALI", "--reference-prefix", "")
    world.ok(
        "mission", "add", "--consultant", "w@example.org", "--institution", "FAST", "--programme", "TALMALI",
        "--type", "lecture", "--start-date", "2026-05-04", "--end-date", "2026-05-15", "-q",
    )
    world.ok("mission", "document", "5", "--kind", "tor")
    assert _reference(world, "5") == "TALMALI/2026/001"  # the code, and the mission's own year


def test_undo_takes_a_reference_back(world):
    world.ok("mission", "document", "1", "--kind", "tor")
    world.ok("undo", "--yes")
    assert _reference(world, "1") is None


def test_db_check_reports_a_reference_shared_by_two_missions(world, db):
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE mission SET reference = 'TOKTEN/2027/001' WHERE id IN (1, 2)")
        conn.execute("UPDATE mission SET reference = 'nonsense' WHERE id = 3")
    conn.close()
    result = world("db", "check")
    assert result.exit_code == 4
    assert result.stdout.splitlines() == [
        "mission 2: has the reference TOKTEN/2027/001, which mission 1 has too",
        "mission 3: reference 'nonsense' is not PREFIX/YEAR/NUMBER",
    ]


# ------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("mission", "kind", "code", "message"),
    [
        ("2", "certificate", 1, "Error: mission 2 is planned: a certificate is made for a completed mission only"),
        ("3", "certificate", 1, "Error: mission 3 is cancelled: a certificate is made for a completed mission only"),
        ("3", "order", 1, "Error: mission 3 is cancelled: no mission order is made for it"),
        ("9", "order", 3, "Error: no mission '9'"),
        ("1", "letter", 2, "Error: --kind: unknown kind 'letter'; use one of: tor, invitation, order, certificate"),
    ],
)
def test_papers_that_cannot_be_made_are_refused_and_nothing_is_written(world, db, tmp_path, mission, kind, code, message):
    before = digest(db)
    out = tmp_path / "paper.html"
    result = document(world, mission, kind, None, "-o", str(out))
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert digest(db) == before and not out.exists() and not list(tmp_path.glob("*.part"))


def test_a_refusal_speaks_french(world, db):
    before = digest(db)
    result = world("mission", "document", "2", "--kind", "certificate", env={"MALIEXT_LANG": "fr"})
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Erreur{NNBSP}: la mission 2 est prévue{NNBSP}: une attestation n'est établie que pour une mission achevée"
    )
    assert digest(db) == before


def test_unknown_format_and_language_are_usage_errors(world, db):
    before = digest(db)
    assert world("mission", "document", "1", "--kind", "order", "-f", "docx").exit_code == 2
    assert world("mission", "document", "1", "--kind", "order", "--lang", "xx").exit_code == 2
    assert digest(db) == before


# ------------------------------------------------------------- written files
def test_a_paper_is_written_new_readable_by_its_owner_only_never_through_a_link(world, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "paper.html"
    link.symlink_to(victim)
    world.ok("mission", "document", "1", "--kind", "order", "-o", str(link))
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink() and "Ordre de mission" in link.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(link).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.html", "victim.txt"]


# ------------------------------------------------------------------------ PDF
def test_pdf_is_printed_by_chromium(world, tmp_path):
    out = tmp_path / "ordre.pdf"
    result = world("mission", "document", "1", "--kind", "order", "-f", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_without_chromium_pdf_is_refused_with_what_to_install(world, db, tmp_path):
    before = digest(db)
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "ordre.pdf"
    result = world(
        "mission", "document", "1", "--kind", "order", "-f", "pdf", "-o", str(out),
        env={"PATH": str(empty), "MALIEXT_CHROMIUM": ""},
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: a PDF is printed by Chromium or Google Chrome, and neither was found on this machine"
    assert "apt-get install chromium" in lines[1] and "MALIEXT_CHROMIUM" in lines[1] and "-f html" in lines[1]
    assert digest(db) == before and not out.exists()  # no reference given either


def test_a_browser_that_fails_leaves_nothing_written(world, db, tmp_path):
    before = digest(db)
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    out = tmp_path / "ordre.pdf"
    result = world(
        "mission", "document", "1", "--kind", "order", "-f", "pdf", "-o", str(out), env={"MALIEXT_CHROMIUM": str(fake)}
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {fake} could not print the PDF (exit code 3)")
    assert "cannot open display" in result.stderr
    assert digest(db) == before and not out.exists()  # the reference given was taken back


# -------------------------------------------------------------------- layout
def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def printed(template, tmp_path_factory) -> dict:
    """Each kind in each language, written as HTML and printed in headless Chromium: the
    number of pages and their size, and a photograph (PNG) of the page."""
    folder = tmp_path_factory.mktemp("printed")
    cli = mission_world.copy(template, folder / "world.db")
    found = {}
    with Chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        for kind in KINDS:
            for lang in LANGS:
                path = folder / f"{kind}-{lang}.html"
                cli.ok("mission", "document", "1", "--kind", kind, "--lang", lang, "-o", str(path))
                pdf = browser.pdf(path)
                png = browser.png(path)
                (folder / f"{kind}-{lang}.png").write_bytes(png)
                boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
                found[kind, lang] = (len(re.findall(rb"/Type\s*/Page\b", pdf)), boxes, png)
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_paper_prints_on_one_a4_page(printed, kind, lang):
    pages, boxes, png = printed[kind, lang]
    assert pages == 1, f"the {kind} ({lang}) takes {pages} pages"
    assert [(round(float(w)), round(float(h))) for w, h in boxes] == [(595, 842)]  # A4 portrait, in points
    assert _png_size(png) == (794, 1123)  # A4 at 96 dpi
