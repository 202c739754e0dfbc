"""Speed of `mission report --by year,institution` over 1,000,000 missions.

    python bench/bench_mission_report.py [--missions 1000000] [--repeat 3]

The database is made by maliext's own schema (`maliext init`), then filled directly
with seeded rows (500 institutions, 20,000 consultants, 2 programmes, 25 years). The
figure is compared with the same aggregate written by hand as one sqlite3 query on the
same file (the floor). Goal from the missions issue: at most 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BIN = Path(sys.executable).parent


def fill(db: Path, missions: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    now = "2026-01-01T00:00:00Z"
    with conn:
        conn.executemany(
            "INSERT INTO institution (uid, created_at, updated_at, name, acronym) VALUES (?, ?, ?, ?, ?)",
            [(f"i-{i}", now, now, f"Institution {i}", f"I{i}") for i in range(500)],
        )
        conn.executemany(
            "INSERT INTO consultant (uid, created_at, updated_at, family_name, given_names, country, degree, discipline) "
            "VALUES (?, ?, ?, 'N', 'P', 'FR', 'doctorat', '0531')",
            [(f"c-{i}", now, now) for i in range(20_000)],
        )
        conn.executemany(
            "INSERT INTO programme (uid, created_at, updated_at, code) VALUES (?, ?, ?, ?)",
            [("p-1", now, now, "TOKTEN"), ("p-2", now, now, "TALMALI")],
        )
        first = date(2002, 1, 1)

        def rows():
            for i in range(missions):
                start = first + timedelta(days=rng.randrange(25 * 365))
                end = start + timedelta(days=rng.randint(6, 60))
                currency = "EUR" if rng.random() < 0.4 else "XOF"
                yield (
                    f"m-{i}",
                    now,
                    now,
                    rng.randrange(1, 20_001),
                    rng.randrange(1, 501),
                    rng.randrange(1, 3),
                    "lecture",
                    start.isoformat(),
                    end.isoformat(),
                    rng.choice(("completed", "completed", "planned", "cancelled")),
                    rng.randrange(30_000, 90_000),
                    rng.randrange(3_000, 9_000),
                    0,
                    currency,
                    rng.choice((None, 3, 4, 5)),
                )

        conn.executemany(
            "INSERT INTO mission (uid, created_at, updated_at, consultant_id, institution_id, programme_id, type, start_date, "
            "end_date, status, travel_cost, per_diem, fees, currency, rating) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(),
        )
    conn.execute("ANALYZE")
    conn.close()


HAND_WRITTEN = """
SELECT substr(start_date, 1, 4) AS year, i.acronym, count(*), count(DISTINCT consultant_id), sum(days),
       sum((travel_cost + per_diem * days + fees) * CASE currency WHEN 'EUR' THEN 655957 ELSE 1000 END), avg(rating)
FROM mission m CROSS JOIN institution i ON i.id = m.institution_id
WHERE status <> 'cancelled'
GROUP BY 1, 2
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="maliext-bench-")) / "missions.db"
    maliext = str(BIN / "maliext")
    subprocess.run([maliext, "init", "--db", str(db)], check=True, capture_output=True)
    start = time.perf_counter()
    fill(db, args.missions)
    print(
        f"machine: {os.cpu_count()} cores, SQLite {sqlite3.sqlite_version}; filled {args.missions:,} missions in {time.perf_counter() - start:.1f} s"
    )

    ours = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        done = subprocess.run(
            [maliext, "mission", "report", "--by", "year,institution", "-f", "json", "--db", str(db)],
            check=True,
            capture_output=True,
        )
        ours.append(time.perf_counter() - t)
    groups = done.stdout.count(b'"year"')
    floor = []
    for _ in range(args.repeat):
        conn = sqlite3.connect(db)
        t = time.perf_counter()
        conn.execute(HAND_WRITTEN).fetchall()
        floor.append(time.perf_counter() - t)
        conn.close()
    print(
        f"\nmission report --by year,institution over {args.missions:,} missions ({groups} groups; median of {args.repeat}; goal <= 2 s):"
    )
    print(f"  maliext mission report -f json (whole process)     {statistics.median(ours):6.2f} s")
    print(f"  the same aggregate by hand, one sqlite3 query        {statistics.median(floor):6.2f} s   (the floor)")
    print(
        f"  ratio                                                {statistics.median(ours) / statistics.median(floor):6.2f}x"
    )


if __name__ == "__main__":
    main()
