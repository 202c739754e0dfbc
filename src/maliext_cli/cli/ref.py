"""`maliext ref ...`: the vocabularies that fields take their values from."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, FormatOption, SearchOption
from maliext_cli.reference import vocab
from maliext_cli.render import output
from maliext_cli.text import fold

# Vocabularies are part of maliext, not of a database: `--db` is accepted, like on every
# command, so that scripts can pass it everywhere, and it changes nothing here.
app = typer.Typer(
    help="Vocabularies: disciplines (ISCED-F 2013), degrees, mission types, regions, countries...", no_args_is_help=True
)


def _matching(rows: list[dict], search: str | None) -> list[dict]:
    if not search:
        return rows
    words = fold(search).split()
    return [r for r in rows if all(w in fold(" ".join(str(v) for v in r.values())) for w in words)]


@app.command("disciplines")
def disciplines(
    search: SearchOption = None,
    level: Annotated[
        Optional[str], typer.Option("--level", help="broad, narrow or detailed.", show_default=False)
    ] = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Fields of education and training (ISCED-F 2013), with codes and French and English names.

    \b
    Examples:
      maliext ref disciplines --search chimie
      maliext ref disciplines --level broad
    """
    from maliext_cli.reference.disciplines import ALL

    fmt = common.format_name(fmt)
    if level and level not in ("broad", "narrow", "detailed"):
        raise common.usage(f"unknown level {level!r}; use broad, narrow or detailed")
    rows = [
        {"code": d.code, "level": d.level, "name_fr": d.name_fr, "name_en": d.name_en}
        for d in ALL
        if not level or d.level == level
    ]
    output.records(_matching(rows, search), fmt)


@app.command("countries")
def countries(search: SearchOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Countries (ISO 3166-1 alpha-2) with French and English names.

    \b
    Example:
      maliext ref countries --search congo
    """
    from maliext_cli.reference.iso import all_countries

    fmt = common.format_name(fmt)
    rows = [{"code": c, "name_fr": fr, "name_en": en} for c, fr, en in all_countries()]
    output.records(_matching(rows, search), fmt)


@app.command("languages")
def languages(search: SearchOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Languages (ISO 639-1) with French and English names.

    \b
    Example:
      maliext ref languages --search bambara
    """
    from maliext_cli.reference.iso import all_languages

    fmt = common.format_name(fmt)
    rows = [{"code": c, "name_fr": fr, "name_en": en} for c, fr, en in all_languages()]
    output.records(_matching(rows, search), fmt)


def _vocabulary_command(name: str, vocabulary: vocab.Vocabulary) -> None:
    def command(search: SearchOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
        fmt = common.format_name(fmt)
        rows = []
        for t in vocabulary.terms:
            row = {"code": t.code, "name_fr": t.fr, "name_en": t.en}
            if vocabulary is vocab.REGION:
                row["iso"] = t.iso
            rows.append(row)
        output.records(_matching(rows, search), fmt)

    command.__doc__ = f"Codes of the {vocabulary.name} vocabulary, with French and English names.\n\n\b\nExample:\n  maliext ref {name} -f csv\n"
    app.command(name)(command)


for _name, _vocabulary in vocab.ALL.items():
    _vocabulary_command(_name, _vocabulary)
