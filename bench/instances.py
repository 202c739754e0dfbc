"""Seeded matching instances written as import files (standard library only).

    python bench/instances.py OUT_DIR          # writes every instance into OUT_DIR/<name>/

Each instance is four files that `maliext ... import` reads: institutions.csv,
programmes.csv, consultants.csv, needs.csv.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

FIELDS = [
    "0531",
    "0541",
    "0533",
    "0511",
    "0512",
    "0421",
    "0311",
    "0613",
    "0912",
    "0916",
    "0811",
    "0732",
    "0111",
    "0314",
    "0413",
    "0521",
    "0532",
    "0542",
    "0713",
    "0222",
]
WORDS = {f: [f"{f}-theme{i}" for i in range(8)] for f in FIELDS}
TYPES = ["lecture", "supervision", "workshop", "training", "conference"]
LEVELS = ["licence", "master", "dea", "dess", "doctorat", ""]

# name: (consultants, needs, seed, options)
INSTANCES = {
    "small-100x50": (100, 50, 1, {}),
    "medium-2000x500": (2_000, 500, 2, {}),
    "large-20000x2000": (20_000, 2_000, 3, {}),
    "tight-300x150": (300, 150, 4, {"tight": True}),
    "rare-2000x300": (2_000, 300, 5, {"rare": True}),
}


def _write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make(folder: Path, consultants: int, needs: int, seed: int, tight: bool = False, rare: bool = False) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    institutions = [
        {"acronym": f"I{i}", "name": f"Institution {i}", "kind": "faculty"} for i in range(max(10, needs // 20))
    ]
    _write(folder / "institutions.csv", institutions)
    _write(folder / "programmes.csv", [{"code": "TOKTEN", "name": "TOKTEN"}])
    year = date(2030, 1, 1)
    fields = FIELDS[:4] if tight else FIELDS
    people = []
    for i in range(consultants):
        field = rng.choice(fields)
        if rare and i < 3:
            field = "0841"  # the rare speciality: veterinary, three people
        periods = []
        start = year + timedelta(days=rng.randrange(0, 200))
        for _ in range(rng.choice((1, 1, 2))):
            end = start + timedelta(days=rng.randint(20, 120))
            periods.append(f"{start.isoformat()}/{end.isoformat()}")
            start = end + timedelta(days=rng.randint(10, 60))
        people.append(
            {
                "family_name": f"Nom{i}",
                "given_names": "Prénom",
                "country": rng.choice(["FR", "SN", "CI", "CA", "US"]),
                "degree": rng.choices(["master", "dea", "doctorat", "hdr"], weights=[20, 10, 50, 20])[0],
                "discipline": field,
                "specialities": ";".join(
                    rng.sample(WORDS.get(field, ["veto"]) if field in WORDS else ["sante animale", "epidemiologie"], 2)
                ),
                "languages": rng.choices(["fr", "fr;en", "en"], weights=[70, 25, 5])[0],
                "status": rng.choices(["active", "candidate", "inactive"], weights=[90, 5, 5])[0],
                "employer": f"Institution {rng.randrange(len(institutions))}" if rng.random() < 0.05 else "",
                "availability": ";".join(periods),
                "email": f"c{i}@example.org",
            }
        )
    _write(folder / "consultants.csv", people)
    wanted = []
    for i in range(needs):
        field = rng.choice(fields)
        if rare and i < 5:
            field = "0841"
        duration = rng.choice([7, 14, 21, 21, 28, 45])
        start = year + timedelta(days=rng.randrange(0, 250))
        end = start + timedelta(days=duration - 1 + rng.randint(0, 60))
        wanted.append(
            {
                "institution": f"I{rng.randrange(len(institutions))}",
                "title": f"Mission {i} {rng.choice(WORDS.get(field, ['veto']))}",
                "discipline": field,
                "keywords": ";".join(
                    rng.sample(WORDS.get(field, ["sante animale"]) if field in WORDS else ["sante animale"], 1)
                ),
                "type": rng.choice(TYPES),
                "level": rng.choice(LEVELS),
                "window_start": start.isoformat(),
                "window_end": end.isoformat(),
                "duration_days": duration,
                "seats": rng.choices([1, 2, 3], weights=[70, 20, 10])[0] if not tight else rng.choice([2, 3]),
                "priority": rng.choice([1, 2, 3]),
                "languages": "fr",
            }
        )
    _write(folder / "needs.csv", wanted)
    return folder


def main(out: Path) -> None:
    for name, (consultants, needs, seed, options) in INSTANCES.items():
        make(out / name, consultants, needs, seed, **options)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
