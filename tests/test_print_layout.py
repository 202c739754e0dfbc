"""Every HTML output of maliext printed on A4 by headless Chromium, in French and in
English, on the example data: each page A4, no table wider than the page (no column
lost), no figure or date cut across two lines, table headers repeated on every page, and
the page counts that the README announces. See tests/browser.py for how it is measured.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser import Chromium
from .conftest import Cli

README = Path(__file__).resolve().parents[1] / "README.md"

# Every command that writes HTML, as a person would run it on the example data.
OUTPUTS = {
    "annual report": ("report", "annual", "--year", "2025", "-f", "html"),
    "summary": ("report", "summary", "-f", "html"),
    # 14 columns: the widest table of the grouped reports (issue 13: six were lost).
    "mission report": ("mission", "report", "--by", "year,institution", "-f", "html"),
    "mission report, every group": ("mission", "report", "--by", "year,programme,type,funder", "-f", "html"),
    "association report": ("association", "report", "--by", "country,level", "-f", "html"),
    "project report": ("project", "report", "--by", "sector,region", "-f", "html"),
}
LANGUAGES = ("fr", "en")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each output in each language, written to a file, from one demo database."""
    from maliext_cli.services import demo
    from maliext_cli.store import Store

    folder = tmp_path_factory.mktemp("print")
    store = Store.open(folder / "demo.db", command_line="maliext demo")
    demo.build(store, demo.examples_dir())
    store.close()
    cli = Cli(folder / "demo.db")
    written = {}
    for name, args in OUTPUTS.items():
        for lang in LANGUAGES:
            path = folder / f"{name.replace(' ', '-').replace(',', '')}-{lang}.html"
            if args[0] == "report" or args[:2] == ("mission", "report"):
                cli.ok(*args, "-o", str(path), env={"MALIEXT_LANG": lang})
            else:  # association and project reports write to standard output only
                path.write_text(cli.ok(*args, env={"MALIEXT_LANG": lang}).stdout, encoding="utf-8")
            assert f'<html lang="{lang}">' in path.read_text(encoding="utf-8")
            written[name, lang] = path
    return written


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with Chromium(tmp_path_factory.mktemp("chromium-profile")) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def layouts(pages, browser) -> dict:
    return {key: browser.layout(path) for key, path in pages.items()}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", OUTPUTS)
def test_every_html_output_prints_on_a4_without_losing_a_column(layouts, name, lang):
    layout = layouts[name, lang]
    assert layout.tables > 0
    assert not layout.too_wide, f"tables wider than the page ({layout.width} px): {layout.too_wide}"
    assert not layout.wrapped, f"figures or dates cut across two lines: {layout.wrapped[:5]}"
    assert not layout.headless, f"tables whose header is not repeated on each page: {layout.headless}"


def test_wide_tables_get_landscape_pages_and_reports_stay_portrait(layouts):
    for lang in LANGUAGES:
        assert layouts["mission report", lang].landscape  # 14 columns
        assert layouts["mission report, every group", lang].landscape
        assert not layouts["annual report", lang].landscape
        assert not layouts["summary", lang].landscape


def test_page_counts_are_the_ones_the_readme_gives(layouts):
    """The annual report is announced in the README by its number of pages; the summary
    fits on two."""
    said = re.search(r"the report for 2025 prints on (\d+) A4 pages in French as in English", README.read_text())
    assert said, "README.md (section Reports) says how many pages the annual report takes"
    for lang in LANGUAGES:
        assert layouts["annual report", lang].pages == int(said.group(1)), lang
        assert layouts["summary", lang].pages <= 2, lang


def test_mission_report_html_takes_an_output_file(pages):
    page = pages["mission report", "fr"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4 landscape; }" in page
    assert len(re.findall(r"<th[ >]", page)) == 14
