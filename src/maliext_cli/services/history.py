"""The change log read back: what changed, when, by whom (`history`), and the last
command taken back (`undo`).

The store logs each change with the row as it was *before*; the row *after* a change is
the `before` of the next change to the same row (a window function, LEAD), or the row as
it is now when no change followed.

`undo` reverts the last command still in effect, change by change in reverse order,
through the store's write path (so the undo is itself logged and could be audited), in
one transaction of kind 'undo'; the command it reverts is marked `undone_by`. It
refuses when a later command still in effect changed one of the same rows: reverting
would silently throw that later change away.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from maliext_cli.errors import Conflict, FieldError, Invalid, NotFound, UsageProblem
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.services import nouns, parse, records
from maliext_cli.store import Store

COLUMNS = ["id", "at", "user", "command", "table", "uid", "action", "before", "after"]
# One line per change, as people scan the log (`record` names the row: `record_name`).
BRIEF = ("at", "user", "command", "table", "record", "action")


# ---------------------------------------------------------------------- history
def check_table(table: str | None) -> str | None:
    if table is None:
        return None
    name = table.strip().lower()
    if name not in nouns.ENTITIES:
        raise UsageProblem(_("--table: unknown table {table!r}").format(table=table), hint=_tables())
    return name


def _tables() -> str:
    return _("Tables: {tables}.").format(tables=", ".join(nouns.TABLES))


def resolve_record(store: Store, record: str, table: str | None = None) -> tuple[str | None, str]:
    """(table or None, uid) of `--record`: a uid (any table), `TABLE:REF`, or a REF
    (id, uid or natural key) of `table`. A removed record is found by what the log kept
    of it (its old id or natural key)."""
    text = record.strip()
    if ":" in text and text.split(":", 1)[0].strip().lower() in nouns.ENTITIES:
        prefix, text = text.split(":", 1)
        named = check_table(prefix)
        if table and named != table:
            raise Invalid(_("--record names table {named} but --table is {table}").format(named=named, table=table))
        table, text = named, text.strip()
    if records.UID_RE.fullmatch(text):
        return table, text.lower()
    if table is None:
        raise Invalid(
            _("--record {record!r}: give a uid, TABLE:REF (e.g. consultant:12) or --table with it").format(
                record=record
            ),
            hint=_tables(),
        )
    entity = nouns.ENTITIES[table]
    if text.isdigit() and not _is_id(text):  # no such id; and records.find would overflow on it
        raise NotFound(_("no {label} {ref!r}").format(label=_(entity.label), ref=text[:40]))
    try:
        return table, records.find(store, entity, text)["uid"]
    except NotFound:
        pass
    # Removed since: the log keeps the row as it was, with its id and natural key.
    key = entity.natural_key
    value: int | str
    if _is_id(text):
        column, value, collate = "id", int(text), ""
    elif key and text:
        column, value, collate = key, text, " COLLATE NOCASE"
    else:
        raise NotFound(_("no {label} {ref!r}").format(label=_(entity.label), ref=text), hint=_(entity.find_hint))
    uid = store.value(
        f"SELECT uid FROM change WHERE table_name = ? AND json_extract(before, '$.{column}') = ?{collate} "
        "ORDER BY id DESC LIMIT 1",
        (table, value),
    )
    if uid is None:
        raise NotFound(
            _("no {label} {ref!r}, now or in the change log").format(label=_(entity.label), ref=text),
            hint=_(entity.find_hint),
        )
    return table, uid


def _is_id(text: str) -> bool:
    """An id as typed: ASCII digits that fit in SQLite's integers."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def _since(value: str) -> str:
    try:
        return parse.since(value)
    except FieldError as exc:
        raise Invalid(records.about("--since", str(exc))) from None


def changes(
    store: Store,
    *,
    table: str | None = None,
    record: str | None = None,
    since: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Changes, newest first, as {id, at, user, command, table, uid, action, before, after}."""
    table = check_table(table)
    where, params = [], []
    if record:
        table, uid = resolve_record(store, record, table)
        where.append("ch.uid = ?")
        params.append(uid)
    if table:
        where.append("ch.table_name = ?")
        params.append(table)
    if since:
        where.append("cmd.at >= ?")
        params.append(_since(since))
    if limit is not None and limit < 0:
        raise Invalid(_("--limit must be zero or more"))
    # The changes to show first; then the window runs over their rows' changes only
    # (LEAD looks forward, so earlier changes of those rows are not needed).
    sql = f"""
        WITH picked AS (
            SELECT ch.id FROM change ch JOIN command cmd ON cmd.id = ch.command_id
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY ch.id DESC LIMIT ?
        ),
        logged AS (
            SELECT ch.id, ch.command_id, ch.table_name, ch.uid, ch.action, ch.before,
                   lead(ch.id) OVER w AS next_id, lead(ch.before) OVER w AS next_before
            FROM change ch
            WHERE ch.id >= (SELECT min(id) FROM picked)
              AND (ch.table_name, ch.uid) IN (SELECT table_name, uid FROM change WHERE id IN (SELECT id FROM picked))
            WINDOW w AS (PARTITION BY ch.table_name, ch.uid ORDER BY ch.id)
        )
        SELECT l.id, cmd.at, cmd.user, cmd.command, l.table_name, l.uid, l.action, l.before, l.next_id, l.next_before
        FROM logged l JOIN command cmd ON cmd.id = l.command_id
        WHERE l.id IN (SELECT id FROM picked)
        ORDER BY l.id DESC"""
    rows = store.conn.execute(sql, (*params, -1 if limit is None else limit)).fetchall()
    return _with_after(store, rows)


def _with_after(store: Store, rows: Sequence[tuple]) -> list[dict]:
    """History records from (id, at, user, command, table, uid, action, before,
    next_id, next_before) tuples: `after` is the next change's `before`, else the row
    as it is now (none for a removal)."""
    current = _current_rows(store, {(r[4], r[5]) for r in rows if r[8] is None and r[6] != "delete"})
    out = []
    for id_, at, user, command, table, uid, action, before, next_id, next_before in rows:
        if next_id is not None:
            after = _loads(next_before)
        else:
            after = None if action == "delete" else current.get((table, uid))
        out.append(
            {
                "id": id_,
                "at": at,
                "user": user,
                "command": command,
                "table": table,
                "uid": uid,
                "action": action,
                "before": _loads(before),
                "after": after,
            }
        )
    return out


def _loads(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)


def _current_rows(store: Store, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The rows as stored now (stored columns only, as the log keeps them)."""
    by_table: dict[str, list[str]] = defaultdict(list)
    for table, uid in wanted:
        if table in nouns.ENTITIES:
            by_table[table].append(uid)
    found: dict[tuple[str, str], dict] = {}
    for table, uids in by_table.items():
        columns = store.columns(table)
        names = ", ".join(f'"{c}"' for c in columns)
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            cur = store.conn.execute(f"SELECT {names} FROM {table} WHERE uid IN ({', '.join('?' * len(chunk))})", chunk)
            for values in cur:
                row = dict(zip(columns, values))
                found[(table, row["uid"])] = row
    return found


# ------------------------------------------------------------------------- undo
@dataclass
class UndoPlan:
    """What undoing one command does: the command, counts per table, a few examples."""

    command: dict
    counts: dict[str, Counter] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    total: int = 0


_LAST_IN_EFFECT = """
    SELECT id, uid, at, user, command, kind FROM command c
    WHERE c.kind <> 'undo' AND c.undone_by IS NULL AND EXISTS (SELECT 1 FROM change WHERE command_id = c.id)
    ORDER BY c.id DESC LIMIT 1"""

EXAMPLES = 5


def plan(store: Store, command_id: int | None = None) -> UndoPlan | None:
    """What `undo` would revert: the last command still in effect (or `command_id`);
    None when there is nothing to undo. Raises Conflict when it cannot be undone."""
    command = _command(store, command_id)
    if command is None:
        return None
    _refuse_if_changed_later(store, command)
    result = UndoPlan(command=command)
    counts: dict[str, Counter] = defaultdict(Counter)
    for table, action, n in store.conn.execute(
        "SELECT table_name, action, count(*) FROM change WHERE command_id = ? GROUP BY table_name, action",
        (command["id"],),
    ):
        counts[table][action] = n
        result.total += n
    order = {t: i for i, t in enumerate(nouns.TABLES)}
    result.counts = dict(sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order))))
    sample = store.conn.execute(
        "SELECT c.id, cmd.at, cmd.user, cmd.command, c.table_name, c.uid, c.action, c.before, n.id, n.before "
        "FROM change c JOIN command cmd ON cmd.id = c.command_id "
        "LEFT JOIN change n ON n.id = (SELECT min(x.id) FROM change x "
        "WHERE x.table_name = c.table_name AND x.uid = c.uid AND x.id > c.id) "
        "WHERE c.command_id = ? ORDER BY c.id LIMIT ?",
        (command["id"], EXAMPLES),
    ).fetchall()
    result.examples = [describe(c) for c in _with_after(store, sample)]
    return result


def _command(store: Store, command_id: int | None) -> dict | None:
    if command_id is None:
        return store.row(_LAST_IN_EFFECT)
    command = store.row("SELECT id, uid, at, user, command, kind, undone_by FROM command WHERE id = ?", (command_id,))
    if command is None:
        raise NotFound(_("no command {id} in the change log").format(id=command_id))
    if command.pop("undone_by") is not None:
        raise Conflict(_("command {id} was already undone").format(id=command_id))
    if command["kind"] == "undo":
        raise Conflict(_("command {id} is itself an undo").format(id=command_id))
    return command


def _refuse_if_changed_later(store: Store, command: dict) -> None:
    later = store.rows(
        """
        SELECT later.table_name, later.uid, cmd.id AS command_id, cmd.at, cmd.user, cmd.command
        FROM change mine
        JOIN change later ON later.table_name = mine.table_name AND later.uid = mine.uid AND later.id > mine.id
        JOIN command cmd ON cmd.id = later.command_id
        WHERE mine.command_id = :id AND later.command_id <> :id AND cmd.kind <> 'undo' AND cmd.undone_by IS NULL
        GROUP BY later.table_name, later.uid
        ORDER BY min(later.id)""",
        {"id": command["id"]},
    )
    if not later:
        return
    details = [
        _("{table} {uid}: changed by `{command}` ({at}, {user})").format(
            table=r["table_name"], uid=r["uid"], command=r["command"], at=r["at"], user=r["user"]
        )
        for r in later[:10]
    ]
    if len(later) > 10:
        details.append(_and_more(len(later) - 10))
    raise Conflict(
        ngettext(
            "cannot undo `{command}` ({at}): {n} of the rows it changed was changed again later by a command "
            "still in effect; nothing was changed",
            "cannot undo `{command}` ({at}): {n} of the rows it changed were changed again later by commands "
            "still in effect; nothing was changed",
            len(later),
        ).format(command=command["command"], at=command["at"], n=len(later)),
        details=details,
        hint=_("Undo those later commands first (`maliext undo` takes the last one back), or change the rows by hand."),
    )


def _and_more(n: int) -> str:
    # Translators: the last line of a list cut short.
    return ngettext("... and {n} more", "... and {n} more", n).format(n=n)


def undo(store: Store, command_id: int | None = None) -> UndoPlan:
    """Revert the last command still in effect (or `command_id`), exactly, in one
    transaction; what was reverted. Nothing is changed if anything is refused."""
    from maliext_cli.services import checks

    with store.transaction(kind="undo"):
        shown = plan(store, command_id)
        if shown is None:
            raise NotFound(_("nothing to undo"))
        target = shown.command["id"]
        known = set(checks.run(store, structure=False))
        reverted = store.rows(
            "SELECT id, table_name, uid, action, before FROM change WHERE command_id = ? ORDER BY id DESC", (target,)
        )
        for change in reverted:
            _revert(store, change)
        new = [p for p in checks.run(store, structure=False) if p not in known]
        if new:
            raise Conflict(
                ngettext(
                    "cannot undo `{command}`: the data as it is now would break {n} rule; nothing was changed",
                    "cannot undo `{command}`: the data as it is now would break {n} rules; nothing was changed",
                    len(new),
                ).format(command=shown.command["command"], n=len(new)),
                details=[str(p) for p in new[:10]],
            )
        if store.command_id is None:  # pragma: no cover - every change reverts with a write
            raise RuntimeError("undo wrote nothing")
        store.conn.execute("UPDATE command SET undone_by = ? WHERE id = ?", (store.command_id, target))
    return shown


def _revert(store: Store, change: dict) -> None:
    table = change["table_name"]
    if table not in nouns.ENTITIES:  # pragma: no cover - the store logs record tables only
        raise Conflict(_("the change log names an unknown table {table!r}").format(table=table))
    try:
        if change["action"] == "insert":
            row = store.row(f"SELECT id FROM {table} WHERE uid = ?", (change["uid"],))
            if row is None:
                raise Conflict(
                    _("cannot undo: {table} {uid} is no longer there; nothing was changed").format(
                        table=table, uid=change["uid"]
                    )
                )
            store.delete(table, row["id"])
        else:
            store.put(table, json.loads(change["before"]))
    except sqlite3.IntegrityError as exc:
        if change["action"] == "insert":
            clash = _(
                "cannot undo: removing {table} {uid} clashes with the data as it is now ({error}); nothing was changed"
            )
        else:
            clash = _(
                "cannot undo: restoring {table} {uid} clashes with the data as it is now ({error}); nothing was changed"
            )
        raise Conflict(clash.format(table=table, uid=change["uid"], error=exc)) from None


# ----------------------------------------------------------------- describing
def record_name(change: dict) -> str:
    """The row a change touched, as people know it: `12 (Aminata Traoré)`, or its id."""
    row = change["after"] or change["before"] or {}
    name = nouns.name_of(change["table"], row)
    key = row.get("id", change["uid"])
    return f"{key} ({name})" if name else str(key)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else "null" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


# One line per action and whether the record has a name: {label} is the kind of
# record (translated), {id} its id, {name} what names it, {fields} the fields changed.
_DESCRIBED = {
    ("insert", True): N_("added {label} {id} ({name})"),
    ("insert", False): N_("added {label} {id}"),
    ("delete", True): N_("removed {label} {id} ({name})"),
    ("delete", False): N_("removed {label} {id}"),
    ("update", True): N_("changed {label} {id} ({name})"),
    ("update", False): N_("changed {label} {id}"),
    ("fields", True): N_("changed {label} {id} ({name}): {fields}"),
    ("fields", False): N_("changed {label} {id}: {fields}"),
}


def describe(change: dict) -> str:
    """One line for one history record: `added consultant 12 (Aminata Traoré)`."""
    row = change["after"] or change["before"] or {}
    name = nouns.name_of(change["table"], row)
    label = _(nouns.ENTITIES[change["table"]].label) if change["table"] in nouns.ENTITIES else change["table"]
    action, shown = change["action"], ""
    if action == "update":
        before, after = change["before"] or {}, change["after"] or {}
        fields = [k for k in before if k != "updated_at" and before.get(k) != after.get(k)]
        shown = ", ".join(f"{k} {_shown(before.get(k))} -> {_shown(after.get(k))}" for k in fields[:3])
        if len(fields) > 3:
            # Translators: {fields} lists three changes ("city null -> 'Orléans', ...").
            shown = ngettext("{fields} and {n} more", "{fields} and {n} more", len(fields) - 3).format(
                fields=shown, n=len(fields) - 3
            )
    key = ("fields" if shown else action, bool(name))
    return _(_DESCRIBED[key]).format(label=label, id=row.get("id", change["uid"]), name=name, fields=shown)


# How many rows of a table a command added, changed and removed, as `undo` counts them.
def _counted(action: str, n: int) -> str:
    if action == "insert":
        return ngettext("{n} added", "{n} added", n).format(n=n)
    if action == "update":
        return ngettext("{n} changed", "{n} changed", n).format(n=n)
    return ngettext("{n} removed", "{n} removed", n).format(n=n)


def summary_lines(shown: UndoPlan) -> list[str]:
    """The summary `undo` prints before it asks."""
    c = shown.command
    lines = [
        _("Last command, {at} by {user}:").format(at=c["at"], user=c["user"]),
        f"  {c['command']}",
        ngettext("It changed {n} row:", "It changed {n} rows:", shown.total).format(n=shown.total),
    ]
    for table, counts in shown.counts.items():
        parts = [_counted(action, counts[action]) for action in ("insert", "update", "delete") if counts.get(action)]
        # Translators: a table's name as commands spell it (consultant, mission...), then "2 added, 1 changed".
        lines.append("  " + _("{table}: {counts}").format(table=table, counts=", ".join(parts)))
    if shown.examples:
        lines.append(_("For example:"))
        lines += [f"  {e}" for e in shown.examples]
        if shown.total > len(shown.examples):
            lines.append("  " + _and_more(shown.total - len(shown.examples)))
    return lines
