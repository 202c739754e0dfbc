"""The installed `maliext` program in real subprocesses: stdin, pipes, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import digest


def _program() -> str:
    beside = Path(sys.executable).with_name("maliext")
    found = str(beside) if beside.exists() else shutil.which("maliext")
    assert found, "the maliext entry point is not installed (pip install .)"
    return found


def run(
    *args: str, input: bytes | None = None, env: dict | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([*prefix, _program(), *args], input=input, capture_output=True, env=full_env, timeout=120)


CSV = (
    "nom,prénom,pays,diplôme,discipline\nTraoré,Aminata,Côte d'Ivoire,doctorat,chimie\nKeïta,Moussa,Sénégal,hdr,0541\n"
)


def test_import_from_stdin_then_list_json(tmp_path):
    db = tmp_path / "e2e.db"
    imported = run("consultant", "import", "-", "-q", "--db", str(db), input=CSV.encode())
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == b"1\n2\n"
    listed = run("consultant", "list", "-f", "json", env={"MALIEXT_DB": str(db)})
    assert listed.returncode == 0
    assert [r["country"] for r in json.loads(listed.stdout)] == ["CI", "SN"]


def test_exit_codes_and_streams(tmp_path):
    db = tmp_path / "e2e.db"
    assert run("init", "--db", str(db)).returncode == 0
    before = digest(db)
    missing = run("consultant", "show", "42", "--db", str(db))
    assert (missing.returncode, missing.stdout) == (3, b"")
    assert missing.stderr.startswith(b"Error: no consultant '42'")
    usage = run("consultant", "list", "--no-such-option", "--db", str(db))
    assert usage.returncode == 2
    invalid = run(
        "consultant",
        "add",
        "--family-name",
        "X",
        "--given-names",
        "Y",
        "--country",
        "ZZ",
        "--degree",
        "hdr",
        "--discipline",
        "0531",
        "--db",
        str(db),
    )
    assert invalid.returncode == 1
    assert b"Traceback" not in invalid.stderr
    assert digest(db) == before


def test_help_and_version():
    assert run("--help").returncode == 0
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith(b"maliext ")


def test_pipe_closed_early_is_not_an_error(tmp_path):
    db = tmp_path / "e2e.db"
    rows = "family_name,given_names,country,degree,discipline\n" + "".join(f"N{i},P,FR,hdr,0531\n" for i in range(3000))
    assert run("consultant", "import", "-", "--db", str(db), input=rows.encode()).returncode == 0
    shell = f"{_program()} consultant list -f csv --db {db} | head -n 2"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr  # pipefail: maliext itself exits 0
    assert done.stdout.count(b"\n") == 2
    assert b"Traceback" not in done.stderr and b"Error" not in done.stderr


def _bound_by_permissions() -> tuple[str, ...]:
    """A command prefix under which file permissions apply. Root reads every file, by
    the capabilities CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (CI runs as root): there
    the command runs without them, through util-linux's setpriv."""
    if os.getuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root, this test needs setpriv (util-linux) to give up root's reading rights"
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}")


def test_unreadable_database_is_an_error_not_a_traceback(tmp_path):
    db = tmp_path / "locked.db"
    assert run("init", "--db", str(db)).returncode == 0
    db.chmod(0)
    result = run("consultant", "list", "--db", str(db), prefix=_bound_by_permissions())
    assert result.returncode == 1
    assert result.stderr.startswith(b"Error: ")


def test_internal_error_exit_70_traceback_only_with_debug(tmp_path, monkeypatch):
    # A corrupted schema (a table dropped behind maliext's back) is an internal error.
    db = tmp_path / "broken.db"
    assert run("init", "--db", str(db)).returncode == 0
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE availability")
    conn.commit()
    conn.close()
    plain = run("consultant", "list", "--db", str(db))
    assert plain.returncode == 70
    assert b"internal error" in plain.stderr and b"Traceback" not in plain.stderr
    debug = run("--debug", "consultant", "list", "--db", str(db))
    assert debug.returncode == 70 and b"Traceback" in debug.stderr
