"""Consultants and needs read from the store, in a few queries, as matching sees them."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence

from maliext_cli.services import nouns, records
from maliext_cli.services.matching.model import Expert, Need, day
from maliext_cli.store import Store
from maliext_cli.text import fold

# Words that say nothing about a field, in French and English.
_STOP = frozenset(
    "les des une dans pour par sur aux avec sans entre vers chez leur leurs ses son sur plus tous toutes tout cours "
    "cycle niveau atelier formation appui encadrement theses memoires these memoire conference scientifique continue "
    "licence master dea dess doctorat doctorate phd professional professionnelle "
    "the and for with from into about course level workshop training support".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def terms(*texts: str | None) -> frozenset[str]:
    """The meaningful folded words of some texts (three letters or more, no stop words)."""
    found: set[str] = set()
    for text in texts:
        found.update(w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in _STOP)
    return frozenset(found)


def load_experts(store: Store, ids: Sequence[int] | None = None) -> dict[int, Expert]:
    """Every consultant (or those of `ids`), with what the rules and scores need."""
    where, params = ("", [])
    if ids is not None:
        where, params = (f" WHERE id IN ({', '.join('?' * len(ids))})", list(ids))
    experts: dict[int, Expert] = {}
    spoken: dict[str, frozenset[str]] = {}  # a few distinct language lists, parsed once each
    for r in store.conn.execute(
        "SELECT id, given_names || ' ' || family_name, status, degree, discipline, languages, specialities, employer "
        f"FROM consultant{where}",
        params,
    ):
        cid, name, status, degree, discipline, languages, specialities, employer = r
        if languages not in spoken:
            spoken[languages] = frozenset(json.loads(languages))
        experts[cid] = Expert(
            cid, name, status, degree, discipline, spoken[languages], terms(specialities, employer), fold(employer)
        )
    scope = "" if ids is None else f" AND consultant_id IN ({', '.join('?' * len(ids))})"
    for cid, start, end in store.conn.execute(
        f'SELECT consultant_id, start, "end" FROM availability WHERE 1{scope} ORDER BY consultant_id, start', params
    ):
        experts[cid].periods.append((day(start), day(end)))
    # The declared conflicts of interest (the table is named `conflict`).
    for cid, inst in store.conn.execute(f"SELECT consultant_id, institution_id FROM conflict WHERE 1{scope}", params):
        experts[cid].conflicts_of_interest.add(inst)
    past_titles: dict[int, list[str]] = defaultdict(list)
    for cid, start, end, status, mtype, rating, level, title, keywords in store.conn.execute(
        "SELECT m.consultant_id, m.start_date, m.end_date, m.status, m.type, m.rating, n.level, n.title, n.keywords "
        f"FROM mission m LEFT JOIN need n ON n.id = m.need_id WHERE m.status <> 'cancelled'{scope.replace('consultant_id', 'm.consultant_id')} "
        "ORDER BY m.consultant_id, m.start_date",
        params,
    ):
        e = experts[cid]
        e.busy.append((day(start), day(end)))
        e.starts.append(day(start))
        if status == "completed":
            e.done_types[mtype] += 1
            if level:
                e.done_levels[level] += 1
            if rating is not None:
                e.ratings.append(rating)
            if title:
                past_titles[cid].append(title)
                past_titles[cid].append(" ".join(json.loads(keywords or "[]")))
    for cid, titles in past_titles.items():
        experts[cid].terms = experts[cid].terms | terms(*titles)
    return experts


def load_needs(store: Store, refs: Sequence[str] = ()) -> list[Need]:
    """The needs named by `refs`, or every open need (cancelled and filled ones aside)."""
    from maliext_cli.services.needs import SEATS_FILLED

    if refs:
        ids = [records.find(store, nouns.ENTITIES["need"], r)["id"] for r in refs]
        where, params = f"t.id IN ({', '.join('?' * len(ids))})", ids
    else:
        where, params = f"t.status = 'open' AND {SEATS_FILLED} < t.seats", []
    institutions = {r["id"]: r for r in store.rows("SELECT id, parent_id, name, acronym FROM institution")}
    needs = []
    for r in store.rows(
        f"SELECT t.*, {SEATS_FILLED} AS filled FROM need t WHERE {where} ORDER BY t.priority, t.window_start, t.id",
        params,
    ):
        chain, keys, current, seen = set(), set(), r["institution_id"], set()
        while current is not None and current not in seen:
            seen.add(current)
            inst = institutions[current]
            chain.add(current)
            keys.update(k for k in (fold(inst["name"]), fold(inst["acronym"])) if k)
            current = inst["parent_id"]
        own = institutions[r["institution_id"]]
        needs.append(
            Need(
                id=r["id"],
                title=r["title"],
                institution_id=r["institution_id"],
                institution=own["acronym"] or own["name"],
                institution_keys=keys,
                institution_ids=chain,
                discipline=r["discipline"],
                type=r["type"],
                level=r["level"],
                start=day(r["window_start"]),
                end=day(r["window_end"]),
                duration=r["duration_days"],
                seats=r["seats"],
                free=max(0, r["seats"] - r["filled"]) if r["status"] == "open" else 0,
                languages=frozenset(json.loads(r["languages"])),
                terms=terms(r["title"], " ".join(json.loads(r["keywords"]))),
                priority=r["priority"],
            )
        )
    return needs


def mean_rating(store: Store) -> float:
    """The programme's mean rating of completed missions (3 when none is rated)."""
    value = store.value("SELECT avg(rating) FROM mission WHERE status = 'completed' AND rating IS NOT NULL")
    return float(value) if value is not None else 3.0
