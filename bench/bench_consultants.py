"""Speed of the repertory: a 100,000-consultant import and start-up of small commands.

    python bench/bench_consultants.py [--rows 100000] [--repeat 3]

Prints figures; asserts nothing (goals from the foundation issue: import of 100,000
validated consultants in at most 1.5 s on a 2-core machine, also shown with an
availability period for each; `maliext --help` and
`consultant list -f tsv` on 1,000 consultants faster than `sqlite-utils query`).
Every command runs as a real process, as a user would run it.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import write_consultants_csv  # noqa: E402

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def timed(cmd: list[str], *, repeat: int, setup=None) -> float:
    """Median wall time of `cmd` over `repeat` runs (`setup()` before each)."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh(path: Path):
    def remove():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return remove


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="maliext-bench-"))
    # Time what users run: pip compiles the package to bytecode when it installs it (an
    # editable install under PYTHONDONTWRITEBYTECODE would compile it at every start).
    import compileall

    import maliext_cli

    compileall.compile_dir(Path(maliext_cli.__file__).parent, quiet=1)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")

    # The consultants alone (every field), and the same with one availability period
    # each: 100,000 more records, in a second table, with their change-log rows.
    source = write_consultants_csv(work / "consultants.csv", args.rows, availability=False)
    with_periods = write_consultants_csv(work / "with-availability.csv", args.rows)
    db = work / "import.db"
    ours = timed(
        [tool("maliext"), "consultant", "import", str(source), "--db", str(db)], repeat=args.repeat, setup=fresh(db)
    )
    ours_periods = timed(
        [tool("maliext"), "consultant", "import", str(with_periods), "--db", str(db)],
        repeat=args.repeat,
        setup=fresh(db),
    )
    su_db = work / "su.db"
    su_cli = timed(
        [tool("sqlite-utils"), "insert", str(su_db), "consultant", str(source), "--csv"],
        repeat=args.repeat,
        setup=fresh(su_db),
    )

    with open(source, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fresh(su_db)()
    import sqlite_utils

    start = time.perf_counter()
    sqlite_utils.Database(su_db)["consultant"].insert_all(rows, batch_size=1000)
    su_python = time.perf_counter() - start
    fresh(su_db)()
    conn = sqlite3.connect(su_db)
    columns = list(rows[0])
    conn.execute(f"CREATE TABLE consultant ({', '.join(columns)})")
    start = time.perf_counter()
    with conn:
        conn.executemany(
            f"INSERT INTO consultant VALUES ({', '.join('?' * len(columns))})", [tuple(r.values()) for r in rows]
        )
    plain = time.perf_counter() - start
    conn.close()

    print(f"\nimport of {args.rows:,} consultants from CSV into a new file (median of {args.repeat}; goal <= 1.5 s):")
    print(f"  maliext consultant import (validated, logged)                {ours:7.2f} s")
    print(f"  ... the same with one availability period each              {ours_periods:7.2f} s   (200,000 records)")
    print(
        f"  sqlite-utils insert --csv (CLI, no validation)               {su_cli:7.2f} s   ratio {su_cli / ours:5.2f}x"
    )
    print(
        f"  sqlite-utils insert_all (Python, no validation)              {su_python:7.2f} s   ratio {su_python / ours:5.2f}x"
    )
    print(f"  sqlite3 executemany (Python, no validation, no index)        {plain:7.2f} s   ratio {plain / ours:5.2f}x")

    small = work / "small.db"
    subprocess.run(
        [
            tool("maliext"),
            "consultant",
            "import",
            str(write_consultants_csv(work / "small.csv", 1000, seed=2)),
            "--db",
            str(small),
        ],
        check=True,
        capture_output=True,
    )
    runs = max(10, args.repeat * 5)
    helps = timed([tool("maliext"), "--help"], repeat=runs)
    lists = timed([tool("maliext"), "consultant", "list", "-f", "tsv", "--db", str(small)], repeat=runs)
    query = timed([tool("sqlite-utils"), "query", str(small), "select * from consultant", "--tsv"], repeat=runs)
    print(f"\nstart-up on 1,000 consultants (median of {runs}; goal: faster than sqlite-utils query):")
    print(f"  sqlite-utils query DB 'select * from consultant' --tsv      {query * 1000:7.0f} ms")
    print(
        f"  maliext --help                                              {helps * 1000:7.0f} ms   {query / helps:5.2f}x faster"
    )
    print(
        f"  maliext consultant list -f tsv                              {lists * 1000:7.0f} ms   {query / lists:5.2f}x faster"
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
