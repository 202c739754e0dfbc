"""`maliext report ...`: the programme at a glance, and the annual report for funders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Annotated, Optional

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, OutputOption, ReportFormatOption
from maliext_cli.errors import UsageProblem
from maliext_cli.render import output

app = typer.Typer(
    help="Programme reports: the summary at a glance, the annual report for funders and the ministry.",
    no_args_is_help=True,
)

LangOption = Annotated[
    Optional[str],
    typer.Option(
        "--lang",
        help="fr or en: headings, labels, month names and numbers (default: French when the locale "
        "(LC_ALL, LC_MESSAGES, LANG) is French, else English).",
        show_default=False,
    ),
]
ANNUAL_FORMATS = ("table", "markdown", "html", "json", "jsonl")
AnnualFormatOption = Annotated[
    str,
    typer.Option(
        "-f",
        "--format",
        help="table (default), markdown, html (one printable page), json, jsonl, or a tabulate format.",
    ),
]
Year = Annotated[int, typer.Option("--year", help="The year to report on, e.g. 2025.", show_default=False)]


def _written(out: Path | None, what: str) -> None:
    if out is not None:
        output.message(f"Wrote {what} to {out}.")


@app.command("summary")
def summary(
    fmt: ReportFormatOption = "table",
    lang: LangOption = None,
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """The programme at a glance: repertory, missions, needs, agreements, antennas, associations, co-development.

    JSON is one object (keys in the README); csv, tsv, markdown and the tabulate
    formats print two columns, key and value, with nested keys dotted
    (consultants_by_status.active); table adds bar charts; html is a printable page.

    \b
    Examples:
      maliext report summary
      maliext report summary -f json
      maliext report summary -f csv -o synthese.csv
      maliext report summary -f html --lang fr -o synthese.html
    """
    from maliext_cli.render import i18n
    from maliext_cli.services import reports

    fmt = common.format_name(fmt, output.REPORT_FORMATS)
    language = i18n.choose(lang)
    store = common.open_store(db, create=False)
    data = reports.summary(store)
    with common.output_stream(out) as stream:
        _summary(data, fmt, language, stream, reports.made(store))
    _written(out, "the summary")


def _summary(data: dict, fmt: str, lang: str, stream: IO, made: dict) -> None:
    from maliext_cli.render.summary_report import summary_document
    from maliext_cli.services import reports

    if fmt in ("json", "jsonl"):
        stream.write(json.dumps(data, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n")
    elif fmt == "html":
        from maliext_cli.render import html

        stream.write(html.document_page(summary_document(data, lang, made)))
    elif fmt == "table":
        from maliext_cli.render import charts

        charts.write(summary_document(data, lang), fmt, stream)
    else:
        rows = [{"key": k, "value": v} for k, v in reports.flatten(data)]
        output.records(rows, fmt, columns=["key", "value"], stream=stream)


@app.command("annual")
def annual(
    year: Year,
    lang: LangOption = None,
    fmt: AnnualFormatOption = "table",
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """The yearly activity report for funders and the ministry, in French or English.

    The year's key figures and their change from the year before; missions by
    institution, type, discipline and programme; costs by funder in EUR and FCFA; new
    and returning consultants; unfilled needs; completed missions with their outcomes;
    agreements signed; associations and projects started that year. html is one
    self-contained page, printable on A4, with its charts drawn in SVG. The footer
    gives the version, the database, the date and a checksum of the data read.

    \b
    Examples:
      maliext report annual --year 2025
      maliext report annual --year 2025 --lang fr -f html -o rapport-2025.html
      maliext report annual --year 2025 --lang en -f markdown -o report-2025.md
      maliext report annual --year 2025 -f json
    """
    from maliext_cli.render import i18n
    from maliext_cli.render.annual_report import annual_document
    from maliext_cli.services import reports

    if fmt.strip().lower() in ("csv", "tsv"):
        raise UsageProblem(
            f"unknown format {fmt.strip().lower()!r} for the annual report: csv and tsv cannot hold its many sections",
            hint="Use table, markdown, html, json, jsonl or a tabulate format; `mission report -f csv` gives one table.",
        )
    fmt = common.format_name(fmt, allowed=ANNUAL_FORMATS)
    language = i18n.choose(lang)
    data = reports.annual(common.open_store(db, create=False), year)
    with common.output_stream(out) as stream:
        if fmt in ("json", "jsonl"):
            stream.write(json.dumps(data, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n")
        elif fmt == "html":
            from maliext_cli.render import html

            stream.write(html.document_page(annual_document(data, language)))
        else:
            from maliext_cli.render import charts

            charts.write(annual_document(data, language), fmt, stream)
    _written(out, f"the annual report for {year}")
