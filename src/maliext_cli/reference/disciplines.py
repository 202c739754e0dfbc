"""ISCED-F 2013 fields of education and training (UNESCO), in English and French.

Two digits: broad field; three: narrow field; four: detailed field. A consultant's or a
need's discipline is a detailed field. Names were written here from the classification;
"n.e.c." fields (…9) and inter-disciplinary fields (…88) follow its numbering rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from maliext_cli.errors import FieldError
from maliext_cli.reference.vocab import Codes
from maliext_cli.text import as_text, fold, suggest

# code | English | French
_TABLE = """\
00|Generic programmes and qualifications|Programmes et certifications génériques
001|Basic programmes and qualifications|Programmes et certifications de base
0011|Basic programmes and qualifications|Programmes et certifications de base
002|Literacy and numeracy|Alphabétisation et apprentissage du calcul
0021|Literacy and numeracy|Alphabétisation et apprentissage du calcul
003|Personal skills and development|Compétences personnelles et développement
0031|Personal skills and development|Compétences personnelles et développement
01|Education|Éducation
011|Education|Éducation
0111|Education science|Sciences de l'éducation
0112|Training for pre-school teachers|Formation des enseignants du préscolaire
0113|Teacher training without subject specialisation|Formation des enseignants sans spécialisation disciplinaire
0114|Teacher training with subject specialisation|Formation des enseignants avec spécialisation disciplinaire
0119|Education not elsewhere classified|Éducation non classée ailleurs
018|Inter-disciplinary programmes and qualifications involving education|Programmes et certifications interdisciplinaires en éducation
0188|Inter-disciplinary programmes and qualifications involving education|Programmes et certifications interdisciplinaires en éducation
02|Arts and humanities|Arts et lettres
021|Arts|Arts
0211|Audio-visual techniques and media production|Techniques audiovisuelles et production médiatique
0212|Fashion, interior and industrial design|Design de mode, d'intérieur et industriel
0213|Fine arts|Beaux-arts
0214|Handicrafts|Artisanat
0215|Music and performing arts|Musique et arts du spectacle
0219|Arts not elsewhere classified|Arts non classés ailleurs
022|Humanities (except languages)|Lettres (sauf langues)
0221|Religion and theology|Religion et théologie
0222|History and archaeology|Histoire et archéologie
0223|Philosophy and ethics|Philosophie et éthique
0229|Humanities (except languages) not elsewhere classified|Lettres (sauf langues) non classées ailleurs
023|Languages|Langues
0231|Language acquisition|Acquisition des langues
0232|Literature and linguistics|Littérature et linguistique
0239|Languages not elsewhere classified|Langues non classées ailleurs
028|Inter-disciplinary programmes and qualifications involving arts and humanities|Programmes et certifications interdisciplinaires en arts et lettres
0288|Inter-disciplinary programmes and qualifications involving arts and humanities|Programmes et certifications interdisciplinaires en arts et lettres
029|Arts and humanities not elsewhere classified|Arts et lettres non classés ailleurs
0299|Arts and humanities not elsewhere classified|Arts et lettres non classés ailleurs
03|Social sciences, journalism and information|Sciences sociales, journalisme et information
031|Social and behavioural sciences|Sciences sociales et comportementales
0311|Economics|Économie
0312|Political sciences and civics|Sciences politiques et éducation civique
0313|Psychology|Psychologie
0314|Sociology and cultural studies|Sociologie et études culturelles
0319|Social and behavioural sciences not elsewhere classified|Sciences sociales et comportementales non classées ailleurs
032|Journalism and information|Journalisme et information
0321|Journalism and reporting|Journalisme et reportage
0322|Library, information and archival studies|Bibliothéconomie, information et archivistique
0329|Journalism and information not elsewhere classified|Journalisme et information non classés ailleurs
038|Inter-disciplinary programmes and qualifications involving social sciences, journalism and information|Programmes et certifications interdisciplinaires en sciences sociales, journalisme et information
0388|Inter-disciplinary programmes and qualifications involving social sciences, journalism and information|Programmes et certifications interdisciplinaires en sciences sociales, journalisme et information
039|Social sciences, journalism and information not elsewhere classified|Sciences sociales, journalisme et information non classés ailleurs
0399|Social sciences, journalism and information not elsewhere classified|Sciences sociales, journalisme et information non classés ailleurs
04|Business, administration and law|Commerce, administration et droit
041|Business and administration|Commerce et administration
0411|Accounting and taxation|Comptabilité et fiscalité
0412|Finance, banking and insurance|Finance, banque et assurance
0413|Management and administration|Gestion et administration
0414|Marketing and advertising|Marketing et publicité
0415|Secretarial and office work|Secrétariat et travail de bureau
0416|Wholesale and retail sales|Commerce de gros et de détail
0417|Work skills|Compétences professionnelles
0419|Business and administration not elsewhere classified|Commerce et administration non classés ailleurs
042|Law|Droit
0421|Law|Droit
048|Inter-disciplinary programmes and qualifications involving business, administration and law|Programmes et certifications interdisciplinaires en commerce, administration et droit
0488|Inter-disciplinary programmes and qualifications involving business, administration and law|Programmes et certifications interdisciplinaires en commerce, administration et droit
049|Business, administration and law not elsewhere classified|Commerce, administration et droit non classés ailleurs
0499|Business, administration and law not elsewhere classified|Commerce, administration et droit non classés ailleurs
05|Natural sciences, mathematics and statistics|Sciences naturelles, mathématiques et statistiques
051|Biological and related sciences|Sciences biologiques et apparentées
0511|Biology|Biologie
0512|Biochemistry|Biochimie
0519|Biological and related sciences not elsewhere classified|Sciences biologiques et apparentées non classées ailleurs
052|Environment|Environnement
0521|Environmental sciences|Sciences de l'environnement
0522|Natural environments and wildlife|Milieux naturels et faune sauvage
0529|Environment not elsewhere classified|Environnement non classé ailleurs
053|Physical sciences|Sciences physiques
0531|Chemistry|Chimie
0532|Earth sciences|Sciences de la Terre
0533|Physics|Physique
0539|Physical sciences not elsewhere classified|Sciences physiques non classées ailleurs
054|Mathematics and statistics|Mathématiques et statistiques
0541|Mathematics|Mathématiques
0542|Statistics|Statistiques
058|Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics|Programmes et certifications interdisciplinaires en sciences naturelles, mathématiques et statistiques
0588|Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics|Programmes et certifications interdisciplinaires en sciences naturelles, mathématiques et statistiques
059|Natural sciences, mathematics and statistics not elsewhere classified|Sciences naturelles, mathématiques et statistiques non classées ailleurs
0599|Natural sciences, mathematics and statistics not elsewhere classified|Sciences naturelles, mathématiques et statistiques non classées ailleurs
06|Information and Communication Technologies (ICTs)|Technologies de l'information et de la communication (TIC)
061|Information and Communication Technologies (ICTs)|Technologies de l'information et de la communication (TIC)
0611|Computer use|Utilisation des ordinateurs
0612|Database and network design and administration|Conception et administration de bases de données et de réseaux
0613|Software and applications development and analysis|Conception et analyse de logiciels et d'applications
0619|Information and Communication Technologies (ICTs) not elsewhere classified|Technologies de l'information et de la communication (TIC) non classées ailleurs
068|Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)|Programmes et certifications interdisciplinaires en technologies de l'information et de la communication (TIC)
0688|Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)|Programmes et certifications interdisciplinaires en technologies de l'information et de la communication (TIC)
07|Engineering, manufacturing and construction|Ingénierie, industries de transformation et construction
071|Engineering and engineering trades|Ingénierie et techniques apparentées
0711|Chemical engineering and processes|Génie chimique et procédés
0712|Environmental protection technology|Technologies de protection de l'environnement
0713|Electricity and energy|Électricité et énergie
0714|Electronics and automation|Électronique et automatisation
0715|Mechanics and metal trades|Mécanique et travail des métaux
0716|Motor vehicles, ships and aircraft|Véhicules à moteur, navires et aéronefs
0719|Engineering and engineering trades not elsewhere classified|Ingénierie et techniques apparentées non classées ailleurs
072|Manufacturing and processing|Industries de transformation et de traitement
0721|Food processing|Industrie alimentaire
0722|Materials (glass, paper, plastic and wood)|Matériaux (verre, papier, plastique et bois)
0723|Textiles (clothes, footwear and leather)|Textiles (vêtements, chaussures et cuir)
0724|Mining and extraction|Mines et extraction
0729|Manufacturing and processing not elsewhere classified|Industries de transformation et de traitement non classées ailleurs
073|Architecture and construction|Architecture et construction
0731|Architecture and town planning|Architecture et urbanisme
0732|Building and civil engineering|Bâtiment et génie civil
078|Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction|Programmes et certifications interdisciplinaires en ingénierie, industries de transformation et construction
0788|Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction|Programmes et certifications interdisciplinaires en ingénierie, industries de transformation et construction
079|Engineering, manufacturing and construction not elsewhere classified|Ingénierie, industries de transformation et construction non classées ailleurs
0799|Engineering, manufacturing and construction not elsewhere classified|Ingénierie, industries de transformation et construction non classées ailleurs
08|Agriculture, forestry, fisheries and veterinary|Agriculture, sylviculture, halieutique et sciences vétérinaires
081|Agriculture|Agriculture
0811|Crop and livestock production|Production agricole et élevage
0812|Horticulture|Horticulture
0819|Agriculture not elsewhere classified|Agriculture non classée ailleurs
082|Forestry|Sylviculture
0821|Forestry|Sylviculture
083|Fisheries|Halieutique
0831|Fisheries|Halieutique
084|Veterinary|Sciences vétérinaires
0841|Veterinary|Sciences vétérinaires
088|Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary|Programmes et certifications interdisciplinaires en agriculture, sylviculture, halieutique et sciences vétérinaires
0888|Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary|Programmes et certifications interdisciplinaires en agriculture, sylviculture, halieutique et sciences vétérinaires
089|Agriculture, forestry, fisheries and veterinary not elsewhere classified|Agriculture, sylviculture, halieutique et sciences vétérinaires non classées ailleurs
0899|Agriculture, forestry, fisheries and veterinary not elsewhere classified|Agriculture, sylviculture, halieutique et sciences vétérinaires non classées ailleurs
09|Health and welfare|Santé et protection sociale
091|Health|Santé
0911|Dental studies|Études dentaires
0912|Medicine|Médecine
0913|Nursing and midwifery|Soins infirmiers et obstétrique
0914|Medical diagnostic and treatment technology|Technologies de diagnostic et de traitement médicaux
0915|Therapy and rehabilitation|Thérapie et réadaptation
0916|Pharmacy|Pharmacie
0917|Traditional and complementary medicine and therapy|Médecines et thérapies traditionnelles et complémentaires
0919|Health not elsewhere classified|Santé non classée ailleurs
092|Welfare|Protection sociale
0921|Care of the elderly and of disabled adults|Soins aux personnes âgées et aux adultes handicapés
0922|Child care and youth services|Garde d'enfants et services à la jeunesse
0923|Social work and counselling|Travail social et orientation
0929|Welfare not elsewhere classified|Protection sociale non classée ailleurs
098|Inter-disciplinary programmes and qualifications involving health and welfare|Programmes et certifications interdisciplinaires en santé et protection sociale
0988|Inter-disciplinary programmes and qualifications involving health and welfare|Programmes et certifications interdisciplinaires en santé et protection sociale
099|Health and welfare not elsewhere classified|Santé et protection sociale non classées ailleurs
0999|Health and welfare not elsewhere classified|Santé et protection sociale non classées ailleurs
10|Services|Services
101|Personal services|Services aux particuliers
1011|Domestic services|Services domestiques
1012|Hair and beauty services|Coiffure et soins de beauté
1013|Hotel, restaurants and catering|Hôtellerie, restauration et traiteur
1014|Sports|Sports
1015|Travel, tourism and leisure|Voyages, tourisme et loisirs
1019|Personal services not elsewhere classified|Services aux particuliers non classés ailleurs
102|Hygiene and occupational health services|Hygiène et services de santé au travail
1021|Community sanitation|Assainissement collectif
1022|Occupational health and safety|Santé et sécurité au travail
1029|Hygiene and occupational health services not elsewhere classified|Hygiène et services de santé au travail non classés ailleurs
103|Security services|Services de sécurité
1031|Military and defence|Armée et défense
1032|Protection of persons and property|Protection des personnes et des biens
1039|Security services not elsewhere classified|Services de sécurité non classés ailleurs
104|Transport services|Services de transport
1041|Transport services|Services de transport
108|Inter-disciplinary programmes and qualifications involving services|Programmes et certifications interdisciplinaires en services
1088|Inter-disciplinary programmes and qualifications involving services|Programmes et certifications interdisciplinaires en services
109|Services not elsewhere classified|Services non classés ailleurs
1099|Services not elsewhere classified|Services non classés ailleurs
99|Field unknown|Domaine inconnu
999|Field unknown|Domaine inconnu
9999|Field unknown|Domaine inconnu
"""

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
    name_en: str
    name_fr: str

    @property
    def level(self) -> str:
        return {2: "broad", 3: "narrow", 4: "detailed"}[len(self.code)]

    def name(self, lang: str = "fr") -> str:
        return self.name_fr if lang == "fr" else self.name_en


ALL: tuple[Discipline, ...] = tuple(Discipline(*line.split("|")) for line in _TABLE.splitlines() if line)
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
            raise FieldError(
                f"{text} is a {BY_CODE[text].level} ISCED-F field ({BY_CODE[text].name_fr}); "
                "give a detailed field (four digits), see `maliext ref disciplines --search "
                f"{text}`"
            )
        raise FieldError(f"{text!r} is not an ISCED-F 2013 code")
    code = _by_name().get(fold(text))
    if code:
        return code
    labels = {key: f"{code} {BY_CODE[code].name_fr}" for key, code in _by_name().items()}
    close = suggest(text, labels)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise FieldError(f"unknown discipline {text!r}{hint}")


# What a consultant's or a need's discipline is: a detailed field.
DETAILED_FIELDS = Codes("ISCED-F detailed field", frozenset(d.code for d in DETAILED), resolve)


def prefix_for_filter(value: str) -> str:
    """A code prefix for list filters: a broad, narrow or detailed code, or a name."""
    text = value.strip()
    if text.isdigit() and text in BY_CODE:
        return text
    for d in ALL:
        if fold(d.name_fr) == fold(text) or fold(d.name_en) == fold(text):
            return d.code
    return resolve(text)
