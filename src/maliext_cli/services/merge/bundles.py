"""Bundles: a `Side` (side.py) as gzip-compressed JSON, written by `maliext export
--bundle` for sending by e-mail and read by `maliext merge`.

A bundle holds the whole file, or with `--since` only the records changed since a date
(with what they reference) and the removals since then. A partial bundle says nothing
about the records it leaves out.
"""

from __future__ import annotations

import gzip
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from maliext_cli.errors import FieldError, Invalid, MaliextError
from maliext_cli.i18n import _
from maliext_cli.services import nouns, parse, records
from maliext_cli.services.merge.runs import ACTIVE_RUN
from maliext_cli.services.merge.side import Side, TableInfo, own_side, table_order
from maliext_cli.store import Store, utc_now
from maliext_cli.store.database import refuse_newer

BUNDLE_FORMAT = "maliext-bundle"
BUNDLE_VERSION = 1


def read(data: bytes, name: str) -> Side:
    """The bundle `data` (JSON) of the file called `name`."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(
            _("{name} is not a readable bundle ({error}); nothing was changed").format(name=name, error=exc)
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != BUNDLE_FORMAT:
        raise Invalid(_("{name} is not a maliext bundle; nothing was changed").format(name=name))
    if doc.get("version") != BUNDLE_VERSION:
        raise MaliextError(
            _("{name} is a bundle of another version ({version!r}); nothing was changed").format(
                name=name, version=doc.get("version")
            )
        )
    schema = doc.get("schema")
    if not isinstance(schema, str):
        raise Invalid(_("{name}: the bundle does not say its schema; nothing was changed").format(name=name))
    refuse_newer(name, [schema], action="merge")
    try:
        return _bundle_side(doc, name, schema)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        # Translators: {error} is a technical detail (the file was changed by hand or damaged).
        raise Invalid(
            _("{name} is a damaged bundle ({error}); nothing was changed").format(
                name=name, error=f"{type(exc).__name__}: {exc}"
            )
        ) from None


def _bundle_side(doc: dict, name: str, schema: str) -> Side:
    commands = doc["commands"]
    if not all(isinstance(c, str) for c in commands):
        raise ValueError(_("commands must be uids"))
    infos: dict[str, TableInfo] = {}
    side = Side(name=name, schema=schema, infos=infos, since=doc.get("since"))
    for table in nouns.TABLES:
        if table not in doc["tables"]:  # a table of a later schema than the bundle's
            continue
        part = doc["tables"][table]
        columns = tuple(part["columns"])
        if not all(isinstance(c, str) for c in columns) or "uid" not in columns or "id" not in columns:
            raise ValueError(_("table {table}: bad columns").format(table=table))
        refs = {str(k): str(v) for k, v in part.get("refs", {}).items()}
        uniques = tuple((tuple(cols), bool(nocase)) for cols, nocase in part.get("uniques", []))
        infos[table] = TableInfo(table, columns, refs, uniques)
        kept = [c for c in columns if c != "id"]
        rows: dict[str, dict] = {}
        for values in part["rows"]:
            if not isinstance(values, list) or len(values) != len(kept):
                raise ValueError(
                    _("table {table}: a row has {values} values for {columns} columns").format(
                        table=table, values=len(values), columns=len(kept)
                    )
                )
            if any(isinstance(v, (list, dict)) for v in values):
                raise ValueError(_("table {table}: a value is not a scalar").format(table=table))
            row = dict(zip(kept, values))
            rows[_checked_uid(row["uid"])] = row
        side.rows[table] = rows
        edits = {}
        for uid, made in part.get("edits", {}).items():
            if not all(isinstance(i, int) and 0 <= i < len(commands) for i in made):
                raise ValueError(_("table {table}: an edit points to no command").format(table=table))
            edits[_checked_uid(uid)] = frozenset(commands[i] for i in made)
        side.edits[table] = edits
        side.removed_at[table] = {_checked_uid(uid): str(at) for uid, at in part.get("removed", {}).items()}
    for table, alias, target in doc.get("links", []):
        if table not in nouns.TABLES:
            raise ValueError(_("a link names an unknown table {table!r}").format(table=table))
        side.links[_checked_uid(alias)] = (table, _checked_uid(target))
    ordered = table_order(infos)
    side.infos = {t: infos[t] for t in ordered}
    return side


def _checked_uid(value) -> str:
    from maliext_cli.services.records import UID_RE

    if not isinstance(value, str) or not UID_RE.fullmatch(value):
        raise ValueError(_("{value!r} is not a uid").format(value=str(value)[:40]))
    return value


def _parse_since(value: str) -> str:
    try:
        return parse.since(value)
    except FieldError as exc:
        raise Invalid(records.about("--since", str(exc))) from None


@dataclass
class BundleReport:
    path: Path
    records: int
    removals: int
    since: str | None
    size: int


def _changed_since(store: Store, since: str) -> dict[str, set[str]]:
    """(table -> uids) of the records written since `since`: by a command of this file,
    or learnt from another file by a merge since then."""
    touched: dict[str, set[str]] = defaultdict(set)
    for table, uid in store.conn.execute(
        "SELECT DISTINCT ch.table_name, ch.uid FROM change ch JOIN command cmd ON cmd.id = ch.command_id "
        "WHERE cmd.at >= ?",
        (since,),
    ):
        touched[table].add(uid)
    for table, uid in store.conn.execute(
        f"SELECT DISTINCT e.table_name, e.uid FROM merge_event e JOIN merge_run r ON r.id = e.run_id "
        f"WHERE r.at >= ? AND e.run_id IN {ACTIVE_RUN}",
        (since,),
    ):
        touched[table].add(uid)
    return touched


def _with_references(side: Side, wanted: dict[str, set[str]]) -> dict[str, set[str]]:
    """`wanted` and every record its records reference, recursively."""
    keep: dict[str, set[str]] = {t: set() for t in side.infos}
    todo = [(t, u) for t, uids in wanted.items() for u in uids if t in side.rows and u in side.rows[t]]
    while todo:
        table, uid = todo.pop()
        if uid in keep[table]:
            continue
        keep[table].add(uid)
        row = side.rows[table][uid]
        for column, target in side.infos[table].refs.items():
            ref = row.get(column)
            if ref is not None and ref in side.rows[target] and ref not in keep[target]:
                todo.append((target, ref))
    return keep


def document(side: Side, *, since: str | None = None, keep: dict[str, set[str]] | None = None) -> dict:
    """The JSON document of a bundle: every record of `side`, or those of `keep`."""
    commands: dict[str, int] = {}

    def ids(made: frozenset[str]) -> list[int]:
        return sorted(commands.setdefault(e, len(commands)) for e in made)

    tables = {}
    for table, info in side.infos.items():
        kept_columns = [c for c in info.columns if c != "id"]
        rows = side.rows[table]
        uids = sorted(rows if keep is None else keep.get(table, set()))
        tomb = side.removed_at.get(table, {})
        gone = sorted(tomb if keep is None else (u for u in keep.get(table, set()) if u in tomb))
        if keep is not None:
            uids = [u for u in uids if u in rows]
        edits = side.edits.get(table, {})
        tables[table] = {
            "columns": list(info.columns),
            "refs": info.refs,
            "uniques": [[list(cols), nocase] for cols, nocase in info.uniques],
            "rows": [[rows[u].get(c) for c in kept_columns] for u in uids],
            "edits": {u: ids(edits[u]) for u in [*uids, *gone] if u in edits},
            "removed": {u: tomb[u] for u in gone},
        }
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "schema": side.schema,
        "source": side.name,
        "made_at": utc_now(),
        "since": since,
        "commands": list(commands),
        "tables": tables,
        "links": [[table, alias, target] for alias, (table, target) in sorted(side.links.items())],
    }


def write(store: Store, dest: str | os.PathLike, *, since: str | None = None) -> BundleReport:
    """Write the bundle of this file (or of its changes since `since`) to `dest`, gzip
    JSON, readable by its owner only; written whole or not at all."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        raise MaliextError(
            _("{path} is a directory").format(path=dest),
            hint=_("Give the bundle's file name, e.g. paris-2027-03.maliext.gz."),
        )
    if dest.exists() and dest.resolve() == store.path.resolve():
        raise MaliextError(_("the bundle cannot be the database itself"))
    cutoff = _parse_since(since) if since else None
    store.conn.execute("BEGIN")  # one snapshot of the file
    try:
        side = own_side(store)
        keep = None
        if cutoff is not None:
            touched = _changed_since(store, cutoff)
            keep = _with_references(side, touched)
            for table, uids in touched.items():
                if table in keep:
                    keep[table].update(u for u in uids if u in side.removed_at.get(table, {}))
    finally:
        store.conn.execute("ROLLBACK")
    doc = document(side, since=cutoff, keep=keep)
    data = gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0)
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        raise MaliextError(_("cannot write {path}: {error}").format(path=dest, error=exc.strerror)) from None
    finally:
        tmp.unlink(missing_ok=True)
    os.chmod(dest, 0o600)
    records = sum(len(t["rows"]) for t in doc["tables"].values())
    removals = sum(len(t["removed"]) for t in doc["tables"].values())
    return BundleReport(path=dest, records=records, removals=removals, since=cutoff, size=len(data))
