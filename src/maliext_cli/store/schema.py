"""The schema, as numbered migrations applied on open.

Each migration is recorded by name in `_sqlite_migrations` (sqlite-utils' Migrations);
a database that records a migration this version does not know was written by a newer
maliext and is refused before anything touches it.

Indexes serve lookups by key and joins. The filters of `consultant list` (country,
degree, status, discipline, antenna) each keep a large share of the rows, and the
search compares accent-free text: a scan answers them in milliseconds at repertory
sizes, while an index on each would make every import of 100,000 rows twice as slow.

`maliext merge` reads files of every earlier schema: it writes their records into a
scratch database of their schema and runs the later migrations there, as when a file
of that schema is opened (services/merge/upgrade.py). A migration thus says by itself
how the records of older files are upgraded (a new column takes its default; a column
renamed, filled or transformed by the migration is so in their records too), provided
that it computes records from the record tables (the scratch database holds no change
log) and keeps the record tables' names (merge knows edits by table and uid).

Vocabularies (degrees, statuses...) are checked by the services and `db check`, not by
CHECK constraints: SQLite cannot change a CHECK without rebuilding the table, and
vocabularies grow. Structural invariants (ranges, date order, valid JSON) are CHECKs.
"""

from __future__ import annotations

import re

MIGRATION_SET = "maliext"

# Columns every table has; `id` is local, `uid` travels between files (merge).
_COMMON = """
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL"""

# Money columns hold hundredths of the row's currency unit (integers, exact sums).
_V1 = f"""
CREATE TABLE command (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    command TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'command',
    undone_by INTEGER REFERENCES command(id)
);
CREATE TABLE change (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id INTEGER NOT NULL REFERENCES command(id),
    table_name TEXT NOT NULL,
    uid TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before TEXT CHECK (before IS NULL OR json_valid(before))
);
CREATE INDEX change_row ON change(table_name, uid, id);
CREATE INDEX change_command ON change(command_id);

CREATE TABLE consultant ({_COMMON},
    family_name TEXT NOT NULL CHECK (family_name <> ''),
    given_names TEXT NOT NULL CHECK (given_names <> ''),
    sex TEXT,
    birth_year INTEGER,
    email TEXT,
    phone TEXT,
    country TEXT NOT NULL,
    city TEXT,
    antenna TEXT,
    origin_region TEXT,
    degree TEXT NOT NULL,
    discipline TEXT NOT NULL,
    specialities TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(specialities)),
    languages TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(languages)),
    employer TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    notes TEXT
);
CREATE UNIQUE INDEX consultant_email ON consultant(email COLLATE NOCASE);

CREATE TABLE availability ({_COMMON},
    consultant_id INTEGER NOT NULL REFERENCES consultant(id),
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    CHECK ("end" >= start)
);
CREATE INDEX availability_consultant ON availability(consultant_id, start);

CREATE TABLE institution ({_COMMON},
    name TEXT NOT NULL CHECK (name <> ''),
    acronym TEXT,
    kind TEXT,
    parent_id INTEGER REFERENCES institution(id),
    city TEXT,
    region TEXT,
    notes TEXT
);
CREATE UNIQUE INDEX institution_acronym ON institution(acronym COLLATE NOCASE);
CREATE INDEX institution_parent ON institution(parent_id);

CREATE TABLE conflict ({_COMMON},
    consultant_id INTEGER NOT NULL REFERENCES consultant(id),
    institution_id INTEGER NOT NULL REFERENCES institution(id),
    reason TEXT,
    UNIQUE (consultant_id, institution_id)
);
CREATE INDEX conflict_institution ON conflict(institution_id);

CREATE TABLE programme ({_COMMON},
    code TEXT NOT NULL CHECK (code <> ''),
    name TEXT,
    funders TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(funders)),
    start TEXT,
    "end" TEXT,
    CHECK ("end" IS NULL OR start IS NULL OR "end" >= start)
);
CREATE UNIQUE INDEX programme_code ON programme(code COLLATE NOCASE);

CREATE TABLE antenna ({_COMMON},
    code TEXT NOT NULL CHECK (code <> ''),
    city TEXT,
    country TEXT,
    coordinator TEXT,
    email TEXT
);
CREATE UNIQUE INDEX antenna_code ON antenna(code COLLATE NOCASE);

CREATE TABLE need ({_COMMON},
    institution_id INTEGER NOT NULL REFERENCES institution(id),
    title TEXT NOT NULL CHECK (title <> ''),
    discipline TEXT NOT NULL,
    keywords TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords)),
    type TEXT NOT NULL,
    level TEXT,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    duration_days INTEGER NOT NULL CHECK (duration_days BETWEEN 7 AND 90),
    seats INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),
    priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    languages TEXT NOT NULL DEFAULT '["fr"]' CHECK (json_valid(languages)),
    -- 'filled' is never stored: it follows from the need's missions.
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    notes TEXT,
    CHECK (window_end >= window_start)
);
CREATE INDEX need_institution ON need(institution_id);
CREATE INDEX need_window ON need(window_start, window_end);
CREATE INDEX need_discipline ON need(discipline);

CREATE TABLE mission ({_COMMON},
    consultant_id INTEGER NOT NULL REFERENCES consultant(id),
    institution_id INTEGER NOT NULL REFERENCES institution(id),
    need_id INTEGER REFERENCES need(id),
    programme_id INTEGER NOT NULL REFERENCES programme(id),
    type TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    -- Both ends count: 1 to 21 February is 21 days.
    days INTEGER GENERATED ALWAYS AS (CAST(julianday(end_date) - julianday(start_date) AS INTEGER) + 1) STORED,
    status TEXT NOT NULL DEFAULT 'planned',
    travel_cost INTEGER NOT NULL DEFAULT 0 CHECK (travel_cost >= 0),
    per_diem INTEGER NOT NULL DEFAULT 0 CHECK (per_diem >= 0),
    fees INTEGER NOT NULL DEFAULT 0 CHECK (fees >= 0),
    currency TEXT NOT NULL DEFAULT 'XOF' CHECK (currency IN ('XOF', 'EUR')),
    funder TEXT,
    hours_taught INTEGER CHECK (hours_taught >= 0),
    people_trained INTEGER CHECK (people_trained >= 0),
    theses_supervised INTEGER CHECK (theses_supervised >= 0),
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    report TEXT,
    -- Why a duration outside 7 to 90 days was accepted (`--force --reason`).
    forced_reason TEXT,
    CHECK (end_date >= start_date)
);
-- Covers the overlap check and each consultant's first mission (new vs returning).
CREATE INDEX mission_consultant ON mission(consultant_id, start_date, end_date, status);
CREATE INDEX mission_institution ON mission(institution_id);
CREATE INDEX mission_need ON mission(need_id);
CREATE INDEX mission_programme ON mission(programme_id);
CREATE INDEX mission_start ON mission(start_date);

CREATE TABLE agreement ({_COMMON},
    title TEXT NOT NULL CHECK (title <> ''),
    institution_id INTEGER NOT NULL REFERENCES institution(id),
    partner TEXT NOT NULL CHECK (partner <> ''),
    partner_country TEXT,
    status TEXT NOT NULL DEFAULT 'negotiated',
    signed_on TEXT,
    consultant_id INTEGER REFERENCES consultant(id),
    notes TEXT
);
CREATE INDEX agreement_institution ON agreement(institution_id);

CREATE TABLE association ({_COMMON},
    name TEXT NOT NULL CHECK (name <> ''),
    acronym TEXT,
    level TEXT NOT NULL,
    parent_id INTEGER REFERENCES association(id),
    kind TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(kind)),
    country TEXT NOT NULL,
    city TEXT,
    origin_region TEXT,
    origin_locality TEXT,
    members INTEGER CHECK (members >= 0),
    founded INTEGER,
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    notes TEXT
);
CREATE UNIQUE INDEX association_acronym ON association(acronym COLLATE NOCASE);
CREATE INDEX association_parent ON association(parent_id);
CREATE INDEX association_country ON association(country, level);

CREATE TABLE project ({_COMMON},
    association_id INTEGER NOT NULL REFERENCES association(id),
    title TEXT NOT NULL CHECK (title <> ''),
    sector TEXT,
    locality TEXT,
    region TEXT,
    year INTEGER,
    diaspora_contribution INTEGER NOT NULL DEFAULT 0 CHECK (diaspora_contribution >= 0),
    subsidy INTEGER NOT NULL DEFAULT 0 CHECK (subsidy >= 0),
    other_funding INTEGER NOT NULL DEFAULT 0 CHECK (other_funding >= 0),
    currency TEXT NOT NULL DEFAULT 'XOF' CHECK (currency IN ('XOF', 'EUR')),
    subsidy_funder TEXT,
    status TEXT NOT NULL DEFAULT 'proposed',
    notes TEXT
);
CREATE INDEX project_association ON project(association_id);
"""

# What `maliext merge` keeps between merges (services/merge/). Each merge, resolve or
# link is a `merge_run`; its bookkeeping rows point to it, and count only while the
# run's change-log command is not undone, so that `undo` takes a merge back whole.
# `merge_event`: the edits (command uids) of a row learnt from other files, so that
# "changed since" is decided by edits seen rather than by clocks; merge reads it whole,
# so it has no index (a first merge of a large file writes one row per record).
# `merge_link`: a uid that means another record here (duplicates joined).
# `merge_conflict` and `merge_duplicate`: what waits for a decision; `settled_by` is
# the run that settled it.
_V2_MERGE = """
CREATE TABLE merge_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    peer TEXT,
    command_id INTEGER REFERENCES command(id),
    summary TEXT CHECK (summary IS NULL OR json_valid(summary))
);
CREATE INDEX merge_run_command ON merge_run(command_id);

CREATE TABLE merge_event (
    run_id INTEGER NOT NULL REFERENCES merge_run(id),
    table_name TEXT NOT NULL,
    uid TEXT NOT NULL,
    events TEXT NOT NULL CHECK (json_valid(events)),
    removed_at TEXT
);

CREATE TABLE merge_link (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES merge_run(id),
    table_name TEXT NOT NULL,
    alias_uid TEXT NOT NULL,
    target_uid TEXT NOT NULL
);
CREATE INDEX merge_link_alias ON merge_link(alias_uid);
CREATE INDEX merge_link_run ON merge_link(run_id);

CREATE TABLE merge_conflict (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES merge_run(id),
    table_name TEXT NOT NULL,
    uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    peer TEXT,
    mine TEXT CHECK (mine IS NULL OR json_valid(mine)),
    theirs TEXT CHECK (theirs IS NULL OR json_valid(theirs)),
    their_events TEXT NOT NULL CHECK (json_valid(their_events)),
    their_removed_at TEXT,
    note TEXT,
    settled_by INTEGER REFERENCES merge_run(id),
    outcome TEXT
);
CREATE INDEX merge_conflict_row ON merge_conflict(table_name, uid);
CREATE INDEX merge_conflict_run ON merge_conflict(run_id);
CREATE INDEX merge_conflict_settled ON merge_conflict(settled_by);

CREATE TABLE merge_duplicate (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES merge_run(id),
    table_name TEXT NOT NULL,
    uid_a TEXT NOT NULL,
    uid_b TEXT NOT NULL,
    reason TEXT NOT NULL,
    held TEXT CHECK (held IS NULL OR json_valid(held)),
    peer TEXT,
    settled_by INTEGER REFERENCES merge_run(id),
    outcome TEXT
);
CREATE INDEX merge_duplicate_a ON merge_duplicate(uid_a);
CREATE INDEX merge_duplicate_b ON merge_duplicate(uid_b);
CREATE INDEX merge_duplicate_run ON merge_duplicate(run_id);
CREATE INDEX merge_duplicate_settled ON merge_duplicate(settled_by);
"""


# What mission papers need (services/papers.py, services/evaluations.py). A programme's
# letterhead, address, signatory and reference prefix; the reference a mission's papers
# carry, given once when the first of them is made and never changed (`TOKTEN/2027/014`:
# unique per prefix and year, checked by the services and `db check`, not by a UNIQUE
# index, which two sites numbering alike would make impossible to merge); the
# evaluations of a mission by its host institution and by its consultant, one column
# per criterion of reference/vocab.py's EVALUATION_CRITERION.
_V5_MISSION_PAPERS = f"""
ALTER TABLE programme ADD COLUMN letterhead TEXT;
ALTER TABLE programme ADD COLUMN address TEXT;
ALTER TABLE programme ADD COLUMN city TEXT;
ALTER TABLE programme ADD COLUMN email TEXT;
ALTER TABLE programme ADD COLUMN signatory TEXT;
ALTER TABLE programme ADD COLUMN signatory_title TEXT;
ALTER TABLE programme ADD COLUMN reference_prefix TEXT;
ALTER TABLE mission ADD COLUMN reference TEXT;
CREATE INDEX mission_reference ON mission(reference);

CREATE TABLE evaluation ({_COMMON},
    mission_id INTEGER NOT NULL REFERENCES mission(id),
    by TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'end',
    evaluated_on TEXT NOT NULL,
    relevance INTEGER CHECK (relevance BETWEEN 1 AND 5),
    preparation INTEGER CHECK (preparation BETWEEN 1 AND 5),
    organisation INTEGER CHECK (organisation BETWEEN 1 AND 5),
    transfer INTEGER CHECK (transfer BETWEEN 1 AND 5),
    results INTEGER CHECK (results BETWEEN 1 AND 5),
    sustainability INTEGER CHECK (sustainability BETWEEN 1 AND 5),
    overall INTEGER CHECK (overall BETWEEN 1 AND 5),
    comment TEXT
);
CREATE INDEX evaluation_mission ON evaluation(mission_id, kind, by);
CREATE INDEX evaluation_date ON evaluation(evaluated_on);
"""


def _record_tables(script: str) -> tuple[str, ...]:
    """The tables that `script` creates with the record columns, in its order."""
    return tuple(re.findall(r"^CREATE TABLE (\w+) \(" + re.escape(_COMMON), script, re.MULTILINE))


# Tables that hold records (those with the record columns): the write path logs them,
# merge and undo replay them. The services know them as the nouns' registry
# (services/nouns.py), which a test keeps equal to this.
RECORD_TABLES = _record_tables(_V1 + _V2_MERGE + _V5_MISSION_PAPERS)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";\n") if s.strip()]


def load_sqlite_utils():
    """The sqlite_utils module, imported without numpy.

    sqlite-utils imports numpy when it is installed (maliext installs it for matching)
    only to know numpy's number types when it builds tables from Python values, and
    maliext gives it SQL statements only. Without numpy, the first command on a new
    file (when the migrations run) ends about 0.1 s sooner. numpy itself is left as it
    was: it imports as usual afterwards.
    """
    import sys

    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        import sqlite_utils

        return sqlite_utils
    sys.modules["numpy"] = None  # `import numpy` then fails, which sqlite-utils allows for
    try:
        import sqlite_utils
    finally:
        del sys.modules["numpy"]
    return sqlite_utils


def migrations():
    """The ordered migrations (sqlite_utils is imported here only: it is slow to load)."""
    m = load_sqlite_utils().Migrations(MIGRATION_SET)

    @m(name="001_initial")
    def initial(db):
        for statement in _statements(_V1):
            db.execute(statement)

    @m(name="002_merge")
    def merge(db):
        for statement in _statements(_V2_MERGE):
            db.execute(statement)

    @m(name="003_mission_papers")
    def mission_papers(db):
        for statement in _statements(_V5_MISSION_PAPERS):
            db.execute(statement)

    return m


# The names above, in order, known without importing sqlite_utils (checked by a test).
MIGRATION_NAMES = ("001_initial", "002_merge", "003_mission_papers")
