"""The other file of a merge when it has an earlier schema than this maliext's: its
records brought to this schema, as the migrations say, before they are compared.

The records are written into a scratch database (in memory) made by the migrations up
to the file's schema; the later migrations then run on it, exactly as when this
maliext opens a file of that schema, and the records are read back. So a new column
takes its declared default, and a migration that renames a column, or fills or
transforms one from the record tables, does the same to the records of every older
file it merges: a migration declares nothing more for merge (store/schema.py).

The records keep their uids, and their references are given as ids in the scratch
database, so that a migration may join tables as it would in a real file. What merge
knows besides the records (edits, removals, links) names records by table and uid, and
is kept as read. The other file itself is never written to.
"""

from __future__ import annotations

import dataclasses
import sqlite3

from maliext_cli.errors import Invalid
from maliext_cli.i18n import _
from maliext_cli.services.merge.side import Side, TableInfo, check_compatible, read_rows, table_infos
from maliext_cli.store import schema


def upgraded(side: Side) -> Side:
    """`side` with its records as this schema holds them (itself if it has this schema).

    A file of a newer schema was refused on reading (store.database.refuse_newer)."""
    names = schema.MIGRATION_NAMES
    if side.schema == names[-1]:
        return side
    later = names[names.index(side.schema) + 1 :]
    sqlite_utils = schema.load_sqlite_utils()
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        # Not enforced: a table's records go in in no particular order (a parent may come
        # after its child), and a bundle's may refer to a record it does not hold (merge
        # checks references itself, planning.py).
        conn.execute("PRAGMA foreign_keys = OFF")
        db = sqlite_utils.Database(conn)
        migrations = schema.migrations()
        migrations.apply(db, stop_before=later[0])
        then = table_infos(conn)
        check_compatible(then, side, schema=side.schema)
        try:
            _write(conn, then, side)
            migrations.apply(db)
        except sqlite3.DatabaseError as exc:
            raise Invalid(
                _(
                    "{name}: its records cannot be upgraded from schema {schema} to {latest} ({error}); "
                    "nothing was changed"
                ).format(name=side.name, schema=side.schema, latest=names[-1], error=exc)
            ) from None
        infos = table_infos(conn)
        rows, _uids = read_rows(conn, infos)
    finally:
        conn.close()
    return dataclasses.replace(
        side,
        schema=names[-1],
        infos=infos,
        rows=rows,
        edits={t: side.edits.get(t, {}) for t in infos},
        removed_at={t: side.removed_at.get(t, {}) for t in infos},
    )


def _write(conn: sqlite3.Connection, infos: dict[str, TableInfo], side: Side) -> None:
    """The records of `side` into the scratch database, numbered from 1 in each table."""
    ids = {table: {uid: i for i, uid in enumerate(side.rows[table], 1)} for table in infos}
    conn.execute("BEGIN")
    for table, info in infos.items():
        names = ", ".join(f'"{c}"' for c in info.columns)
        marks = ", ".join("?" * len(info.columns))
        conn.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
            [_values(info, row, ids[table][uid], ids) for uid, row in side.rows[table].items()],
        )
    conn.execute("COMMIT")


def _values(info: TableInfo, row: dict, id_: int, ids: dict[str, dict[str, int]]) -> list:
    values: list = []
    for column in info.columns:
        if column == "id":
            values.append(id_)
        elif column in info.refs and row.get(column) is not None:
            # A reference to a record the bundle does not hold stays a uid (side.read_rows
            # reads it back so): merge then lists it as a conflict, as for any bundle.
            values.append(ids[info.refs[column]].get(row[column], row[column]))
        else:
            values.append(row.get(column))
    return values
