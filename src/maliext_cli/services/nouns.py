"""Every kind of record maliext keeps: the one list of them.

Each is declared once, as an `Entity` in its noun's module (its table, fields, periods,
vocabularies, likely-duplicate key, name in messages, derived values); this module
lists them all, by table, in the order their tables depend on each other (a record's
references point to the tables before its own). Reference fields, `db check`, history,
undo and merge read the kinds of record from here, and the order of the tables from
this list: importing this module is all a script needs (no module registers itself).

The store knows its record tables from the schema (the tables created with the record
columns, store/schema.py `RECORD_TABLES`), without importing services; a test keeps
the two lists the same, so that a new noun is the migration that creates its table
and one line here.
"""

from __future__ import annotations

from maliext_cli.services import (
    antennas,
    associations,
    consultants,
    evaluations,
    institutions,
    interests,
    missions,
    needs,
    projects,
)
from maliext_cli.services.records import Entity

ENTITIES: dict[str, Entity] = {
    entity.table: entity
    for entity in (
        consultants.ENTITY,
        consultants.AVAILABILITY,
        institutions.INSTITUTION,
        interests.CONFLICT_OF_INTEREST,
        institutions.PROGRAMME,
        antennas.ANTENNA,
        needs.ENTITY,
        missions.ENTITY,
        antennas.AGREEMENT,
        associations.ENTITY,
        projects.ENTITY,
        evaluations.ENTITY,
    )
}

# The record tables, each after the tables it refers to.
TABLES: tuple[str, ...] = tuple(ENTITIES)


def name_of(table: str, row: dict | None) -> str:
    """A short readable name of a stored record of `table`, for messages."""
    return ENTITIES[table].name_of(row)
