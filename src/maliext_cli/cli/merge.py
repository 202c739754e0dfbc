"""`maliext merge ...` (bring another site's file into this one, and settle what it
leaves open) and `maliext export --bundle` (a file to send to another site)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from maliext_cli.cli import common
from maliext_cli.cli.options import ColumnsOption, DbOption, FormatOption, YesOption
from maliext_cli.i18n import _, ngettext
from maliext_cli.render import output

# Options of the merge commands that take a value (so that `maliext merge --db X.db
# OTHER.db` still finds OTHER.db as the file).
_WITH_VALUE = frozenset({"--db", "--prefer", "-f", "--format", "-c", "--columns", "--take"})


class MergeGroup(TyperGroup):
    """`maliext merge OTHER.db ...` is `maliext merge file OTHER.db ...`; the other
    subcommands (conflicts, resolve, duplicates, link, dismiss) are found by name."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in ("-h", "--help"):
            first = _first_positional(args)
            if first is not None and args[first] in self.commands:
                args = [args[first], *args[:first], *args[first + 1 :]]
            else:
                args = ["file", *args]
        return super().parse_args(ctx, args)


def _first_positional(args: list[str]) -> int | None:
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--":
            return i + 1 if i + 1 < len(args) else None
        if arg.startswith("-") and arg != "-":
            skip = arg in _WITH_VALUE
            continue
        return i
    return None


app = typer.Typer(
    cls=MergeGroup,
    help="Bring another site's maliext file (or bundle) into this one: `maliext merge OTHER.db`; "
    "then settle what it leaves open (conflicts, duplicates).",
    no_args_is_help=True,
    subcommand_metavar="OTHER.db [OPTIONS] | COMMAND [ARGS]...",
)

OtherFile = Annotated[
    Path,
    typer.Argument(
        help="Another site's maliext database (a copy made by `maliext db backup`) or a bundle "
        "made by `maliext export --bundle`.",
        metavar="OTHER.db",
        dir_okay=False,
    ),
]
PreferOption = Annotated[
    Optional[str],
    typer.Option(
        "--prefer",
        help="Settle records changed on both sides: keep mine, take theirs, or the newer (by updated_at). "
        "Without it they are listed as conflicts and left as they are.",
        metavar="mine|theirs|newer",
        show_default=False,
    ),
]


@app.command("file")
def merge_file(
    other: OtherFile,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what the merge would do and write nothing; exit 4 on conflicts.")
    ] = False,
    prefer: PreferOption = None,
    changes: Annotated[
        bool,
        typer.Option("--changes", help="Also list every insert, update and removal (always listed with --dry-run)."),
    ] = False,
    fmt: FormatOption = "table",
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """Merge every record of another site's file into this one (`maliext merge OTHER.db` for short).

    New records are inserted, records changed on one side only take that side's
    version, removals are carried over; records changed on both sides are listed as
    conflicts, field by field, and left as they are (see `merge conflicts`). Records
    that look like one of ours under another uid are listed (see `merge duplicates`).
    The merge is one step for `maliext undo`.

    \b
    Examples:
      maliext merge antenne-paris.db --dry-run
      maliext merge antenne-paris.db
      maliext merge dakar-2027-03.maliext.gz --prefer newer
    """
    from maliext_cli.errors import ProblemsFound
    from maliext_cli.services.merge import merge
    from maliext_cli.services.merge.report import ITEM_COLUMNS

    fmt = common.format_name(fmt)
    chosen = output.select_columns(ITEM_COLUMNS, columns)
    store = common.open_store(db, create=False)
    report = merge(store, other, dry_run=dry_run, prefer=_prefer(prefer))
    shown = report.items
    if not (dry_run or changes):
        shown = [i for i in report.items if i["action"] not in ("insert", "update", "remove", "keep")]
    if shown or fmt != "table":
        output.records(shown, fmt, columns=chosen)
    for text in report.warnings:
        output.warning(text)
    for line in _summary(report):
        output.message(line)
    if dry_run and report.problems:
        raise ProblemsFound(
            ngettext(
                "{n} record needs a decision, or breaks a rule once merged; nothing was written",
                "{n} records need a decision, or break a rule once merged; nothing was written",
                report.problems,
            ).format(n=report.problems),
            hint=_(
                "Merge with --prefer mine|theirs|newer, or merge and then settle them with `maliext merge resolve`."
            ),
        )


def _prefer(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text not in ("mine", "theirs", "newer"):
        raise common.usage(_("--prefer: expected mine, theirs or newer, got {value!r}").format(value=value))
    return text


def _summary(report) -> list[str]:
    """What a merge did (or would do), then what it leaves open, one sentence a line:
    each count takes its own plural form."""
    c = report.counts
    done = []
    if c["inserted"]:
        # Translators: a count of records in the merge summary ("Merged paris.db: 3 inserted, 1 updated.").
        done.append(ngettext("{n} inserted", "{n} inserted", c["inserted"]).format(n=c["inserted"]))
    if c["updated"]:
        # Translators: a count of records in the merge summary ("Merged paris.db: 3 inserted, 1 updated.").
        done.append(ngettext("{n} updated", "{n} updated", c["updated"]).format(n=c["updated"]))
    if c["removed"]:
        # Translators: a count of records in the merge summary ("Merged paris.db: 3 inserted, 1 removed.").
        done.append(ngettext("{n} removed", "{n} removed", c["removed"]).format(n=c["removed"]))
    if c["joined"]:
        # Translators: a count in the merge summary: records of the other file joined into one of this file's.
        done.append(ngettext("{n} joined", "{n} joined", c["joined"]).format(n=c["joined"]))
    if c["kept"]:
        # Translators: a count in the merge summary: records changed on both sides, this file's version kept.
        done.append(ngettext("{n} kept (--prefer)", "{n} kept (--prefer)", c["kept"]).format(n=c["kept"]))
    if c["settled"]:
        done.append(
            ngettext(
                "{n} earlier conflict no longer open", "{n} earlier conflicts no longer open", c["settled"]
            ).format(n=c["settled"])
        )
    changes = ", ".join(done) if done else _("no record to change")
    if report.dry_run and report.partial:
        head = _("Would merge {file} (a partial bundle): {changes}.")
    elif report.dry_run:
        head = _("Would merge {file}: {changes}.")
    elif report.partial:
        head = _("Merged {file} (a partial bundle): {changes}.")
    else:
        head = _("Merged {file}: {changes}.")
    lines = [head.format(file=report.peer, changes=changes)]
    if c["conflict"]:
        lines.append(
            ngettext(
                "{n} conflict is left as it is (`maliext merge conflicts`).",
                "{n} conflicts are left as they are (`maliext merge conflicts`).",
                c["conflict"],
            ).format(n=c["conflict"])
        )
    if c["held"]:
        lines.append(
            ngettext(
                "{n} record is held: its key is taken here (`maliext merge duplicates`).",
                "{n} records are held: their key is taken here (`maliext merge duplicates`).",
                c["held"],
            ).format(n=c["held"])
        )
    if c["duplicate"]:
        lines.append(
            ngettext(
                "{n} likely duplicate to review (`maliext merge duplicates`).",
                "{n} likely duplicates to review (`maliext merge duplicates`).",
                c["duplicate"],
            ).format(n=c["duplicate"])
        )
    if c["warning"]:
        lines.append(
            ngettext("{n} rule warning (above).", "{n} rule warnings (above).", c["warning"]).format(n=c["warning"])
        )
    if report.dry_run:
        lines.append(_("Dry run: nothing was written."))
    elif not report.written:
        lines.append(_("Nothing was written."))
    return lines


@app.command("conflicts")
def conflicts_(fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None) -> None:
    """List the open conflicts left by merges, one line per field that differs.

    `mine` is this file's value, `theirs` the other file's; a removal shows as
    (removed). Settle each with `maliext merge resolve UID --take mine|theirs`.

    \b
    Examples:
      maliext merge conflicts
      maliext merge conflicts -f json
    """
    from maliext_cli.services.merge import conflicts

    fmt = common.format_name(fmt)
    chosen = output.select_columns(conflicts.CONFLICT_COLUMNS, columns)
    store = common.open_store(db, readonly=True)
    rows = conflicts.conflicts(store)
    output.records(rows, fmt, columns=chosen)
    if not rows:
        output.message(_("No open merge conflict."))


@app.command("resolve")
def resolve(
    ref: Annotated[str, typer.Argument(help="The record's uid (or the conflict's id).", metavar="UID")],
    take: Annotated[
        str,
        typer.Option(
            "--take", help="Keep this file's version (mine) or take the other's (theirs).", metavar="mine|theirs"
        ),
    ],
    db: DbOption = None,
) -> None:
    """Settle one merge conflict: keep this file's version or take the other file's.

    The version kept wins at the next merge in both directions. Keeping mine for a
    record that is not here (removed here, or never inserted) rejects the other
    file's record: that site removes it when it merges this file.

    \b
    Examples:
      maliext merge resolve 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d --take theirs
      maliext merge resolve 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d --take mine
    """
    from maliext_cli.services.merge import conflicts

    choice = take.strip().lower()
    if choice not in ("mine", "theirs"):
        raise common.usage(_("--take: expected mine or theirs, got {value!r}").format(value=take))
    store = common.open_store(db, create=False)
    done = conflicts.resolve(store, ref, choice)
    output.message(_settled(done, choice))


def _settled(done, choice: str) -> str:
    """What `merge resolve` did with the record of the conflict."""
    record = f"{done.table} {done.uid}" + (f" ({done.name})" if done.name else "")
    if choice == "mine":
        text = _("Settled {record}: this file's version is kept.")
    elif done.action == "removed":
        text = _("Settled {record}: removed, as in the other file.")
    elif done.action == "inserted":
        text = _("Settled {record}: the other file's version is inserted.")
    else:
        text = _("Settled {record}: updated to the other file's version.")
    return text.format(record=record)


@app.command("duplicates")
def duplicates(fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None) -> None:
    """List records that are likely the same as one here under another uid.

    `held`: the other file's record was not inserted, because its e-mail, acronym or
    code is taken here. `both here`: same consultant name and birth year, or same
    association name and city. Join them with `maliext merge link UID OTHER_UID`, or
    keep them apart with `maliext merge dismiss UID OTHER_UID`.

    \b
    Examples:
      maliext merge duplicates
      maliext merge duplicates -f csv
    """
    from maliext_cli.services.merge import duplicates as likely_duplicates

    fmt = common.format_name(fmt)
    chosen = output.select_columns(likely_duplicates.DUPLICATE_COLUMNS, columns)
    store = common.open_store(db, readonly=True)
    rows = likely_duplicates.duplicates(store)
    output.records(rows, fmt, columns=chosen)
    if not rows:
        output.message(_("No likely duplicate to review."))


@app.command("link")
def link(
    keep: Annotated[str, typer.Argument(help="The record to keep (its uid).", metavar="UID_A")],
    other: Annotated[str, typer.Argument(help="The record joined into it (its uid).", metavar="UID_B")],
    yes: YesOption = False,
    db: DbOption = None,
) -> None:
    """Join record UID_B into UID_A: references move to UID_A, UID_B is removed (asks first).

    UID_B then means UID_A here and in later merges; the other sites join them too
    when they merge this file. UID_B may be a record held by a merge (not inserted
    because its key is taken here): then only that is recorded.

    \b
    Examples:
      maliext merge link 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d 0190b7aa-0c1d-7e2f-8a3b-4c5d6e7f8a9b
      maliext merge link 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d 0190b7aa-0c1d-7e2f-8a3b-4c5d6e7f8a9b --yes
    """
    from maliext_cli.services.merge import duplicates

    store = common.open_store(db, create=False)
    common.confirm(_("Join {joined} into {kept}?").format(joined=other, kept=keep), yes)
    done = duplicates.link(store, keep, other)
    if done.name:
        text = _("Joined {table} {joined} into {kept} ({name}).")
    else:
        text = _("Joined {table} {joined} into {kept}.")
    output.message(text.format(table=done.table, joined=done.joined, kept=done.kept, name=done.name))
    if done.moved:
        output.message(
            ngettext("{n} reference moved to it.", "{n} references moved to it.", done.moved).format(n=done.moved)
        )


@app.command("dismiss")
def dismiss(
    a: Annotated[str, typer.Argument(help="One record (its uid).", metavar="UID_A")],
    b: Annotated[str, typer.Argument(help="The other record (its uid).", metavar="UID_B")],
    db: DbOption = None,
) -> None:
    """Keep two records listed as likely duplicates apart: they are different people or associations.

    \b
    Example:
      maliext merge dismiss 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d 0190b7aa-0c1d-7e2f-8a3b-4c5d6e7f8a9b
    """
    from maliext_cli.services.merge import duplicates

    store = common.open_store(db, create=False)
    duplicates.dismiss(store, a, b)
    output.message(_("{a} and {b} are kept apart; they are no longer listed.").format(a=a, b=b))


def export(
    bundle: Annotated[
        Path,
        typer.Option(
            "--bundle",
            help="The bundle file to write (gzip-compressed; readable by its owner only).",
            metavar="FILE",
            dir_okay=False,
        ),
    ],
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            help="Only the records changed on or after this date (YYYY-MM-DD) or time, with what they refer to, "
            "and the removals since then.",
            metavar="DATE",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write this file's records (or its changes since a date) to a bundle for another site.

    The other site reads it with `maliext merge FILE`. A bundle made with --since
    carries only what changed: the records it leaves out are not removed there.

    \b
    Examples:
      maliext export --bundle paris-2027-03.maliext.gz
      maliext export --bundle paris-changes.maliext.gz --since 2027-03-01
    """
    from maliext_cli.services.merge import bundles

    store = common.open_store(db, readonly=True)
    written = bundles.write(store, bundle, since=since)
    print(written.path)
    if written.since:
        text = _("Wrote {path}, the changes since {since}: {records}, {removals}; {size}.")
    else:
        text = _("Wrote {path}, the whole database: {records}, {removals}; {size}.")
    output.message(
        text.format(
            path=written.path,
            since=written.since,
            # Translators: counts inside "Wrote FILE, the whole database: 12 records, 0 removals; 3,456 bytes."
            records=ngettext("{n} record", "{n} records", written.records).format(n=written.records),
            removals=ngettext("{n} removal", "{n} removals", written.removals).format(n=written.removals),
            size=ngettext("{n} byte", "{n} bytes", written.size).format(n=_number(written.size)),
        )
    )


def _number(n: int) -> str:
    """`n` with the thousands separator of the interface language (12,345; 12 345)."""
    from babel.numbers import format_decimal

    from maliext_cli import i18n

    return format_decimal(n, locale=i18n.current())
