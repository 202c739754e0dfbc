"""Closed vocabularies of the programme: degrees, mission types, statuses, kinds...

Each term has a stable code (stored in the database and written in exports) and a label,
written in English here and printed in the interface language: the label is a gettext
message whose context is the vocabulary's name (`pgettext("need status", "open")`), its
translations in the catalogues (CONTRIBUTING.md, "Translations"). Input is accepted by
code, English label or alias, compared without accents; the French labels are aliases,
since what people type is data and does not change with the catalogues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from maliext_cli import i18n
from maliext_cli.errors import FieldError
from maliext_cli.i18n import N_, _
from maliext_cli.text import as_text, fold

Translate = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    en: str  # the English label, message id of the printed label
    aliases: tuple[str, ...] = ()  # other words accepted on input, the French label first
    iso: str = ""  # an ISO 3166-2 code, for Mali's regions


@dataclass(frozen=True)
class Vocabulary:
    name: str  # English, the context of its labels in the catalogues
    terms: tuple[Term, ...]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for t in self.terms:
            for key in (t.code, t.en, t.iso, *t.aliases):
                if key:
                    lookup.setdefault(fold(key), t.code)
        object.__setattr__(self, "_lookup", lookup)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    @property
    def title(self) -> str:
        """The vocabulary's name in the interface language: "need status", "statut du besoin"."""
        return _(self.name)

    def resolve(self, value: str) -> str:
        """The code for `value` (a code, a label or an alias); FieldError if unknown."""
        code = self._lookup.get(fold(as_text(value)))
        if code is None:
            raise FieldError(
                _("{value!r} is not a known {vocabulary}; expected one of: {codes}").format(
                    value=value, vocabulary=self.title, codes=", ".join(self.codes)
                )
            )
        return code

    def label(self, code: str, lang: str | None = None) -> str:
        """The label of `code` in `lang` (default: the interface language); the code
        itself if it is not one of the vocabulary's."""
        with i18n.speaking(lang):
            return _labels(i18n.current())[self.name].get(code, code)


@dataclass(frozen=True)
class Codes:
    """A closed set of codes kept elsewhere than in terms (ISO countries and languages,
    ISCED-F fields): what a code is called in messages (English, a message id), the
    codes, and how input is read into one. A field declares it, or a Vocabulary, as its
    `vocabulary`."""

    name: str
    codes: frozenset[str]
    resolve: Callable[[str], str]

    @property
    def title(self) -> str:
        """The name in the interface language."""
        return _(self.name)


def _terms(pgettext: Translate) -> dict[str, tuple[tuple, ...]]:
    """Every vocabulary's terms, by the vocabulary's name: (code, label, aliases[, ISO
    3166-2 code]). The labels are as `pgettext` gives them: in English to build the
    vocabularies (and for the catalogue tool, which finds them here), in the interface
    language to print them (`_labels`)."""
    return {
        "sex": (
            ("F", pgettext("sex", "female"), ("femme", "f")),
            ("M", pgettext("sex", "male"), ("homme", "h")),
            ("X", pgettext("sex", "other / unspecified"), ("autre / non précisé",)),
        ),
        "degree": (
            ("licence", pgettext("degree", "Bachelor's degree"), ("Licence", "bachelor", "bsc", "ba")),
            ("master", pgettext("degree", "Master's degree"), ("Master / Maîtrise", "maitrise", "msc", "ma")),
            ("dea", pgettext("degree", "DEA (advanced studies diploma)"), ("DEA (diplôme d'études approfondies)",)),
            (
                "dess",
                pgettext("degree", "DESS (specialised higher studies diploma)"),
                ("DESS (diplôme d'études supérieures spécialisées)",),
            ),
            ("ingenieur", pgettext("degree", "Engineering degree"), ("Diplôme d'ingénieur", "engineer")),
            ("doctorat", pgettext("degree", "Doctorate (PhD)"), ("Doctorat", "phd", "doctorate", "docteur", "these")),
            (
                "hdr",
                pgettext("degree", "HDR (habilitation)"),
                ("HDR (habilitation à diriger des recherches)", "habilitation"),
            ),
        ),
        "consultant status": (
            ("candidate", pgettext("consultant status", "candidate"), ("candidat", "candidature")),
            ("active", pgettext("consultant status", "active"), ("actif",)),
            ("inactive", pgettext("consultant status", "inactive"), ("inactif",)),
        ),
        "mission type": (
            (
                "lecture",
                pgettext("mission type", "lecture course"),
                ("cours magistral", "cours", "enseignement", "teaching"),
            ),
            ("conference", pgettext("mission type", "scientific conference"), ("conférence scientifique",)),
            (
                "supervision",
                pgettext("mission type", "thesis supervision"),
                ("encadrement de thèses et mémoires", "encadrement"),
            ),
            ("workshop", pgettext("mission type", "workshop"), ("atelier", "atelier de reflexion")),
            ("training", pgettext("mission type", "continuing training"), ("formation continue", "formation")),
            ("technical-support", pgettext("mission type", "technical support"), ("appui technique",)),
            ("administrative-support", pgettext("mission type", "administrative support"), ("appui administratif",)),
        ),
        "need level": (
            ("licence", pgettext("need level", "bachelor"), ()),
            ("master", pgettext("need level", "master"), ("master / maîtrise", "maitrise")),
            ("dea", pgettext("need level", "DEA"), ()),
            ("dess", pgettext("need level", "DESS"), ()),
            ("doctorat", pgettext("need level", "doctorate"), ("phd",)),
            (
                "professional",
                pgettext("need level", "professional"),
                ("formation professionnelle", "professionnel", "professionnelle"),
            ),
        ),
        "need status": (
            ("open", pgettext("need status", "open"), ("ouvert",)),
            ("filled", pgettext("need status", "filled"), ("pourvu",)),
            ("cancelled", pgettext("need status", "cancelled"), ("annulé", "canceled")),
        ),
        "priority": (
            ("1", pgettext("priority", "high"), ("haute",)),
            ("2", pgettext("priority", "normal"), ("normale",)),
            ("3", pgettext("priority", "low"), ("basse",)),
        ),
        "mission status": (
            ("planned", pgettext("mission status", "planned"), ("prévue",)),
            ("ongoing", pgettext("mission status", "ongoing"), ("en cours",)),
            ("completed", pgettext("mission status", "completed"), ("achevée", "terminee", "achevee", "done")),
            ("cancelled", pgettext("mission status", "cancelled"), ("annulée", "canceled", "annulee")),
        ),
        "currency": (
            ("XOF", pgettext("currency", "CFA franc (BCEAO)"), ("franc CFA (BCEAO)", "fcfa", "cfa", "f cfa")),
            ("EUR", pgettext("currency", "euro"), ("€", "euros")),
        ),
        "institution kind": (
            ("university", pgettext("institution kind", "university"), ("université",)),
            ("faculty", pgettext("institution kind", "faculty"), ("faculté",)),
            ("grande-ecole", pgettext("institution kind", "grande école"), ()),
            ("institute", pgettext("institution kind", "institute"), ("institut",)),
            (
                "research-centre",
                pgettext("institution kind", "research centre"),
                ("centre de recherche", "research center"),
            ),
            ("hospital", pgettext("institution kind", "hospital"), ("hôpital", "chu")),
            (
                "health-centre",
                pgettext("institution kind", "health centre"),
                ("centre de santé", "cscom", "csref", "health center"),
            ),
            (
                "administration",
                pgettext("institution kind", "administration / ministry"),
                ("administration / ministère", "ministere", "ministry"),
            ),
            ("enterprise", pgettext("institution kind", "enterprise"), ("entreprise", "company")),
            ("other", pgettext("institution kind", "other"), ("autre",)),
        ),
        "agreement status": (
            ("negotiated", pgettext("agreement status", "negotiated"), ("négocié",)),
            ("signed", pgettext("agreement status", "signed"), ("signé",)),
            ("expired", pgettext("agreement status", "expired"), ("expiré",)),
        ),
        "association level": (
            ("base", pgettext("association level", "grassroots association"), ("association de base",)),
            ("city", pgettext("association level", "city federation"), ("fédération de ville", "ville", "federation")),
            ("national", pgettext("association level", "national council"), ("conseil national", "conseil")),
            (
                "hcme",
                pgettext("association level", "High Council of Malians Abroad"),
                ("Haut Conseil des Maliens de l'Extérieur",),
            ),
        ),
        "association kind": (
            ("regional-affinity", pgettext("association kind", "regional affinity"), ("affinité régionale",)),
            ("tontine", pgettext("association kind", "tontine (rotating savings)"), ()),
            (
                "local-development",
                pgettext("association kind", "local development"),
                ("développement local", "developpement du village"),
            ),
            (
                "repatriation",
                pgettext("association kind", "repatriation of the deceased"),
                ("rapatriement des défunts", "rapatriement"),
            ),
            ("cultural", pgettext("association kind", "cultural"), ("culturelle", "culture")),
            ("professional", pgettext("association kind", "professional"), ("professionnelle",)),
            ("student", pgettext("association kind", "students"), ("étudiants", "etudiante", "etudiant")),
            ("women", pgettext("association kind", "women"), ("femmes",)),
            ("religious", pgettext("association kind", "religious"), ("religieuse",)),
            ("sport", pgettext("association kind", "sport"), ("sportive",)),
            ("other", pgettext("association kind", "other"), ("autre",)),
        ),
        "association status": (
            ("active", pgettext("association status", "active"), ()),
            ("dormant", pgettext("association status", "dormant"), ("en sommeil",)),
            ("dissolved", pgettext("association status", "dissolved"), ("dissoute",)),
        ),
        "project sector": (
            (
                "water",
                pgettext("project sector", "water and sanitation"),
                ("eau et assainissement", "eau", "puits", "forage"),
            ),
            ("health", pgettext("project sector", "health"), ("santé",)),
            ("education", pgettext("project sector", "education"), ("éducation", "ecole")),
            ("agriculture", pgettext("project sector", "agriculture"), ("riziculture",)),
            ("energy", pgettext("project sector", "energy"), ("énergie",)),
            ("infrastructure", pgettext("project sector", "infrastructure"), ("infrastructures",)),
            ("income", pgettext("project sector", "income generation"), ("activités génératrices de revenus", "agr")),
            ("other", pgettext("project sector", "other"), ("autre",)),
        ),
        "project status": (
            ("proposed", pgettext("project status", "proposed"), ("proposé",)),
            ("approved", pgettext("project status", "approved"), ("approuvé",)),
            ("in-progress", pgettext("project status", "in progress"), ("en cours",)),
            ("completed", pgettext("project status", "completed"), ("achevé", "termine")),
            ("abandoned", pgettext("project status", "abandoned"), ("abandonné",)),
        ),
        # Who evaluates a mission, when, and on what (services/evaluations.py). The
        # criteria follow the appraisal forms of IOM's CD4D and of UNDP's TOKTEN, which
        # host and expert fill in at the end of an assignment and a year later: was it
        # what the host needed, was it prepared and organised, was knowledge transferred,
        # were the results reached, do they last, and an overall mark.
        "evaluator": (
            ("host", pgettext("evaluator", "host institution"), ("établissement d'accueil", "hote", "accueil")),
            ("consultant", pgettext("evaluator", "consultant"), ("expert",)),
        ),
        "evaluation kind": (
            ("end", pgettext("evaluation kind", "end of mission"), ("fin de mission", "fin", "final")),
            ("followup", pgettext("evaluation kind", "follow-up after a year"), ("suivi à un an", "suivi", "follow-up")),
        ),
        "evaluation criterion": (
            (
                "relevance",
                pgettext("evaluation criterion", "relevance to the host's need"),
                ("pertinence au regard du besoin de l'établissement", "pertinence au regard du besoin", "pertinence"),
            ),
            (
                "preparation",
                pgettext("evaluation criterion", "preparation and information beforehand"),
                ("préparation et information préalable", "preparation"),
            ),
            (
                "organisation",
                pgettext("evaluation criterion", "organisation and reception on site"),
                ("organisation et accueil sur place", "organization", "accueil"),
            ),
            (
                "transfer",
                pgettext("evaluation criterion", "transfer of knowledge"),
                ("transfert de connaissances", "transfert"),
            ),
            (
                "results",
                pgettext("evaluation criterion", "results against the objectives"),
                ("atteinte des objectifs", "resultats", "objectifs"),
            ),
            (
                "sustainability",
                pgettext("evaluation criterion", "lasting effects"),
                ("durabilité des effets", "durabilite", "perennite"),
            ),
            ("overall", pgettext("evaluation criterion", "overall appreciation"), ("appréciation générale", "global")),
        ),
        "Mali region": (
            ("kayes", pgettext("Mali region", "Kayes"), (), "ML-1"),
            ("koulikoro", pgettext("Mali region", "Koulikoro"), (), "ML-2"),
            ("sikasso", pgettext("Mali region", "Sikasso"), (), "ML-3"),
            ("segou", pgettext("Mali region", "Ségou"), (), "ML-4"),
            ("mopti", pgettext("Mali region", "Mopti"), (), "ML-5"),
            ("tombouctou", pgettext("Mali region", "Timbuktu"), ("Tombouctou",), "ML-6"),
            ("gao", pgettext("Mali region", "Gao"), (), "ML-7"),
            ("kidal", pgettext("Mali region", "Kidal"), (), "ML-8"),
            ("menaka", pgettext("Mali region", "Ménaka"), (), "ML-9"),
            ("taoudenit", pgettext("Mali region", "Taoudénit"), ("taoudeni",), "ML-10"),
            ("nioro", pgettext("Mali region", "Nioro du Sahel"), ("nioro du sahel",)),
            ("kita", pgettext("Mali region", "Kita"), ()),
            ("dioila", pgettext("Mali region", "Dioïla"), ()),
            ("nara", pgettext("Mali region", "Nara"), ()),
            ("bougouni", pgettext("Mali region", "Bougouni"), ()),
            ("koutiala", pgettext("Mali region", "Koutiala"), ()),
            ("san", pgettext("Mali region", "San"), ()),
            ("douentza", pgettext("Mali region", "Douentza"), ()),
            ("bandiagara", pgettext("Mali region", "Bandiagara"), ()),
            (
                "bamako",
                pgettext("Mali region", "Bamako District"),
                ("District de Bamako", "bamako district", "district of bamako"),
                "ML-BKO",
            ),
        ),
    }


def _english(context: str, message: str) -> str:
    return message


@cache
def _labels(language: str) -> dict[str, dict[str, str]]:
    """{vocabulary name: {code: label}} in `language`, the interface language when called."""
    return {name: {t[0]: t[1] for t in terms} for name, terms in _terms(i18n.pgettext).items()}


_DECLARED = _terms(_english)


def _v(name: str) -> Vocabulary:
    return Vocabulary(name, tuple(Term(*t) for t in _DECLARED[name]))


# The vocabularies' names, in messages ("'x' is not a known degree").
SEX = _v(N_("sex"))
DEGREE = _v(N_("degree"))
# Rank of each degree, for rules such as "supervision at doctorat level needs a doctorat".
DEGREE_RANK = {"licence": 1, "master": 2, "dea": 3, "dess": 3, "ingenieur": 3, "doctorat": 4, "hdr": 5}
CONSULTANT_STATUS = _v(N_("consultant status"))
MISSION_TYPE = _v(N_("mission type"))
NEED_LEVEL = _v(N_("need level"))
NEED_STATUS = _v(N_("need status"))
PRIORITY = _v(N_("priority"))
MISSION_STATUS = _v(N_("mission status"))
CURRENCY = _v(N_("currency"))
INSTITUTION_KIND = _v(N_("institution kind"))
AGREEMENT_STATUS = _v(N_("agreement status"))
ASSOCIATION_LEVEL = _v(N_("association level"))
ASSOCIATION_KIND = _v(N_("association kind"))
ASSOCIATION_STATUS = _v(N_("association status"))
PROJECT_SECTOR = _v(N_("project sector"))
PROJECT_STATUS = _v(N_("project status"))
EVALUATOR = _v(N_("evaluator"))
EVALUATION_KIND = _v(N_("evaluation kind"))
# The criteria of an evaluation, each scored 1 to 5: each is a column of `evaluation`
# (store/schema.py 003), in this order.
EVALUATION_CRITERION = _v(N_("evaluation criterion"))
# Mali's regions since the 2012 reorganisation (19 regions and the Bamako district).
# The ISO 3166-2 code is given where the standard has one.
REGION = _v(N_("Mali region"))

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
    "evaluators": EVALUATOR,
    "evaluation-kinds": EVALUATION_KIND,
    "criteria": EVALUATION_CRITERION,
}
