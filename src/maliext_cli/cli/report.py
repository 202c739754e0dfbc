"""`maliext report ...`: the programme at a glance, and the annual report for funders."""

from __future__ import annotations

import json
from typing import IO, Annotated, Optional

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, OutputOption, ReportFormatOption
from maliext_cli.errors import UsageProblem
from maliext_cli.i18n import _
from maliext_cli.render import output

app = typer.Typer(
    help="Programme reports: the summary at a glance, the annual report for funders and the ministry.",
    no_args_is_help=True,
)

LangOption = Annotated[
    Optional[str],
    typer.Option(
        "--lang",
        help="The report's language, fr or en (any language with a catalogue): headings, labels, month "
        "names, numbers and dates (default: the interface language: MALIEXT_LANG, else the locale).",
        show_default=False,
    ),
]
ANNUAL_FORMATS = ("table", "markdown", "html", "json", "jsonl")
AnnualFormatOption = Annotated[
    str,
    typer.Option(
        "-f",
        "--format",
        help="table (default), markdown, html (a self-contained file that prints on A4), json, jsonl, or a tabulate format.",
    ),
]
Year = Annotated[int, typer.Option("--year", help="The year to report on, e.g. 2025.", show_default=False)]


def _language(lang: str | None) -> str:
    """The report's language: `--lang`, checked, else the interface language."""
    from maliext_cli import i18n

    return i18n.check(lang) if lang is not None else i18n.current()


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
    from maliext_cli.services import reports

    fmt = common.format_name(fmt, output.REPORT_FORMATS)
    language = _language(lang)
    store = common.open_store(db, create=False)
    data = reports.summary(store)
    with common.output_stream(out) as stream:
        _summary(data, fmt, language, stream, reports.made(store))
    if out is not None:
        output.message(_("Wrote the summary to {path}.").format(path=out))


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
    self-contained file that prints on A4, its charts drawn in SVG. The footer gives
    the version, the database, the date and a checksum of the data read.

    \b
    Examples:
      maliext report annual --year 2025
      maliext report annual --year 2025 --lang fr -f html -o rapport-2025.html
      maliext report annual --year 2025 --lang en -f markdown -o report-2025.md
      maliext report annual --year 2025 -f json
    """
    from maliext_cli.render.annual_report import annual_document
    from maliext_cli.services import reports

    if fmt.strip().lower() in ("csv", "tsv"):
        raise UsageProblem(
            _("unknown format {format!r} for the annual report: csv and tsv cannot hold its many sections").format(
                format=fmt.strip().lower()
            ),
            hint=_(
                "Use table, markdown, html, json, jsonl or a tabulate format; `mission report -f csv` gives one table."
            ),
        )
    fmt = common.format_name(fmt, allowed=ANNUAL_FORMATS)
    language = _language(lang)
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
    if out is not None:
        output.message(_("Wrote the annual report for {year} to {path}.").format(year=year, path=out))
