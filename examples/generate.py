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

PROGRAMMES = [
    {
        "code": "TOKTEN",
        "name": "Transfer of Knowledge Through Expatriate Nationals",
        "funders": "PNUD;Coopération française;État malien",
        "start": "1998-10-01",
        "end": "",
    },
    {"code": "TALMALI", "name": "Talents du Mali", "funders": "UNESCO", "start": "2001-01-01", "end": ""},
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
    write_csv(folder / "missions.csv", MISSION_HEADERS, missions(random.Random(SEED + 2), experts, wanted))


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
