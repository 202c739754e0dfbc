"""A maliext file as `merge` sees it, read from a database or from a bundle, and the
bundles that `maliext export --bundle` writes for sending by e-mail.

A `Side` holds every record of a file keyed by uid, with its references written as the
referenced record's uid (local ids mean nothing in another file), and for each record
the set of edits that made it: the uids of the commands of the change log that wrote
it, plus those learnt from other files by earlier merges. A uid with edits but no row
was removed there (a tombstone). Merge compares these sets, not clocks, to tell which
side changed a record since the other saw it (services/merge.py).

A bundle is that same `Side`, as gzip-compressed JSON: the whole file, or with
`--since` only the records changed since a date (with what they reference) and the
removals since then. A partial bundle says nothing about the records it leaves out.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from maliext_cli.errors import FieldError, Invalid, MaliextError
from maliext_cli.services import parse
from maliext_cli.store import Store, utc_now
from maliext_cli.store.database import applied_migrations, open_readonly, refuse_newer
from maliext_cli.store.schema import RECORD_TABLES

BUNDLE_FORMAT = "maliext-bundle"
BUNDLE_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"

# Columns that never take part in comparing two versions of a record.
STAMPS = ("id", "uid", "created_at", "updated_at")

# Change-log commands whose changes are not edits of their own: a merge copies other
# files' edits (their own edits are learnt as such), and the undo of a merge only
# takes that copy back.
_EDITS = """
    SELECT ch.table_name, ch.uid, cmd.uid FROM change ch JOIN command cmd ON cmd.id = ch.command_id
    WHERE cmd.kind <> 'merge'
      AND NOT (cmd.kind = 'undo' AND EXISTS (SELECT 1 FROM command t WHERE t.undone_by = cmd.id AND t.kind = 'merge'))
    GROUP BY ch.table_name, ch.uid, cmd.uid"""

# Merge bookkeeping counts while its run's command is not undone (or when the run
# wrote no record, so that there is nothing to undo).
ACTIVE_RUN = "(SELECT r.id FROM merge_run r LEFT JOIN command c ON c.id = r.command_id WHERE c.undone_by IS NULL)"


@dataclass(frozen=True)
class TableInfo:
    """What merge needs to know of a record table."""

    name: str
    columns: tuple[str, ...]  # stored columns (generated ones left out), `id` first
    refs: dict[str, str]  # reference column -> referenced table
    uniques: tuple[tuple[tuple[str, ...], bool], ...]  # unique keys besides uid: (columns, NOCASE)

    @property
    def state_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in STAMPS)

    @property
    def self_refs(self) -> tuple[str, ...]:
        return tuple(c for c, t in self.refs.items() if t == self.name)


def table_infos(conn: sqlite3.Connection) -> dict[str, TableInfo]:
    """The record tables of a maliext file, parents before the tables that reference them."""
    infos: dict[str, TableInfo] = {}
    for table in RECORD_TABLES:
        columns = tuple(c[1] for c in conn.execute(f'PRAGMA table_xinfo("{table}")') if c[6] == 0)
        refs = {fk[3]: fk[2] for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        uniques = []
        for index in conn.execute(f'PRAGMA index_list("{table}")').fetchall():
            if not index[2] or index[4]:  # not unique, or partial
                continue
            keys = [c for c in conn.execute(f'PRAGMA index_xinfo("{index[1]}")') if c[5]]
            names = tuple(c[2] for c in keys)
            if None in names or names in (("uid",), ("id",)):
                continue
            uniques.append((names, all((c[4] or "").upper() == "NOCASE" for c in keys)))
        infos[table] = TableInfo(table, columns, refs, tuple(uniques))
    ordered: dict[str, TableInfo] = {}

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in ordered or name in path:
            return
        for parent in infos[name].refs.values():
            if parent != name:
                visit(parent, (*path, name))
        ordered[name] = infos[name]

    for table in RECORD_TABLES:
        visit(table)
    return ordered


@dataclass
class Side:
    """The records of one file, keyed by uid, references as uids (see the module doc)."""

    name: str
    schema: str
    infos: dict[str, TableInfo]
    rows: dict[str, dict[str, dict]] = field(default_factory=dict)  # table -> uid -> row (no id)
    edits: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)  # table -> uid -> edits
    removed_at: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> uid -> when (tombstones)
    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias uid -> (table, uid it means)
    ids: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> uid -> local id (own file only)
    since: str | None = None  # a partial bundle: changes since this time

    def tombstones(self, table: str) -> list[str]:
        rows = self.rows.get(table, {})
        return [uid for uid in self.edits.get(table, {}) if uid not in rows]


# ------------------------------------------------------------------ reading
def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def read_side(conn: sqlite3.Connection, name: str, schema: str, *, with_ids: bool = False) -> Side:
    """Every record of the maliext database on `conn`, and what merge knows of them."""
    infos = table_infos(conn)
    side = Side(name=name, schema=schema, infos=infos)
    uid_of: dict[str, dict[int, str]] = {}
    raw: dict[str, list[tuple]] = {}
    for table, info in infos.items():
        names = ", ".join(f'"{c}"' for c in info.columns)
        raw[table] = conn.execute(f'SELECT {names} FROM "{table}"').fetchall()
        uid_index = info.columns.index("uid")
        uid_of[table] = {r[0]: r[uid_index] for r in raw[table]}
    for table, info in infos.items():
        columns = info.columns
        refs = [(i, uid_of[info.refs[c]]) for i, c in enumerate(columns) if c in info.refs]
        rows: dict[str, dict] = {}
        for values in raw[table]:
            row = dict(zip(columns, values))
            for i, targets in refs:
                if values[i] is not None:
                    row[columns[i]] = targets.get(values[i])
            del row["id"]
            rows[row["uid"]] = row
        side.rows[table] = rows
        if with_ids:
            side.ids[table] = {u: i for i, u in uid_of[table].items()}
    edits: dict[str, dict[str, set[str]]] = {t: defaultdict(set) for t in infos}
    interned: dict[str, str] = {}
    for table, uid, edit in conn.execute(_EDITS):
        if table in edits:
            edits[table][uid].add(interned.setdefault(edit, edit))
    removed: dict[str, dict[str, str]] = {t: {} for t in infos}
    for table, uid, at in conn.execute(
        "SELECT ch.table_name, ch.uid, max(cmd.at) FROM change ch JOIN command cmd ON cmd.id = ch.command_id "
        "WHERE ch.action = 'delete' GROUP BY ch.table_name, ch.uid"
    ):
        if table in removed:
            removed[table][uid] = at
    if _has_table(conn, "merge_event"):
        for table, uid, learnt, at in conn.execute(
            f"SELECT table_name, uid, events, removed_at FROM merge_event WHERE run_id IN {ACTIVE_RUN} ORDER BY rowid"
        ):
            if table in edits:
                edits[table][uid].update(interned.setdefault(e, e) for e in json.loads(learnt))
                if at and at > removed[table].get(uid, ""):
                    removed[table][uid] = at
        for table, alias, target in conn.execute(
            f"SELECT table_name, alias_uid, target_uid FROM merge_link WHERE run_id IN {ACTIVE_RUN} ORDER BY id"
        ):
            side.links[alias] = (table, target)
    for table in infos:
        side.edits[table] = {uid: frozenset(e) for uid, e in edits[table].items()}
        present = side.rows[table]
        side.removed_at[table] = {u: at for u, at in removed[table].items() if u not in present}
    return side


def own_side(store: Store) -> Side:
    """This file, with the local id of each record."""
    return read_side(store.conn, store.path.name, store.schema_version, with_ids=True)


def read_other(path: str | os.PathLike, own: Store) -> Side:
    """The records of another maliext file: a database (as is or gzip-compressed) or a
    bundle; the format is told by the file's first bytes."""
    path = Path(path).expanduser()
    if not path.exists():
        raise MaliextError(f"no file {path}")
    if path.is_dir():
        raise MaliextError(f"{path} is a directory, not a maliext file")
    if path.resolve() == own.path.resolve():
        raise MaliextError(f"{path} is this database itself; give another site's file")
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise MaliextError(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return _read_database(path, path.name)
    if head.startswith(GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as handle:
                inner = handle.read(16)
                if inner.startswith(SQLITE_MAGIC):
                    return _read_gzipped_database(path)
                handle.seek(0)
                data = handle.read()
        except (OSError, EOFError) as exc:
            raise Invalid(f"{path} is a damaged gzip file ({exc}); nothing was changed") from None
        return _read_bundle(data, path.name)
    if head.lstrip()[:1] == b"{":
        return _read_bundle(path.read_bytes(), path.name)
    raise Invalid(
        f"{path} is neither a maliext database nor a bundle; nothing was changed",
        hint="Give a file made by `maliext db backup` or `maliext export --bundle`.",
    )


def _read_gzipped_database(path: Path) -> Side:
    with tempfile.TemporaryDirectory(prefix="maliext-merge-") as tmp:
        copy = Path(tmp) / "other.db"
        fd = os.open(copy, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            with os.fdopen(fd, "wb") as out, gzip.open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    out.write(chunk)
        except (OSError, EOFError) as exc:
            raise Invalid(f"{path} is a damaged gzip file ({exc}); nothing was changed") from None
        return _read_database(copy, path.name)


def _read_database(path: Path, name: str) -> Side:
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        raise MaliextError(f"cannot open {name}: {exc}") from None
    try:
        applied = applied_migrations(conn)
        if not applied:
            raise Invalid(f"{name} is an SQLite file but not a maliext database; nothing was changed")
        refuse_newer(name, applied, to="merge it")
        conn.execute("BEGIN")  # one snapshot, even if a site is writing to it meanwhile
        try:
            return read_side(conn, name, applied[-1])
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        raise Invalid(f"{name} is not a readable maliext database ({exc}); nothing was changed") from None
    finally:
        conn.close()


def check_compatible(own: Side | dict[str, TableInfo], other: Side) -> None:
    """Refuse a file whose record tables differ from ours (another schema)."""
    infos = own.infos if isinstance(own, Side) else own
    for table, info in infos.items():
        theirs = other.infos.get(table)
        if theirs is None or theirs.columns != info.columns:
            raise Invalid(
                f"{other.name}: table {table} has other columns than this database's; nothing was changed",
                hint="Upgrade both sites to the same maliext version.",
            )


# ------------------------------------------------------------------ bundles
def _read_bundle(data: bytes, name: str) -> Side:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(f"{name} is not a readable bundle ({exc}); nothing was changed") from None
    if not isinstance(doc, dict) or doc.get("format") != BUNDLE_FORMAT:
        raise Invalid(f"{name} is not a maliext bundle; nothing was changed")
    if doc.get("version") != BUNDLE_VERSION:
        raise MaliextError(f"{name} is a bundle of another version ({doc.get('version')!r}); nothing was changed")
    schema = doc.get("schema")
    if not isinstance(schema, str):
        raise Invalid(f"{name}: the bundle does not say its schema; nothing was changed")
    refuse_newer(name, [schema], to="merge it")
    try:
        return _bundle_side(doc, name, schema)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise Invalid(f"{name} is a damaged bundle ({type(exc).__name__}: {exc}); nothing was changed") from None


def _bundle_side(doc: dict, name: str, schema: str) -> Side:
    commands = doc["commands"]
    if not all(isinstance(c, str) for c in commands):
        raise ValueError("commands must be uids")
    infos: dict[str, TableInfo] = {}
    side = Side(name=name, schema=schema, infos=infos, since=doc.get("since"))
    for table in RECORD_TABLES:
        part = doc["tables"][table]
        columns = tuple(part["columns"])
        if not all(isinstance(c, str) for c in columns) or "uid" not in columns or "id" not in columns:
            raise ValueError(f"table {table}: bad columns")
        refs = {str(k): str(v) for k, v in part.get("refs", {}).items()}
        uniques = tuple((tuple(cols), bool(nocase)) for cols, nocase in part.get("uniques", []))
        infos[table] = TableInfo(table, columns, refs, uniques)
        kept = [c for c in columns if c != "id"]
        rows: dict[str, dict] = {}
        for values in part["rows"]:
            if not isinstance(values, list) or len(values) != len(kept):
                raise ValueError(f"table {table}: a row has {len(values)} values for {len(kept)} columns")
            if any(isinstance(v, (list, dict)) for v in values):
                raise ValueError(f"table {table}: a value is not a scalar")
            row = dict(zip(kept, values))
            rows[_checked_uid(row["uid"])] = row
        side.rows[table] = rows
        edits = {}
        for uid, made in part.get("edits", {}).items():
            if not all(isinstance(i, int) and 0 <= i < len(commands) for i in made):
                raise ValueError(f"table {table}: an edit points to no command")
            edits[_checked_uid(uid)] = frozenset(commands[i] for i in made)
        side.edits[table] = edits
        side.removed_at[table] = {_checked_uid(uid): str(at) for uid, at in part.get("removed", {}).items()}
    for table, alias, target in doc.get("links", []):
        if table not in RECORD_TABLES:
            raise ValueError(f"a link names an unknown table {table!r}")
        side.links[_checked_uid(alias)] = (table, _checked_uid(target))
    ordered = table_order(infos)
    side.infos = {t: infos[t] for t in ordered}
    return side


def _checked_uid(value) -> str:
    from maliext_cli.services.records import UID_RE

    if not isinstance(value, str) or not UID_RE.fullmatch(value):
        raise ValueError(f"{str(value)[:40]!r} is not a uid")
    return value


def table_order(infos: dict[str, TableInfo]) -> list[str]:
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in done or name in path or name not in infos:
            return
        for parent in infos[name].refs.values():
            if parent != name:
                visit(parent, (*path, name))
        done.append(name)

    for table in infos:
        visit(table)
    return done


def parse_since(value: str) -> str:
    try:
        return parse.since(value)
    except FieldError as exc:
        raise Invalid(f"--since: {exc}") from None


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


def bundle_document(side: Side, *, since: str | None = None, keep: dict[str, set[str]] | None = None) -> dict:
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


def write_bundle(store: Store, dest: str | os.PathLike, *, since: str | None = None) -> BundleReport:
    """Write the bundle of this file (or of its changes since `since`) to `dest`, gzip
    JSON, readable by its owner only; written whole or not at all."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        raise MaliextError(f"{dest} is a directory", hint="Give the bundle's file name, e.g. paris-2027-03.maliext.gz.")
    if dest.exists() and dest.resolve() == store.path.resolve():
        raise MaliextError("the bundle cannot be the database itself")
    cutoff = parse_since(since) if since else None
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
    doc = bundle_document(side, since=cutoff, keep=keep)
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
        raise MaliextError(f"cannot write {dest}: {exc.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)
    os.chmod(dest, 0o600)
    records = sum(len(t["rows"]) for t in doc["tables"].values())
    removals = sum(len(t["removed"]) for t in doc["tables"].values())
    return BundleReport(path=dest, records=records, removals=removals, since=cutoff, size=len(data))
