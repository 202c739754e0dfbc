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
import re
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


# --------------------------------------------------------------- host institutions
# (acronym, name, kind, parent acronym, city, region, the fields its needs are in)
INSTITUTIONS = [
    ("UB", "Université de Bamako", "university", "", "Bamako", "bamako", []),
    (
        "FAST",
        "Faculté des Sciences et Techniques",
        "faculty",
        "UB",
        "Bamako",
        "bamako",
        ["0531", "0541", "0533", "0511", "0512", "0532"],
    ),
    ("FSJP", "Faculté des Sciences Juridiques et Politiques", "faculty", "UB", "Bamako", "bamako", ["0421"]),
    (
        "FSEG",
        "Faculté des Sciences Économiques et de Gestion",
        "faculty",
        "UB",
        "Bamako",
        "bamako",
        ["0311", "0412", "0542"],
    ),
    (
        "FLASH",
        "Faculté des Lettres, Arts et Sciences Humaines",
        "faculty",
        "UB",
        "Bamako",
        "bamako",
        ["0222", "0232", "0314"],
    ),
    (
        "FMPOS",
        "Faculté de Médecine, de Pharmacie et d'Odonto-Stomatologie",
        "faculty",
        "UB",
        "Bamako",
        "bamako",
        ["0912", "0916", "0913"],
    ),
    (
        "ISFRA",
        "Institut Supérieur de Formation et de Recherche Appliquée",
        "institute",
        "UB",
        "Bamako",
        "bamako",
        ["0111", "0314", "0521"],
    ),
    ("IUG", "Institut Universitaire de Gestion", "institute", "UB", "Bamako", "bamako", ["0413", "0613", "0412"]),
    (
        "ENI-ABT",
        "École Nationale d'Ingénieurs Abderhamane Baba Touré",
        "grande-ecole",
        "",
        "Bamako",
        "bamako",
        ["0732", "0713", "0612"],
    ),
    ("ENSUP", "École Normale Supérieure de Bamako", "grande-ecole", "", "Bamako", "bamako", ["0111", "0541", "0531"]),
    (
        "IPR-IFRA",
        "Institut Polytechnique Rural de Formation et de Recherche Appliquée de Katibougou",
        "institute",
        "",
        "Koulikoro",
        "koulikoro",
        ["0811", "0841", "0521"],
    ),
    ("IER", "Institut d'Économie Rurale", "research-centre", "", "Bamako", "bamako", ["0811", "0311"]),
    ("MRTC", "Malaria Research and Training Center", "research-centre", "FMPOS", "Bamako", "bamako", ["0912", "0511"]),
    (
        "INRSP",
        "Institut National de Recherche en Santé Publique",
        "research-centre",
        "",
        "Bamako",
        "bamako",
        ["0912", "0916"],
    ),
    ("CHU-PG", "Centre Hospitalier Universitaire du Point G", "hospital", "", "Bamako", "bamako", ["0912", "0913"]),
    ("CHU-GT", "Centre Hospitalier Universitaire Gabriel Touré", "hospital", "", "Bamako", "bamako", ["0912"]),
    ("HR-KAYES", "Hôpital régional Fousseyni Daou de Kayes", "hospital", "", "Kayes", "kayes", ["0912", "0913"]),
    ("CSREF-V", "Centre de santé de référence de la Commune V", "health-centre", "", "Bamako", "bamako", ["0913"]),
    ("USEG", "Université de Ségou", "university", "", "Ségou", "segou", ["0811", "0541", "0413"]),
    ("MJS", "Ministère de la Jeunesse et des Sports", "administration", "", "Bamako", "bamako", ["0413"]),
    (
        "MESRS",
        "Ministère de l'Enseignement Supérieur et de la Recherche Scientifique",
        "administration",
        "",
        "Bamako",
        "bamako",
        ["0413", "0111"],
    ),
]
INSTITUTION_HEADERS = ["sigle", "nom", "type", "rattachement", "ville", "région"]

# With what their papers carry (`mission document`); names and addresses are invented.
PROGRAMMES = [
    {
        "code": "TOKTEN",
        "name": "Transfer of Knowledge Through Expatriate Nationals",
        "funders": "PNUD;Coopération française;État malien",
        "start": "1998-10-01",
        "end": "",
        "letterhead": "Ministère des Maliens établis à l'Extérieur\nProgramme TOKTEN-Mali\n\n"
        "République du Mali\nUn Peuple – Un But – Une Foi",
        "address": "Cité administrative, bâtiment 5, BP 2163, Bamako\nTél. +223 20 22 00 00",
        "city": "Bamako",
        "email": "tokten@example.org",
        "signatory": "Dr Mamadou Sidibé",
        "signatory_title": "Coordonnateur national du programme TOKTEN-Mali",
        "reference_prefix": "TOKTEN",
    },
    {
        "code": "TALMALI",
        "name": "Talents du Mali",
        "funders": "UNESCO",
        "start": "2001-01-01",
        "end": "",
        "letterhead": "Commission nationale malienne pour l'UNESCO\nProjet TALMALI\n\n"
        "République du Mali\nUn Peuple – Un But – Une Foi",
        "address": "Avenue de l'Indépendance, BP 119, Bamako\nTél. +223 20 23 00 00",
        "city": "Bamako",
        "email": "talmali@example.org",
        "signatory": "Fatoumata Kéita",
        "signatory_title": "Directrice du projet TALMALI",
        "reference_prefix": "UNESCO/TALMALI",
    },
]
FUNDERS = {"TOKTEN": ["PNUD", "PNUD", "Coopération française", "État malien"], "TALMALI": ["UNESCO"]}

NEED_TITLES = {
    "lecture": "Cours de {topic} ({level})",
    "conference": "Conférence scientifique : {topic}",
    "supervision": "Encadrement de thèses et mémoires en {topic} ({level})",
    "workshop": "Atelier de réflexion sur la filière {topic}",
    "training": "Formation continue des enseignants : {topic}",
    "technical-support": "Appui technique : {topic}",
    "administrative-support": "Appui administratif : {topic}",
}
NEED_HEADERS = [
    "uid",
    "établissement",
    "titre",
    "discipline",
    "mots-clés",
    "type",
    "niveau",
    "du",
    "au",
    "durée",
    "places",
    "priorité",
    "langues",
]
MISSION_HEADERS = [
    "consultant",
    "établissement",
    "besoin",
    "programme",
    "type",
    "début",
    "fin",
    "statut",
    "billet",
    "per diem",
    "honoraires",
    "devise",
    "bailleur",
    "heures",
    "personnes formées",
    "thèses encadrées",
    "note",
    "rapport",
]
# Missions before this day are done (completed or cancelled); later ones are planned.
# A fixed day, so that the files do not depend on when they are generated.
REFERENCE_DAY = date(2026, 11, 1)


def _uid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def institutions() -> list[dict]:
    return [
        {"sigle": a, "nom": n, "type": k, "rattachement": p, "ville": c, "région": r}
        for a, n, k, p, c, r, _ in INSTITUTIONS
    ]


def needs(rng: random.Random) -> list[dict]:
    """About 150 needs from 2019 to 2027, in the fields of each institution."""
    rows = []
    hosts = [i for i in INSTITUTIONS if i[6]]
    for _ in range(150):
        acronym, _, kind, _, _, _, fields = rng.choice(hosts)
        discipline = rng.choice(fields)
        topic = rng.choice(DISCIPLINES[discipline][1])
        if kind in ("hospital", "health-centre", "administration"):
            need_type = rng.choice(["training", "technical-support", "administrative-support", "workshop"])
            level = "professional"
        else:
            need_type = rng.choices(
                ["lecture", "supervision", "conference", "workshop", "training"], weights=[40, 25, 10, 12, 13]
            )[0]
            level = (
                rng.choice(["licence", "master", "dea", "dess", "doctorat"])
                if need_type in ("lecture", "supervision")
                else ""
            )
        if need_type == "supervision" and level in ("licence", "master"):
            level = rng.choice(["dea", "doctorat"])
        start = date(rng.randint(2019, 2027), rng.randint(1, 12), rng.randint(1, 28))
        duration = rng.choice([7, 10, 14, 14, 21, 21, 28, 30, 45, 60])
        end = start + timedelta(days=duration - 1 + rng.randint(10, 90))
        rows.append(
            {
                "uid": _uid(rng),
                "établissement": acronym,
                "titre": NEED_TITLES[need_type].format(
                    topic=topic, level=(level.upper() if level in ("dea", "dess") else level) or "tous niveaux"
                ),
                "discipline": discipline,
                "mots-clés": topic,
                "type": need_type,
                "niveau": level,
                "du": start.isoformat(),
                "au": end.isoformat(),
                "durée": duration,
                "places": rng.choices([1, 2, 3], weights=[75, 20, 5])[0],
                "priorité": rng.choices([1, 2, 3], weights=[25, 55, 20])[0],
                "langues": "fr" if rng.random() < 0.9 else "fr;en",
            }
        )
    return rows


def _overlaps(busy: list[tuple[date, date]], start: date, end: date) -> bool:
    return any(s <= end and start <= e for s, e in busy)


def _costs(rng: random.Random, days: int) -> dict:
    if rng.random() < 0.55:
        return {
            "billet": rng.randrange(350_000, 700_000, 5_000),
            "per diem": rng.randrange(35_000, 65_000, 2_500),
            "honoraires": rng.choice([0, 0, 150_000, 300_000]),
            "devise": "XOF",
        }
    return {
        "billet": rng.randrange(500, 1_000, 10),
        "per diem": rng.randrange(55, 100, 5),
        "honoraires": rng.choice([0, 0, 250, 450]),
        "devise": "EUR",
    }


def _outcomes(rng: random.Random, mission_type: str, days: int) -> dict:
    out = {
        "heures": "",
        "personnes formées": "",
        "thèses encadrées": "",
        "note": rng.choices([5, 4, 3, 2], weights=[40, 40, 15, 5])[0],
    }
    if mission_type == "lecture":
        out["heures"] = min(days * 4, rng.randint(20, 60))
    elif mission_type == "supervision":
        out["heures"] = rng.randint(10, 30)
        out["thèses encadrées"] = rng.randint(1, 5)
    elif mission_type in ("training", "workshop"):
        out["personnes formées"] = rng.randint(12, 60)
        out["heures"] = rng.randint(12, 40)
    elif mission_type == "conference":
        out["personnes formées"] = rng.randint(30, 150)
    else:
        out["personnes formées"] = rng.randint(3, 20)
    return out


def missions(rng: random.Random, experts: list[dict], wanted: list[dict]) -> list[dict]:
    """Missions that keep every rule: 7 to 90 days inside the need's window, never two
    at once for a consultant, never more than the need's seats, no inactive consultant."""
    pool = [c for c in experts if c["courriel"] and c["statut"] != "inactive"]
    busy: dict[str, list[tuple[date, date]]] = {}
    rows = []

    def place(consultant: dict, start: date, days: int, need: dict | None, host: str, mission_type: str) -> bool:
        end = start + timedelta(days=days - 1)
        if _overlaps(busy.setdefault(consultant["courriel"], []), start, end):
            return False
        busy[consultant["courriel"]].append((start, end))
        programme = "TALMALI" if mission_type in ("supervision", "lecture") and rng.random() < 0.3 else "TOKTEN"
        done = start < REFERENCE_DAY
        status = ("cancelled" if rng.random() < 0.06 else "completed") if done else "planned"
        row = {
            "consultant": consultant["courriel"],
            "établissement": host,
            "besoin": need["uid"] if need else "",
            "programme": programme,
            "type": mission_type,
            "début": start.isoformat(),
            "fin": end.isoformat(),
            "statut": status,
            "bailleur": rng.choice(FUNDERS[programme]),
            "rapport": "",
        }
        row.update(_costs(rng, days))
        row.update({"heures": "", "personnes formées": "", "thèses encadrées": "", "note": ""})
        if status == "completed":
            row.update(_outcomes(rng, mission_type, days))
            if rng.random() < 0.3:
                row["rapport"] = rng.choice(
                    [
                        "Cours et travaux dirigés assurés ; bonne assiduité.",
                        "Deux thèses relancées, calendrier de soutenance fixé.",
                        "Atelier très apprécié ; demande de suivi.",
                        "Mission écourtée par un retard de vol.",
                    ]
                )
        rows.append(row)
        return True

    for need in wanted:
        window_start, window_end = date.fromisoformat(need["du"]), date.fromisoformat(need["au"])
        days = need["durée"]
        field = need["discipline"]
        matching = (
            [c for c in pool if c["discipline"] == field]
            or [c for c in pool if c["discipline"][:3] == field[:3]]
            or pool
        )
        seats = rng.choices(range(need["places"] + 1), weights=[1] + [3] * need["places"])[0]
        for _ in range(seats):
            for _attempt in range(12):
                consultant = rng.choice(matching)
                start = window_start + timedelta(days=rng.randint(0, (window_end - window_start).days - days + 1))
                if place(consultant, start, days, need, need["établissement"], need["type"]):
                    break
    for _ in range(220):  # missions outside any posted need
        acronym, _, _, _, _, _, fields = rng.choice([i for i in INSTITUTIONS if i[6]])
        field = rng.choice(fields)
        matching = [c for c in pool if c["discipline"][:3] == field[:3]] or pool
        start = date(rng.randint(2019, 2027), rng.randint(1, 12), rng.randint(1, 28))
        place(
            rng.choice(matching),
            start,
            rng.choice([7, 10, 14, 21, 30]),
            None,
            acronym,
            rng.choice(["lecture", "conference", "workshop", "training"]),
        )
    rows.sort(key=lambda r: (r["début"], r["consultant"]))
    return rows


# ------------------------------------------------------------------ evaluations
EVALUATION_HEADERS = [
    "mission",
    "par",
    "moment",
    "date",
    "pertinence",
    "préparation",
    "organisation",
    "transfert",
    "résultats",
    "durabilité",
    "appréciation générale",
    "commentaire",
]
# What each side scores, at the end of a mission and a year after (CD4D's forms).
_SCORED = {
    ("host", "end"): ("pertinence", "transfert", "résultats", "appréciation générale"),
    ("consultant", "end"): ("pertinence", "préparation", "organisation", "appréciation générale"),
    ("host", "followup"): ("transfert", "durabilité", "appréciation générale"),
}
_COMMENTS = {
    "host": [
        "Étudiants très assidus ; mission à renouveler.",
        "Supports de cours laissés au département.",
        "Le calendrier a dû être resserré.",
    ],
    "consultant": [
        "Accueil chaleureux, salle équipée.",
        "Billet reçu tard ; logement trouvé sur place.",
        "Laboratoire peu équipé pour les travaux pratiques.",
    ],
}


def _score(rng: random.Random, around: int) -> int:
    return max(1, min(5, around + rng.choice([-1, 0, 0, 0, 1])))


def evaluations(rng: random.Random, done: list[dict]) -> list[dict]:
    """The evaluations of completed missions (by their line in missions.csv, which is
    their id in the demo): the host's and the consultant's at the end of most missions,
    and the host's follow-up a year after some of them, all made before REFERENCE_DAY."""
    rows = []
    for number, mission in enumerate(done, 1):
        if mission["statut"] != "completed":
            continue
        end = date.fromisoformat(mission["fin"])
        around = int(mission["note"] or 4)
        for side, chance in (("host", 0.75), ("consultant", 0.6)):
            on = end + timedelta(days=rng.randint(1, 20))
            if on < REFERENCE_DAY and rng.random() < chance:
                rows.append(_evaluation(rng, number, side, "end", on, around))
        followup = date(end.year + 1, end.month, min(end.day, 28))
        on = followup + timedelta(days=rng.randint(0, 45))
        if on < REFERENCE_DAY and rng.random() < 0.4:
            rows.append(_evaluation(rng, number, "host", "followup", on, around))
    return rows


def _evaluation(rng: random.Random, mission: int, side: str, kind: str, on: date, around: int) -> dict:
    row = {header: "" for header in EVALUATION_HEADERS}
    row.update({"mission": mission, "par": side, "moment": kind, "date": on.isoformat()})
    for criterion in _SCORED[side, kind]:
        row[criterion] = _score(rng, around)
    if kind == "end" and rng.random() < 0.25:
        row["commentaire"] = rng.choice(_COMMENTS[side])
    return row


# ------------------------------------------------------------------ associations
# The register of diaspora associations and their co-development projects. Drawn from
# a generator of its own (ASSOCIATION_SEED), so that the other files do not change.
# Over 400 associations in France alone, most from the Kayes region; city federations
# in Paris, Montreuil, Lyon and Marseille; a national council per country under the
# High Council of Malians Abroad (founded 1993, seat Bamako); co-development projects
# since 2002, whose French diaspora contributions under the FSP add up to 900 000 €.
ASSOCIATION_SEED = 1993
CODEV_DIASPORA_EUR = 900_000
CODEV_FUNDER = "FSP Codéveloppement Mali"

ASSOCIATION_HEADERS = [
    "nom",
    "sigle",
    "niveau",
    "parent",
    "type",
    "pays",
    "ville",
    "région d'origine",
    "localité d'origine",
    "membres",
    "année de création",
    "contact",
    "téléphone",
    "courriel",
    "statut",
    "remarques",
]
PROJECT_HEADERS = [
    "association",
    "titre",
    "secteur",
    "localité",
    "région",
    "année",
    "contribution de la diaspora",
    "subvention",
    "autres financements",
    "devise",
    "bailleur",
    "statut",
    "remarques",
]

HCME = {
    "nom": "Haut Conseil des Maliens de l'Extérieur",
    "sigle": "HCME",
    "niveau": "hcme",
    "pays": "ML",
    "ville": "Bamako",
    "année de création": 1993,
    "remarques": "Interlocuteur unique de l'État pour les Maliens de l'extérieur; présent dans 62 pays, avec un bureau de 17 membres dans chacun.",
}
# country: (council name, acronym, seat, founded, base associations, phone prefix, suffix in names)
COUNCILS = {
    "FR": ("Conseil des Maliens de France", "CMF", "Paris", 1994, 404, "+33 6", "en France"),
    "CI": ("Conseil des Maliens de Côte d'Ivoire", "CMCI", "Abidjan", 1995, 46, "+225 07", "en Côte d'Ivoire"),
    "SN": ("Conseil des Maliens du Sénégal", "CMSN", "Dakar", 1995, 26, "+221 77", "au Sénégal"),
    "BF": ("Conseil des Maliens du Burkina Faso", "CMBF", "Ouagadougou", 1996, 12, "+226 70", "au Burkina Faso"),
    "NE": ("Conseil des Maliens du Niger", "CMNE", "Niamey", 1997, 8, "+227 90", "au Niger"),
    "GA": ("Conseil des Maliens du Gabon", "CMGA", "Libreville", 1996, 15, "+241 06", "au Gabon"),
    "CM": ("Conseil des Maliens du Cameroun", "CMCM", "Douala", 1998, 6, "+237 6", "au Cameroun"),
    "CG": ("Conseil des Maliens du Congo", "CMCG", "Brazzaville", 1999, 6, "+242 06", "au Congo"),
    "ES": ("Conseil des Maliens d'Espagne", "CMES", "Madrid", 2001, 14, "+34 6", "en Espagne"),
    "US": ("Conseil des Maliens des États-Unis", "CMUS", "New York", 2000, 18, "+1 212", "aux États-Unis"),
}
# France's city federations: city -> (name, acronym, founded)
FEDERATIONS = {
    "Paris": ("Fédération des associations maliennes de Paris", "FAMP", 1991),
    "Montreuil": ("Fédération des associations maliennes de Montreuil", "FAMM", 1989),
    "Lyon": ("Fédération des Maliens de Lyon et du Rhône", "FMLR", 1997),
    "Marseille": ("Fédération des associations maliennes de Marseille", "FAMMA", 1999),
}
CITIES = {
    "FR": {
        "Montreuil": 22,
        "Paris": 24,
        "Saint-Denis": 8,
        "Aubervilliers": 6,
        "Mantes-la-Jolie": 5,
        "Les Mureaux": 4,
        "Évry-Courcouronnes": 4,
        "Montfermeil": 3,
        "Lyon": 7,
        "Marseille": 6,
        "Rouen": 3,
        "Le Havre": 2,
        "Orléans": 2,
        "Bordeaux": 2,
        "Toulouse": 2,
    },
    "CI": {"Abidjan": 70, "Bouaké": 15, "Yamoussoukro": 8, "San-Pédro": 7},
    "SN": {"Dakar": 70, "Tambacounda": 15, "Kaolack": 8, "Thiès": 7},
    "BF": {"Ouagadougou": 75, "Bobo-Dioulasso": 25},
    "NE": {"Niamey": 100},
    "GA": {"Libreville": 80, "Port-Gentil": 20},
    "CM": {"Douala": 60, "Yaoundé": 40},
    "CG": {"Brazzaville": 70, "Pointe-Noire": 30},
    "ES": {"Madrid": 35, "Barcelone": 35, "Lleida": 15, "Almería": 15},
    "US": {"New York": 60, "Washington": 15, "Atlanta": 10, "Cincinnati": 15},
}
# Localities of origin in the Kayes area: (locality, cercle, region, weight). Since the
# 2012 reorganisation the cercles of Nioro and Kita head regions of their own.
KAYES_LOCALITIES = [
    ("Yélimané", "Yélimané", "Kayes", 5),
    ("Kersignané", "Yélimané", "Kayes", 4),
    ("Tambacara", "Yélimané", "Kayes", 4),
    ("Diongaga", "Yélimané", "Kayes", 3),
    ("Krémis", "Yélimané", "Kayes", 3),
    ("Kirané", "Yélimané", "Kayes", 3),
    ("Marékaffo", "Yélimané", "Kayes", 2),
    ("Guidimé", "Yélimané", "Kayes", 2),
    ("Soumpou", "Yélimané", "Kayes", 2),
    ("Fanga", "Yélimané", "Kayes", 2),
    ("Tringa", "Yélimané", "Kayes", 2),
    ("Gory", "Yélimané", "Kayes", 2),
    ("Kayes", "Kayes", "Kayes", 4),
    ("Ambidédi", "Kayes", "Kayes", 3),
    ("Diamou", "Kayes", "Kayes", 2),
    ("Ségala", "Kayes", "Kayes", 3),
    ("Koussané", "Kayes", "Kayes", 2),
    ("Samé", "Kayes", "Kayes", 2),
    ("Somankidi", "Kayes", "Kayes", 2),
    ("Sadiola", "Kayes", "Kayes", 1),
    ("Aourou", "Kayes", "Kayes", 2),
    ("Diéma", "Diéma", "Kayes", 3),
    ("Lakamané", "Diéma", "Kayes", 2),
    ("Dioumara", "Diéma", "Kayes", 2),
    ("Béma", "Diéma", "Kayes", 2),
    ("Fatao", "Diéma", "Kayes", 1),
    ("Bafoulabé", "Bafoulabé", "Kayes", 2),
    ("Mahina", "Bafoulabé", "Kayes", 2),
    ("Oualia", "Bafoulabé", "Kayes", 1),
    ("Tomora", "Bafoulabé", "Kayes", 1),
    ("Kéniéba", "Kéniéba", "Kayes", 1),
    ("Sitakily", "Kéniéba", "Kayes", 1),
    ("Nioro du Sahel", "Nioro du Sahel", "Nioro du Sahel", 3),
    ("Gogui", "Nioro du Sahel", "Nioro du Sahel", 2),
    ("Troungoumbé", "Nioro du Sahel", "Nioro du Sahel", 2),
    ("Sandaré", "Nioro du Sahel", "Nioro du Sahel", 2),
    ("Youri", "Nioro du Sahel", "Nioro du Sahel", 1),
    ("Kita", "Kita", "Kita", 2),
    ("Toukoto", "Kita", "Kita", 1),
    ("Sébékoro", "Kita", "Kita", 1),
]
OTHER_LOCALITIES = {
    "District de Bamako": ["Bamako"],
    "Koulikoro": ["Koulikoro", "Banamba", "Kolokani", "Kati", "Dioïla"],
    "Ségou": ["Ségou", "Bla", "Macina", "Niono", "Markala"],
    "Sikasso": ["Sikasso", "Koutiala", "Bougouni", "Kadiolo", "Yorosso"],
    "Mopti": ["Mopti", "Djenné", "Bandiagara", "Ténenkou", "Youwarou"],
    "Tombouctou": ["Tombouctou", "Goundam", "Diré", "Niafunké"],
    "Gao": ["Gao", "Ansongo", "Bourem"],
    "Nara": ["Nara", "Ballé"],
}
# Share of associations from the Kayes area, then weights of the other regions.
ORIGINS = {
    "FR": (0.82, {"District de Bamako": 4, "Koulikoro": 2, "Ségou": 2, "Nara": 1, "Mopti": 1, "Tombouctou": 1}),
    "ES": (0.6, {"Koulikoro": 2, "Ségou": 2, "District de Bamako": 1}),
    "SN": (0.45, {"Koulikoro": 2, "Tombouctou": 2, "Mopti": 2, "District de Bamako": 2, "Ségou": 1}),
    "US": (0.25, {"District de Bamako": 5, "Ségou": 2, "Sikasso": 1, "Mopti": 1}),
}
AFRICA_ORIGINS = (
    0.15,
    {"Sikasso": 4, "Ségou": 4, "Mopti": 4, "Koulikoro": 3, "District de Bamako": 2, "Gao": 1, "Tombouctou": 1},
)

# Kind (French label, as users type it) -> name patterns ({loc}: locality, {cercle},
# {in_country}: "en France", {city}).
KINDS = {
    "développement local": (
        55,
        [
            "Association pour le développement de {loc}",
            "Association des ressortissants de {loc} {in_country}",
            "Union des ressortissants de {loc}",
            "Comité de développement de {loc}",
            "Association Jeunesse et développement de {loc}",
        ],
    ),
    "affinité régionale": (
        16,
        [
            "Association des ressortissants du cercle de {cercle} {in_country}",
            "Amicale des ressortissants de {loc}",
            "Entente des villages du cercle de {cercle}",
        ],
    ),
    "tontine": (7, ["Tontine des ressortissants de {loc}", "Tontine des femmes de {loc}"]),
    "rapatriement des défunts": (
        7,
        ["Caisse de solidarité et de rapatriement de {loc}", "Association d'entraide et de rapatriement de {loc}"],
    ),
    "femmes": (5, ["Association des femmes maliennes de {city}", "Femmes solidaires de {loc}"]),
    "culturelle": (3, ["Association culturelle des Maliens de {city}", "Troupe culturelle de {loc}"]),
    "étudiants": (3, ["Association des étudiants et stagiaires maliens de {city}"]),
    "professionnelle": (
        2,
        ["Association des commerçants maliens de {city}", "Association des cadres maliens de {city}"],
    ),
    "religieuse": (1, ["Association islamique des Maliens de {city}"]),
    "sport": (1, ["Association sportive des jeunes de {loc}"]),
}
SECOND_KIND = {"tontine": 20, "rapatriement des défunts": 15, "développement local": 12, "femmes": 5, "culturelle": 6}
ASSOCIATION_STATUS = {"active": 85, "en sommeil": 11, "dissoute": 4}
_STOP = {"de", "des", "du", "d", "en", "la", "le", "les", "l", "et", "pour", "a", "au", "aux"}

# Sector (French label) -> (weight, titles, diaspora contribution range in euros)
SECTORS = {
    "eau et assainissement": (
        26,
        [
            "Forage équipé et château d'eau à {loc}",
            "Puits à grand diamètre de {loc}",
            "Adduction d'eau sommaire de {loc}",
            "Puits maraîcher des femmes de {loc}",
        ],
        (3_000, 25_000),
    ),
    "santé": (
        20,
        [
            "Construction du CSCOM de {loc}",
            "Maternité rurale de {loc}",
            "Équipement du centre de santé de {loc}",
            "Dépôt de médicaments de {loc}",
        ],
        (6_000, 45_000),
    ),
    "éducation": (
        20,
        [
            "École de trois classes à {loc}",
            "Réhabilitation de l'école de {loc}",
            "Centre d'alphabétisation de {loc}",
            "Cantine scolaire de {loc}",
        ],
        (4_000, 35_000),
    ),
    "agriculture": (
        13,
        [
            "Périmètre rizicole de {loc}",
            "Jardin maraîcher de {loc}",
            "Banque de céréales de {loc}",
            "Aménagement de bas-fonds à {loc}",
        ],
        (3_000, 30_000),
    ),
    "énergie": (
        7,
        ["Électrification solaire de {loc}", "Plateforme multifonctionnelle de {loc}"],
        (5_000, 30_000),
    ),
    "infrastructures": (
        8,
        ["Marché couvert de {loc}", "Piste rurale de {loc} à {cercle}", "Radio communautaire de {loc}"],
        (5_000, 40_000),
    ),
    "activités génératrices de revenus": (
        6,
        ["Moulin à céréales des femmes de {loc}", "Boutique coopérative de {loc}", "Embouche bovine à {loc}"],
        (2_000, 12_000),
    ),
}
FRENCH_FUNDERS = {"AFD": 3, "PRA/OSIM (FORIM)": 4, "Union européenne": 2, "Région Île-de-France": 3}
AFRICAN_FUNDERS = {"ANICT": 3, "État malien": 2, "Union européenne": 1}


def _elide(text: str) -> str:
    """French elision: 'de Ambidédi' -> "d'Ambidédi"."""
    return re.sub(r"\b([dD])e ([AEIOUÉÈÊaeiou])", r"\1'\2", text)


def _acronym(name: str, used: set[str]) -> str:
    words = [w for w in _ascii(name).replace("'", " ").replace("-", " ").split() if w not in _STOP]
    base = "".join(w[0] for w in words if w[0].isalpha()).upper()[:7]
    acronym, n = base, 1
    while acronym in used:
        n += 1
        acronym = f"{base}{n}"
    used.add(acronym)
    return acronym


def _origin(rng: random.Random, country: str) -> tuple[str, str, str]:
    """(locality, cercle, region) of an association's origin."""
    kayes_share, others = ORIGINS.get(country, AFRICA_ORIGINS)
    if rng.random() < kayes_share:
        loc, cercle, region, _ = rng.choices(KAYES_LOCALITIES, weights=[k[3] for k in KAYES_LOCALITIES])[0]
        return loc, cercle, region
    region = _weighted(rng, others)
    loc = rng.choice(OTHER_LOCALITIES[region])
    return loc, loc, region


def _members(rng: random.Random) -> int:
    return max(8, min(900, int(rng.lognormvariate(4.1, 0.7))))


def _contact(rng: random.Random, prefix: str) -> dict:
    if rng.random() < 0.25:
        return {"contact": "", "téléphone": "", "courriel": ""}
    sex = rng.choices(["F", "M"], weights=[30, 70])[0]
    given = rng.choice(GIVEN_F[:22] if sex == "F" else GIVEN_M[:30])
    family = rng.choice(FAMILY_NAMES)
    digits = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    email = f"{_ascii(given.split()[0])}.{_ascii(family).replace(' ', '')}@example.org" if rng.random() < 0.45 else ""
    return {
        "contact": f"{given} {family}",
        "téléphone": f"{prefix} {digits}" if rng.random() < 0.9 else "",
        "courriel": email,
    }


def associations(rng: random.Random) -> list[dict]:
    """The High Council, a council per country, France's city federations and some
    560 base associations, sorted by name: children come before their parents, as in
    a register typed by hand, which `import` takes in any order."""
    used_acronyms = {"HCME", *(c[1] for c in COUNCILS.values()), *(f[1] for f in FEDERATIONS.values())}
    used_names: set[str] = set()
    blank = dict.fromkeys(ASSOCIATION_HEADERS, "")
    rows = [{**blank, **HCME}]
    for country, (name, acronym, seat, founded, _, prefix, _) in COUNCILS.items():
        rows.append(
            {
                **blank,
                **_contact(rng, prefix),
                "nom": name,
                "sigle": acronym,
                "niveau": "national",
                "parent": "HCME",
                "pays": country,
                "ville": seat,
                "membres": 17,
                "année de création": founded,
                "statut": "active",
            }
        )
    for city, (name, acronym, founded) in FEDERATIONS.items():
        rows.append(
            {
                **blank,
                **_contact(rng, "+33 6"),
                "nom": name,
                "sigle": acronym,
                "niveau": "city",
                "parent": "CMF",
                "type": "affinité régionale",
                "pays": "FR",
                "ville": city,
                "membres": rng.randint(18, 40),
                "année de création": founded,
                "statut": "active",
            }
        )
    for country, (_, council, _, _, count, prefix, in_country) in COUNCILS.items():
        for n in range(count):
            city = _weighted(rng, CITIES[country])
            loc, cercle, region = _origin(rng, country)
            if country == "FR" and n == 0:  # one well-known association for the examples
                city, loc, cercle, region = "Montreuil", "Kersignané", "Yélimané", "Kayes"
            kind = _weighted(rng, KINDS) if n else "développement local"
            kinds = [kind]
            if rng.random() < 0.35:
                extra = _weighted(rng, SECOND_KIND)
                if extra != kind:
                    kinds.append(extra)
            pattern = rng.choice(KINDS[kind][1]) if n else "Association des ressortissants de {loc} {in_country}"
            name = _elide(pattern.format(loc=loc, cercle=cercle, in_country=in_country, city=city))
            if name in used_names:
                name = f"{name} ({city})"
            k = 2
            while name in used_names:
                name = f"{name.rsplit(' (', 1)[0]} ({city} {k})"
                k += 1
            used_names.add(name)
            roll = rng.random()
            if country == "FR" and n == 0:
                parent = "FAMM"
            elif country == "FR" and city in FEDERATIONS:
                parent = FEDERATIONS[city][1] if roll < 0.85 else council if roll < 0.95 else ""
            else:
                parent = council if roll < 0.78 else ""
            personal = kind in ("femmes", "culturelle", "étudiants", "professionnelle", "religieuse")
            rows.append(
                {
                    **_contact(rng, prefix),
                    "nom": name,
                    "sigle": _acronym(name, used_acronyms),
                    "niveau": "base",
                    "parent": parent,
                    "type": ";".join(kinds),
                    "pays": country,
                    "ville": city,
                    "région d'origine": "" if personal and rng.random() < 0.6 else region,
                    "localité d'origine": "" if personal else loc,
                    "membres": _members(rng) if rng.random() < 0.92 else "",
                    "année de création": min(2024, int(rng.triangular(1968, 2024, 1996)))
                    if rng.random() < 0.85
                    else "",
                    "statut": "active" if n == 0 else _weighted(rng, ASSOCIATION_STATUS),
                    "remarques": rng.choice(
                        [
                            "Siège dans un foyer de travailleurs migrants.",
                            "Cotisation mensuelle des membres pour le village.",
                            "A participé au forum des Maliens de l'extérieur de 2003.",
                            "Caisse de solidarité pour les maladies et les décès.",
                        ]
                    )
                    if rng.random() < 0.06
                    else "",
                }
            )
    rows.sort(key=lambda r: (_ascii(r["nom"]), r["sigle"]))
    return rows


def _project_status(rng: random.Random, year: int) -> str:
    if year <= 2015:
        return _weighted(rng, {"achevé": 82, "abandonné": 8, "en cours": 10})
    if year <= 2021:
        return _weighted(rng, {"achevé": 50, "en cours": 40, "abandonné": 5, "approuvé": 5})
    return _weighted(rng, {"approuvé": 30, "en cours": 40, "proposé": 30})


def _round(value: float, step: int) -> int:
    return max(step, int(round(value / step)) * step)


def projects(rng: random.Random, register: list[dict]) -> list[dict]:
    """Co-development projects of base associations (and a few federations) in their
    localities of origin, from 2000 on. Associations in France and Spain count in euros,
    the others in FCFA. The French diaspora's contributions to projects co-funded by the
    FSP co-development programme (2003-2007) add up to 900 000 €."""
    rows = []
    for assoc in register:
        if assoc["niveau"] != "base" or not assoc["localité d'origine"] or assoc["statut"] == "dissoute":
            continue
        kinds = assoc["type"].split(";")
        country = assoc["pays"]
        chance = 0.5 if country in ("FR", "ES") else 0.22
        if "développement local" not in kinds and "affinité régionale" not in kinds:
            chance /= 4
        first = assoc["sigle"] == "ARKF"
        if not first and rng.random() > chance:
            continue
        cercle = next(
            (k[1] for k in KAYES_LOCALITIES if k[0] == assoc["localité d'origine"]), assoc["localité d'origine"]
        )
        for _ in range(1 if first else rng.choices([1, 2, 3], weights=[60, 30, 10])[0]):
            sector = "eau et assainissement" if first else _weighted(rng, SECTORS)
            _, titles, (low, high) = SECTORS[sector]
            title = _elide(
                (titles[0] if first else rng.choice(titles)).format(loc=assoc["localité d'origine"], cercle=cercle)
            )
            euros = country in ("FR", "ES")
            year = 2005 if first else rng.randint(2002 if euros else 2000, 2025)
            codev = (
                country == "FR"
                and 2003 <= year <= 2007
                and rng.random() < 0.75
                and assoc["région d'origine"]
                in (
                    "Kayes",
                    "Nioro du Sahel",
                    "Kita",
                )
            )
            codev = codev or first
            diaspora = rng.uniform(low, high)
            if codev:
                subsidy, funder = diaspora * rng.uniform(1.0, 2.2), CODEV_FUNDER
            elif rng.random() < 0.7:
                funder = _weighted(rng, FRENCH_FUNDERS if euros else AFRICAN_FUNDERS)
                subsidy = diaspora * rng.uniform(0.5, 2.5)
            else:
                funder, subsidy = "", 0.0
            other = diaspora * rng.uniform(0.05, 0.3) if rng.random() < 0.35 else 0.0
            if euros:
                amounts = [_round(v, 100) if v else 0 for v in (diaspora, subsidy, other)]
            else:
                amounts = [_round(v * 655.957, 5000) if v else 0 for v in (diaspora, subsidy, other)]
            rows.append(
                {
                    "association": assoc["sigle"],
                    "titre": title,
                    "secteur": sector,
                    "localité": assoc["localité d'origine"],
                    "région": assoc["région d'origine"],
                    "année": year,
                    "contribution de la diaspora": amounts[0],
                    "subvention": amounts[1],
                    "autres financements": amounts[2],
                    "devise": "EUR" if euros else "XOF",
                    "bailleur": funder,
                    "statut": "achevé" if first else _project_status(rng, year),
                    "remarques": "",
                }
            )
    # Two federations carry projects for their whole area.
    for acronym, title, locality, year, amounts in (
        ("FAMM", "Ambulance pour le centre de santé de référence de Yélimané", "Yélimané", 2006, (18_000, 24_000, 0)),
        (
            "FAMP",
            "Formation des comités de gestion des CSCOM du cercle de Kayes",
            "Kayes",
            2011,
            (9_500, 14_000, 2_000),
        ),
    ):
        rows.append(
            {
                "association": acronym,
                "titre": title,
                "secteur": "santé",
                "localité": locality,
                "région": "Kayes",
                "année": year,
                "contribution de la diaspora": amounts[0],
                "subvention": amounts[1],
                "autres financements": amounts[2],
                "devise": "EUR",
                "bailleur": CODEV_FUNDER if year <= 2007 else "AFD",
                "statut": "achevé",
                "remarques": "",
            }
        )
    # PADDY: rice growing in the cercle of Yélimané, co-funded by France, Mali and Viet Nam.
    paddy = next(
        (a for a in register if a["niveau"] == "base" and a["localité d'origine"] == "Yélimané"),
        next(a for a in register if a["sigle"] == "ARKF"),
    )
    rows.append(
        {
            "association": paddy["sigle"],
            "titre": "Périmètres rizicoles du PADDY (cercle de Yélimané)",
            "secteur": "agriculture",
            "localité": "Yélimané",
            "région": "Kayes",
            "année": 2006,
            "contribution de la diaspora": 15_000,
            "subvention": 60_000,
            "autres financements": 20_000,
            "devise": "EUR",
            "bailleur": "PADDY (France, Mali, Viêt Nam)",
            "statut": "achevé",
            "remarques": "Culture du riz pour retenir les jeunes tentés par le départ; cofinancement France, Mali et Viêt Nam.",
        }
    )
    # Bring the FSP projects' diaspora contributions to the programme's 900 000 €.
    codev = [r for r in rows if r["bailleur"] == CODEV_FUNDER]
    total = sum(r["contribution de la diaspora"] for r in codev)
    for r in codev:
        r["contribution de la diaspora"] = _round(r["contribution de la diaspora"] * CODEV_DIASPORA_EUR / total, 100)
    codev[-1]["contribution de la diaspora"] += CODEV_DIASPORA_EUR - sum(
        r["contribution de la diaspora"] for r in codev
    )
    return rows


# ------------------------------------------------- relay antennas and agreements
# The 11 TOKTEN relay antennas, with the codes that consultants carry.
ANTENNAS = [
    ("PARIS", "Paris", "FR"),
    ("DAKAR", "Dakar", "SN"),
    ("ABIDJAN", "Abidjan", "CI"),
    ("MONTREAL", "Montréal", "CA"),
    ("WASHINGTON", "Washington", "US"),
    ("BRUXELLES", "Bruxelles", "BE"),
    ("RABAT", "Rabat", "MA"),
    ("LIBREVILLE", "Libreville", "GA"),
    ("GENEVE", "Genève", "CH"),
    ("LONDRES", "Londres", "GB"),
    ("BERLIN", "Berlin", "DE"),
]
ANTENNA_HEADERS = ["code", "ville", "pays", "coordinateur", "courriel"]

# Inter-university agreements: "12 signed out of 16 negotiated". (Malian institution,
# title, partner, partner's country, the broker's disciplines, status, year signed.)
AGREEMENTS = [
    (
        "IUG",
        "Maîtrise en informatique appliquée à la gestion (MIAGE)",
        "Université de Montréal",
        "CA",
        ["0613", "0413"],
        "signed",
        2019,
    ),
    ("FAST", "DEA de mathématiques appliquées", "Université d'Orléans", "FR", ["0541"], "signed", 2019),
    (
        "FAST",
        "DEA de biologie : enzymologie et parasitologie",
        "Université Cheikh Anta Diop",
        "SN",
        ["0511", "0512"],
        "expired",
        2019,
    ),
    (
        "ISFRA",
        "DESS de gestion des pratiques environnementales",
        "Université de Sherbrooke",
        "CA",
        ["0521"],
        "expired",
        2019,
    ),
    ("FAST", "DEA de chimie des produits naturels", "Université Paris-Saclay", "FR", ["0531"], "signed", 2020),
    (
        "FSJP",
        "Formation doctorale et DEA en droit public",
        "Université Toulouse Capitole",
        "FR",
        ["0421"],
        "signed",
        2020,
    ),
    (
        "FAST",
        "Formation doctorale en physique de l'énergie solaire",
        "Université de Bordeaux",
        "FR",
        ["0533"],
        "signed",
        2021,
    ),
    ("ISFRA", "DESS de géographie urbaine", "Université Laval", "CA", ["0314"], "signed", 2021),
    ("ISFRA", "DEA de sciences de l'éducation", "Université de Strasbourg", "FR", ["0111"], "signed", 2023),
    ("ENI-ABT", "Master en génie civil et hydraulique", "Howard University", "US", ["0732", "0713"], "signed", 2024),
    (
        "FSJP",
        "Co-tutelle de thèses en droit des affaires OHADA",
        "Université Gaston Berger",
        "SN",
        ["0421"],
        "signed",
        2025,
    ),
    (
        "FMPOS",
        "Formation à la recherche clinique sur le paludisme",
        "Emory University",
        "US",
        ["0912", "0511"],
        "signed",
        2025,
    ),
    ("FSEG", "Master en économie du développement", "Université d'Ottawa", "CA", ["0311"], "negotiated", None),
    (
        "IPR-IFRA",
        "Recherche sur la sélection variétale du riz",
        "Institut Agro Montpellier",
        "FR",
        ["0811"],
        "negotiated",
        None,
    ),
    (
        "ENSUP",
        "Formation continue des professeurs de sciences",
        "Université Cheikh Anta Diop",
        "SN",
        ["0111", "0531"],
        "negotiated",
        None,
    ),
    (
        "IUG",
        "Licence professionnelle en banque et finance",
        "University of Houston",
        "US",
        ["0412", "0413"],
        "negotiated",
        None,
    ),
]
AGREEMENT_HEADERS = [
    "titre",
    "établissement",
    "partenaire",
    "pays du partenaire",
    "statut",
    "signé le",
    "consultant",
    "remarques",
]


def antennas(rng: random.Random) -> list[dict]:
    rows = []
    for code, city, country in ANTENNAS:
        sex = rng.choice(["F", "M"])
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M).split()[0]
        rows.append(
            {
                "code": code,
                "ville": city,
                "pays": country,
                "coordinateur": f"{given} {rng.choice(FAMILY_NAMES)}",
                "courriel": f"antenne.{code.lower()}@example.org",
            }
        )
    return rows


def agreements(rng: random.Random, experts: list[dict]) -> list[dict]:
    """The 16 agreements, each brokered where possible by an active consultant living in
    the partner's country and working in its field."""
    rows = []
    for host, title, partner, country, fields, status, year in AGREEMENTS:
        pool = [c for c in experts if c["courriel"] and c["statut"] == "active" and c["pays"] == country]
        brokers = [c for c in pool if c["discipline"] in fields] or pool
        signed = date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat() if year else ""
        notes = ""
        if status == "expired":
            notes = "Arrivé à échéance après cinq ans ; renouvellement en discussion."
        elif status == "negotiated":
            notes = "Projet d'accord transmis au partenaire ; signature attendue."
        rows.append(
            {
                "titre": title,
                "établissement": host,
                "partenaire": partner,
                "pays du partenaire": country,
                "statut": status,
                "signé le": signed,
                "consultant": rng.choice(brokers)["courriel"] if brokers and rng.random() < 0.85 else "",
                "remarques": notes,
            }
        )
    return rows


def write_csv(path: Path, headers: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(folder: Path = HERE) -> None:
    experts = consultants(random.Random(SEED))
    write_csv(folder / "consultants.csv", CONSULTANT_HEADERS, experts)
    # Each data set draws from its own generator, so that changing one leaves the others.
    write_csv(folder / "institutions.csv", INSTITUTION_HEADERS, institutions())
    write_csv(folder / "programmes.csv", list(PROGRAMMES[0]), PROGRAMMES)
    wanted = needs(random.Random(SEED + 1))
    write_csv(folder / "needs.csv", NEED_HEADERS, wanted)
    done = missions(random.Random(SEED + 2), experts, wanted)
    write_csv(folder / "missions.csv", MISSION_HEADERS, done)
    write_csv(folder / "evaluations.csv", EVALUATION_HEADERS, evaluations(random.Random(SEED + 5), done))
    register = associations(random.Random(ASSOCIATION_SEED))
    write_csv(folder / "associations.csv", ASSOCIATION_HEADERS, register)
    write_csv(folder / "projects.csv", PROJECT_HEADERS, projects(random.Random(ASSOCIATION_SEED + 1), register))
    write_csv(folder / "antennas.csv", ANTENNA_HEADERS, antennas(random.Random(SEED + 3)))
    write_csv(folder / "agreements.csv", AGREEMENT_HEADERS, agreements(random.Random(SEED + 4), experts))


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
