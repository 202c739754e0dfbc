"""`maliext agenda`: what needs attention on a day, grouped by kind."""

from typing import Annotated, Optional

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, OutputOption, ReportFormatOption
from maliext_cli.i18n import _
from maliext_cli.render import output

DateOption = Annotated[
    Optional[str], typer.Option("--date", help="The day to look from (YYYY-MM-DD; default: today).", show_default=False)
]
WithinOption = Annotated[
    int,
    typer.Option(
        "--within",
        help="Also list what falls due in this many days after it (default: 14, the time to send papers "
        "and obtain a visa).",
        show_default=False,
    ),
]


def agenda(
    date: DateOption = None,
    within: WithinOption = 14,
    fmt: ReportFormatOption = "table",
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """What needs attention on a day, grouped by kind, each item with the command that settles it.

    Missions starting, missions that should be ongoing or closed, outcomes and
    evaluations missing, needs whose window is over, applications unanswered at their
    deadline, follow-up evaluations due: what is overdue on the day, or falls due within
    --within days. It breaks no rule (`db check` stays silent) and always exits 0. JSON is
    an array of {kind, record, table, due, message, command}.

    \b
    Examples:
      maliext agenda
      maliext agenda --date 2027-09-01 --within 30
      maliext agenda -f json
      maliext agenda -f html -o agenda.html
    """
    from maliext_cli import clock, i18n
    from maliext_cli.errors import FieldError, Invalid
    from maliext_cli.services import agenda as service
    from maliext_cli.services import parse, records

    fmt = common.format_name(fmt, output.REPORT_FORMATS)
    if date is None:
        day = clock.today()
    else:
        from datetime import date as Date

        try:
            day = Date.fromisoformat(parse.iso_date(date))
        except FieldError as exc:
            raise Invalid(records.about("--date", str(exc))) from None
    items = service.agenda(common.open_store(db, create=False), day, within)
    with common.output_stream(out) as stream:
        if fmt in output.MACHINE_FORMATS:
            output.records([item.as_dict() for item in items], fmt, columns=list(service.KEYS), stream=stream)
        else:
            from maliext_cli.render.agenda import agenda_document

            document = agenda_document(items, day, within, i18n.current())
            if fmt == "html":
                from maliext_cli.render import html

                stream.write(html.document_page(document))
            else:
                from maliext_cli.render import charts

                charts.write(document, fmt, stream)
    if out is not None:
        output.message(_("Wrote {path}.").format(path=out))
