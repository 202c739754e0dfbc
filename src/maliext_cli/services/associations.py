"""The register of diaspora associations: grassroots associations, city federations,
national councils and the High Council of Malians Abroad (HCME), as one hierarchy.

Parent rules (DESIGN.md section 3): a base association sits under a city federation or
a national council, a city federation under a national council, a national council
under the High Council; the High Council has no parent. Only the High Council may be
the parent of an association in another country. A base association or a council
without a parent is allowed (not every association is federated). Levels strictly rise
from child to parent, so a hierarchy that keeps the rules has no cycle; cycles are
still looked for first, to say so plainly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from maliext_cli import clock
from maliext_cli.errors import Conflict, FieldError, Invalid
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.reference import iso, vocab
from maliext_cli.services import crud, parse, records
from maliext_cli.services.records import Entity, Field, LikelyDuplicate
from maliext_cli.store import Store
from maliext_cli.text import fold


def _acronym(raw) -> str:
    value = parse.line(raw)
    if len(value) > 40:
        raise parse.too_long(len(value), 40)
    if value.isdigit() or records.UID_RE.fullmatch(value):
        raise FieldError(_("{value!r} cannot be an acronym: it would read as an id or a uid").format(value=value))
    return value


def _members(raw) -> int:
    return parse.integer(raw, 0, 10_000_000)


def _founded(raw) -> int:
    return parse.year(raw, 1900, clock.today().year)


ENTITY = Entity(
    table="association",
    label=N_("association"),
    natural_key="acronym",
    find_hint=N_("Name an association by its id, its uid or its acronym."),
    likely_duplicate=LikelyDuplicate(("name", "city"), N_("same name and city")),
    named_by=(("acronym",), ("name",)),
    fields=(
        Field(
            "name",
            required=True,
            headers=("nom", "nom de l association", "denomination", "association"),
            help="Name, as registered (accents kept).",
        ),
        Field("acronym", _acronym, headers=("sigle", "acronyme"), help="Acronym (unique), e.g. CMF."),
        Field(
            "level",
            vocabulary=vocab.ASSOCIATION_LEVEL,
            required=True,
            headers=("niveau",),
            help="base, city (federation), national (council) or hcme (High Council).",
        ),
        Field(
            "parent",
            ref="association",
            headers=("association parente", "federation", "rattachement", "affiliation"),
            labels=(("parent_name", "name"), ("parent_acronym", "acronym")),
            help="The federation or council it belongs to: id, uid or acronym.",
        ),
        Field(
            "kind",
            vocabulary=vocab.ASSOCIATION_KIND,
            many=True,
            headers=("type", "types", "nature", "type d association", "objet", "kinds"),
            help="regional-affinity, tontine, local-development, repatriation, cultural, professional, "
            "student, women, religious, sport or other (repeat, or separate with ';').",
        ),
        Field(
            "country",
            vocabulary=iso.COUNTRIES,
            required=True,
            headers=("pays", "pays de residence", "residence", "country of residence"),
            help="Country of residence: ISO code or French/English name.",
        ),
        Field("city", headers=("ville", "ville de residence", "siege"), help="City of residence (seat)."),
        Field(
            "origin_region",
            vocabulary=vocab.REGION,
            headers=("region d origine", "region origine", "region"),
            help="Region of origin in Mali (see `maliext ref regions`).",
        ),
        Field(
            "origin_locality",
            headers=("localite d origine", "localite origine", "localite", "village", "village d origine"),
            help="Cercle, commune or village of origin in Mali, e.g. Yélimané.",
        ),
        Field(
            "members",
            _members,
            headers=("membres", "nombre de membres", "adherents", "effectif"),
            help="Number of members.",
        ),
        Field(
            "founded",
            _founded,
            headers=("fondee", "fondee en", "annee de creation", "creation", "creee en", "year founded"),
            help="Year founded, e.g. 1993.",
        ),
        Field(
            "contact_name",
            headers=("contact", "nom du contact", "responsable", "president", "presidente"),
            contact=True,
            help="Contact person.",
        ),
        Field(
            "contact_phone",
            parse.phone,
            headers=("telephone", "tel", "telephone du contact", "contact telephone"),
            contact=True,
            help="Contact phone number.",
        ),
        Field(
            "contact_email",
            parse.email,
            headers=("courriel", "e mail", "email", "courriel du contact", "contact courriel"),
            contact=True,
            help="Contact e-mail address.",
        ),
        Field(
            "status",
            vocabulary=vocab.ASSOCIATION_STATUS,
            default="active",
            headers=("statut", "etat"),
            help="active (default), dormant or dissolved.",
        ),
        Field("notes", parse.text, headers=("remarques", "observations", "commentaires"), help="Free notes."),
    ),
)

# ------------------------------------------------------------------- hierarchy
LEVEL_RANK = {"base": 1, "city": 2, "national": 3, "hcme": 4}
PARENT_LEVELS = {"base": ("city", "national"), "city": ("national",), "national": ("hcme",), "hcme": ()}
# Each level with its article, as the parent rules name it (translated where shown).
LEVEL_NAME = {
    "base": N_("a base association"),
    "city": N_("a city federation"),
    "national": N_("a national council"),
    "hcme": N_("the High Council (hcme)"),
}
# The parent rule of each level that has a parent, one sentence each.
PARENT_RULE = {
    "base": N_("a base association sits under a city federation or a national council"),
    "city": N_("a city federation sits under a national council"),
    "national": N_("a national council sits under the High Council (hcme)"),
}


def level_name(level: str) -> str:
    """A level as the parent rules name it ('a city federation'); an unknown code as it is."""
    return _(LEVEL_NAME[level]) if level in LEVEL_NAME else level


def describe(row: dict) -> str:
    """`association 3 (CMF)`, for messages."""
    # Translators: an association named in a message; French puts the article: "l'association 3 (CMF)".
    return _("association {id} ({name})").format(id=row["id"], name=row.get("acronym") or row["name"])


def link_problem(child: dict, parent: dict, name: Callable[[dict], str] = describe) -> str | None:
    """What is wrong with `parent` as the parent of `child` (rows with id, name,
    acronym, level, country); None if the link keeps the rules. The child may be new
    (no id). `name` says which association a row is, in the message."""
    who = name(child) if child.get("id") else _("the new association")
    allowed = PARENT_LEVELS.get(child["level"], ())
    if not allowed:
        return _("the High Council (hcme) has no parent: {who} cannot sit under {parent}").format(
            who=who, parent=name(parent)
        )
    if parent["level"] not in allowed:
        # Translators: {rule} is a whole parent rule ("a city federation sits under a national council");
        # {level} a level with its article ("a base association", "the High Council (hcme)").
        return _("{who} cannot sit under {parent}: {rule}, not under {level}").format(
            who=who, parent=name(parent), rule=_(PARENT_RULE[child["level"]]), level=level_name(parent["level"])
        )
    if parent["level"] != "hcme" and parent["country"] != child["country"]:
        return _(
            "{who} cannot sit under {parent}: one is in {country}, the other in {parent_country}; only the High "
            "Council (hcme) may be the parent of an association in another country"
        ).format(who=who, parent=name(parent), country=child["country"], parent_country=parent["country"])
    return None


def subtree_ids(store: Store, root: int) -> set[int]:
    """`root` and every association below it (UNION: safe even on a cycle)."""
    rows = store.conn.execute(
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT a.id FROM association a JOIN sub ON a.parent_id = sub.id) "
        "SELECT id FROM sub",
        (root,),
    )
    return {r[0] for r in rows}


_SUBTREE_SQL = (
    "t.id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM association WHERE id IN ({marks}) "
    "UNION SELECT a.id FROM association a JOIN sub ON a.parent_id = sub.id) SELECT id FROM sub)"
)


def under(column: str = "t.id") -> Callable[[list], tuple[str, list]]:
    """A filter: `column` is one of the associations in the subtrees of the given ids."""

    def where(ids: list) -> tuple[str, list]:
        sql = _SUBTREE_SQL.replace("t.id", column, 1).format(marks=", ".join("?" * len(ids)))
        return sql, list(ids)

    return where


def check_hierarchy(store: Store, values: dict, current: dict | None) -> None:
    """Refuse a new or changed association that breaks the parent rules, with its
    parent or (for an edit) with its children."""
    row = {**(current or {}), **values}
    parent_id = row.get("parent_id")
    if parent_id is not None:
        if current is not None and parent_id == current["id"]:
            raise Invalid(_("{association} cannot be its own parent").format(association=describe(current)))
        if current is not None and parent_id in subtree_ids(store, current["id"]):
            parent = store.row("SELECT * FROM association WHERE id = ?", (parent_id,))
            raise Invalid(
                _("{parent} is below {association}: making it the parent would close a cycle").format(
                    parent=describe(parent), association=describe(current)
                ),
                hint=_("Move that association elsewhere first, or choose another parent."),
            )
        parent = store.row("SELECT * FROM association WHERE id = ?", (parent_id,))
        problem = link_problem(row, parent)
        if problem:
            raise Invalid(problem)
    if current is None or (row["level"] == current["level"] and row["country"] == current["country"]):
        return
    children = store.rows(
        "SELECT id, name, acronym, level, country FROM association WHERE parent_id = ? ORDER BY id", (current["id"],)
    )
    problems = [p for p in (link_problem(child, row) for child in children) if p]
    if len(problems) == 1:
        raise Invalid(problems[0], hint=_("Move or change that association first."))
    if problems:
        raise Invalid(
            ngettext(
                "{n} association under {association} would break the parent rules",
                "{n} associations under {association} would break the parent rules",
                len(problems),
            ).format(n=len(problems), association=describe(current)),
            details=problems,
            hint=_("Move or change those associations first."),
        )


# --------------------------------------------------------------------- filters
def _kinds(values: list[str]) -> tuple[str, list]:
    codes = [vocab.ASSOCIATION_KIND.resolve(v) for v in values]
    return f"EXISTS (SELECT 1 FROM json_each(t.kind) WHERE value IN ({', '.join('?' * len(codes))}))", codes


def _folded_in(column: str) -> Callable[[list[str]], tuple[str, list]]:
    def where(values: list[str]) -> tuple[str, list]:
        folded = [fold(v) for v in values]
        return f"fold({column}) IN ({', '.join('?' * len(folded))})", folded

    return where


FILTERS = (
    crud.Filter("country", "Country of residence (code or name).", crud.any_of("t.country", iso.country)),
    crud.Filter(
        "level",
        "base, city, national or hcme.",
        crud.any_of("t.level", vocab.ASSOCIATION_LEVEL.resolve),
    ),
    crud.Filter("kind", "Has this kind, e.g. tontine (see `maliext ref association-kinds`).", _kinds),
    crud.Filter(
        "origin_region",
        "Region of origin in Mali.",
        crud.any_of("t.origin_region", vocab.REGION.resolve),
    ),
    crud.Filter("city", "City of residence (accents and case ignored).", _folded_in("t.city")),
    crud.Filter(
        "status",
        "active, dormant or dissolved.",
        crud.any_of("t.status", vocab.ASSOCIATION_STATUS.resolve),
    ),
    crud.Filter(
        "under",
        "This association and every association below it (id, uid or acronym).",
        under(),
        metavar="REF",
        ref="association",
    ),
)

SEARCH = (
    "t.name || ' ' || coalesce(t.acronym, '') || ' ' || coalesce(t.city, '') || ' ' || coalesce(t.origin_locality, '')"
)


# --------------------------------------------------------------------- the noun
class Associations(crud.Noun):
    entity = ENTITY
    select = """
        SELECT t.*, p.name AS parent_name, p.acronym AS parent_acronym
        FROM association t LEFT JOIN association p ON p.id = t.parent_id"""
    extras = ("parent_name", "parent_acronym")
    computed = extras
    filters = FILTERS
    search = SEARCH
    sections = ("children", "projects")
    brief = ("id", "acronym", "name", "level", "country", "city", "members")
    sort_aliases = {
        "name": ("fold(t.name)",),
        "level": (
            "CASE t.level " + " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in LEVEL_RANK.items()) + " END",
        ),
    }

    def check(self, store: Store, values: dict, current: dict | None) -> list[str]:
        check_hierarchy(store, values, current)
        return []

    def removing(self, store: Store, row: dict) -> None:
        children = crud.references(store, "association", "parent_id", row["id"])
        projects = crud.references(store, "project", "association_id", row["id"])
        if children or projects:
            under = ngettext("{n} association under it", "{n} associations under it", children).format(n=children)
            owned = ngettext("{n} project", "{n} projects", projects).format(n=projects)
            if children and projects:
                # Translators: {children} is "2 associations under it", {projects} "3 projects".
                message = _("{association} has {children} and {projects}")
            elif children:
                message = _("{association} has {children}")
            else:
                message = _("{association} has {projects}")
            raise Conflict(
                message.format(association=describe(row), children=under, projects=owned),
                hint=_(
                    "Move or remove them first, or remove the whole subtree with "
                    "`maliext association remove {id} --cascade`."
                ).format(id=row["id"]),
            )

    def remove(self, store: Store, ref: Any, *, cascade: bool = False) -> dict:
        """Remove one association; with `cascade`, its whole subtree and their projects."""
        if not cascade:
            return super().remove(store, ref)
        with store.transaction():
            row = self.find(store, ref)
            plan = cascade_plan(store, row["id"])
            for project_id in plan["projects"]:
                store.delete("project", project_id)
            for association_id in plan["associations"]:  # deepest first: no child outlives its parent
                store.delete("association", association_id)
        return row

    def details(self, store: Store, row: dict) -> dict[str, list[dict]]:
        return {
            "children": store.rows(
                "SELECT id, name, acronym, level, country, city, members, status FROM association "
                "WHERE parent_id = ? ORDER BY fold(name), id",
                (row["id"],),
            ),
            "projects": [
                {**r, **{k: records.money_out(r[k]) for k in ("diaspora_contribution", "subsidy", "other_funding")}}
                for r in store.rows(
                    "SELECT id, title, sector, locality, year, status, currency, diaspora_contribution, subsidy, "
                    "other_funding FROM project WHERE association_id = ? ORDER BY year, id",
                    (row["id"],),
                )
            ],
        }

    # ------------------------------------------------------------------ import
    checks_links_only = True  # every rule of `check` is about parents

    def check_links(self, store: Store, run, linked: dict[int, int]) -> None:
        """`check` for every association an import wrote, at once, once every parent
        is set: the rules of each link that a row of the file makes, and of the links
        to its children when a row changes an association's level or country."""
        lines_by_id = {row_id: line for line, row_id in run.placed.items()}
        changed = {
            row_id
            for row_id, before in run.before.items()
            if store.row("SELECT level, country FROM association WHERE id = ?", (row_id,))
            != {"level": before["level"], "country": before["country"]}
        }
        if lines_by_id:
            _check_links(store, list(lines_by_id), changed, lines_by_id, run.refuse, set(run.report.inserted), run.unit)


NOUN = Associations()


def cascade_plan(store: Store, root: int) -> dict[str, list[int]]:
    """What removing `root` with --cascade removes: project ids, and association ids
    deepest first."""
    rows = store.rows(
        "WITH RECURSIVE sub(id, depth) AS (SELECT ?, 0 UNION "
        "SELECT a.id, sub.depth + 1 FROM association a JOIN sub ON a.parent_id = sub.id WHERE sub.depth < 100) "
        "SELECT id, max(depth) AS depth FROM sub GROUP BY id ORDER BY depth DESC, id",
        (root,),
    )
    ids = [r["id"] for r in rows]
    marks = ", ".join("?" * len(ids))
    projects = [
        r[0] for r in store.conn.execute(f"SELECT id FROM project WHERE association_id IN ({marks}) ORDER BY id", ids)
    ]
    return {"associations": ids, "projects": projects}


def _check_links(
    store: Store,
    touched: list[int],
    changed: set[int],
    lines_by_id: dict[int, int],
    refuse: Callable[..., None],
    new: set[int],
    unit: str,
) -> None:
    marks = ", ".join("?" * len(touched))

    def name(row: dict) -> str:
        """Rows inserted by this import have no id yet for the user: their line says it."""
        if row["id"] in new:
            shown, n = row["acronym"] or row["name"], lines_by_id[row["id"]]
            if unit == "record":
                return _("{name} (record {n})").format(name=shown, n=n)
            return _("{name} (line {n})").format(name=shown, n=n)
        return describe(row)

    parent_of = dict(store.conn.execute("SELECT id, parent_id FROM association"))
    # Cycles first: walking up from a row of the file comes back to it.
    in_cycle: set[int] = set()
    for start in touched:
        seen = {start}
        node = parent_of.get(start)
        while node is not None and node not in seen:
            seen.add(node)
            node = parent_of.get(node)
        if node == start:
            in_cycle.add(start)
    for id_ in in_cycle:
        refuse(lines_by_id[id_], records.about("parent", _("the association would sit below itself (a cycle)")))
    links = store.rows(
        "SELECT c.id AS c_id, c.name AS c_name, c.acronym AS c_acronym, c.level AS c_level, c.country AS c_country, "
        "p.id AS p_id, p.name AS p_name, p.acronym AS p_acronym, p.level AS p_level, p.country AS p_country "
        "FROM association c JOIN association p ON p.id = c.parent_id "
        f"WHERE c.id IN ({marks}) OR p.id IN ({marks}) ORDER BY c.id",
        [*touched, *touched],
    )
    for link in links:
        child = {k[2:]: v for k, v in link.items() if k.startswith("c_")}
        parent = {k[2:]: v for k, v in link.items() if k.startswith("p_")}
        if child["id"] in in_cycle:
            continue
        if child["id"] not in lines_by_id and parent["id"] not in changed:
            continue  # a link the file did not touch
        problem = link_problem(child, parent, name)
        if problem:
            refuse(lines_by_id.get(child["id"]) or lines_by_id[parent["id"]], problem)
