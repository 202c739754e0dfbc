"""ISCED-F 2013 fields of education and training (UNESCO), named in the interface language.

Two digits: broad field; three: narrow field; four: detailed field. A consultant's or a
need's discipline is a detailed field. Names were written here from the classification;
"n.e.c." fields (…9) and inter-disciplinary fields (…88) follow its numbering rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from maliext_cli.errors import FieldError
from maliext_cli.i18n import N_, _
from maliext_cli.reference.vocab import Codes
from maliext_cli.text import as_text, fold, suggest

# (code, English name, French name): the English name is a message id, printed in the
# interface language (its French in the catalogue); the French name is accepted as input.
_TABLE: tuple[tuple[str, str, str], ...] = (
    ("00", N_("Generic programmes and qualifications"), "Programmes et certifications génériques"),
    ("001", N_("Basic programmes and qualifications"), "Programmes et certifications de base"),
    ("0011", N_("Basic programmes and qualifications"), "Programmes et certifications de base"),
    ("002", N_("Literacy and numeracy"), "Alphabétisation et apprentissage du calcul"),
    ("0021", N_("Literacy and numeracy"), "Alphabétisation et apprentissage du calcul"),
    ("003", N_("Personal skills and development"), "Compétences personnelles et développement"),
    ("0031", N_("Personal skills and development"), "Compétences personnelles et développement"),
    ("01", N_("Education"), "Éducation"),
    ("011", N_("Education"), "Éducation"),
    ("0111", N_("Education science"), "Sciences de l'éducation"),
    ("0112", N_("Training for pre-school teachers"), "Formation des enseignants du préscolaire"),
    (
        "0113",
        N_("Teacher training without subject specialisation"),
        "Formation des enseignants sans spécialisation disciplinaire",
    ),
    (
        "0114",
        N_("Teacher training with subject specialisation"),
        "Formation des enseignants avec spécialisation disciplinaire",
    ),
    ("0119", N_("Education not elsewhere classified"), "Éducation non classée ailleurs"),
    (
        "018",
        N_("Inter-disciplinary programmes and qualifications involving education"),
        "Programmes et certifications interdisciplinaires en éducation",
    ),
    (
        "0188",
        N_("Inter-disciplinary programmes and qualifications involving education"),
        "Programmes et certifications interdisciplinaires en éducation",
    ),
    ("02", N_("Arts and humanities"), "Arts et lettres"),
    ("021", N_("Arts"), "Arts"),
    ("0211", N_("Audio-visual techniques and media production"), "Techniques audiovisuelles et production médiatique"),
    ("0212", N_("Fashion, interior and industrial design"), "Design de mode, d'intérieur et industriel"),
    ("0213", N_("Fine arts"), "Beaux-arts"),
    ("0214", N_("Handicrafts"), "Artisanat"),
    ("0215", N_("Music and performing arts"), "Musique et arts du spectacle"),
    ("0219", N_("Arts not elsewhere classified"), "Arts non classés ailleurs"),
    ("022", N_("Humanities (except languages)"), "Lettres (sauf langues)"),
    ("0221", N_("Religion and theology"), "Religion et théologie"),
    ("0222", N_("History and archaeology"), "Histoire et archéologie"),
    ("0223", N_("Philosophy and ethics"), "Philosophie et éthique"),
    (
        "0229",
        N_("Humanities (except languages) not elsewhere classified"),
        "Lettres (sauf langues) non classées ailleurs",
    ),
    ("023", N_("Languages"), "Langues"),
    ("0231", N_("Language acquisition"), "Acquisition des langues"),
    ("0232", N_("Literature and linguistics"), "Littérature et linguistique"),
    ("0239", N_("Languages not elsewhere classified"), "Langues non classées ailleurs"),
    (
        "028",
        N_("Inter-disciplinary programmes and qualifications involving arts and humanities"),
        "Programmes et certifications interdisciplinaires en arts et lettres",
    ),
    (
        "0288",
        N_("Inter-disciplinary programmes and qualifications involving arts and humanities"),
        "Programmes et certifications interdisciplinaires en arts et lettres",
    ),
    ("029", N_("Arts and humanities not elsewhere classified"), "Arts et lettres non classés ailleurs"),
    ("0299", N_("Arts and humanities not elsewhere classified"), "Arts et lettres non classés ailleurs"),
    ("03", N_("Social sciences, journalism and information"), "Sciences sociales, journalisme et information"),
    ("031", N_("Social and behavioural sciences"), "Sciences sociales et comportementales"),
    ("0311", N_("Economics"), "Économie"),
    ("0312", N_("Political sciences and civics"), "Sciences politiques et éducation civique"),
    ("0313", N_("Psychology"), "Psychologie"),
    ("0314", N_("Sociology and cultural studies"), "Sociologie et études culturelles"),
    (
        "0319",
        N_("Social and behavioural sciences not elsewhere classified"),
        "Sciences sociales et comportementales non classées ailleurs",
    ),
    ("032", N_("Journalism and information"), "Journalisme et information"),
    ("0321", N_("Journalism and reporting"), "Journalisme et reportage"),
    ("0322", N_("Library, information and archival studies"), "Bibliothéconomie, information et archivistique"),
    (
        "0329",
        N_("Journalism and information not elsewhere classified"),
        "Journalisme et information non classés ailleurs",
    ),
    (
        "038",
        N_("Inter-disciplinary programmes and qualifications involving social sciences, journalism and information"),
        "Programmes et certifications interdisciplinaires en sciences sociales, journalisme et information",
    ),
    (
        "0388",
        N_("Inter-disciplinary programmes and qualifications involving social sciences, journalism and information"),
        "Programmes et certifications interdisciplinaires en sciences sociales, journalisme et information",
    ),
    (
        "039",
        N_("Social sciences, journalism and information not elsewhere classified"),
        "Sciences sociales, journalisme et information non classés ailleurs",
    ),
    (
        "0399",
        N_("Social sciences, journalism and information not elsewhere classified"),
        "Sciences sociales, journalisme et information non classés ailleurs",
    ),
    ("04", N_("Business, administration and law"), "Commerce, administration et droit"),
    ("041", N_("Business and administration"), "Commerce et administration"),
    ("0411", N_("Accounting and taxation"), "Comptabilité et fiscalité"),
    ("0412", N_("Finance, banking and insurance"), "Finance, banque et assurance"),
    ("0413", N_("Management and administration"), "Gestion et administration"),
    ("0414", N_("Marketing and advertising"), "Marketing et publicité"),
    ("0415", N_("Secretarial and office work"), "Secrétariat et travail de bureau"),
    ("0416", N_("Wholesale and retail sales"), "Commerce de gros et de détail"),
    ("0417", N_("Work skills"), "Compétences professionnelles"),
    (
        "0419",
        N_("Business and administration not elsewhere classified"),
        "Commerce et administration non classés ailleurs",
    ),
    ("042", N_("Law"), "Droit"),
    ("0421", N_("Law"), "Droit"),
    (
        "048",
        N_("Inter-disciplinary programmes and qualifications involving business, administration and law"),
        "Programmes et certifications interdisciplinaires en commerce, administration et droit",
    ),
    (
        "0488",
        N_("Inter-disciplinary programmes and qualifications involving business, administration and law"),
        "Programmes et certifications interdisciplinaires en commerce, administration et droit",
    ),
    (
        "049",
        N_("Business, administration and law not elsewhere classified"),
        "Commerce, administration et droit non classés ailleurs",
    ),
    (
        "0499",
        N_("Business, administration and law not elsewhere classified"),
        "Commerce, administration et droit non classés ailleurs",
    ),
    ("05", N_("Natural sciences, mathematics and statistics"), "Sciences naturelles, mathématiques et statistiques"),
    ("051", N_("Biological and related sciences"), "Sciences biologiques et apparentées"),
    ("0511", N_("Biology"), "Biologie"),
    ("0512", N_("Biochemistry"), "Biochimie"),
    (
        "0519",
        N_("Biological and related sciences not elsewhere classified"),
        "Sciences biologiques et apparentées non classées ailleurs",
    ),
    ("052", N_("Environment"), "Environnement"),
    ("0521", N_("Environmental sciences"), "Sciences de l'environnement"),
    ("0522", N_("Natural environments and wildlife"), "Milieux naturels et faune sauvage"),
    ("0529", N_("Environment not elsewhere classified"), "Environnement non classé ailleurs"),
    ("053", N_("Physical sciences"), "Sciences physiques"),
    ("0531", N_("Chemistry"), "Chimie"),
    ("0532", N_("Earth sciences"), "Sciences de la Terre"),
    ("0533", N_("Physics"), "Physique"),
    ("0539", N_("Physical sciences not elsewhere classified"), "Sciences physiques non classées ailleurs"),
    ("054", N_("Mathematics and statistics"), "Mathématiques et statistiques"),
    ("0541", N_("Mathematics"), "Mathématiques"),
    ("0542", N_("Statistics"), "Statistiques"),
    (
        "058",
        N_("Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics"),
        "Programmes et certifications interdisciplinaires en sciences naturelles, mathématiques et statistiques",
    ),
    (
        "0588",
        N_("Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics"),
        "Programmes et certifications interdisciplinaires en sciences naturelles, mathématiques et statistiques",
    ),
    (
        "059",
        N_("Natural sciences, mathematics and statistics not elsewhere classified"),
        "Sciences naturelles, mathématiques et statistiques non classées ailleurs",
    ),
    (
        "0599",
        N_("Natural sciences, mathematics and statistics not elsewhere classified"),
        "Sciences naturelles, mathématiques et statistiques non classées ailleurs",
    ),
    (
        "06",
        N_("Information and Communication Technologies (ICTs)"),
        "Technologies de l'information et de la communication (TIC)",
    ),
    (
        "061",
        N_("Information and Communication Technologies (ICTs)"),
        "Technologies de l'information et de la communication (TIC)",
    ),
    ("0611", N_("Computer use"), "Utilisation des ordinateurs"),
    (
        "0612",
        N_("Database and network design and administration"),
        "Conception et administration de bases de données et de réseaux",
    ),
    (
        "0613",
        N_("Software and applications development and analysis"),
        "Conception et analyse de logiciels et d'applications",
    ),
    (
        "0619",
        N_("Information and Communication Technologies (ICTs) not elsewhere classified"),
        "Technologies de l'information et de la communication (TIC) non classées ailleurs",
    ),
    (
        "068",
        N_(
            "Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)"
        ),
        "Programmes et certifications interdisciplinaires en technologies de l'information et de la communication (TIC)",
    ),
    (
        "0688",
        N_(
            "Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)"
        ),
        "Programmes et certifications interdisciplinaires en technologies de l'information et de la communication (TIC)",
    ),
    (
        "07",
        N_("Engineering, manufacturing and construction"),
        "Ingénierie, industries de transformation et construction",
    ),
    ("071", N_("Engineering and engineering trades"), "Ingénierie et techniques apparentées"),
    ("0711", N_("Chemical engineering and processes"), "Génie chimique et procédés"),
    ("0712", N_("Environmental protection technology"), "Technologies de protection de l'environnement"),
    ("0713", N_("Electricity and energy"), "Électricité et énergie"),
    ("0714", N_("Electronics and automation"), "Électronique et automatisation"),
    ("0715", N_("Mechanics and metal trades"), "Mécanique et travail des métaux"),
    ("0716", N_("Motor vehicles, ships and aircraft"), "Véhicules à moteur, navires et aéronefs"),
    (
        "0719",
        N_("Engineering and engineering trades not elsewhere classified"),
        "Ingénierie et techniques apparentées non classées ailleurs",
    ),
    ("072", N_("Manufacturing and processing"), "Industries de transformation et de traitement"),
    ("0721", N_("Food processing"), "Industrie alimentaire"),
    ("0722", N_("Materials (glass, paper, plastic and wood)"), "Matériaux (verre, papier, plastique et bois)"),
    ("0723", N_("Textiles (clothes, footwear and leather)"), "Textiles (vêtements, chaussures et cuir)"),
    ("0724", N_("Mining and extraction"), "Mines et extraction"),
    (
        "0729",
        N_("Manufacturing and processing not elsewhere classified"),
        "Industries de transformation et de traitement non classées ailleurs",
    ),
    ("073", N_("Architecture and construction"), "Architecture et construction"),
    ("0731", N_("Architecture and town planning"), "Architecture et urbanisme"),
    ("0732", N_("Building and civil engineering"), "Bâtiment et génie civil"),
    (
        "078",
        N_("Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction"),
        "Programmes et certifications interdisciplinaires en ingénierie, industries de transformation et construction",
    ),
    (
        "0788",
        N_("Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction"),
        "Programmes et certifications interdisciplinaires en ingénierie, industries de transformation et construction",
    ),
    (
        "079",
        N_("Engineering, manufacturing and construction not elsewhere classified"),
        "Ingénierie, industries de transformation et construction non classées ailleurs",
    ),
    (
        "0799",
        N_("Engineering, manufacturing and construction not elsewhere classified"),
        "Ingénierie, industries de transformation et construction non classées ailleurs",
    ),
    (
        "08",
        N_("Agriculture, forestry, fisheries and veterinary"),
        "Agriculture, sylviculture, halieutique et sciences vétérinaires",
    ),
    ("081", N_("Agriculture"), "Agriculture"),
    ("0811", N_("Crop and livestock production"), "Production agricole et élevage"),
    ("0812", N_("Horticulture"), "Horticulture"),
    ("0819", N_("Agriculture not elsewhere classified"), "Agriculture non classée ailleurs"),
    ("082", N_("Forestry"), "Sylviculture"),
    ("0821", N_("Forestry"), "Sylviculture"),
    ("083", N_("Fisheries"), "Halieutique"),
    ("0831", N_("Fisheries"), "Halieutique"),
    ("084", N_("Veterinary"), "Sciences vétérinaires"),
    ("0841", N_("Veterinary"), "Sciences vétérinaires"),
    (
        "088",
        N_(
            "Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary"
        ),
        "Programmes et certifications interdisciplinaires en agriculture, sylviculture, halieutique et sciences vétérinaires",
    ),
    (
        "0888",
        N_(
            "Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary"
        ),
        "Programmes et certifications interdisciplinaires en agriculture, sylviculture, halieutique et sciences vétérinaires",
    ),
    (
        "089",
        N_("Agriculture, forestry, fisheries and veterinary not elsewhere classified"),
        "Agriculture, sylviculture, halieutique et sciences vétérinaires non classées ailleurs",
    ),
    (
        "0899",
        N_("Agriculture, forestry, fisheries and veterinary not elsewhere classified"),
        "Agriculture, sylviculture, halieutique et sciences vétérinaires non classées ailleurs",
    ),
    ("09", N_("Health and welfare"), "Santé et protection sociale"),
    ("091", N_("Health"), "Santé"),
    ("0911", N_("Dental studies"), "Études dentaires"),
    ("0912", N_("Medicine"), "Médecine"),
    ("0913", N_("Nursing and midwifery"), "Soins infirmiers et obstétrique"),
    ("0914", N_("Medical diagnostic and treatment technology"), "Technologies de diagnostic et de traitement médicaux"),
    ("0915", N_("Therapy and rehabilitation"), "Thérapie et réadaptation"),
    ("0916", N_("Pharmacy"), "Pharmacie"),
    (
        "0917",
        N_("Traditional and complementary medicine and therapy"),
        "Médecines et thérapies traditionnelles et complémentaires",
    ),
    ("0919", N_("Health not elsewhere classified"), "Santé non classée ailleurs"),
    ("092", N_("Welfare"), "Protection sociale"),
    ("0921", N_("Care of the elderly and of disabled adults"), "Soins aux personnes âgées et aux adultes handicapés"),
    ("0922", N_("Child care and youth services"), "Garde d'enfants et services à la jeunesse"),
    ("0923", N_("Social work and counselling"), "Travail social et orientation"),
    ("0929", N_("Welfare not elsewhere classified"), "Protection sociale non classée ailleurs"),
    (
        "098",
        N_("Inter-disciplinary programmes and qualifications involving health and welfare"),
        "Programmes et certifications interdisciplinaires en santé et protection sociale",
    ),
    (
        "0988",
        N_("Inter-disciplinary programmes and qualifications involving health and welfare"),
        "Programmes et certifications interdisciplinaires en santé et protection sociale",
    ),
    ("099", N_("Health and welfare not elsewhere classified"), "Santé et protection sociale non classées ailleurs"),
    ("0999", N_("Health and welfare not elsewhere classified"), "Santé et protection sociale non classées ailleurs"),
    ("10", N_("Services"), "Services"),
    ("101", N_("Personal services"), "Services aux particuliers"),
    ("1011", N_("Domestic services"), "Services domestiques"),
    ("1012", N_("Hair and beauty services"), "Coiffure et soins de beauté"),
    ("1013", N_("Hotel, restaurants and catering"), "Hôtellerie, restauration et traiteur"),
    ("1014", N_("Sports"), "Sports"),
    ("1015", N_("Travel, tourism and leisure"), "Voyages, tourisme et loisirs"),
    ("1019", N_("Personal services not elsewhere classified"), "Services aux particuliers non classés ailleurs"),
    ("102", N_("Hygiene and occupational health services"), "Hygiène et services de santé au travail"),
    ("1021", N_("Community sanitation"), "Assainissement collectif"),
    ("1022", N_("Occupational health and safety"), "Santé et sécurité au travail"),
    (
        "1029",
        N_("Hygiene and occupational health services not elsewhere classified"),
        "Hygiène et services de santé au travail non classés ailleurs",
    ),
    ("103", N_("Security services"), "Services de sécurité"),
    ("1031", N_("Military and defence"), "Armée et défense"),
    ("1032", N_("Protection of persons and property"), "Protection des personnes et des biens"),
    ("1039", N_("Security services not elsewhere classified"), "Services de sécurité non classés ailleurs"),
    ("104", N_("Transport services"), "Services de transport"),
    ("1041", N_("Transport services"), "Services de transport"),
    (
        "108",
        N_("Inter-disciplinary programmes and qualifications involving services"),
        "Programmes et certifications interdisciplinaires en services",
    ),
    (
        "1088",
        N_("Inter-disciplinary programmes and qualifications involving services"),
        "Programmes et certifications interdisciplinaires en services",
    ),
    ("109", N_("Services not elsewhere classified"), "Services non classés ailleurs"),
    ("1099", N_("Services not elsewhere classified"), "Services non classés ailleurs"),
    ("99", N_("Field unknown"), "Domaine inconnu"),
    ("999", N_("Field unknown"), "Domaine inconnu"),
    ("9999", N_("Field unknown"), "Domaine inconnu"),
)

# Everyday words that users type for a field, folded, mapped to a detailed code.
_ALIASES = {
    "chimie organique": "0531",
    "informatique": "0613",
    "computer science": "0613",
    "genie civil": "0732",
    "civil engineering": "0732",
    "agronomie": "0811",
    "agronomy": "0811",
    "gestion": "0413",
    "management": "0413",
    "maths": "0541",
    "math": "0541",
    "sciences de gestion": "0413",
    "medecine veterinaire": "0841",
    "pharmacologie": "0916",
    "droit public": "0421",
    "geologie": "0532",
    "geology": "0532",
    "enzymologie": "0512",
    "parasitologie": "0511",
}


@dataclass(frozen=True, slots=True)
class Discipline:
    code: str
    name_en: str  # a message id
    name_fr: str  # accepted as input

    @property
    def level(self) -> str:
        """broad, narrow or detailed (a code, as `ref disciplines --level` takes it)."""
        return {2: "broad", 3: "narrow", 4: "detailed"}[len(self.code)]

    def name(self) -> str:
        """The field's name in the interface language."""
        return _(self.name_en)


ALL: tuple[Discipline, ...] = tuple(Discipline(*row) for row in _TABLE)
BY_CODE: dict[str, Discipline] = {d.code: d for d in ALL}
DETAILED: tuple[Discipline, ...] = tuple(d for d in ALL if len(d.code) == 4)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Folded names (French and English) of detailed fields -> code.

    A detailed field that shares its name with its narrow field ("Law", "Droit") wins
    over it, since a consultant's discipline is always a detailed field.
    """
    names: dict[str, str] = {}
    for d in DETAILED:
        names.setdefault(fold(d.name_en), d.code)
        names.setdefault(fold(d.name_fr), d.code)
    for alias, code in _ALIASES.items():
        names.setdefault(alias, code)
    return names


def resolve(value) -> str:
    """The detailed ISCED-F code for a code or a French/English name; FieldError if none."""
    return _resolve(as_text(value))


@lru_cache(maxsize=4096)
def _resolve(value: str) -> str:
    text = value.strip()
    if text.isdigit():
        if len(text) == 3 and text.zfill(4) in BY_CODE:
            text = text.zfill(4)  # spreadsheets drop the leading zero of 0531
        if len(text) == 4 and text in BY_CODE:
            return text
        if text in BY_CODE:
            field = BY_CODE[text]
            message = {
                "broad": _(
                    "{code} is a broad ISCED-F field ({name}); give a detailed field (four digits), "
                    "see `maliext ref disciplines --search {code}`"
                ),
                "narrow": _(
                    "{code} is a narrow ISCED-F field ({name}); give a detailed field (four digits), "
                    "see `maliext ref disciplines --search {code}`"
                ),
            }[field.level]
            raise FieldError(message.format(code=text, name=field.name()))
        raise FieldError(_("{value!r} is not an ISCED-F 2013 code").format(value=text))
    code = _by_name().get(fold(text))
    if code:
        return code
    labels = {key: f"{code} {BY_CODE[code].name()}" for key, code in _by_name().items()}
    close = suggest(text, labels)
    if close:
        # Translators: between two suggestions: did you mean 'a' or 'b'?
        alternatives = _(" or ").join(repr(c) for c in close)
        raise FieldError(
            _("unknown discipline {value!r}; did you mean {suggestions}?").format(value=text, suggestions=alternatives)
        )
    raise FieldError(_("unknown discipline {value!r}").format(value=text))


# What a consultant's or a need's discipline is: a detailed field.
DETAILED_FIELDS = Codes(N_("ISCED-F detailed field"), frozenset(d.code for d in DETAILED), resolve)


def prefix_for_filter(value: str) -> str:
    """A code prefix for list filters: a broad, narrow or detailed code, or a name."""
    text = value.strip()
    if text.isdigit() and text in BY_CODE:
        return text
    for d in ALL:
        if fold(d.name_fr) == fold(text) or fold(d.name_en) == fold(text):
            return d.code
    return resolve(text)
