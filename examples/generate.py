"""Generate the example data set that `maliext demo` loads (seeded: same files every run).

    python examples/generate.py            # rewrite the files beside this script

Figures follow the programme's own history: a TOKTEN repertory of a few hundred
consultants living mostly in France, then Senegal, Côte d'Ivoire, Canada and the USA;
many from the Kayes region; degrees from licence to HDR. Names, e-mails and phone
numbers are invented. Uses the standard library only.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2007
CONSULTANTS = 320

FAMILY_NAMES = [
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
    "Konaté",
    "Bagayoko",
    "Samaké",
    "Sacko",
    "Diakité",
    "Dicko",
    "Haïdara",
    "Ba",
    "Sow",
    "Fofana",
    "Kouyaté",
    "Tangara",
    "Niaré",
    "Dramé",
    "Soumaré",
    "Tounkara",
    "Sylla",
    "Diawara",
    "Guindo",
    "Dolo",
    "Togo",
    "Kassogué",
    "Bathily",
    "Doucouré",
    "Diaby",
    "Gassama",
    "Tandia",
    "Kébé",
    "Cissoko",
    "Kamissoko",
    "Simpara",
    "Magassa",
    "Fané",
    "Bouaré",
    "Dembélé",
    "Tessougué",
    "Ouattara",
    "Konandji",
    "Tall",
    "Thiam",
    "Dao",
    "Berthé",
    "Mariko",
    "Tembely",
]
FRENCH_FAMILY_NAMES = [
    "Martin",
    "Lefèvre",
    "Dubois",
    "Moreau",
    "Girard",
    "Bonnet",
    "Mercier",
    "Rousseau",
    "Lambert",
    "Fontaine",
]
GIVEN_F = [
    "Aminata",
    "Fatoumata",
    "Mariam",
    "Kadiatou",
    "Aïssata",
    "Oumou",
    "Hawa",
    "Djénéba",
    "Assétou",
    "Rokia",
    "Salimata",
    "Bintou",
    "Nana",
    "Ramata",
    "Awa",
    "Safiatou",
    "Coumba",
    "Sira",
    "Maïmouna",
    "Néné",
    "Adam",
    "Kadidia",
    "Fanta",
    "Tenin",
    "Hélène",
    "Céline",
    "Élodie",
]
GIVEN_M = [
    "Moussa",
    "Mamadou",
    "Boubacar",
    "Seydou",
    "Ousmane",
    "Amadou",
    "Modibo",
    "Souleymane",
    "Ibrahim",
    "Abdoulaye",
    "Bakary",
    "Issa",
    "Sékou",
    "Lassana",
    "Adama",
    "Yacouba",
    "Oumar",
    "Mahamadou",
    "Tiémoko",
    "Siaka",
    "Drissa",
    "Daouda",
    "Fousseyni",
    "Habib",
    "Hamidou",
    "Karim",
    "Mamoutou",
    "Bréhima",
    "Zoumana",
    "Cheick",
    "François",
    "Jean-Pierre",
    "Étienne",
]

# country: (weight, cities, antenna, phone prefix)
COUNTRIES = {
    "FR": (
        38,
        ["Paris", "Montreuil", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Strasbourg", "Orléans", "Créteil"],
        "PARIS",
        "+33 6",
    ),
    "SN": (10, ["Dakar", "Saint-Louis", "Thiès"], "DAKAR", "+221 77"),
    "CI": (8, ["Abidjan", "Bouaké", "Yamoussoukro"], "ABIDJAN", "+225 07"),
    "CA": (10, ["Montréal", "Québec", "Ottawa", "Sherbrooke"], "MONTREAL", "+1 514"),
    "US": (10, ["Washington", "New York", "Atlanta", "Houston", "Chicago"], "WASHINGTON", "+1 202"),
    "BE": (4, ["Bruxelles", "Liège", "Louvain-la-Neuve"], "BRUXELLES", "+32 470"),
    "MA": (3, ["Rabat", "Casablanca", "Fès"], "RABAT", "+212 6"),
    "GA": (2, ["Libreville"], "LIBREVILLE", "+241 06"),
    "CH": (2, ["Genève", "Lausanne"], "GENEVE", "+41 79"),
    "GB": (3, ["Londres", "Manchester"], "LONDRES", "+44 7"),
    "DE": (3, ["Berlin", "Munich", "Aix-la-Chapelle"], "BERLIN", "+49 151"),
    "BF": (2, ["Ouagadougou", "Bobo-Dioulasso"], None, "+226 70"),
    "NE": (1, ["Niamey"], None, "+227 90"),
    "GN": (1, ["Conakry"], None, "+224 62"),
    "TN": (1, ["Tunis"], None, "+216 20"),
    "SA": (1, ["Riyad", "Djeddah"], None, "+966 5"),
}
EMPLOYERS = {
    "FR": [
        "Université Paris-Saclay",
        "Sorbonne Université",
        "CNRS",
        "INSERM",
        "IRD",
        "Institut Pasteur",
        "Université de Strasbourg",
        "École normale supérieure",
        "CHU de Bordeaux",
        "Assistance publique – Hôpitaux de Paris",
        "Université Toulouse III – Paul Sabatier",
        "CIRAD",
    ],
    "SN": ["Université Cheikh Anta Diop", "Université Gaston Berger", "Institut Pasteur de Dakar", "BCEAO"],
    "CI": [
        "Université Félix Houphouët-Boigny",
        "Institut national polytechnique Houphouët-Boigny",
        "Banque africaine de développement",
    ],
    "CA": [
        "Université de Montréal",
        "Université Laval",
        "Université d'Ottawa",
        "Polytechnique Montréal",
        "Université de Sherbrooke",
    ],
    "US": ["Howard University", "Emory University", "Banque mondiale", "University of Houston", "Columbia University"],
    "BE": ["Université libre de Bruxelles", "UCLouvain", "Université de Liège"],
    "MA": ["Université Mohammed V", "Université Hassan II"],
    "GA": ["Université Omar Bongo"],
    "CH": ["Université de Genève", "EPFL", "Organisation mondiale de la santé"],
    "GB": ["University of Manchester", "London School of Hygiene & Tropical Medicine"],
    "DE": ["RWTH Aachen", "Freie Universität Berlin"],
}

# ISCED-F detailed field: (weight, specialities)
DISCIPLINES = {
    "0541": (
        9,
        [
            "analyse numérique",
            "algèbre",
            "probabilités",
            "équations aux dérivées partielles",
            "géométrie",
            "optimisation",
        ],
    ),
    "0542": (3, ["statistique appliquée", "démographie", "enquêtes ménages", "économétrie"]),
    "0531": (
        8,
        [
            "chimie organique",
            "chimie analytique",
            "produits naturels",
            "catalyse",
            "chimie des matériaux",
            "pharmacognosie",
        ],
    ),
    "0533": (6, ["physique du solide", "énergie solaire", "physique nucléaire", "optique", "météorologie"]),
    "0511": (6, ["parasitologie", "entomologie médicale", "génétique", "microbiologie", "écologie"]),
    "0512": (3, ["enzymologie", "biologie moléculaire", "nutrition"]),
    "0532": (3, ["hydrogéologie", "géologie minière", "télédétection", "géophysique"]),
    "0521": (3, ["gestion des pratiques environnementales", "changement climatique", "désertification"]),
    "0421": (
        7,
        ["droit public", "droit international", "droit des affaires OHADA", "droit foncier", "droits de l'homme"],
    ),
    "0311": (6, ["économie du développement", "finances publiques", "microfinance", "économie agricole"]),
    "0314": (3, ["sociologie des migrations", "anthropologie", "géographie urbaine"]),
    "0111": (4, ["sciences de l'éducation", "didactique des sciences", "ingénierie pédagogique", "évaluation"]),
    "0413": (4, ["gestion des ressources humaines", "gestion de projet", "MIAGE", "management public"]),
    "0412": (2, ["finance islamique", "banque", "assurance"]),
    "0613": (
        7,
        ["génie logiciel", "intelligence artificielle", "systèmes d'information", "bases de données", "réseaux"],
    ),
    "0612": (2, ["administration réseaux", "cybersécurité"]),
    "0713": (3, ["énergies renouvelables", "électrotechnique", "réseaux électriques"]),
    "0732": (4, ["génie civil", "hydraulique", "routes et ouvrages d'art", "béton"]),
    "0811": (5, ["agronomie", "riziculture", "irrigation", "sélection variétale", "élevage"]),
    "0841": (2, ["santé animale", "épidémiologie vétérinaire"]),
    "0912": (
        8,
        [
            "cardiologie",
            "pédiatrie",
            "chirurgie",
            "gynécologie-obstétrique",
            "maladies infectieuses",
            "santé publique",
            "paludisme",
        ],
    ),
    "0916": (3, ["pharmacologie", "pharmacie galénique", "médicaments traditionnels améliorés"]),
    "0913": (2, ["soins infirmiers", "santé maternelle"]),
    "0222": (2, ["histoire de l'Afrique de l'Ouest", "archéologie", "manuscrits de Tombouctou"]),
    "0232": (2, ["linguistique bambara", "littérature africaine", "traduction"]),
}
DEGREES = {"doctorat": 44, "hdr": 12, "dea": 7, "dess": 8, "master": 13, "ingenieur": 11, "licence": 5}
REGIONS = {
    "kayes": 30,
    "bamako": 24,
    "koulikoro": 9,
    "segou": 8,
    "sikasso": 8,
    "mopti": 6,
    "tombouctou": 4,
    "gao": 4,
    "nioro": 3,
    "kita": 2,
    "bandiagara": 1,
    "kidal": 1,
}
STATUS = {"active": 85, "candidate": 10, "inactive": 5}

CONSULTANT_HEADERS = [
    "nom",
    "prénom",
    "sexe",
    "année de naissance",
    "courriel",
    "téléphone",
    "pays",
    "ville",
    "antenne",
    "région d'origine",
    "diplôme",
    "discipline",
    "spécialités",
    "langues",
    "employeur",
    "statut",
    "disponibilités",
    "remarques",
]


def _weighted(rng: random.Random, table: dict) -> str:
    keys = list(table)
    weights = [v[0] if isinstance(v, tuple) else v for v in table.values()]
    return rng.choices(keys, weights=weights)[0]


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _periods(rng: random.Random) -> list[str]:
    """0 to 3 periods in 2026-2028: summer breaks, sabbaticals, the end-of-year holidays."""
    periods = []
    for year in (2026, 2027, 2028):
        roll = rng.random()
        if roll < 0.45:
            start = date(year, 7, rng.randint(1, 10))
            end = start + timedelta(days=rng.randint(21, 55))
        elif roll < 0.6:
            start = date(year, rng.choice((2, 3, 10)), rng.randint(1, 12))
            end = start + timedelta(days=rng.randint(14, 90))
        elif roll < 0.7:
            start = date(year, 12, rng.randint(10, 16))
            end = start + timedelta(days=rng.randint(14, 24))
        else:
            continue
        periods.append(f"{start.isoformat()}/{end.isoformat()}")
    return periods


def consultants(rng: random.Random) -> list[dict]:
    rows = []
    used_emails: set[str] = set()
    for n in range(CONSULTANTS):
        sex = rng.choices(["F", "M"], weights=[38, 62])[0]
        country = _weighted(rng, COUNTRIES)
        _, cities, antenna, prefix = COUNTRIES[country]
        family = (
            rng.choice(FRENCH_FAMILY_NAMES)
            if country in ("FR", "BE", "CH") and rng.random() < 0.05
            else rng.choice(FAMILY_NAMES)
        )
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        if rng.random() < 0.12:
            given = f"{given} {rng.choice(GIVEN_F if sex == 'F' else GIVEN_M)}"
        discipline = _weighted(rng, DISCIPLINES)
        pool = DISCIPLINES[discipline][1]
        specialities = rng.sample(pool, k=rng.randint(1, min(3, len(pool))))
        degree = _weighted(rng, DEGREES)
        languages = ["fr"]
        if country in ("US", "CA", "GB") or rng.random() < 0.4:
            languages.append("en")
        if rng.random() < 0.7:
            languages.append("bm")
        if country == "SN" and rng.random() < 0.5:
            languages.append("wo")
        if country == "DE":
            languages.append("de")
        if rng.random() < 0.08:
            languages.append("ar")
        email = f"{_ascii(given.split()[0])}.{_ascii(family).replace(' ', '')}"
        while email in used_emails:
            email += str(rng.randint(1, 9))
        used_emails.add(email)
        domain = rng.choice(["example.org", "example.net", "example.com"])
        digits = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
        employer = rng.choice(EMPLOYERS[country]) if country in EMPLOYERS else ""
        notes = ""
        if rng.random() < 0.06:
            notes = rng.choice(
                [
                    "Ancien assistant à la FAST, parti en 1994.",
                    "A encadré deux thèses à l'ISFRA en 2005.",
                    "Disponible surtout pendant les vacances universitaires.",
                    "Contact établi lors du forum Maliwatch.",
                ]
            )
        rows.append(
            {
                "nom": family,
                "prénom": given,
                "sexe": sex,
                "année de naissance": rng.randint(1950, 1990) if rng.random() < 0.9 else "",
                "courriel": f"{email}@{domain}" if rng.random() < 0.96 else "",
                "téléphone": f"{prefix} {digits}" if rng.random() < 0.85 else "",
                "pays": country,
                "ville": rng.choice(cities),
                "antenne": antenna or "",
                "région d'origine": _weighted(rng, REGIONS),
                "diplôme": degree,
                "discipline": discipline,
                "spécialités": ";".join(specialities),
                "langues": ";".join(languages),
                "employeur": employer,
                "statut": _weighted(rng, STATUS),
                "disponibilités": ";".join(_periods(rng)),
                "remarques": notes,
            }
        )
        if n == 0:  # one well-known profile for the tour
            rows[-1].update(
                {
                    "nom": "Traoré",
                    "prénom": "Aminata",
                    "sexe": "F",
                    "courriel": "aminata.traore@example.org",
                    "téléphone": "+33 6 12 34 56 78",
                    "pays": "FR",
                    "ville": "Orléans",
                    "antenne": "PARIS",
                    "diplôme": "hdr",
                    "discipline": "0531",
                    "spécialités": "chimie organique;produits naturels",
                    "statut": "active",
                    "employeur": "École normale supérieure",
                }
            )
    return rows


def write_csv(path: Path, headers: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(folder: Path = HERE) -> None:
    rng = random.Random(SEED)
    write_csv(folder / "consultants.csv", CONSULTANT_HEADERS, consultants(rng))


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
