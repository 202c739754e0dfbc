"""Several maliext commands writing to one file at once wait for each other: none fails,
none is lost, and the file keeps every rule.

Eight processes each add 10 consultants, then 5 missions, through the installed
`maliext` (one `bash` loop per process, so that the commands of all eight interleave).
Each command is a process of its own: 120 of them wait for each other's writes on two
cores, which is the point; more would only make the test longer (it took over 2
minutes with 560), not the proof stronger.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess

import pytest

from .test_end_to_end import _program, run

PROCESSES, CONSULTANTS, MISSIONS = 8, 10, 5

SCRIPT = """
set -u
rc=0
for i in $(seq 1 {consultants}); do
  "$PROG" consultant add --family-name "Process $K" --given-names "Consultant $i" --country FR \\
      --degree hdr --discipline 0531 --email "p$K.c$i@example.org" -q --db "$DB" >/dev/null || rc=1
done
for i in $(seq 1 {missions}); do
  "$PROG" mission add --consultant "p$K.c$i@example.org" --institution FAST --programme TOKTEN \\
      --type lecture --start-date 2027-01-10 --end-date 2027-01-30 -q --db "$DB" >/dev/null || rc=1
done
exit $rc
"""


@pytest.mark.slow
def test_eight_processes_writing_at_once(tmp_path):
    db = tmp_path / "shared.db"
    assert run("institution", "add", "--name", "FAST", "--acronym", "FAST", "-q", "--db", str(db)).returncode == 0
    assert run("programme", "add", "--code", "TOKTEN", "-q", "--db", str(db)).returncode == 0
    script = SCRIPT.format(consultants=CONSULTANTS, missions=MISSIONS)
    processes = [
        subprocess.Popen(
            ["bash", "-c", script],
            env={**os.environ, "NO_COLOR": "1", "PROG": _program(), "DB": str(db), "K": str(k)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for k in range(PROCESSES)
    ]
    outcomes = [(p.wait(timeout=600), p.stderr.read().decode()) for p in processes]
    for p in processes:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in outcomes] == [0] * PROCESSES, [err for _, err in outcomes]
    assert all("locked" not in err and "busy" not in err for _, err in outcomes)
    assert [err for _, err in outcomes] == [""] * PROCESSES

    conn = sqlite3.connect(db)
    consultants = conn.execute("SELECT count(*) FROM consultant").fetchone()[0]
    missions = conn.execute("SELECT count(*) FROM mission").fetchone()[0]
    per_process = conn.execute(
        "SELECT c.family_name, count(DISTINCT c.id), count(m.id) FROM consultant c "
        "LEFT JOIN mission m ON m.consultant_id = c.id GROUP BY c.family_name ORDER BY c.family_name"
    ).fetchall()
    commands = conn.execute("SELECT count(*) FROM command").fetchone()[0]
    conn.close()
    assert (consultants, missions) == (PROCESSES * CONSULTANTS, PROCESSES * MISSIONS) == (80, 40)
    assert per_process == [(f"Process {k}", CONSULTANTS, MISSIONS) for k in range(PROCESSES)]
    assert commands == 2 + 120  # one logged command each, none lost
    check = run("db", "check", "--db", str(db))
    assert (check.returncode, check.stdout, check.stderr) == (0, b"", b"")
    history = json.loads(run("history", "--table", "mission", "-f", "json", "--db", str(db)).stdout)
    assert len(history) == 40 and {c["action"] for c in history} == {"insert"}
