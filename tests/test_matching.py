"""Matching: every hard rule, scores that add up, and plans whose optimum is known."""

from __future__ import annotations

import csv
import io
import json

import pytest

from maliext_cli.errors import Conflict
from maliext_cli.services import matching
from maliext_cli.store import Store

from .conftest import add_consultant, digest

WINDOW = ("--window-start", "2030-02-01", "--window-end", "2030-03-31")


@pytest.fixture
def base(cli):
    cli.ok("institution", "add", "--name", "Université de Bamako", "--acronym", "UB", "-q")
    cli.ok(
        "institution",
        "add",
        "--name",
        "Faculté des Sciences et Techniques",
        "--acronym",
        "FAST",
        "--parent",
        "UB",
        "-q",
    )
    cli.ok("institution", "add", "--name", "Institut Universitaire de Gestion", "--acronym", "IUG", "-q")
    cli.ok("programme", "add", "--code", "TOKTEN", "-q")
    return cli


def need(
    cli,
    title="Cours de chimie organique",
    *extra: str,
    institution="FAST",
    discipline="0531",
    type_="lecture",
    days="21",
) -> int:
    args = [
        "--institution",
        institution,
        "--title",
        title,
        "--discipline",
        discipline,
        "--type",
        type_,
        *WINDOW,
        "--duration-days",
        days,
        *extra,
    ]
    return int(cli.ok("need", "add", *args, "-q").stdout)


def expert(cli, email: str, *extra: str, **fields) -> int:
    defaults = {
        "family_name": email.split("@")[0].capitalize(),
        "given_names": "X",
        "country": "FR",
        "degree": "doctorat",
        "discipline": "0531",
        "email": email,
        "availability": "2027-01-01/2030-12-31",
    }
    defaults.update(fields)
    return add_consultant(cli, *extra, **defaults)


def ranked(cli, nid: int, *args: str) -> list[dict]:
    return cli.json("match", "rank", str(nid), "--top", "0", *args)


def excluded(cli, nid: int) -> dict[int, str]:
    rows = cli.json("match", "rank", str(nid), "--top", "0", "--show-excluded")
    return {r["consultant"]: r["excluded"] for r in rows if r.get("excluded")}


# -------------------------------------------------------------------- hard rules
def test_each_hard_rule_excludes(base):
    nid = need(base, "Encadrement de thèses de chimie", "--level", "dea", "--languages", "fr", type_="supervision")
    ok = expert(base, "ok@x.org")
    inactive = expert(base, "inactive@x.org", status="inactive")
    candidate = expert(base, "candidate@x.org", status="candidate")
    declared = expert(base, "declared@x.org")
    base.ok("consultant", "conflict", "add", str(declared), "--institution", "UB")  # the parent counts
    employed = expert(base, "employed@x.org", employer="Faculté des Sciences et Techniques")
    employed_parent = expert(base, "parent@x.org", employer="ub")
    master = expert(base, "master@x.org", degree="master")
    english = expert(base, "english@x.org", languages="en")
    short = expert(base, "short@x.org", availability="2030-02-01/2030-02-10")
    away = expert(base, "away@x.org", availability="2031-01-01/2031-12-31")
    busy = expert(base, "busy@x.org")
    base.ok(
        "mission",
        "add",
        "--consultant",
        "busy@x.org",
        "--institution",
        "IUG",
        "--programme",
        "TOKTEN",
        "--type",
        "lecture",
        "--start-date",
        "2030-02-10",
        "--end-date",
        "2030-03-20",
        "-q",
    )
    assert [r["consultant"] for r in ranked(base, nid)] == [ok]
    why = excluded(base, nid)
    assert why[inactive] == "the consultant is inactive, not active"
    assert why[candidate] == "the consultant is candidate, not active"
    assert why[declared] == "a conflict of interest with institution 1 is declared"
    assert why[employed] == why[employed_parent] == "the consultant works for FAST (employer)"
    assert why[master].startswith("supervision at dea level needs a doctorat or an HDR")
    assert why[english] == "speaks none of the need's languages (fr)"
    assert why[short] == "availability too short: at most 10 free consecutive day(s) in the window, 21 needed"
    assert why[away] == "no availability in the need's window"
    assert why[busy].startswith("availability too short: at most 11 free consecutive day(s)")


def test_explain_why_not_and_full_breakdown(base):
    nid = need(base, "Cours de chimie organique", "--keywords", "produits naturels", "--level", "doctorat")
    good = expert(base, "good@x.org", degree="hdr", specialities="Chimie-Organique;produits naturels")
    english = expert(base, "en@x.org", languages="en")
    why_not = base.json("match", "explain", str(nid), str(english))
    assert (why_not["eligible"], why_not["excluded"], why_not["score"]) == (
        False,
        "speaks none of the need's languages (fr)",
        None,
    )
    full = base.json("match", "explain", str(nid), "good@x.org")
    assert full["eligible"] and full["consultant"] == good
    assert full["values"]["discipline"] == 1.0 and full["values"]["degree"] == 1.0
    assert full["values"]["keywords"] == 1.0  # chimie, organique, produits, naturels: accents and case aside
    assert round(sum(full["components"].values()), 4) == full["score"]
    assert full["slots"][0] == {"start_date": "2030-02-01", "end_date": "2030-02-21"}


def test_components_add_up_and_weights_change_the_order(base):
    nid = need(base, "Cours de chimie organique", "--keywords", "catalyse")
    a = expert(base, "a@x.org", specialities="catalyse;chimie organique", discipline="0533")
    b = expert(base, "b@x.org", specialities="optique", discipline="0531")
    rows = ranked(base, nid)
    for row in rows:
        assert list(row) == ["consultant", "consultant_name", "score", "components"]
        assert set(row["components"]) == set(matching.DEFAULT_WEIGHTS)
        assert round(sum(row["components"].values()), 4) == row["score"]
        assert 0 <= row["score"] <= 1
    keywords_first = [r["consultant"] for r in ranked(base, nid, "--weight", "keywords=1", "--weight", "discipline=0")]
    discipline_first = [
        r["consultant"] for r in ranked(base, nid, "--weight", "keywords=0", "--weight", "discipline=1")
    ]
    assert keywords_first[0] == a and discipline_first[0] == b
    assert base("match", "rank", str(nid), "--weight", "colour=1").exit_code == 2


def test_rating_is_shrunk_and_rotation_prefers_newcomers(base):
    nid = need(base, "Cours", "--window-start", "2027-02-01", "--window-end", "2027-03-31")
    veteran = expert(base, "veteran@x.org")
    newcomer = expert(base, "new@x.org")
    poor = expert(base, "poor@x.org")
    for who, start, end, rating in (
        ("veteran", "2025-06-01", "2025-06-10", "5"),
        ("veteran", "2026-01-05", "2026-01-14", "5"),
        ("poor", "2024-01-05", "2024-01-14", "1"),
    ):
        mid = base.ok(
            "mission",
            "add",
            "--consultant",
            f"{who}@x.org",
            "--institution",
            "IUG",
            "--programme",
            "TOKTEN",
            "--type",
            "workshop",
            "--start-date",
            start,
            "--end-date",
            end,
            "-q",
        ).stdout.strip()
        base.ok("mission", "complete", mid, "--rating", rating)
    values = {c: base.json("match", "explain", str(nid), str(c))["values"] for c in (veteran, newcomer, poor)}
    # rotation: missions in the 24 months before the window (the 2024 one is older)
    assert (values[newcomer]["rotation"], values[veteran]["rotation"], values[poor]["rotation"]) == (1.0, 0.3333, 1.0)
    # ratings shrunk toward the mean (11/3) as if 3 mean ratings were added, then put on 0..1
    assert values[veteran]["rating"] == pytest.approx((21 / 5 - 1) / 4, abs=1e-4)
    assert values[newcomer]["rating"] == pytest.approx((11 / 3 - 1) / 4, abs=1e-4)
    assert values[poor]["rating"] == pytest.approx((12 / 4 - 1) / 4, abs=1e-4)
    assert values[veteran]["experience"] == 0.0  # workshops, not lectures


# -------------------------------------------------------------------------- plan
def test_plan_beats_greedy(base):
    """Greedy gives A (best score) to N1 and leaves N2 empty; the optimum fills both."""
    n1 = need(base, "Cours de chimie organique")
    n2 = need(base, "Course in organic chemistry", "--languages", "en")
    a = expert(base, "a@x.org", languages="fr;en", specialities="chimie organique")
    b = expert(base, "b@x.org", discipline="0533")
    assert ranked(base, n1)[0]["consultant"] == a
    plan = base.json("match", "plan")
    assert sorted((x["need"], x["consultant"]) for x in plan["assignments"]) == [(n1, b), (n2, a)]
    assert plan["seats_filled"] == 2 and plan["unfilled"] == []
    assert plan["status"] == "optimal" and plan["gap"] == 0
    assert list(plan) == [
        "assignments",
        "unfilled",
        "seats_filled",
        "total_score",
        "solver",
        "status",
        "gap",
        "weights",
    ]
    assert list(plan["assignments"][0]) == ["need", "consultant", "score", "start_date", "end_date", "components"]


def test_plan_respects_seats_max_per_consultant_and_no_overlap(base):
    n1 = need(base, "Cours A", "--seats", "2")
    n2 = need(base, "Cours B", "--window-start", "2030-02-01", "--window-end", "2030-02-28")
    n3 = need(base, "Cours C", "--window-start", "2030-05-01", "--window-end", "2030-05-31")
    only = expert(base, "only@x.org")
    assert base.json("match", "plan")["seats_filled"] == 1
    two = base.json("match", "plan", "--max-per-consultant", "2")
    assert two["seats_filled"] == 2
    three = base.json("match", "plan", "--max-per-consultant", "3")
    placed = sorted((a["start_date"], a["end_date"], a["need"]) for a in three["assignments"])
    # n2 in February and n1 late in March (its latest slot) so that they do not overlap, n3 in May
    assert [p[2] for p in placed] == [n2, n1, n3]
    assert all(e1 < s2 for (_, e1, _), (s2, _, _) in zip(placed, placed[1:]))
    assert placed[1] == ("2030-03-11", "2030-03-31", n1)
    assert {a["consultant"] for a in three["assignments"]} == {only}
    assert three["unfilled"] == [
        {"need": n1, "seats": 1, "reason": "fewer eligible consultants than seats (1 eligible)"}
    ]


def test_unfilled_reasons(base):
    lonely = need(base, "Cours de droit", discipline="0421", institution="IUG")
    expert(base, "a@x.org", availability="2030-02-01/2030-02-10")
    expert(base, "b@x.org", status="inactive")
    plan = base.json("match", "plan", "--need", str(lonely))
    assert plan["unfilled"] == [
        {
            "need": lonely,
            "seats": 1,
            "reason": "availability too short: no consultant is free for the duration inside the window",
        }
    ]
    expert(base, "c@x.org", languages="en")
    plan = base.json("match", "plan", "--need", str(lonely))
    assert plan["unfilled"][0]["reason"] == "no eligible consultant (excluded by availability 1, language 1)"
    other = need(base, "Cours de gestion", discipline="0413", institution="IUG")
    expert(base, "d@x.org")
    plan = base.json("match", "plan", "--need", str(lonely), "--need", str(other))
    assert plan["seats_filled"] == 1
    assert [u["reason"] for u in plan["unfilled"]] == [
        "eligible ones all taken by other needs (1 of 1 eligible consultant(s) placed elsewhere)"
    ]


def test_plan_is_deterministic(base):
    for i in range(4):
        need(base, f"Cours {i}", "--seats", "2")
    for i in range(6):
        expert(base, f"e{i}@x.org", specialities="chimie" if i % 2 else "physique")
    first = base.ok("match", "plan", "-f", "json").stdout
    assert all(base.ok("match", "plan", "-f", "json").stdout == first for _ in range(2))


def test_commit_creates_missions_inside_windows(base, db):
    nid = need(base, "Cours", "--seats", "2")
    expert(base, "a@x.org")
    expert(base, "b@x.org")
    result = base.ok("match", "plan", "--commit", "-f", "json")
    assert "Created 2 planned mission(s)" in result.stderr
    missions = base.json("mission", "list")
    assert [(m["need"], m["status"], m["programme_code"], m["days"]) for m in missions] == [
        (nid, "planned", "TOKTEN", 21)
    ] * 2
    assert all(m["start_date"] >= "2030-02-01" and m["end_date"] <= "2030-03-31" for m in missions)
    assert base.json("need", "show", str(nid))["status"] == "filled"
    assert base.json("match", "plan")["assignments"] == []  # nothing left to plan


def test_commit_programme_rules_and_all_or_nothing(base, db, monkeypatch):
    need(base, "Cours", "--seats", "2")
    expert(base, "a@x.org")
    expert(base, "b@x.org")
    base.ok("programme", "add", "--code", "TALMALI", "-q")
    before = digest(db)
    assert base("match", "plan", "--commit").exit_code == 2  # several programmes: say which
    assert base("match", "plan", "--commit", "--programme", "NOPE").exit_code == 3
    assert digest(db) == before
    # the second mission is refused: the first must not stay
    from maliext_cli.services import missions

    real = missions.Missions.add
    calls = []

    def flaky(self, store, raw, **kwargs):
        calls.append(raw)
        if len(calls) == 2:
            raise Conflict("simulated refusal of the second mission")
        return real(self, store, raw, **kwargs)

    monkeypatch.setattr(missions.Missions, "add", flaky)
    result = base("match", "plan", "--commit", "--programme", "TOKTEN")
    assert result.exit_code == 1 and "simulated refusal" in result.stderr
    assert digest(db) == before


def test_checker_catches_broken_plans(base, db):
    nid = need(base, "Cours")
    a = expert(base, "a@x.org")
    store = Store.open(db)
    plan = matching.plan(store)
    experts = matching.load_experts(store)
    assert matching.check(plan, experts, 1) == []
    [assignment] = plan.assignments
    assignment.start -= 30  # outside the window, and not 21 days any more if we also cut it
    assignment.end -= 31
    problems = matching.check(plan, experts, 1)
    assert any("outside the need's window" in p for p in problems)
    assert any("lasts 20 days, not 21" in p for p in problems)
    plan.assignments.append(plan.assignments[0])
    assert any(f"consultant {a}: 2 missions" in p for p in matching.check(plan, experts, 1))
    assert any(f"need {nid}: 2 consultants" in p for p in matching.check(plan, experts, 1))


def test_rank_of_unknown_need_and_json_contract(base):
    assert base("match", "rank", "99").exit_code == 3
    nid = need(base)
    expert(base, "a@x.org")
    result = base.ok("match", "rank", str(nid), "-f", "json")
    assert [list(r) for r in json.loads(result.stdout)] == [["consultant", "consultant_name", "score", "components"]]


def test_pool_and_plain_rules_agree_on_random_pairs():
    """The vectorised rules (Pool, used to rank and plan) and the plain ones (used to say
    why and to check plans) must never disagree."""
    import random
    from collections import Counter

    rng = random.Random(11)
    base = 739_000  # a day ordinal in 2024
    experts = {}
    for cid in range(1, 301):
        periods, day = [], base + rng.randrange(60)
        for _ in range(rng.choice((0, 1, 2, 3))):
            end = day + rng.randrange(5, 90)
            periods.append((day, end))
            day = end + rng.randrange(2, 40)
        busy, day = [], base + rng.randrange(200)
        for _ in range(rng.choice((0, 0, 1, 2))):
            busy.append((day, day + rng.randrange(7, 30)))
            day += rng.randrange(40, 90)
        experts[cid] = matching.Expert(
            cid,
            f"E{cid}",
            rng.choice(["active"] * 8 + ["candidate", "inactive"]),
            rng.choice(["master", "dea", "doctorat", "hdr"]),
            rng.choice(["0531", "0533", "0541", "0421"]),
            frozenset(rng.sample(["fr", "en", "bm"], rng.randint(1, 2))),
            frozenset(rng.sample(["chimie", "organique", "droit", "optique", "analyse"], 2)),
            rng.choice(["", "", "fast", "ub"]),
            periods=periods,
            busy=sorted(busy),
            starts=sorted(b[0] for b in busy),
            conflicts_of_interest={rng.choice([1, 2, 3])} if rng.random() < 0.1 else set(),
            done_types=Counter(),
            done_levels=Counter(),
            ratings=[],
        )
    pool = matching.Pool(experts, 3.5)
    for nid in range(60):
        start = base + rng.randrange(250)
        need = matching.Need(
            nid,
            "T",
            2,
            "FAST",
            {"fast", "faculte des sciences", "ub"},
            {2, 1},
            rng.choice(["0531", "0541"]),
            rng.choice(["lecture", "supervision"]),
            rng.choice([None, "dea", "doctorat", "master"]),
            start,
            start + rng.randrange(10, 80),
            rng.choice([7, 14, 21, 30]),
            1,
            1,
            frozenset(rng.sample(["fr", "en"], 1)),
            frozenset(["chimie", "organique"]),
            2,
        )
        if need.end - need.start + 1 < need.duration:
            continue
        found = pool.assess(need, matching.DEFAULT_WEIGHTS)
        vectorised = set(pool.ids[found.positions].tolist())
        plain = {cid for cid, e in experts.items() if matching.eligibility(need, e).eligible}
        assert vectorised == plain, (nid, vectorised ^ plain)
        plain_kinds = Counter(
            matching.eligibility(need, e).kind for e in experts.values() if not matching.eligibility(need, e).eligible
        )
        assert +found.excluded == +plain_kinds
        for k in range(len(found.positions)):
            assert int(found.parts[k].sum()) == int(found.units[k])
            assert 0 <= found.units[k] <= matching.SCORE_UNITS


def test_pruned_milp_is_never_worse_than_one_mission_each(base, db, monkeypatch):
    """When there are too many pairs for the MILP, each need keeps its best candidates;
    the plan says it is not proven optimal and is at least the exact one-each plan."""
    for i in range(3):
        need(base, f"Cours {i}", "--seats", "2")
    for i in range(6):
        expert(base, f"e{i}@x.org", specialities="chimie" if i % 2 else "physique")
    store = Store.open(db)
    single = matching.plan(store)
    monkeypatch.setattr(matching.milp, "MILP_PAIRS", 2)
    pruned = matching.plan(store, max_per_consultant=2)
    assert "not proven optimal" in pruned.status
    assert (pruned.seats_filled, pruned.total_score) >= (single.seats_filled, single.total_score)
    assert matching.check(pruned, {e.id: e for e in matching.load_experts(store).values()}, 2) == []


def test_csv_keeps_the_scores_that_json_gives(base):
    nid = need(base, "Cours de chimie organique", "--keywords", "catalyse")
    for i in range(3):
        expert(
            base, f"e{i}@x.org", specialities="catalyse" if i else "optique", discipline="0533" if i == 2 else "0531"
        )
    as_json = {r["consultant"]: r for r in ranked(base, nid)}
    as_csv = base.csv("match", "rank", str(nid), "--top", "0", "--explain")
    assert len(as_csv) == len(as_json)
    for row in as_csv:
        expected = as_json[int(row["consultant"])]
        assert float(row["score"]) == expected["score"]
        assert {k: float(row[k]) for k in expected["components"]} == expected["components"]


def test_plan_and_rank_in_csv_parse_as_one_table(base):
    nid = need(base, "Cours", "--seats", "2")
    need(base, "Cours de droit", discipline="0421", institution="IUG", days="50")
    expert(base, "a@x.org", availability="2027-01-01/2030-02-25")
    expert(base, "b@x.org", status="inactive")
    plan = base.ok("match", "plan", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(plan.stdout)))
    assert [r["need"] for r in rows] == [str(nid)]
    assert "seat(s) unfilled" in plan.stderr and "seats filled: 1" in plan.stderr
    ranked_rows = base.csv("match", "rank", str(nid), "--show-excluded")
    assert [(r["consultant_name"], bool(r["score"]), bool(r["excluded"])) for r in ranked_rows] == [
        ("X A", True, False),
        ("X B", False, True),
    ]
