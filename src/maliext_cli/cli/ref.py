"""`maliext ref ...`: the vocabularies that fields take their values from.

Each row is a code, unchanged in every language, and its name in the interface language
(MALIEXT_LANG, else the locale). `--search` finds a row by its code, its name, or any
word that input accepts for it (English and French names, aliases), whatever the
interface language: `ref disciplines --search chimie` finds chemistry in English too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Optional

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, FormatOption, SearchOption
from maliext_cli.i18n import _
from maliext_cli.reference import vocab
from maliext_cli.render import output
from maliext_cli.text import fold

# Vocabularies are part of maliext, not of a database: `--db` is accepted, like on every
# command, so that scripts can pass it everywhere, and it changes nothing here.
app = typer.Typer(
    help="Vocabularies: disciplines (ISCED-F 2013), degrees, mission types, regions, countries...", no_args_is_help=True
)
LEVELS = ("broad", "narrow", "detailed")


def _matching(rows: Sequence[tuple[dict, tuple[str, ...]]], search: str | None) -> list[dict]:
    """The rows whose words (shown, or accepted on input) hold every word of `search`."""
    if not search:
        return [row for row, _words in rows]
    wanted = fold(search).split()
    found = []
    for row, words in rows:
        text = fold(" ".join([*(str(v) for v in row.values()), *words]))
        if all(w in text for w in wanted):
            found.append(row)
    return found


@app.command("disciplines")
def disciplines(
    search: SearchOption = None,
    level: Annotated[
        Optional[str], typer.Option("--level", help="broad, narrow or detailed.", show_default=False)
    ] = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Fields of education and training (ISCED-F 2013): codes, levels and names.

    \b
    Examples:
      maliext ref disciplines --search chimie
      maliext ref disciplines --level broad
    """
    from maliext_cli.reference.disciplines import ALL

    fmt = common.format_name(fmt)
    if level and level not in LEVELS:
        raise common.usage(
            _("unknown level {level!r}; use broad, narrow or detailed").format(level=level),
        )
    rows = [
        ({"code": d.code, "level": d.level, "name": d.name()}, (d.name_en, d.name_fr))
        for d in ALL
        if not level or d.level == level
    ]
    output.records(_matching(rows, search), fmt)


@app.command("countries")
def countries(search: SearchOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Countries (ISO 3166-1 alpha-2) and their names.

    \b
    Example:
      maliext ref countries --search congo
    """
    from maliext_cli.reference import iso

    fmt = common.format_name(fmt)
    rows = [
        ({"code": code, "name": name}, (iso.country_name(code, "en"), iso.country_name(code, "fr")))
        for code, name in iso.all_countries()
    ]
    output.records(_matching(rows, search), fmt)


@app.command("languages")
def languages(search: SearchOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Languages (ISO 639-1) and their names.

    \b
    Example:
      maliext ref languages --search bambara
    """
    from maliext_cli.reference import iso

    fmt = common.format_name(fmt)
    rows = [
        ({"code": code, "name": name}, (iso.language_name(code, "en"), iso.language_name(code, "fr")))
        for code, name in iso.all_languages()
    ]
    output.records(_matching(rows, search), fmt)


def _vocabulary_command(name: str, vocabulary: vocab.Vocabulary) -> None:
    def command(search: SearchOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
        fmt = common.format_name(fmt)
        rows = []
        for t in vocabulary.terms:
            row = {"code": t.code, "name": vocabulary.label(t.code)}
            if vocabulary is vocab.REGION:
                row["iso"] = t.iso
            rows.append((row, (t.en, *t.aliases)))
        output.records(_matching(rows, search), fmt)

    command.__doc__ = (
        f"Codes of the {vocabulary.name} vocabulary, and their names.\n\n\b\nExample:\n  maliext ref {name} -f csv\n"
    )
    app.command(name)(command)


for _name, _vocabulary in vocab.ALL.items():
    _vocabulary_command(_name, _vocabulary)
