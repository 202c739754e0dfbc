"""Seeded generators of large import files for the benchmarks (standard library only)."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

FAMILY = [
    "Traoré",
    "Diarra",
    "Coulibaly",
    "Keïta",
    "Koné",
    "Touré",
    "Diallo",
    "Cissé",
    "Sissoko",
    "Sidibé",
    "Dembélé",
    "Camara",
    "Maïga",
    "Sangaré",
    "Doumbia",
    "Kanté",
]
GIVEN = [
    "Aminata",
    "Fatoumata",
    "Mariam",
    "Moussa",
    "Mamadou",
    "Boubacar",
    "Seydou",
    "Oumou",
    "Hawa",
    "Djénéba",
    "Sékou",
    "Adama",
    "Awa",
    "Issa",
]
COUNTRIES = ["FR", "France", "SN", "Sénégal", "CI", "Côte d'Ivoire", "CA", "US", "Etats-Unis", "BE", "MA", "GA"]
DEGREES = ["licence", "master", "dea", "dess", "ingenieur", "doctorat", "hdr", "Doctorat", "HDR"]
DISCIPLINES = ["0531", "0541", "0533", "0511", "0421", "0311", "0613", "0912", "chimie", "Mathématiques", "droit"]
SPECIALITIES = [
    "chimie organique",
    "analyse numérique",
    "parasitologie",
    "droit public",
    "génie logiciel",
    "paludisme",
    "hydrogéologie",
]
HEADERS = [
    "family_name",
    "given_names",
    "sex",
    "birth_year",
    "email",
    "phone",
    "country",
    "city",
    "antenna",
    "origin_region",
    "degree",
    "discipline",
    "specialities",
    "languages",
    "employer",
    "status",
    "availability",
]


def consultant_rows(n: int, seed: int = 1):
    rng = random.Random(seed)
    for i in range(n):
        start = date(2027, 1, 1) + timedelta(days=rng.randint(0, 500))
        yield {
            "family_name": rng.choice(FAMILY),
            "given_names": f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}" if rng.random() < 0.5 else rng.choice(GIVEN),
            "sex": rng.choice("FM"),
            "birth_year": rng.randint(1950, 1995),
            "email": f"person{i}@example.org",
            "phone": f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "country": rng.choice(COUNTRIES),
            "city": rng.choice(["Paris", "Dakar", "Montréal", "Abidjan"]),
            "antenna": rng.choice(["PARIS", "DAKAR", ""]),
            "origin_region": rng.choice(["Kayes", "kayes", "Ségou", "bamako", ""]),
            "degree": rng.choice(DEGREES),
            "discipline": rng.choice(DISCIPLINES),
            "specialities": ";".join(rng.sample(SPECIALITIES, 2)),
            "languages": rng.choice(["fr", "fr;en", "fr;bm", "fr;en;bm"]),
            "employer": rng.choice(["Université Paris-Saclay", "CNRS", "Université Laval", ""]),
            "status": rng.choice(["active", "active", "candidate", "inactive"]),
            "availability": f"{start.isoformat()}/{(start + timedelta(days=rng.randint(14, 80))).isoformat()}",
        }


def write_consultants_csv(path: Path, n: int, seed: int = 1, *, availability: bool = True) -> Path:
    """`n` consultants; with `availability`, one availability period each (a second
    record per consultant, in the availability table)."""
    headers = HEADERS if availability else [h for h in HEADERS if h != "availability"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(consultant_rows(n, seed))
    return path
