"""Co-development projects: village investments that an association of the diaspora
funds with its members' savings and public co-funding (wells, health centres, schools,
rice growing...)."""

from __future__ import annotations

from typing import Any

from maliext_cli.errors import FieldError
from maliext_cli.i18n import N_, _
from maliext_cli.reference import iso, vocab
from maliext_cli.services import associations, crud, funding, money, parse
from maliext_cli.services.records import Entity, Field, money_out
from maliext_cli.store import Store
from maliext_cli.text import fold


def _year(raw) -> int:
    return parse.year(raw, 1960, 2100)


def _amount_field(name: str, headers: tuple[str, ...], help: str) -> Field:
    return Field(name, parse.money, money=True, default=0, headers=headers, help=help)


ENTITY = Entity(
    table="project",
    label=N_("project"),
    named_by=(("title",),),
    fields=(
        Field(
            "association",
            ref="association",
            required=True,
            headers=("association porteuse", "porteur", "porteur du projet"),
            labels=(("association_name", "name"), ("association_acronym", "acronym")),
            help="The association that carries it: id, uid or acronym.",
        ),
        Field(
            "title",
            required=True,
            headers=("titre", "intitule", "projet", "nom du projet", "objet"),
            help="What is built or done, e.g. Forage et château d'eau.",
        ),
        Field(
            "sector",
            vocabulary=vocab.PROJECT_SECTOR,
            headers=("secteur", "domaine"),
            help="water, health, education, agriculture, energy, infrastructure, income or other.",
        ),
        Field(
            "locality",
            headers=("localite", "village", "commune", "lieu"),
            help="Village, commune or cercle in Mali.",
        ),
        Field(
            "region",
            vocabulary=vocab.REGION,
            headers=("region",),
            help="Region of Mali (see `maliext ref regions`).",
        ),
        Field("year", _year, headers=("annee", "annee de debut", "exercice"), help="Year, e.g. 2005."),
        _amount_field(
            "diaspora_contribution",
            (
                "contribution de la diaspora",
                "contribution diaspora",
                "apport de la diaspora",
                "apport des migrants",
                "epargne des migrants",
            ),
            "The diaspora's contribution, in the project's currency (e.g. 12 000 or 1500,50).",
        ),
        _amount_field(
            "subsidy",
            ("subvention", "subvention publique", "cofinancement public", "cofinancement"),
            "The public subsidy, in the project's currency.",
        ),
        _amount_field(
            "other_funding",
            ("autres financements", "autre financement", "autres apports", "apport local"),
            "Other funding (commune, villagers, NGOs), in the project's currency.",
        ),
        Field(
            "currency",
            vocabulary=vocab.CURRENCY,
            default="XOF",
            headers=("devise", "monnaie"),
            help="XOF (default) or EUR; 1 EUR = 655.957 XOF.",
        ),
        Field(
            "subsidy_funder",
            headers=("bailleur", "bailleur de fonds", "financeur", "bailleur de la subvention", "funder"),
            help="Who grants the subsidy, e.g. FSP Codéveloppement Mali.",
        ),
        Field(
            "status",
            vocabulary=vocab.PROJECT_STATUS,
            default="proposed",
            headers=("statut", "etat"),
            help="proposed (default), approved, in-progress, completed or abandoned.",
        ),
        Field("notes", parse.text, headers=("remarques", "observations", "commentaires"), help="Free notes."),
    ),
)

MONEY = ("diaspora_contribution", "subsidy", "other_funding")


def _years(values: list[str]) -> tuple[str, list]:
    """`2005` or a range `2003-2007`; several values: any of them."""
    clauses: list[str] = []
    params: list = []
    for value in values:
        text = str(value).strip()
        first, _dash, last = text.partition("-") if "-" in text[1:] else (text, "", text)
        try:
            lo, hi = _year(first), _year(last)
        except FieldError:
            raise FieldError(
                _("expected a year or a range of years (2003-2007), got {value!r}").format(value=text[:20])
            ) from None
        if hi < lo:
            raise FieldError(_("the range {range} ends before it starts").format(range=text))
        clauses.append("t.year BETWEEN ? AND ?")
        params += [lo, hi]
    return "(" + " OR ".join(clauses) + ")", params


def _funder(values: list[str]) -> tuple[str, list]:
    """The funder's name contains one of the values (accents and case ignored)."""
    return "(" + " OR ".join("fold(t.subsidy_funder) LIKE ?" for _value in values) + ")", [
        f"%{fold(v)}%" for v in values
    ]


class Projects(crud.Noun):
    entity = ENTITY
    select = """
        SELECT t.*, a.name AS association_name, a.acronym AS association_acronym,
               t.diaspora_contribution + t.subsidy + t.other_funding AS total
        FROM project t JOIN association a ON a.id = t.association_id"""
    extras = ("association_name", "association_acronym", "total")
    computed = extras
    brief = ("id", "association_acronym", "title", "year", "total", "currency", "status")
    search = (
        "t.title || ' ' || coalesce(t.locality, '') || ' ' || coalesce(t.subsidy_funder, '') || ' ' || a.name "
        "|| ' ' || coalesce(a.acronym, '')"
    )
    # Amounts sort by their value in one unit, whatever their currency.
    sort_aliases = {
        "title": ("fold(t.title)",),
        "total": (money.common_sql("t.diaspora_contribution + t.subsidy + t.other_funding", "t.currency"),),
        **{column: (money.common_sql(f"t.{column}", "t.currency"),) for column in MONEY},
    }
    filters = (
        crud.Filter(
            "association",
            "Projects of this association (id, uid or acronym).",
            crud.any_of("t.association_id"),
            metavar="REF",
            ref="association",
        ),
        crud.Filter(
            "under",
            "Projects of this association and of every association below it.",
            associations.under("t.association_id"),
            metavar="REF",
            ref="association",
        ),
        crud.Filter("country", "The association's country of residence.", crud.any_of("a.country", iso.country)),
        crud.Filter(
            "sector", "water, health, education, agriculture...", crud.any_of("t.sector", vocab.PROJECT_SECTOR.resolve)
        ),
        crud.Filter("region", "Region of Mali.", crud.any_of("t.region", vocab.REGION.resolve)),
        crud.Filter("year", "A year, or a range such as 2003-2007.", _years, metavar="YEAR"),
        crud.Filter(
            "status",
            "proposed, approved, in-progress, completed or abandoned.",
            crud.any_of("t.status", vocab.PROJECT_STATUS.resolve),
        ),
        crud.Filter("funder", "The subsidy's funder contains this text (accents and case ignored).", _funder),
    )

    def present(self, row: dict) -> dict:
        record = super().present(row)
        record["total"] = money_out(row.get("total"))
        return record

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        warnings = []
        if current is None or values["association_id"] != current["association_id"]:
            status = store.value("SELECT status FROM association WHERE id = ?", (values["association_id"],))
            if status == "dissolved":
                warnings.append(_("association {id} is dissolved").format(id=values["association_id"]))
        return warnings


NOUN = Projects()

# --------------------------------------------------------------------- report
# key: (SQL for the value shown, SQL to group by)
REPORT_KEYS = {
    "sector": ("t.sector", "t.sector"),
    "region": ("t.region", "t.region"),
    "year": ("t.year", "t.year"),
    "status": ("t.status", "t.status"),
    "funder": ("min(t.subsidy_funder)", "fold(t.subsidy_funder)"),
    "currency": ("t.currency", "t.currency"),
    "country": ("a.country", "a.country"),
    "association": ("coalesce(min(a.acronym), min(a.name))", "t.association_id"),
}
PROJECT_FIGURES = ["projects", "associations", *funding.MONEY_FIGURES]


def report(
    store: Store, by: list[str] | None, given: dict | None = None, *, search: str | None = None
) -> tuple[list[str], list[dict], dict]:
    """Projects grouped by `by`: (columns, rows, totals), money summed exactly in SQL."""
    keys = crud.group_keys(by, REPORT_KEYS, "sector")
    where, params = NOUN.where(store, given, search)
    figures = "count(*) AS projects, count(DISTINCT t.association_id) AS associations, " + ", ".join(
        f"coalesce(sum({money.common_sql('t.' + column, 't.currency')}), 0) AS {column}" for column in MONEY
    )
    select = ", ".join(f"{REPORT_KEYS[k][0]} AS {k}" for k in keys)
    group = ", ".join(REPORT_KEYS[k][1] for k in keys)
    source = " FROM project t JOIN association a ON a.id = t.association_id"
    order = ", ".join(keys)
    rows = store.rows(f"SELECT {select}, {figures}{source}{where} GROUP BY {group} ORDER BY {order}", params)
    total = store.row(f"SELECT {figures}{source}{where}", params)
    totals = _figures(total, [])
    # Translators: the label of a report's total row (table formats only).
    totals[keys[0]] = _("total")
    return [*keys, *PROJECT_FIGURES], [_figures(r, keys) for r in rows], totals


def _figures(r: dict, keys: list[str]) -> dict[str, Any]:
    return {
        **{k: r[k] for k in keys},
        "projects": r["projects"],
        "associations": r["associations"],
        **funding.money_figures(r["diaspora_contribution"], r["subsidy"], r["other_funding"]),
    }
