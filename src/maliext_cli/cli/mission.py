"""`maliext mission ...`: consultants on site, their costs and outcomes, and the report."""

import sys
from typing import Annotated, Optional

import typer

from maliext_cli.cli import common, crud
from maliext_cli.cli.options import (
    ColumnsOption,
    DbOption,
    DryRunOption,
    EncodingOption,
    FormatOption,
    ImportFile,
    InputFormatOption,
    LimitOption,
    OutputOption,
    QuietOption,
    ReportFormatOption,
    SearchOption,
    SortOption,
    UpsertOption,
    YesOption,
    field_options,
    filter_options,
)
from maliext_cli.i18n import _
from maliext_cli.render import output
from maliext_cli.services.missions import ENTITY, NOUN, OUTCOMES

app = typer.Typer(help="Missions: consultants on site for one week to three months.", no_args_is_help=True)
Ref = Annotated[str, typer.Argument(help="The mission: id or uid.", metavar="REF")]
Force = Annotated[bool, typer.Option("--force", help="Accept a duration outside 7 to 90 days (needs --reason).")]
Reason = Annotated[
    Optional[str],
    typer.Option("--reason", help="Why the duration is accepted; kept on the mission.", show_default=False),
]


# `list` and `export` also write the missions as a calendar (iCalendar, RFC 5545).
MissionListFormat = Annotated[
    str,
    typer.Option(
        "-f",
        "--format",
        help="table, csv, tsv, json, jsonl, markdown, html, ics (iCalendar: one event per mission), or a tabulate format.",
    ),
]
MissionExportFormat = Annotated[
    str,
    typer.Option(
        "-f",
        "--format",
        help="csv (default), tsv, json, jsonl, markdown, table, a tabulate format, or ics (iCalendar: one event per mission).",
    ),
]


def _calendar(rows: list[dict], out) -> None:
    """The missions as an .ics file, to stdout or the file `out`."""
    from maliext_cli.render import calendar

    data = calendar.missions(rows)
    with common.output_stream(out, binary=True) as stream:
        stream.write(data)
    if out:
        output.message(_("Wrote {path}.").format(path=out))


@app.command("list")
@filter_options(NOUN.filters)
def mission_list(
    search: SearchOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    fmt: MissionListFormat = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """List missions, filtered.

    \b
    Examples:
      maliext mission list --consultant aminata.traore@example.org
      maliext mission list --institution FAST --from 2027-01-01 --status planned -f json
      maliext mission list --from 2027-01-01 -f ics -o missions.ics
    """
    if fmt.strip().lower() == "ics":
        from maliext_cli.services.papers import calendar_missions

        store = common.open_store(db, create=False)
        _calendar(calendar_missions(store, filters, search=search, sort=sort, limit=limit), out)
        return
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Missions"))


@app.command("show")
def mission_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one mission.

    \b
    Examples:
      maliext mission show 12
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("remove")
def mission_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove a mission (asks first; --yes to skip).

    \b
    Examples:
      maliext mission remove 12 --yes
    """
    store = common.open_store(db, create=False)
    mission_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, mission_id)
    crud.print_removed(NOUN.label, mission_id)


@app.command("import")
def mission_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import missions from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext mission import missions-2006.csv
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def mission_export(
    fmt: MissionExportFormat = "csv",
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export missions with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext mission export --programme TOKTEN -o missions.csv
      maliext mission export --programme TOKTEN -f ics -o missions.ics
    """
    if fmt.strip().lower() == "ics":
        from maliext_cli.services.papers import calendar_missions

        _calendar(calendar_missions(common.open_store(db, create=False), filters), out)
        return
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out)


def _forced(force: bool, reason: str | None) -> str | None:
    if force and not (reason and reason.strip()):
        raise common.usage(_("--force needs --reason TEXT, which is kept on the mission"))
    if reason and not force:
        raise common.usage(_("--reason goes with --force"))
    return reason.strip() if force and reason else None


@app.command("add")
@field_options(ENTITY)
def mission_add(
    force: Force = False,
    reason: Reason = None,
    quiet: QuietOption = False,
    fmt: FormatOption = "table",
    db: DbOption = None,
    *,
    values: dict,
) -> None:
    """Add a mission; on a need, the institution and type default to the need's.

    \b
    Examples:
      maliext mission add --consultant aminata.traore@example.org --need 4 --programme TOKTEN \\
          --start-date 2027-02-01 --end-date 2027-02-21 --travel-cost 650 --per-diem 60 --currency EUR
      maliext mission add --consultant 12 --institution ISFRA --programme TALMALI --type workshop \\
          --start-date 2027-03-01 --end-date 2027-03-04 --force --reason "atelier court demandé par le recteur"
    """
    fmt = common.format_name(fmt)
    forced = _forced(force, reason)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values, forced_reason=forced), quiet=quiet, fmt=fmt)


@app.command("edit")
@field_options(ENTITY, editing=True)
def mission_edit(ref: Ref, force: Force = False, reason: Reason = None, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of a mission; every rule is checked again.

    \b
    Examples:
      maliext mission edit 12 --end-date 2027-02-24 --fees 1200
      maliext mission edit 12 --end-date 2027-06-30 --force --reason "semestre complet à la FSJP"
    """
    forced = _forced(force, reason)
    if not values and not forced:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values, forced_reason=forced))


def _outcome_options():
    from maliext_cli.services.records import Entity

    return Entity("mission", "mission", tuple(f for f in ENTITY.fields if f.name in OUTCOMES))


@app.command("complete")
@field_options(_outcome_options(), editing=True)
def mission_complete(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Mark a mission completed, with its outcomes (refused if cancelled or not yet started).

    \b
    Example:
      maliext mission complete 12 --hours-taught 40 --theses-supervised 2 --rating 5 --report "Cours et TP de DEA"
    """
    store = common.open_store(db, create=False)
    mission_id, changed = NOUN.complete(store, ref, values)
    text = _("Mission {id} is completed.") if changed else _("Mission {id} already had these values; nothing changed.")
    output.message(text.format(id=mission_id))


@app.command("cancel")
def mission_cancel(ref: Ref, db: DbOption = None) -> None:
    """Cancel a mission: it frees its need's seat and the consultant's dates.

    \b
    Example:
      maliext mission cancel 12
    """
    store = common.open_store(db, create=False)
    mission_id, changed = NOUN.cancel(store, ref)
    text = _("Cancelled mission {id}.") if changed else _("Mission {id} was already cancelled.")
    output.message(text.format(id=mission_id))


By = Annotated[
    list[str],
    typer.Option(
        "--by",
        help="Group by year, month, institution, type, programme, funder, discipline, country, consultant, status (repeat or separate with ',').",
    ),
]
From = Annotated[
    Optional[str], typer.Option("--from", help="Missions starting on or after this date.", show_default=False)
]
To = Annotated[
    Optional[str], typer.Option("--to", help="Missions starting on or before this date.", show_default=False)
]
Programme = Annotated[
    Optional[list[str]], typer.Option("--programme", help="Only this programme (code, id or uid).", show_default=False)
]
Institution = Annotated[
    Optional[list[str]],
    typer.Option("--institution", help="Only this institution (acronym, id or uid).", show_default=False),
]
Status = Annotated[
    Optional[list[str]],
    typer.Option("--status", help="Mission statuses to count (default: all but cancelled).", show_default=False),
]


@app.command("report")
def mission_report(
    by: By = ["year"],  # noqa: B006 (Typer reads the default)
    date_from: From = None,
    date_to: To = None,
    programme: Programme = None,
    institution: Institution = None,
    status: Status = None,
    fmt: ReportFormatOption = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """The table funders ask for: missions, consultants (new and returning), person-days,
    costs in EUR and FCFA, outcomes and ratings, by the groups you choose.

    \b
    Examples:
      maliext mission report --by year,institution
      maliext mission report --by programme --from 2004-01-01 --to 2007-12-31 -f csv
      maliext mission report --by funder --status completed -f json
      maliext mission report --by year,institution -f html -o missions.html
    """
    from maliext_cli.services.mission_report import build

    fmt = common.format_name(fmt, output.REPORT_FORMATS)
    store = common.open_store(db, create=False)
    table_like = fmt not in ("json", "jsonl", "csv", "tsv")
    result = build(
        store,
        by,
        date_from=date_from,
        date_to=date_to,
        programmes=programme or (),
        institutions=institution or (),
        statuses=status or (),
        totals=table_like,
    )
    with common.output_stream(out) as stream:
        totals = result.totals if table_like else None
        # Translators: the title of the HTML page of `mission report -f html`.
        crud.print_report(_("Missions"), result.columns, result.rows, totals, fmt, columns, stream=stream)


# ------------------------------------------------------------------- papers
Kind = Annotated[
    str,
    typer.Option(
        "--kind",
        help="tor (terms of reference, from the host's need), invitation (letter for the visa and the employer), "
        "order (mission order, with its costs) or certificate (of a completed mission, with its outcomes).",
        show_default=False,
    ),
]
PaperLang = Annotated[
    Optional[str],
    typer.Option(
        "--lang",
        help="The paper's language: fr (the default, whatever the interface language) or en.",
        show_default=False,
    ),
]
PaperFormat = Annotated[
    str,
    typer.Option(
        "-f",
        "--format",
        help="html (one self-contained page that prints on A4) or pdf (printed by Chromium or Google Chrome, "
        "found on this machine or named by MALIEXT_CHROMIUM).",
    ),
]


@app.command("document")
def mission_document(
    ref: Ref,
    kind: Kind,
    lang: PaperLang = None,
    fmt: PaperFormat = "html",
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Make a paper of a mission, on one A4 page under the programme's letterhead.

    The terms of reference (from the host institution's need), the invitation letter,
    the mission order (with its costs in FCFA and euros) or the certificate (of a
    completed mission, with its outcomes). Every paper of a mission carries its
    reference, PREFIX/YEAR/NUMBER (TOKTEN/2027/014), given when the first paper is made
    and never changed. French unless --lang en. A certificate is refused for a mission
    that is not completed, an order for a cancelled one.

    \b
    Examples:
      maliext mission document 12 --kind order -o ordre-de-mission-12.html
      maliext mission document 12 --kind invitation -f pdf -o invitation-12.pdf
      maliext mission document 12 --kind certificate --lang en -f pdf -o certificate-12.pdf
    """
    from maliext_cli import i18n
    from maliext_cli.render import papers as layout
    from maliext_cli.services import papers

    papers.check_kind(kind)
    fmt = fmt.strip().lower()
    if fmt not in ("html", "pdf"):
        raise common.usage(
            _("unknown format {format!r} for a paper").format(format=fmt), hint=_("Use html or pdf.")
        )
    language = i18n.check(lang) if lang is not None else "fr"
    executable = None
    if fmt == "pdf":
        from maliext_cli.render import pdf

        if out is None and output.is_terminal(sys.stdout):
            raise common.usage(_("a PDF is not shown on a terminal"), hint=_("Give -o FILE, or pipe the output."))
        executable = pdf.browser()  # before anything is written: without one, nothing is
    store = common.open_store(db, create=False)
    # One transaction: a reference given to a paper that could not be written is taken back.
    with store.transaction():
        paper = papers.prepare(store, ref, kind)
        page = layout.page(paper, language)
        data = pdf.from_html(page, executable) if executable else page.encode("utf-8")
        with common.output_stream(out, binary=True) as stream:
            stream.write(data)
    if paper.missing:
        output.warning(
            _(
                "programme {code} has no {fields}: the paper names the programme only. Set them with "
                "`maliext programme edit {code} --letterhead ... --signatory ... --signatory-title ...`."
            ).format(code=paper.programme["code"], fields=", ".join(paper.missing))
        )
    if out:
        output.message(
            _("Wrote the {kind} of mission {id} ({reference}) to {path}.").format(
                kind=_(papers.KINDS[kind]), id=paper.mission["id"], reference=paper.reference, path=out
            )
        )


# -------------------------------------------------------------- evaluations
By_ = Annotated[
    str,
    typer.Option("--by", help="Who evaluates: host (the host institution) or consultant.", show_default=False),
]
Score = Annotated[
    Optional[list[str]],
    typer.Option(
        "--score",
        help="CRITERION=SCORE, a score from 1 (poor) to 5 (excellent), repeated for each criterion scored: "
        "relevance, preparation, organisation, transfer, results, sustainability, overall (`maliext ref criteria`).",
        metavar="CRITERION=N",
        show_default=False,
    ),
]
Comment = Annotated[Optional[str], typer.Option("--comment", help="A comment.", show_default=False)]
EvaluationKind = Annotated[
    Optional[str],
    typer.Option(
        "--kind", help="end (at the end of the mission, default) or followup (a year after).", show_default=False
    ),
]
On = Annotated[
    Optional[str],
    typer.Option("--on", help="The day of the evaluation (YYYY-MM-DD; default: today).", show_default=False),
]


@app.command("evaluate")
def mission_evaluate(
    ref: Ref,
    by: By_,
    score: Score = None,
    comment: Comment = None,
    kind: EvaluationKind = None,
    on: On = None,
    quiet: QuietOption = False,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Record an evaluation of a mission by its host institution or by its consultant.

    Each criterion is scored from 1 (poor) to 5 (excellent); a mission has one
    end-of-mission evaluation by each side, and a follow-up a year after its end
    (`maliext agenda` lists those due). `mission show` lists them, and the annual report
    gives the mean of each criterion.

    \b
    Examples:
      maliext mission evaluate 12 --by host --score relevance=5 --score transfer=4 --score overall=5
      maliext mission evaluate 12 --by consultant --score organisation=3 --comment "Logement trouvé tard"
      maliext mission evaluate 12 --by host --kind followup --score sustainability=4
    """
    from maliext_cli.services import evaluations

    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    added = evaluations.evaluate(store, ref, by=by, given_scores=score or [], comment=comment, kind=kind, on=on)
    crud.print_added(evaluations.NOUN, store, added, quiet=quiet, fmt=fmt)
