"""`maliext match ...`: rank consultants for a need, explain a pair, plan many needs."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Optional

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import ColumnsOption, DbOption, FormatOption
from maliext_cli.i18n import _
from maliext_cli.render import output

app = typer.Typer(
    help="Match consultants to needs: ranking with explanations, and an optimal plan.", no_args_is_help=True
)
NeedRef = Annotated[str, typer.Argument(help="The need: id or uid.", metavar="NEED")]
Weight = Annotated[
    Optional[list[str]],
    typer.Option(
        "--weight",
        help="NAME=VALUE for discipline, keywords, experience, rating, rotation, availability, degree (repeat).",
        show_default=False,
    ),
]


def _flat(rows: list[dict], weights: dict[str, float]) -> tuple[list[dict], list[str]]:
    """Rows with each component as a column (table formats)."""
    names = list(weights)
    flat = [r | {n: r["components"].get(n) for n in names} for r in rows]
    return flat, ["consultant", "consultant_name", "score", *names]


@app.command("rank")
def rank(
    need: NeedRef,
    top: Annotated[int, typer.Option("--top", help="How many to show (0: all).")] = 10,
    explain: Annotated[bool, typer.Option("--explain", help="Show what each criterion contributed.")] = False,
    show_excluded: Annotated[
        bool, typer.Option("--show-excluded", help="Also list those excluded, with the rule that excluded each.")
    ] = False,
    weight: Weight = None,
    fmt: FormatOption = "table",
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """The eligible consultants for one need, best first, with a score from 0 to 1.

    JSON gives every criterion's contribution (they add up to the score).

    \b
    Examples:
      maliext match rank 4 --top 5 --explain
      maliext match rank 4 --weight keywords=0.5 --weight rotation=0 -f json
      maliext match rank 4 --show-excluded
    """
    from maliext_cli.services import matching

    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    result = matching.rank(store, need, top=top or None, weights=weight or (), show_excluded=show_excluded)
    rows = result["ranked"]
    if columns:
        # Any criterion can be a column of its own, beside the components as one object.
        every = ["consultant", "consultant_name", "score", "components", *result["weights"], "excluded"]
        chosen = output.select_columns(every, columns)
        data = _flat(rows, result["weights"])[0]
        if show_excluded:
            data += [{**e, "score": None, "components": {}} for e in result["excluded"]]
        output.records(data, fmt, columns=chosen)
    elif fmt in ("json", "jsonl"):
        data = rows + [{**e, "score": None, "components": {}} for e in result["excluded"]] if show_excluded else rows
        output.records(
            data,
            fmt,
            columns=["consultant", "consultant_name", "score", "components", *(["excluded"] if show_excluded else [])],
        )
    else:
        # One table: the ranked ones, then (--show-excluded) the others with their reason.
        columns = ["consultant", "consultant_name", "score"]
        if explain:
            rows, columns = _flat(rows, result["weights"])
        if show_excluded:
            rows = rows + result["excluded"]
            columns = [*columns, "excluded"]
        output.records(rows, fmt, columns=columns)
    output.message(
        f"{result['eligible']} eligible consultant(s) for need {result['need'].id} ({result['need'].title})."
    )


@app.command("explain")
def explain(
    need: NeedRef,
    consultant: Annotated[str, typer.Argument(help="The consultant: id, uid or e-mail.", metavar="CONSULTANT")],
    weight: Weight = None,
    fmt: FormatOption = "table",
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """The full breakdown for one pair, or the exact reason the consultant is not eligible.

    With -c, only those fields (of the JSON object) in every format.

    \b
    Examples:
      maliext match explain 4 aminata.traore@example.org
      maliext match explain 4 12 -f json
    """
    from maliext_cli.services import matching

    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    result = matching.explain(store, need, consultant, weights=weight or ())
    if columns:
        chosen = output.choose_columns(list(result), columns, fmt)[0]
        output.record({k: result[k] for k in chosen}, fmt, named=("institution",))
        return
    if fmt in ("json", "jsonl"):
        output.record(result, fmt)
        return
    head = {
        k: result[k]
        for k in ("need", "need_title", "institution", "consultant", "consultant_name", "eligible", "excluded", "score")
    }
    output.record(head, fmt, named=("institution",))
    if result["eligible"]:
        criteria = [
            {
                "criterion": k,
                "value": result["values"][k],
                "weight": result["weights"][k],
                "contribution": result["components"][k],
                "why": result["details"].get(k, ""),
            }
            for k in result["weights"]
        ]
        print()
        output.records(criteria, fmt, columns=["criterion", "value", "weight", "contribution", "why"])
        print()
        output.records(result["slots"], fmt, columns=["start_date", "end_date"])


# The assignments of a plan as the table formats (and -c) print them.
PLAN_COLUMNS = ["need", "institution", "title", "consultant", "consultant_name", "start_date", "end_date", "score"]


def _assignments(result, data: dict) -> list[dict]:
    titles = {n.id: (n.title, n.institution) for n in result.needs}
    names = {a.fit.expert.id: a.fit.expert.name for a in result.assignments}
    return [
        {
            "need": a["need"],
            "institution": titles[a["need"]][1],
            "title": titles[a["need"]][0],
            "consultant": a["consultant"],
            "consultant_name": names[a["consultant"]],
            "start_date": a["start_date"],
            "end_date": a["end_date"],
            "score": a["score"],
        }
        for a in data["assignments"]
    ]


@app.command("plan")
def plan(
    need: Annotated[
        Optional[list[str]],
        typer.Option("--need", help="Plan these needs only (repeat); default: every open need.", show_default=False),
    ] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Create the planned missions (all or none).")] = False,
    programme: Annotated[
        Optional[str],
        typer.Option(
            "--programme", help="Programme of the missions created by --commit (code, id or uid).", show_default=False
        ),
    ] = None,
    max_per_consultant: Annotated[
        int, typer.Option("--max-per-consultant", help="Missions one consultant may get in the plan.")
    ] = 1,
    time_limit: Annotated[
        Optional[float],
        typer.Option(
            "--time-limit",
            help="Seconds the solver may take; past it, the best plan found is not proven optimal.",
            show_default=False,
        ),
    ] = None,
    weight: Weight = None,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="With --commit, print only the new missions' ids, one per line.")
    ] = False,
    fmt: FormatOption = "table",
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """One assignment of consultants to all open needs (or those given), best in total:
    the most seats filled, then the highest total score, under every hard rule.

    Without --commit it only prints the plan. With -c, only the assignments, one
    record each with those columns, in every format.

    \b
    Examples:
      maliext match plan
      maliext match plan --need 4 --need 7 -f json
      maliext match plan --max-per-consultant 2 --time-limit 30
      maliext match plan --commit --programme TOKTEN
    """
    from maliext_cli.services import matching

    fmt = common.format_name(fmt)
    if quiet and not commit:
        raise common.usage(_("--quiet goes with --commit: it prints the ids of the missions created"))
    chosen = output.select_columns(PLAN_COLUMNS, columns) if columns else None
    store = common.open_store(db, create=False)
    result = matching.plan(
        store, need or (), weights=weight or (), max_per_consultant=max_per_consultant, time_limit=time_limit
    )
    created = matching.commit(store, result, programme) if commit else []
    data = result.as_dict()
    if quiet:
        common.print_ids(created)
    elif chosen is not None:
        output.records(_assignments(result, data), fmt, columns=chosen, named=("institution",))
    elif fmt in ("json", "jsonl"):
        output.record(data, fmt)
    else:
        output.records(_assignments(result, data), fmt, columns=PLAN_COLUMNS, named=("institution",))
    if not quiet and (chosen is not None or fmt not in ("json", "jsonl")):
        # CSV and TSV (and -c) hold the assignments only, so that they parse; the rest
        # goes to stderr there, and follows the assignments in the other (human) formats.
        machine = fmt in ("csv", "tsv") or chosen is not None
        summary = (
            f"seats filled: {data['seats_filled']}; total score: {data['total_score']}; solver: {data['solver']}; "
            f"status: {data['status']}; gap: {data['gap']}"
        )
        if machine:
            for u in data["unfilled"]:
                output.message(f"need {u['need']}: {u['seats']} seat(s) unfilled: {u['reason']}")
            output.message(summary)
        else:
            filled = Counter(a["need"] for a in data["assignments"])
            print("\nseats per need")
            output.records(
                [
                    {
                        "need": n.id,
                        "institution": n.institution,
                        "title": n.title,
                        "free_seats": n.free,
                        "filled": filled[n.id],
                    }
                    for n in result.needs
                ],
                fmt,
                columns=["need", "institution", "title", "free_seats", "filled"],
                named=("institution",),
            )
            print(f"\nunfilled ({sum(u['seats'] for u in data['unfilled'])} seat(s))")
            output.records(data["unfilled"], fmt, columns=["need", "seats", "reason"])
            print("\n" + summary)
    if result.status != "optimal":
        output.warning(f"the plan is {result.status}")
    if commit and not quiet:
        output.message(f"Created {len(created)} planned mission(s): {', '.join(map(str, created)) or 'none'}.")
