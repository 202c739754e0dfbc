"""Closed vocabularies of the programme: degrees, mission types, statuses, kinds...

Each term has a stable code (stored in the database and written in exports) and French
and English labels; input is accepted by code, label or alias, compared without accents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from maliext_cli.errors import FieldError
from maliext_cli.text import as_text, fold


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    fr: str
    en: str
    aliases: tuple[str, ...] = ()
    iso: str = ""  # an ISO 3166-2 code, for Mali's regions


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[Term, ...]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for t in self.terms:
            for key in (t.code, t.fr, t.en, t.iso, *t.aliases):
                if key:
                    lookup.setdefault(fold(key), t.code)
        object.__setattr__(self, "_lookup", lookup)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def resolve(self, value: str) -> str:
        """The code for `value` (a code, a label or an alias); FieldError if unknown."""
        code = self._lookup.get(fold(as_text(value)))
        if code is None:
            raise FieldError(f"{value!r} is not a known {self.name}; expected one of: {', '.join(self.codes)}")
        return code

    def label(self, code: str, lang: str = "fr") -> str:
        for t in self.terms:
            if t.code == code:
                return t.fr if lang == "fr" else t.en
        return code


@dataclass(frozen=True)
class Codes:
    """A closed set of codes kept elsewhere than in terms (ISO countries and languages,
    ISCED-F fields): what a code is called in messages, the codes, and how input is read
    into one. A field declares it, or a Vocabulary, as its `vocabulary`."""

    name: str
    codes: frozenset[str]
    resolve: Callable[[str], str]


def _v(name: str, *terms: tuple) -> Vocabulary:
    return Vocabulary(name, tuple(Term(*t) for t in terms))


SEX = _v(
    "sex",
    ("F", "femme", "female", ("f",)),
    ("M", "homme", "male", ("h",)),
    ("X", "autre / non précisé", "other / unspecified"),
)

DEGREE = _v(
    "degree",
    ("licence", "Licence", "Bachelor's degree", ("bachelor", "bsc", "ba")),
    ("master", "Master / Maîtrise", "Master's degree", ("maitrise", "msc", "ma")),
    ("dea", "DEA (diplôme d'études approfondies)", "DEA (advanced studies diploma)"),
    ("dess", "DESS (diplôme d'études supérieures spécialisées)", "DESS (specialised higher studies diploma)"),
    ("ingenieur", "Diplôme d'ingénieur", "Engineering degree", ("engineer",)),
    ("doctorat", "Doctorat", "Doctorate (PhD)", ("phd", "doctorate", "docteur", "these")),
    ("hdr", "HDR (habilitation à diriger des recherches)", "HDR (habilitation)", ("habilitation",)),
)
# Rank of each degree, for rules such as "supervision at doctorat level needs a doctorat".
DEGREE_RANK = {"licence": 1, "master": 2, "dea": 3, "dess": 3, "ingenieur": 3, "doctorat": 4, "hdr": 5}

CONSULTANT_STATUS = _v(
    "consultant status",
    ("candidate", "candidat", "candidate", ("candidature",)),
    ("active", "actif", "active", ("actif", "active")),
    ("inactive", "inactif", "inactive"),
)

MISSION_TYPE = _v(
    "mission type",
    ("lecture", "cours magistral", "lecture course", ("cours", "enseignement", "teaching")),
    ("conference", "conférence scientifique", "scientific conference"),
    ("supervision", "encadrement de thèses et mémoires", "thesis supervision", ("encadrement",)),
    ("workshop", "atelier", "workshop", ("atelier de reflexion",)),
    ("training", "formation continue", "continuing training", ("formation",)),
    ("technical-support", "appui technique", "technical support", ("appui technique",)),
    ("administrative-support", "appui administratif", "administrative support", ("appui administratif",)),
)

NEED_LEVEL = _v(
    "level",
    ("licence", "licence", "bachelor", ("bachelor",)),
    ("master", "master / maîtrise", "master", ("maitrise",)),
    ("dea", "DEA", "DEA"),
    ("dess", "DESS", "DESS"),
    ("doctorat", "doctorat", "doctorate", ("phd", "doctorate")),
    ("professional", "formation professionnelle", "professional", ("professionnel", "professionnelle")),
)

NEED_STATUS = _v(
    "need status",
    ("open", "ouvert", "open"),
    ("filled", "pourvu", "filled"),
    ("cancelled", "annulé", "cancelled", ("canceled",)),
)

PRIORITY = _v("priority", ("1", "haute", "high"), ("2", "normale", "normal"), ("3", "basse", "low"))

MISSION_STATUS = _v(
    "mission status",
    ("planned", "prévue", "planned"),
    ("ongoing", "en cours", "ongoing"),
    ("completed", "achevée", "completed", ("terminee", "achevee", "done")),
    ("cancelled", "annulée", "cancelled", ("canceled", "annulee")),
)

CURRENCY = _v(
    "currency",
    ("XOF", "franc CFA (BCEAO)", "CFA franc (BCEAO)", ("fcfa", "cfa", "f cfa")),
    ("EUR", "euro", "euro", ("€", "euros")),
)

INSTITUTION_KIND = _v(
    "institution kind",
    ("university", "université", "university"),
    ("faculty", "faculté", "faculty"),
    ("grande-ecole", "grande école", "grande école"),
    ("institute", "institut", "institute"),
    ("research-centre", "centre de recherche", "research centre", ("research center",)),
    ("hospital", "hôpital", "hospital", ("chu",)),
    ("health-centre", "centre de santé", "health centre", ("cscom", "csref", "health center")),
    ("administration", "administration / ministère", "administration / ministry", ("ministere", "ministry")),
    ("enterprise", "entreprise", "enterprise", ("company",)),
    ("other", "autre", "other"),
)

AGREEMENT_STATUS = _v(
    "agreement status",
    ("negotiated", "négocié", "negotiated"),
    ("signed", "signé", "signed"),
    ("expired", "expiré", "expired"),
)

ASSOCIATION_LEVEL = _v(
    "association level",
    ("base", "association de base", "grassroots association"),
    ("city", "fédération de ville", "city federation", ("ville", "federation")),
    ("national", "conseil national", "national council", ("conseil",)),
    ("hcme", "Haut Conseil des Maliens de l'Extérieur", "High Council of Malians Abroad"),
)

ASSOCIATION_KIND = _v(
    "association kind",
    ("regional-affinity", "affinité régionale", "regional affinity"),
    ("tontine", "tontine", "tontine (rotating savings)"),
    ("local-development", "développement local", "local development", ("developpement du village",)),
    ("repatriation", "rapatriement des défunts", "repatriation of the deceased", ("rapatriement",)),
    ("cultural", "culturelle", "cultural", ("culture",)),
    ("professional", "professionnelle", "professional"),
    ("student", "étudiants", "students", ("etudiante", "etudiant")),
    ("women", "femmes", "women"),
    ("religious", "religieuse", "religious"),
    ("sport", "sport", "sport", ("sportive",)),
    ("other", "autre", "other"),
)

ASSOCIATION_STATUS = _v(
    "association status",
    ("active", "active", "active"),
    ("dormant", "en sommeil", "dormant"),
    ("dissolved", "dissoute", "dissolved"),
)

PROJECT_SECTOR = _v(
    "project sector",
    ("water", "eau et assainissement", "water and sanitation", ("eau", "puits", "forage")),
    ("health", "santé", "health"),
    ("education", "éducation", "education", ("ecole",)),
    ("agriculture", "agriculture", "agriculture", ("riziculture",)),
    ("energy", "énergie", "energy"),
    ("infrastructure", "infrastructures", "infrastructure"),
    ("income", "activités génératrices de revenus", "income generation", ("agr",)),
    ("other", "autre", "other"),
)

PROJECT_STATUS = _v(
    "project status",
    ("proposed", "proposé", "proposed"),
    ("approved", "approuvé", "approved"),
    ("in-progress", "en cours", "in progress"),
    ("completed", "achevé", "completed", ("termine",)),
    ("abandoned", "abandonné", "abandoned"),
)

# Mali's regions since the 2012 reorganisation (19 regions and the Bamako district).
# The ISO 3166-2 code is given where the standard has one.
REGION = _v(
    "Mali region",
    ("kayes", "Kayes", "Kayes", (), "ML-1"),
    ("koulikoro", "Koulikoro", "Koulikoro", (), "ML-2"),
    ("sikasso", "Sikasso", "Sikasso", (), "ML-3"),
    ("segou", "Ségou", "Ségou", (), "ML-4"),
    ("mopti", "Mopti", "Mopti", (), "ML-5"),
    ("tombouctou", "Tombouctou", "Timbuktu", (), "ML-6"),
    ("gao", "Gao", "Gao", (), "ML-7"),
    ("kidal", "Kidal", "Kidal", (), "ML-8"),
    ("menaka", "Ménaka", "Ménaka", (), "ML-9"),
    ("taoudenit", "Taoudénit", "Taoudénit", ("taoudeni",), "ML-10"),
    ("nioro", "Nioro du Sahel", "Nioro du Sahel", ("nioro du sahel",)),
    ("kita", "Kita", "Kita"),
    ("dioila", "Dioïla", "Dioïla"),
    ("nara", "Nara", "Nara"),
    ("bougouni", "Bougouni", "Bougouni"),
    ("koutiala", "Koutiala", "Koutiala"),
    ("san", "San", "San"),
    ("douentza", "Douentza", "Douentza"),
    ("bandiagara", "Bandiagara", "Bandiagara"),
    ("bamako", "District de Bamako", "Bamako District", ("bamako district", "district of bamako"), "ML-BKO"),
)

# Every vocabulary that `maliext ref` can list, by the name used on the command line.
ALL: dict[str, Vocabulary] = {
    "degrees": DEGREE,
    "types": MISSION_TYPE,
    "regions": REGION,
    "levels": NEED_LEVEL,
    "sexes": SEX,
    "consultant-statuses": CONSULTANT_STATUS,
    "mission-statuses": MISSION_STATUS,
    "need-statuses": NEED_STATUS,
    "priorities": PRIORITY,
    "currencies": CURRENCY,
    "institution-kinds": INSTITUTION_KIND,
    "agreement-statuses": AGREEMENT_STATUS,
    "association-levels": ASSOCIATION_LEVEL,
    "association-kinds": ASSOCIATION_KIND,
    "association-statuses": ASSOCIATION_STATUS,
    "sectors": PROJECT_SECTOR,
    "project-statuses": PROJECT_STATUS,
}
