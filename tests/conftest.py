"""Shared fixtures: a fixed calendar day, a fresh database per test, and the CLI
driven in-process."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maliext_cli.cli.app import app


class Cli:
    """Runs `maliext ARGS --db <the test's database>` and keeps stdout and stderr apart."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, env: dict | None = None, db: bool = True):
        argv = [*args, "--db", str(self.db)] if db else list(args)
        return self.runner.invoke(app, argv, input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        return result

    def json(self, *args: str, **kwargs):
        return json.loads(self.ok(*args, "-f", "json", **kwargs).stdout)

    def csv(self, *args: str, **kwargs) -> list[dict]:
        return list(csv.DictReader(io.StringIO(self.ok(*args, "-f", "csv", **kwargs).stdout)))


# Every test, and every maliext process it starts, sees this day as today (see
# maliext_cli/clock.py): rules about "the future" give the same answers whatever day
# the suite runs. Tests of the real clock unset it themselves.
TODAY = "2027-06-30"


@pytest.fixture(autouse=True, scope="session")
def fixed_today():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MALIEXT_TODAY", TODAY)
        yield


# Every test speaks English unless it asks for another language (MALIEXT_LANG, or the
# locale after unsetting it), whatever the locale of the machine that runs the suite.
@pytest.fixture(autouse=True, scope="session")
def english():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MALIEXT_LANG", "en")
        yield


@pytest.fixture(autouse=True)
def interface_language_reset():
    """A command run in-process leaves its language behind (maliext_cli.i18n.use):
    each test starts in English."""
    from maliext_cli import i18n

    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def cli(db: Path) -> Cli:
    return Cli(db)


def digest(path: Path) -> str:
    """The database's content (every table, row by row): equal digests, equal data."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        h = hashlib.sha256()
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            h.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


AMINATA = (
    "--family-name",
    "Traoré",
    "--given-names",
    "Aminata",
    "--country",
    "Côte d'Ivoire",
    "--degree",
    "doctorat",
    "--discipline",
    "chimie",
    "--email",
    "aminata@example.org",
)


def add_consultant(cli: Cli, *extra: str, **fields: str) -> int:
    args = list(extra)
    for name, value in fields.items():
        args += [f"--{name.replace('_', '-')}", value]
    return int(cli.ok("consultant", "add", *args, "-q").stdout)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database (examples/), built once per session: tests that only read it
    share it."""
    from maliext_cli.services import demo
    from maliext_cli.store import Store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store.open(path, command_line="maliext demo")
    demo.build(store, demo.examples_dir())
    store.close()
    return path
