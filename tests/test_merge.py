"""`maliext merge` and `maliext export --bundle`: sites that edit copies of one file
offline, then exchange them. Each test scripts the sites with the CLI."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from maliext_cli.services import merge as service
from maliext_cli.services.merge import applying
from maliext_cli.store import Store, database, schema
from maliext_cli.store.schema import RECORD_TABLES

from .conftest import AMINATA, Cli, digest
from .test_end_to_end import run

ITEM_KEYS = ["action", "table", "uid", "name", "field", "mine", "theirs", "note"]
CONFLICT_KEYS = ["id", "table", "uid", "name", "kind", "field", "mine", "theirs", "peer", "at", "note"]


# ------------------------------------------------------------------ helpers
class Clock:
    """The time the store stamps on commands, set by the test (sites' clocks differ)."""

    def __init__(self, monkeypatch):
        self.now = "2027-01-10T09:00:00Z"
        monkeypatch.setattr(database, "utc_now", lambda: self.now)

    def set(self, at: str) -> None:
        self.now = at


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


class Site(Cli):
    """One site's file, driven through the CLI."""

    def uid(self, noun: str, ref: str) -> str:
        return self.json(noun, "show", ref)["uid"]

    def merge(self, other: Site | Path, *args: str, changes: bool = True):
        """`merge OTHER` with its report as JSON; every change listed unless `changes=False`."""
        path = other.db if isinstance(other, Site) else other
        return self("merge", str(path), *args, *(["--changes"] if changes else []), "-f", "json")

    def merged(self, other: Site | Path, *args: str) -> list[dict]:
        result = self.merge(other, *args)
        assert result.exit_code == 0, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        items = json.loads(result.stdout)
        assert all(list(i) == ITEM_KEYS for i in items)
        return items

    def copy(self, path: Path) -> Site:
        self.ok("db", "backup", str(path))
        return Site(path)


def _build_base_site(path: Path) -> Site:
    """Bamako's file before the antennas get their copies."""
    site = Site(path)
    site.ok("institution", "add", "--name", "Université de Bamako", "--acronym", "UB", "--kind", "university")
    site.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "--parent", "UB")
    site.ok("programme", "add", "--code", "TOKTEN", "--name", "Transfer of Knowledge")
    site.ok("consultant", "add", *AMINATA, "--birth-year", "1968", "--city", "Abidjan")
    site.ok(
        "consultant", "add", "--family-name", "Keïta", "--given-names", "Moussa", "--country", "FR",
        "--degree", "master", "--discipline", "0531", "--email", "moussa@example.org", "--birth-year", "1975",
    )  # fmt: skip
    site.ok(
        "association",
        "add",
        "--name",
        "Conseil des Maliens de France",
        "--acronym",
        "CMF",
        "--level",
        "national",
        "--country",
        "FR",
    )
    site.ok(
        "association", "add", "--name", "Association de Kersignané", "--acronym", "ARK", "--level", "base",
        "--parent", "CMF", "--country", "FR", "--city", "Montreuil",
    )  # fmt: skip
    site.ok("project", "add", "--association", "ARK", "--title", "Forage", "--sector", "water", "--year", "2005")
    site.ok(
        "mission", "add", "--consultant", "aminata@example.org", "--institution", "FAST", "--programme", "TOKTEN",
        "--type", "lecture", "--start-date", "2027-02-01", "--end-date", "2027-02-21",
    )  # fmt: skip
    return site


@pytest.fixture(scope="session")
def base_file(tmp_path_factory) -> Path:
    """Bamako's file made once, at the sites' first clock time, and copied as `db
    backup` copies it: each test starts from copies of it."""
    copy = tmp_path_factory.mktemp("base") / "bamako.db"
    with pytest.MonkeyPatch.context() as patch:
        Clock(patch)
        built = _build_base_site(tmp_path_factory.mktemp("built") / "bamako.db")
    built.ok("db", "backup", str(copy))
    return copy


def base_site(tmp_path: Path, base_file: Path, name: str = "bamako") -> Site:
    """A site whose file is a private copy of Bamako's base file."""
    path = tmp_path / f"{name}.db"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(base_file.read_bytes())
    return Site(path)


@pytest.fixture
def sites(tmp_path, clock, base_file) -> tuple[Site, Site, Site]:
    """Bamako and two antennas (Paris, Dakar) with copies of one file."""
    return tuple(base_site(tmp_path, base_file, name) for name in ("bamako", "paris", "dakar"))


def snapshot(db: Path) -> dict[tuple[str, str], dict]:
    """Every record, by (table, uid), with references as uids and without local ids."""
    conn = sqlite3.connect(db)
    try:
        # A file of an earlier schema lacks the record tables added since.
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = [t for t in RECORD_TABLES if t in present]
        uid_of = {t: dict(conn.execute(f"SELECT id, uid FROM {t}").fetchall()) for t in tables}
        out = {}
        for table in tables:
            columns = [c[1] for c in conn.execute(f"PRAGMA table_xinfo({table})") if c[6] == 0]
            refs = {fk[3]: fk[2] for fk in conn.execute(f"PRAGMA foreign_key_list({table})")}
            for values in conn.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns)} FROM {table}"):
                row = dict(zip(columns, values))
                for column, target in refs.items():
                    if row[column] is not None:
                        row[column] = uid_of[target][row[column]]
                del row["id"]
                out[(table, row["uid"])] = row
        return out
    finally:
        conn.close()


# Every noun, and the keys in which its JSON list names records by local id.
_EXPORTS = {
    "consultant": ("list", {}),
    "institution": ("list", {"parent": "institution"}),
    "need": ("list", {"institution": "institution"}),
    "mission": (
        "list",
        {"consultant": "consultant", "institution": "institution", "need": "need", "programme": "programme"},
    ),
    "association": ("list", {"parent": "association"}),
    "project": ("list", {"association": "association"}),
    "programme": ("list", {}),
    "antenna": ("list", {}),
    "agreement": ("list", {"institution": "institution", "consultant": "consultant"}),
}


def exported(site: Site) -> dict[str, dict[str, dict]]:
    """`NOUN list -f json` of every noun, by uid, local ids replaced by uids."""
    raw = {noun: site.json(noun, command) for noun, (command, _) in _EXPORTS.items()}
    uid_of = {noun: {r["id"]: r["uid"] for r in records} for noun, records in raw.items()}
    out = {}
    for noun, records in raw.items():
        refs = _EXPORTS[noun][1]
        by_uid = {}
        for r in records:
            r = dict(r)
            del r["id"]
            for key, target in refs.items():
                if r.get(key) is not None:
                    r[key] = uid_of[target][r[key]]
            by_uid[r["uid"]] = r
        out[noun] = by_uid
    return out


def open_conflicts(site: Site) -> list[dict]:
    rows = site.json("merge", "conflicts")
    assert all(list(r) == CONFLICT_KEYS for r in rows)
    return rows


def fields_of(items: list[dict], action: str) -> dict[str, tuple]:
    return {i["field"]: (i["mine"], i["theirs"]) for i in items if i["action"] == action}


def merge_both_ways(a: Site, b: Site) -> None:
    a.merged(b)
    b.merged(a)


# ------------------------------------------------------- one side changed
def test_an_edit_a_new_record_and_a_removal_travel_and_a_second_merge_changes_nothing(sites, clock):
    bamako, paris, _ = sites
    clock.set("2027-01-11T10:00:00Z")
    paris.ok("consultant", "edit", "moussa@example.org", "--city", "Paris", "--phone", "+33 6 12 34 56 78")
    paris.ok("programme", "add", "--code", "TALMALI")
    paris.ok("project", "remove", "1", "--yes")
    items = bamako.merged(paris)
    moussa = bamako.uid("consultant", "moussa@example.org")
    assert fields_of([i for i in items if i["uid"] == moussa], "update") == {
        "city": (None, "Paris"),
        "phone": (None, "+33 6 12 34 56 78"),
    }
    assert [(i["action"], i["table"], i["name"]) for i in items if i["action"] != "update"] == [
        ("insert", "programme", "TALMALI"),
        ("remove", "project", "Forage"),
    ]
    shown = bamako.json("consultant", "show", "moussa@example.org")
    assert (shown["city"], shown["updated_at"]) == ("Paris", "2027-01-11T10:00:00Z")
    assert bamako.json("project", "list") == []
    assert exported(bamako) == exported(paris)

    once = digest(bamako.db)
    result = bamako.merge(paris)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    assert "no record to change" in result.stderr and "Nothing was written" in result.stderr
    assert digest(bamako.db) == once
    # and back: Paris learns nothing new, twice
    paris.merged(bamako)
    twice = digest(paris.db)
    paris.merged(bamako)
    assert digest(paris.db) == twice
    assert snapshot(paris.db) == snapshot(bamako.db)


def test_missions_of_a_consultant_created_at_another_site_are_mapped_by_uid(sites):
    bamako, paris, _ = sites
    # Bamako adds records of its own first, so that local ids differ between the files.
    bamako.ok("consultant", "add", "--family-name", "Diallo", "--given-names", "Awa", "--country", "SN",
              "--degree", "doctorat", "--discipline", "0531", "--email", "awa@example.org")  # fmt: skip
    paris.ok("consultant", "add", "--family-name", "Coulibaly", "--given-names", "Sékou", "--country", "FR",
             "--degree", "doctorat", "--discipline", "0531", "--email", "sekou@example.org")  # fmt: skip
    paris.ok("institution", "add", "--name", "Institut Polytechnique Rural", "--acronym", "IPR", "--parent", "UB")
    paris.ok("mission", "add", "--consultant", "sekou@example.org", "--institution", "IPR", "--programme", "TOKTEN",
             "--type", "workshop", "--start-date", "2027-03-01", "--end-date", "2027-03-14")  # fmt: skip
    paris.ok("consultant", "availability", "add", "sekou@example.org", "--start", "2027-06-01", "--end", "2027-06-30")
    assert paris.json("consultant", "show", "sekou@example.org")["id"] == 3
    items = bamako.merged(paris)
    assert sorted((i["action"], i["table"]) for i in items) == [
        ("insert", "availability"),
        ("insert", "consultant"),
        ("insert", "institution"),
        ("insert", "mission"),
    ]
    sekou = bamako.json("consultant", "show", "sekou@example.org")
    assert sekou["id"] == 4
    assert [(a["start"], a["end"]) for a in sekou["availability"]] == [("2027-06-01", "2027-06-30")]
    ipr = bamako.json("institution", "show", "IPR")
    mission = next(m for m in bamako.json("mission", "list") if m["uid"] == paris.json("mission", "show", "2")["uid"])
    assert (mission["consultant"], mission["institution"], mission["programme"]) == (4, ipr["id"], 1)
    assert mission["consultant_name"] == "Sékou Coulibaly"
    assert ipr["parent"] == bamako.json("institution", "show", "UB")["id"]
    assert bamako("db", "check").exit_code == 0


# ----------------------------------------------------------- conflicts
def test_concurrent_edits_are_a_conflict_listed_field_by_field_and_nothing_is_applied(sites, clock):
    bamako, paris, _ = sites
    clock.set("2027-01-11T10:00:00Z")
    bamako.ok("consultant", "edit", "aminata@example.org", "--city", "Bamako", "--employer", "USTTB")
    clock.set("2027-01-12T10:00:00Z")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris", "--phone", "+33 6 00 00 00 01")
    paris.ok("consultant", "edit", "moussa@example.org", "--city", "Lyon")
    before = snapshot(bamako.db)
    aminata = bamako.uid("consultant", "aminata@example.org")

    dry = bamako.merge(paris, "--dry-run")
    assert dry.exit_code == 4
    assert "1 record needs a decision" in dry.stderr and "nothing was written" in dry.stderr
    assert snapshot(bamako.db) == before

    items = bamako.merged(paris)
    conflict = [i for i in items if i["action"] == "conflict"]
    assert {i["uid"] for i in conflict} == {aminata}
    assert fields_of(conflict, "conflict") == {
        "phone": (None, "+33 6 00 00 00 01"),
        "city": ("Bamako", "Paris"),
        "employer": ("USTTB", None),
    }
    assert conflict[0]["note"] == "changed here and there"
    after = snapshot(bamako.db)
    assert after[("consultant", aminata)] == before[("consultant", aminata)]  # nothing applied
    moussa = bamako.uid("consultant", "moussa@example.org")
    assert after[("consultant", moussa)]["city"] == "Lyon"  # the rest was merged

    listed = open_conflicts(bamako)
    assert {(r["uid"], r["kind"], r["field"], r["mine"], r["theirs"], r["peer"]) for r in listed} == {
        (aminata, "edit", "phone", None, "+33 6 00 00 00 01", "paris.db"),
        (aminata, "edit", "city", "Bamako", "Paris", "paris.db"),
        (aminata, "edit", "employer", "USTTB", None, "paris.db"),
    }
    # Merging again lists the same conflict and writes nothing.
    once = digest(bamako.db)
    again = bamako.merge(paris, changes=False)
    assert again.exit_code == 0 and [i["action"] for i in json.loads(again.stdout)] == ["conflict"] * 3
    assert digest(bamako.db) == once


@pytest.mark.parametrize("prefer", ["mine", "theirs", "newer"])
def test_prefer_settles_conflicts_and_both_files_then_agree(sites, clock, prefer):
    bamako, paris, _ = sites
    clock.set("2027-01-11T10:00:00Z")
    bamako.ok("consultant", "edit", "aminata@example.org", "--city", "Bamako")
    paris.ok("consultant", "edit", "moussa@example.org", "--city", "Marseille")
    clock.set("2027-01-12T10:00:00Z")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    bamako.ok("consultant", "edit", "moussa@example.org", "--city", "Kayes")
    items = bamako.merged(paris, "--prefer", prefer)
    assert not [i for i in items if i["action"] == "conflict"]
    city = {r["email"]: r["city"] for r in bamako.json("consultant", "list")}
    expected = {
        "mine": {"aminata@example.org": "Bamako", "moussa@example.org": "Kayes"},
        "theirs": {"aminata@example.org": "Paris", "moussa@example.org": "Marseille"},
        "newer": {"aminata@example.org": "Paris", "moussa@example.org": "Kayes"},
    }[prefer]
    assert city == expected
    assert all("--prefer" in i["note"] for i in items)
    assert open_conflicts(bamako) == []
    # Paris merges Bamako without --prefer: the version Bamako kept wins there too.
    assert not [i for i in paris.merged(bamako) if i["action"] == "conflict"]
    assert exported(paris) == exported(bamako)


def test_merge_resolve_settles_one_conflict(sites, clock):
    bamako, paris, _ = sites
    clock.set("2027-01-11T10:00:00Z")
    for site, city in ((bamako, "Ségou"), (paris, "Paris")):
        site.ok("consultant", "edit", "aminata@example.org", "--city", city)
        site.ok("consultant", "edit", "moussa@example.org", "--city", city)
    bamako.merged(paris)
    aminata, moussa = bamako.uid("consultant", "aminata@example.org"), bamako.uid("consultant", "moussa@example.org")
    assert {r["uid"] for r in open_conflicts(bamako)} == {aminata, moussa}

    result = bamako.ok("merge", "resolve", aminata, "--take", "theirs")
    assert "Settled consultant" in result.stderr and "updated" in result.stderr
    assert bamako.json("consultant", "show", aminata)["city"] == "Paris"
    assert [r["uid"] for r in open_conflicts(bamako)] == [moussa]
    conflict_id = str(open_conflicts(bamako)[0]["id"])
    bamako.ok("merge", "resolve", conflict_id, "--take", "mine")
    assert bamako.json("consultant", "show", moussa)["city"] == "Ségou"
    assert open_conflicts(bamako) == []
    missing = bamako("merge", "resolve", moussa, "--take", "mine")
    assert missing.exit_code == 3 and "no open merge conflict" in missing.stderr
    bad = bamako("merge", "resolve", moussa, "--take", "both")
    assert bad.exit_code == 2

    # Paris takes what Bamako decided, without a conflict; then the files agree.
    items = paris.merged(bamako)
    assert not [i for i in items if i["action"] == "conflict"]
    assert {r["email"]: r["city"] for r in paris.json("consultant", "list")} == {
        "aminata@example.org": "Paris",
        "moussa@example.org": "Ségou",
    }
    bamako.merged(paris)
    assert exported(paris) == exported(bamako)


def test_resolve_refuses_when_the_record_changed_since_the_merge(sites):
    bamako, paris, _ = sites
    bamako.ok("consultant", "edit", "aminata@example.org", "--city", "Ségou")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    bamako.merged(paris)
    bamako.ok("consultant", "edit", "aminata@example.org", "--city", "Kati")
    result = bamako("merge", "resolve", bamako.uid("consultant", "aminata@example.org"), "--take", "theirs")
    assert result.exit_code == 1 and "changed here since the merge" in result.stderr
    assert bamako.json("consultant", "show", "aminata@example.org")["city"] == "Kati"


# ------------------------------------------------------------ removals
def test_a_removal_is_carried_over_when_the_other_side_did_not_change_the_record(sites):
    bamako, paris, _ = sites
    paris.ok("mission", "remove", "1", "--yes")
    paris.ok("consultant", "remove", "aminata@example.org", "--yes")
    items = bamako.merged(paris)
    assert sorted((i["action"], i["table"]) for i in items) == [("remove", "consultant"), ("remove", "mission")]
    assert [c["email"] for c in bamako.json("consultant", "list")] == ["moussa@example.org"]
    assert bamako.json("mission", "list") == []
    # Dakar never heard of the removal; it learns it from Bamako.
    _, _, dakar = sites
    dakar.merged(bamako)
    assert snapshot(dakar.db) == snapshot(paris.db)


def test_a_removal_against_an_edit_is_a_conflict_on_both_sides(sites):
    bamako, paris, _ = sites
    paris.ok("project", "remove", "1", "--yes")
    bamako.ok("project", "edit", "1", "--status", "approved")
    project = bamako.uid("project", "1")

    items = bamako.merged(paris)
    assert [(i["action"], i["uid"], i["mine"], i["theirs"], i["note"]) for i in items] == [
        ("conflict", project, "(present)", "(removed)", "changed here, removed there")
    ]
    assert bamako.json("project", "show", "1")["status"] == "approved"
    items = paris.merged(bamako)
    assert [(i["action"], i["uid"], i["mine"], i["theirs"], i["note"]) for i in items] == [
        ("conflict", project, "(removed)", "(present)", "removed here, changed there")
    ]
    assert paris.json("project", "list") == []
    # Paris takes Bamako's version back: the project is there again, and stays.
    paris.ok("merge", "resolve", project, "--take", "theirs")
    assert paris.json("project", "show", project)["status"] == "approved"
    result = bamako.merge(paris)
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    assert "1 earlier conflict no longer open" in result.stderr
    assert open_conflicts(bamako) == []
    assert exported(paris) == exported(bamako)


def test_a_removal_is_not_carried_over_while_records_here_still_refer_to_it(sites):
    bamako, paris, _ = sites
    paris.ok("project", "remove", "1", "--yes")
    paris.ok("association", "remove", "ARK", "--yes")
    bamako.ok("project", "add", "--association", "ARK", "--title", "École", "--sector", "education")
    items = bamako.merged(paris)
    removed = [i for i in items if i["action"] == "remove"]
    assert [(i["table"], i["name"]) for i in removed] == [("project", "Forage")]
    conflict = [i for i in items if i["action"] == "conflict"]
    assert len(conflict) == 1 and conflict[0]["table"] == "association"
    assert (
        conflict[0]["note"]
        == f"removed there, but records here still refer to it: project {bamako.uid('project', '2')}"
    )
    assert bamako.json("association", "show", "ARK")["acronym"] == "ARK"


@pytest.mark.parametrize("decision", ["paris keeps the consultant", "bamako rejects the mission"])
def test_a_mission_added_there_for_a_consultant_removed_here(sites, decision):
    bamako, paris, _ = sites
    moussa = bamako.uid("consultant", "moussa@example.org")
    bamako.ok("consultant", "remove", moussa, "--yes")
    paris.ok("mission", "add", "--consultant", "moussa@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-05-03", "--end-date", "2027-05-16")  # fmt: skip
    mission = paris.uid("mission", "2")
    items = bamako.merged(paris)
    assert [(i["action"], i["uid"], i["note"]) for i in items] == [
        (
            "conflict",
            mission,
            f"their version refers to a record that is not here: its consultant (consultant {moussa})",
        )
    ]
    items = paris.merged(bamako)
    assert [(i["action"], i["uid"]) for i in items] == [("conflict", moussa)]
    assert items[0]["note"] == f"removed there, but records here still refer to it: mission {mission}"
    if decision == "paris keeps the consultant":
        paris.ok("merge", "resolve", moussa, "--take", "mine")
        bamako.merged(paris)
        assert bamako.json("consultant", "show", moussa)["email"] == "moussa@example.org"
        assert len(bamako.json("mission", "list")) == 2
    else:
        bamako.ok("merge", "resolve", mission, "--take", "mine")
        paris.merged(bamako)
        assert paris("consultant", "show", moussa).exit_code == 3
        assert len(paris.json("mission", "list")) == 1
    for _ in range(2):
        merge_both_ways(bamako, paris)
    assert open_conflicts(bamako) == [] and open_conflicts(paris) == []
    assert exported(paris) == exported(bamako)


# ------------------------------------------------------------ convergence
def test_two_files_merged_both_ways_hold_the_same_records(sites, clock):
    bamako, paris, _ = sites
    clock.set("2027-01-11T10:00:00Z")
    bamako.ok("institution", "add", "--name", "Hôpital du Point G", "--acronym", "HPG", "--kind", "hospital")
    bamako.ok("need", "add", "--institution", "HPG", "--title", "Formation en anesthésie", "--discipline", "0912",
              "--type", "training", "--window-start", "2027-04-01", "--window-end", "2027-06-30",
              "--duration-days", "14")  # fmt: skip
    clock.set("2027-01-11T11:00:00Z")
    paris.ok("association", "add", "--name", "Fédération des Maliens de Montreuil", "--acronym", "FMM",
             "--level", "city", "--parent", "CMF", "--country", "FR", "--city", "Montreuil")  # fmt: skip
    paris.ok("association", "edit", "ARK", "--parent", "FMM", "--members", "140")
    paris.ok("antenna", "add", "--code", "PARIS", "--city", "Paris", "--country", "FR")
    paris.ok("agreement", "add", "--title", "Accord FAST – Orléans", "--institution", "FAST",
             "--partner", "Université d'Orléans", "--consultant", "aminata@example.org")  # fmt: skip
    merge_both_ways(bamako, paris)
    assert exported(bamako) == exported(paris)
    assert snapshot(bamako.db) == snapshot(paris.db)
    ark = bamako.json("association", "show", "ARK")
    assert ark["parent"] == bamako.json("association", "show", "FMM")["id"]
    # once the same, merging again either way changes nothing
    first, second = digest(bamako.db), digest(paris.db)
    merge_both_ways(bamako, paris)
    assert (digest(bamako.db), digest(paris.db)) == (first, second)


def _merge_service(into: Path, other: Path, **options):
    store = Store.open(into, command_line="maliext merge")
    try:
        return service.merge(store, other, **options)
    finally:
        store.close()


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=lambda o: "".join(map(str, o)))
def test_three_sites_converge_whatever_the_order_of_their_merges(tmp_path, clock, base_file, order):
    bamako, paris, dakar = (base_site(tmp_path, base_file, name) for name in ("bamako", "paris", "dakar"))
    clock.set("2027-01-11T10:00:00Z")
    bamako.ok("consultant", "edit", "aminata@example.org", "--city", "Bamako")
    bamako.ok("programme", "add", "--code", "TALMALI")
    clock.set("2027-01-11T11:00:00Z")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")  # against Bamako's: newer wins
    paris.ok("consultant", "add", "--family-name", "Sissoko", "--given-names", "Oumou", "--country", "FR",
             "--degree", "hdr", "--discipline", "0531", "--email", "oumou@example.org")  # fmt: skip
    paris.ok("mission", "add", "--consultant", "oumou@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-05-03", "--end-date", "2027-05-16")  # fmt: skip
    clock.set("2027-01-11T12:00:00Z")
    dakar.ok("project", "remove", "1", "--yes")
    dakar.ok("consultant", "edit", "moussa@example.org", "--city", "Dakar")
    dakar.ok("association", "edit", "CMF", "--members", "400")
    files = [bamako.db, paris.db, dakar.db]
    files = [files[i] for i in order]
    for _ in range(4):
        for into, other in itertools.permutations(files, 2):
            report = _merge_service(into, other, prefer="newer")
            assert report.counts["conflict"] == 0 and report.counts["held"] == 0
    snapshots = [snapshot(f) for f in files]
    assert snapshots[0] == snapshots[1] == snapshots[2]
    final = {r["email"]: r["city"] for r in bamako.json("consultant", "list")}
    assert final == {"aminata@example.org": "Paris", "moussa@example.org": "Dakar", "oumou@example.org": None}
    assert bamako.json("project", "list") == []
    # Stable: one more round writes nothing anywhere.
    digests = [digest(f) for f in files]
    for into, other in itertools.permutations(files, 2):
        assert not _merge_service(into, other).written
    assert [digest(f) for f in files] == digests


def test_three_sites_without_prefer_converge_once_the_conflicts_are_settled(sites):
    bamako, paris, dakar = sites
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    dakar.ok("consultant", "edit", "aminata@example.org", "--city", "Dakar")
    bamako.merged(paris)  # Bamako takes Paris's version
    items = bamako.merged(dakar)
    assert {i["action"] for i in items} == {"conflict"}
    bamako.ok("merge", "resolve", open_conflicts(bamako)[0]["uid"], "--take", "theirs")
    for _ in range(2):
        for a, b in itertools.permutations((bamako, paris, dakar), 2):
            assert not [i for i in a.merged(b) if i["action"] == "conflict"]
    assert exported(bamako) == exported(paris) == exported(dakar)
    assert bamako.json("consultant", "show", "aminata@example.org")["city"] == "Dakar"


# ----------------------------------------------------- dry run, failure, undo
def test_dry_run_lists_everything_writes_nothing_and_exits_0_without_conflicts(sites):
    bamako, paris, _ = sites
    paris.ok("programme", "add", "--code", "TALMALI")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    before = digest(bamako.db)
    result = bamako.merge(paris, "--dry-run")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert sorted((i["action"], i["table"], i["field"]) for i in items) == [
        ("insert", "programme", None),
        ("update", "consultant", "city"),
    ]
    assert "Would merge paris.db: 1 inserted, 1 updated.\nDry run: nothing was written.\n" in result.stderr
    assert digest(bamako.db) == before
    # the real merge does what the dry run said
    assert bamako.merged(paris) == items


def test_a_merge_that_fails_halfway_leaves_the_database_as_it_was(sites, monkeypatch):
    bamako, paris, _ = sites
    paris.ok("programme", "add", "--code", "TALMALI")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    paris.ok("project", "remove", "1", "--yes")
    before = digest(bamako.db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(applying, "_delete", broken)  # after the inserts and updates
    result = bamako.merge(paris)
    assert result.exit_code == 70 and "internal error" in result.stderr
    assert digest(bamako.db) == before
    monkeypatch.undo()
    assert len(bamako.merged(paris)) == 3


def test_undo_takes_a_merge_back_in_one_step_and_the_merge_can_be_done_again(sites):
    bamako, paris, _ = sites
    paris.ok("programme", "add", "--code", "TALMALI")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    paris.ok("project", "remove", "1", "--yes")
    paris.ok("consultant", "edit", "moussa@example.org", "--city", "Lyon")
    bamako.ok("consultant", "edit", "moussa@example.org", "--city", "Kayes")  # a conflict, kept open
    before = snapshot(bamako.db)
    bamako.merged(paris)
    conn = sqlite3.connect(bamako.db)
    commands = conn.execute("SELECT id, kind, command FROM command WHERE kind = 'merge'").fetchall()
    assert len(commands) == 1
    changed = conn.execute("SELECT table_name, action FROM change WHERE command_id = ? ORDER BY id", (commands[0][0],))
    assert sorted(changed.fetchall()) == [("consultant", "update"), ("programme", "insert"), ("project", "delete")]
    conn.close()
    assert len(open_conflicts(bamako)) == 1

    result = bamako.ok("undo", "--yes")
    assert "It changed 3 rows:" in result.stderr
    assert snapshot(bamako.db) == before
    assert open_conflicts(bamako) == []  # the undone merge's bookkeeping no longer counts
    # As if the merge had not happened: merging again brings the same changes back.
    items = bamako.merged(paris)
    assert sorted((i["action"], i["table"]) for i in items) == [
        ("conflict", "consultant"),
        ("insert", "programme"),
        ("remove", "project"),
        ("update", "consultant"),
    ]


def test_merge_keeps_its_notes_as_data_and_says_them_in_the_interface_language(sites):
    bamako, paris, _ = sites
    moussa = bamako.uid("consultant", "moussa@example.org")
    bamako.ok("consultant", "remove", moussa, "--yes")
    paris.ok("mission", "add", "--consultant", "moussa@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-05-03", "--end-date", "2027-05-16")  # fmt: skip
    french = {"MALIEXT_LANG": "fr"}
    result = bamako("merge", str(paris.db), "-f", "json", env=french)
    assert result.exit_code == 0, result.stderr
    said = f"leur version renvoie à une fiche absente d'ici\u202f: son champ consultant (consultant {moussa})"
    assert [(i["action"], i["note"]) for i in json.loads(result.stdout)] == [("conflict", said)]
    # What the bookkeeping keeps is data, not a sentence: the conflict reads in either language.
    conn = sqlite3.connect(bamako.db)
    [(kept,)] = conn.execute("SELECT note FROM merge_conflict").fetchall()
    assert json.loads(kept) == {"field": "consultant", "table": "consultant", "uid": moussa, "held": False}
    assert [c["note"] for c in open_conflicts(bamako)] == [
        f"their version refers to a record that is not here: its consultant (consultant {moussa})"
    ]
    assert [c["note"] for c in bamako.json("merge", "conflicts", env=french)] == [said]
    # A note kept by an earlier maliext (an English sentence) is shown as it was written.
    with conn:
        conn.execute("UPDATE merge_conflict SET note = 'its consultant (consultant 42)'")
    conn.close()
    assert [c["note"] for c in bamako.json("merge", "conflicts", env=french)] == [
        "leur version renvoie à une fiche absente d'ici\u202f: its consultant (consultant 42)"
    ]


# ------------------------------------------------------------ duplicates
def test_a_new_record_whose_key_is_taken_here_is_held_then_linked(sites):
    bamako, paris, _ = sites
    # Both sites register the same person, each under its own uid.
    same = ("--given-names", "Hawa", "--country", "CA", "--degree", "doctorat", "--discipline", "0531",
            "--email", "hawa@example.org")  # fmt: skip
    bamako.ok("consultant", "add", "--family-name", "Touré", *same)
    paris.ok("consultant", "add", "--family-name", "TOURE", *same, "--city", "Montréal")
    paris.ok("mission", "add", "--consultant", "hawa@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-04-05", "--end-date", "2027-04-18")  # fmt: skip
    mine, theirs = bamako.uid("consultant", "hawa@example.org"), paris.uid("consultant", "hawa@example.org")

    dry = bamako.merge(paris, "--dry-run")
    assert dry.exit_code == 4
    items = bamako.merged(paris)
    held = [i for i in items if i["action"] == "held"]
    assert [(i["uid"], i["mine"], i["note"]) for i in held] == [
        (theirs, mine, f"not inserted: same email hawa@example.org as consultant {mine} here")
    ]
    mission = next(i for i in items if i["table"] == "mission")
    assert mission["action"] == "conflict" and mission["note"].endswith(
        f"its consultant (consultant {theirs}), held as a duplicate"
    )
    listed = bamako.json("merge", "duplicates")
    assert [(d["uid"], d["other_uid"], d["state"], d["other_name"]) for d in listed] == [
        (mine, theirs, "held", "Hawa TOURE")
    ]
    assert [d["reason"] for d in listed] == [f"same email hawa@example.org as consultant {mine} here"]
    assert [d["reason"] for d in bamako.json("merge", "duplicates", env={"MALIEXT_LANG": "fr"})] == [
        f"même email hawa@example.org que la fiche consultant {mine} d'ici"
    ]
    refused = bamako("merge", "link", mine, theirs)
    assert refused.exit_code == 1 and "--yes" in refused.stderr

    bamako.ok("merge", "link", mine, theirs, "--yes")
    assert bamako.json("merge", "duplicates") == []
    items = bamako.merged(paris)
    assert [(i["action"], i["table"]) for i in items if i["action"] != "conflict"] == [("insert", "mission")]
    hawa = bamako.json("consultant", "show", "hawa@example.org")
    assert [m["consultant"] for m in bamako.json("mission", "list") if m["start_date"] == "2027-04-05"] == [hawa["id"]]
    assert open_conflicts(bamako) == []

    # Paris learns the link from Bamako: its own Hawa is joined into Bamako's.
    items = paris.merged(bamako)
    assert ("join", theirs) in [(i["action"], i["uid"]) for i in items]
    assert paris.uid("consultant", "hawa@example.org") == mine
    assert paris("merge", "duplicates").exit_code == 0
    bamako.merged(paris)
    assert exported(paris) == exported(bamako)


def test_likely_duplicates_are_inserted_listed_then_joined_everywhere(sites):
    bamako, paris, _ = sites
    paris.ok("consultant", "add", "--family-name", "Traore", "--given-names", "aminata", "--country", "FR",
             "--degree", "doctorat", "--discipline", "0531", "--email", "a.traore@example.fr",
             "--birth-year", "1968")  # fmt: skip
    paris.ok("consultant", "conflict", "add", "a.traore@example.fr", "--institution", "FAST")
    paris.ok("mission", "add", "--consultant", "a.traore@example.fr", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "workshop", "--start-date", "2027-06-07", "--end-date", "2027-06-20")  # fmt: skip
    paris.ok("association", "add", "--name", "Association de Kersignane", "--level", "base", "--parent", "CMF",
             "--country", "FR", "--city", "MONTREUIL")  # fmt: skip
    bamako.ok("consultant", "conflict", "add", "aminata@example.org", "--institution", "FAST")
    items = bamako.merged(paris)
    dups = [(i["table"], i["note"]) for i in items if i["action"] == "duplicate"]
    assert dups == [
        ("consultant", "likely duplicate: same name and birth year"),
        ("association", "likely duplicate: same name and city"),
    ]
    listed = bamako.json("merge", "duplicates")
    assert [(d["table"], d["name"], d["other_name"], d["state"]) for d in listed] == [
        ("consultant", "Aminata Traoré", "aminata Traore", "both here"),
        ("association", "ARK", "Association de Kersignane", "both here"),
    ]
    assert [d["reason"] for d in bamako.json("merge", "duplicates", env={"MALIEXT_LANG": "fr"})] == [
        "même nom et même année de naissance",
        "même nom et même ville",
    ]
    # The associations are different ones; the consultants are one person.
    bamako.ok("merge", "dismiss", listed[1]["uid"], listed[1]["other_uid"])
    keep, other = listed[0]["uid"], listed[0]["other_uid"]
    result = bamako.ok("merge", "link", keep, other, "--yes")
    assert "1 reference moved to it." in result.stderr
    assert bamako.json("merge", "duplicates") == []
    emails = [c["email"] for c in bamako.json("consultant", "list")]
    assert "a.traore@example.fr" not in emails
    aminata = bamako.json("consultant", "show", keep)
    assert sorted(m["start_date"] for m in bamako.json("mission", "list") if m["consultant"] == aminata["id"]) == [
        "2027-02-01",
        "2027-06-07",
    ]
    assert bamako("db", "check").exit_code == 0
    # Paris merges Bamako: it joins the two there as well, and the files agree.
    items = paris.merged(bamako)
    assert ("join", other) in [(i["action"], i["uid"]) for i in items]
    bamako.merged(paris)
    assert exported(paris) == exported(bamako)
    assert snapshot(paris.db) == snapshot(bamako.db)


def test_link_refuses_what_cannot_be_joined(sites):
    bamako, _, _ = sites
    aminata = bamako.uid("consultant", "aminata@example.org")
    fast = bamako.uid("institution", "FAST")
    assert bamako("merge", "link", aminata, "not-a-uid", "--yes").exit_code == 1
    assert bamako("merge", "link", aminata, aminata, "--yes").exit_code == 1
    different = bamako("merge", "link", aminata, fast, "--yes")
    assert different.exit_code == 1 and "cannot be joined" in different.stderr
    unknown = bamako("merge", "link", aminata, "01900000-0000-7000-8000-000000000000", "--yes")
    assert unknown.exit_code == 3


# ------------------------------------------------------------ domain rules
def test_overlapping_missions_planned_at_two_sites_are_merged_with_a_warning(sites):
    bamako, paris, _ = sites
    bamako.ok("mission", "add", "--consultant", "moussa@example.org", "--institution", "FAST",
              "--programme", "TOKTEN", "--type", "lecture", "--start-date", "2027-05-03", "--end-date", "2027-05-16")  # fmt: skip
    paris.ok("mission", "add", "--consultant", "moussa@example.org", "--institution", "UB",
             "--programme", "TOKTEN", "--type", "workshop", "--start-date", "2027-05-10", "--end-date", "2027-05-24")  # fmt: skip
    before = digest(bamako.db)
    dry = bamako.merge(paris, "--dry-run")
    assert dry.exit_code == 4 and "1 record needs a decision, or breaks a rule once merged" in dry.stderr  # a rule broken is a problem
    assert digest(bamako.db) == before
    result = bamako.merge(paris)
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    warning = [i for i in items if i["action"] == "warning"]
    assert len(warning) == 1 and warning[0]["table"] == "mission" and "overlaps mission" in warning[0]["note"]
    assert "Warning: mission" in result.stderr and "1 rule warning (above)." in result.stderr
    assert len(bamako.json("mission", "list")) == 3


# ------------------------------------------------------------------ bundles
def test_a_whole_bundle_merges_like_the_database_itself(sites, tmp_path):
    bamako, paris, dakar = sites
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    paris.ok("programme", "add", "--code", "TALMALI")
    paris.ok("project", "remove", "1", "--yes")
    bundle = tmp_path / "paris.maliext.gz"
    result = paris.ok("export", "--bundle", str(bundle))
    assert result.stdout.strip() == str(bundle)
    assert stat.S_IMODE(os.stat(bundle).st_mode) == 0o600
    with gzip.open(bundle) as handle:
        doc = json.load(handle)
    assert (doc["format"], doc["since"]) == ("maliext-bundle", None)
    from_bundle = bamako.merged(bundle)
    from_database = dakar.merged(paris)
    assert from_bundle == from_database
    assert snapshot(bamako.db) == snapshot(dakar.db)
    once = digest(bamako.db)
    bamako.merged(bundle)
    assert digest(bamako.db) == once


def test_a_bundle_since_a_date_carries_only_changes_and_removes_nothing_it_leaves_out(sites, clock, tmp_path):
    bamako, paris, dakar = sites
    clock.set("2027-02-01T08:00:00Z")
    paris.ok("consultant", "add", "--family-name", "Sissoko", "--given-names", "Oumou", "--country", "FR",
             "--degree", "hdr", "--discipline", "0531", "--email", "oumou@example.org")  # fmt: skip
    paris.ok("mission", "add", "--consultant", "oumou@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-05-03", "--end-date", "2027-05-16")  # fmt: skip
    paris.ok("project", "remove", "1", "--yes")
    # Dakar's own record, unknown to Paris: a partial bundle must not remove it.
    dakar.ok("programme", "add", "--code", "TALMALI")
    bundle = tmp_path / "paris-feb.maliext.gz"
    paris.ok("export", "--bundle", str(bundle), "--since", "2027-02-01")
    with gzip.open(bundle) as handle:
        doc = json.load(handle)
    carried = {t: len(part["rows"]) for t, part in doc["tables"].items() if part["rows"]}
    # the new consultant and mission, and what the mission refers to (FAST and its parent UB, TOKTEN)
    assert carried == {"consultant": 1, "mission": 1, "institution": 2, "programme": 1}
    assert list(doc["tables"]["project"]["removed"]) == [bamako.uid("project", "1")]

    result = dakar.merge(bundle)
    assert result.exit_code == 0
    assert sorted((i["action"], i["table"], i["name"]) for i in json.loads(result.stdout)) == [
        ("insert", "consultant", "Oumou Sissoko"),
        ("insert", "mission", "2027-05-03 to 2027-05-16"),
        ("remove", "project", "Forage"),
    ]
    assert "Merged paris-feb.maliext.gz (a partial bundle): 2 inserted, 1 removed." in result.stderr
    assert {c["email"] for c in dakar.json("consultant", "list")} == {
        "aminata@example.org",
        "moussa@example.org",
        "oumou@example.org",
    }
    assert dakar.json("project", "list") == []
    assert [p["code"] for p in dakar.json("programme", "list")] == ["TOKTEN", "TALMALI"]
    assert len(dakar.json("mission", "list")) == 2
    # Bamako takes the partial bundle the same way, and then the whole of Paris changes nothing more.
    bamako.merged(bundle)
    before = snapshot(bamako.db)
    assert bamako.merged(paris) == []
    assert snapshot(bamako.db) == before


def test_export_bundle_refuses_bad_arguments(sites, tmp_path):
    bamako, _, _ = sites
    assert bamako("export").exit_code == 2
    bad = bamako("export", "--bundle", str(tmp_path / "b.gz"), "--since", "last week")
    assert bad.exit_code == 1 and "--since" in bad.stderr
    assert not (tmp_path / "b.gz").exists()


def test_a_file_of_the_first_schema_merges_whole_into_a_new_site(tmp_path):
    old = tmp_path / "old-antenna.db"
    old.write_bytes((Path(__file__).parent / "fixtures" / "schema-001_initial.db").read_bytes())
    os.chmod(old, 0o400)  # read, never written
    before = old.read_bytes()
    new = Site(tmp_path / "new.db")
    new.ok("init")
    items = new.merged(old)
    assert {i["action"] for i in items} == {"insert"}
    assert len(items) == sum(1 for _ in snapshot(old))
    # Every record whole; the columns added since the first schema hold their defaults.
    merged, first = snapshot(new.db), snapshot(old)
    assert merged.keys() == first.keys()
    for key, record in first.items():
        assert {c: v for c, v in merged[key].items() if c in record} == record
        assert {v for c, v in merged[key].items() if c not in record} <= {None}
    assert new("db", "check").exit_code == 0
    assert old.read_bytes() == before
    once = digest(new.db)
    new.merged(old)
    assert digest(new.db) == once


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.db")), ids=lambda p: p.stem)
def test_a_file_of_each_schema_version_merges_as_it_would_be_upgraded(tmp_path, fixture):
    old = tmp_path / fixture.name
    old.write_bytes(fixture.read_bytes())
    os.chmod(old, 0o400)  # read, never written
    upgraded = tmp_path / "upgraded.db"
    upgraded.write_bytes(fixture.read_bytes())
    Store.open(upgraded).close()  # as this maliext upgrades a file on opening it
    new = Site(tmp_path / "new.db")
    new.ok("init")
    items = new.merged(old)
    assert {i["action"] for i in items} == {"insert"}
    assert len(items) == len(snapshot(upgraded))
    assert snapshot(new.db) == snapshot(upgraded)
    assert new("db", "check").exit_code == 0
    assert old.read_bytes() == fixture.read_bytes()
    # Once upgraded, the same records compare equal: the file upgraded in place brings nothing.
    once = digest(new.db)
    assert new.merged(upgraded) == []
    assert digest(new.db) == once


# ---------------------------------------------------------- schema versions
def later_release(monkeypatch, name: str, *statements: str) -> None:
    """This maliext with one more migration, as a later release would have it."""
    shipped = schema.migrations

    def migrations():
        steps = shipped()

        @steps(name=name)
        def step(db):
            for statement in statements:
                db.execute(statement)

        return steps

    names = (*schema.MIGRATION_NAMES, name)
    monkeypatch.setattr(schema, "migrations", migrations)
    monkeypatch.setattr(schema, "MIGRATION_NAMES", names)
    monkeypatch.setattr(database, "MIGRATION_NAMES", names)  # (imported by name there)


NEW_COLUMN = "ALTER TABLE consultant ADD COLUMN contact TEXT NOT NULL DEFAULT 'email'"


def contacts(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT email, city, contact FROM consultant ORDER BY email").fetchall()
    finally:
        conn.close()


def _set_contact(db: Path, email: str, value: str) -> None:
    store = Store.open(db)
    try:
        with store.transaction():
            store.update(
                "consultant", store.value("SELECT id FROM consultant WHERE email = ?", (email,)), {"contact": value}
            )
    finally:
        store.close()


def _refused_as_newer(result, newer: str) -> None:
    assert result.exit_code == 1, result.stderr
    assert f"schema {newer}" in result.stderr and f"schema {schema.MIGRATION_NAMES[-1]}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("form", ["database", "bundle"])
def test_a_file_of_the_schema_before_a_new_column_merges_and_the_newer_file_is_refused_there(
    sites, monkeypatch, tmp_path, form
):
    bamako, paris, dakar = sites
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    paris.ok("programme", "add", "--code", "TALMALI")
    sent = paris.db
    if form == "bundle":
        sent = tmp_path / "paris.maliext.gz"
        paris.ok("export", "--bundle", str(sent))

    def content() -> str | bytes:
        return digest(sent) if form == "database" else sent.read_bytes()

    untouched = content()
    with monkeypatch.context() as later:
        later_release(later, "003_contact", NEW_COLUMN)
        # Bamako's file is upgraded as it opens; Paris's is read as it is, its records upgraded.
        items = bamako.merged(sent)
        assert sorted((i["action"], i["table"], i["field"]) for i in items) == [
            ("insert", "programme", None),
            ("update", "consultant", "city"),
        ]
        assert contacts(bamako.db) == [("aminata@example.org", "Paris", "email"), ("moussa@example.org", None, "email")]
        # A value of the new column chosen here stays: the older file's version is not newer.
        _set_contact(bamako.db, "moussa@example.org", "phone")
        assert bamako.merged(sent) == []
        assert contacts(bamako.db)[1] == ("moussa@example.org", None, "phone")
        assert content() == untouched
        newer = bamako.db
        if form == "bundle":
            newer = tmp_path / "bamako.maliext.gz"
            bamako.ok("export", "--bundle", str(newer))
            assert json.loads(gzip.decompress(newer.read_bytes()))["schema"] == "003_contact"
    # Dakar still runs the shipped maliext.
    before = digest(dakar.db)
    _refused_as_newer(dakar("merge", str(newer)), "003_contact")
    assert digest(dakar.db) == before


def test_a_migration_that_transforms_columns_transforms_the_records_of_an_older_file(sites, monkeypatch):
    bamako, paris, _ = sites
    paris.ok("consultant", "add", "--family-name", "Sissoko", "--given-names", "Oumou", "--country", "FR",
             "--degree", "hdr", "--discipline", "0531", "--email", "oumou@example.org", "--city", "Lyon")  # fmt: skip
    paris.ok("mission", "add", "--consultant", "oumou@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-05-03", "--end-date", "2027-05-16")  # fmt: skip
    with monkeypatch.context() as later:
        later_release(
            later,
            "003_funders",
            "UPDATE consultant SET city = upper(city)",
            # a join through a reference: the older file's records are upgraded with their references as ids
            "UPDATE mission SET funder = (SELECT code FROM programme WHERE programme.id = mission.programme_id)",
        )
        items = bamako.merged(paris)
        # The records both files had are equal once upgraded: neither updated nor in conflict.
        assert sorted((i["action"], i["table"], i["name"]) for i in items) == [
            ("insert", "consultant", "Oumou Sissoko"),
            ("insert", "mission", "2027-05-03 to 2027-05-16"),
        ]
        conn = sqlite3.connect(bamako.db)
        assert conn.execute("SELECT email, city FROM consultant ORDER BY id").fetchall() == [
            ("aminata@example.org", "ABIDJAN"),
            ("moussa@example.org", None),
            ("oumou@example.org", "LYON"),
        ]
        assert conn.execute("SELECT funder FROM mission").fetchall() == [("TOKTEN",), ("TOKTEN",)]
        conn.close()


def test_upgrading_keeps_records_edits_and_a_reference_to_a_record_the_file_does_not_hold(sites):
    from maliext_cli.services.merge import side, upgrade

    conn = database.open_readonly(FIXTURES / f"schema-{schema.MIGRATION_NAMES[0]}.db")
    try:
        older = side.read_side(conn, "old.db", schema.MIGRATION_NAMES[0])
    finally:
        conn.close()
    mission = next(iter(older.rows["mission"].values()))
    mission["need_id"] = "0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"  # as a damaged bundle could have it
    done = upgrade.upgraded(older)
    assert done.schema == schema.MIGRATION_NAMES[-1]
    # Every record kept as it was; the columns and tables added since are empty.
    assert {t: set(rows) for t, rows in done.rows.items() if rows} == {t: set(rows) for t, rows in older.rows.items() if rows}
    for table, rows in older.rows.items():
        for uid, row in rows.items():
            assert {c: v for c, v in done.rows[table][uid].items() if c in row} == row
            assert {v for c, v in done.rows[table][uid].items() if c not in row} <= {None}
    def kept(by_table: dict) -> dict:
        return {t: v for t, v in by_table.items() if v}

    assert kept(done.edits) == kept(older.edits) and kept(done.removed_at) == kept(older.removed_at)
    assert upgrade.upgraded(done) is done


def test_older_files_that_cannot_be_upgraded_are_refused_clearly(sites, monkeypatch):
    bamako, paris, dakar = sites
    paris.ok("consultant", "edit", "aminata@example.org", "--phone", "+33 6 00 00 00 00")
    paris.ok("consultant", "edit", "moussa@example.org", "--phone", "+33 6 00 00 00 00")
    conn = sqlite3.connect(dakar.db)
    conn.execute("ALTER TABLE consultant ADD COLUMN shoe_size INTEGER")  # changed by hand
    conn.close()
    shipped = schema.MIGRATION_NAMES[-1]
    with monkeypatch.context() as later:
        later_release(later, "999_phones", "CREATE UNIQUE INDEX consultant_phone ON consultant(phone)")
        Store.open(bamako.db).close()  # upgraded as it opens
        before = digest(bamako.db)
        cases = {
            paris.db: f"its records cannot be upgraded from schema {shipped} to 999_phones (UNIQUE constraint failed",
            dakar.db: f"table consultant has other columns than schema {shipped} has",
        }
        for path, message in cases.items():
            result = bamako("merge", str(path))
            assert result.exit_code == 1 and message in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
        assert digest(bamako.db) == before


# ------------------------------------------------------------------ refusals
def test_files_that_cannot_be_merged_are_refused_clearly(sites, tmp_path):
    bamako, _, _ = sites
    before = digest(bamako.db)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.db"
    shutil.copy(bamako.db, newer)
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('maliext', '999_future', '')"
    )
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.maliext.gz"
    damaged.write_bytes(gzip.compress(b'{"format": "maliext-bundle", "version": 1, "schema": "002_merge"}'))
    cases = {
        str(tmp_path / "missing.db"): "no file",
        str(text): "neither a maliext database nor a bundle",
        str(other): "not a maliext database",
        str(newer): "written by a newer maliext",
        str(damaged): "damaged bundle",
        str(bamako.db): "this database itself",
    }
    for path, message in cases.items():
        result = bamako("merge", path)
        assert result.exit_code == 1, (path, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    assert bamako("merge", str(tmp_path / "x.db"), "--prefer", "always").exit_code == 2
    assert digest(bamako.db) == before


def _bundle_variants(doc: dict):
    """Damaged copies of a good bundle document."""
    consultant = doc["tables"]["consultant"]
    yield "a row too short", lambda d: d["tables"]["consultant"]["rows"][0].pop()
    yield "a list as a value", lambda d: d["tables"]["consultant"]["rows"][0].__setitem__(3, ["x"])
    yield (
        "a uid that is not one",
        lambda d: d["tables"]["consultant"]["rows"][0].__setitem__(
            consultant["columns"].index("uid") - 1, "robert'); DROP TABLE consultant;--"
        ),
    )
    yield "no tables", lambda d: d.pop("tables")
    yield "a table missing", lambda d: d["tables"].pop("mission")
    yield "rows not a list", lambda d: d["tables"]["consultant"].__setitem__("rows", 7)
    yield (
        "an edit pointing nowhere",
        lambda d: d["tables"]["consultant"]["edits"].__setitem__(next(iter(consultant["edits"])), [999]),
    )
    yield (
        "a negative edit",
        lambda d: d["tables"]["consultant"]["edits"].__setitem__(next(iter(consultant["edits"])), [-1]),
    )
    yield "a link to a bad table", lambda d: d.__setitem__("links", [["nope", "a", "b"]])
    yield "other columns", lambda d: d["tables"]["consultant"]["columns"].append("shoe_size")
    yield (
        "a value breaking a rule",
        lambda d: d["tables"]["mission"]["rows"][-1].__setitem__(
            d["tables"]["mission"]["columns"].index("travel_cost") - 1, -5
        ),
    )


def test_damaged_bundles_are_refused_without_a_traceback(sites, tmp_path):
    bamako, paris, _ = sites
    paris.ok("consultant", "add", "--family-name", "Sissoko", "--given-names", "Oumou", "--country", "FR",
             "--degree", "hdr", "--discipline", "0531", "--email", "oumou@example.org")  # fmt: skip
    paris.ok("mission", "add", "--consultant", "oumou@example.org", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-05-03", "--end-date", "2027-05-16")  # fmt: skip
    good = tmp_path / "good.maliext.gz"
    paris.ok("export", "--bundle", str(good), "--since", "2027-01-01")
    doc = json.loads(gzip.decompress(good.read_bytes()))
    before = digest(bamako.db)
    for name, damage in _bundle_variants(doc):
        copy = json.loads(json.dumps(doc))
        damage(copy)
        path = tmp_path / "damaged.maliext.gz"
        path.write_bytes(gzip.compress(json.dumps(copy).encode()))
        result = bamako("merge", str(path))
        assert result.exit_code == 1, (name, result.exit_code, result.stderr)
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr, name
    truncated = tmp_path / "truncated.maliext.gz"
    truncated.write_bytes(good.read_bytes()[:-20])
    assert bamako("merge", str(truncated)).exit_code == 1
    assert digest(bamako.db) == before
    assert bamako.merged(good)  # and the good one goes through


def test_both_forms_of_the_command_work(sites):
    bamako, paris, _ = sites
    paris.ok("programme", "add", "--code", "TALMALI")
    dry = bamako("merge", "--dry-run", "--db", str(bamako.db), str(paris.db), "-f", "json", db=False)
    assert dry.exit_code == 0 and json.loads(dry.stdout)[0]["action"] == "insert"
    explicit = bamako("merge", "file", str(paris.db), "--changes", "-f", "csv")
    assert explicit.exit_code == 0 and explicit.stdout.splitlines()[0] == ",".join(ITEM_KEYS)
    assert bamako("merge", "--db", str(bamako.db), "conflicts", "-f", "json", db=False).stdout == "[]\n"
    bare = bamako("merge", db=False)  # like every group without a command: its help, exit 2
    assert bare.exit_code == 2 and "OTHER.db" in bare.stdout + bare.stderr
    assert "OTHER.db" in bamako("merge", "--help", db=False).stdout


def test_end_to_end_the_installed_command_merges_and_exits_4_on_a_dry_run_with_conflicts(sites):
    bamako, paris, _ = sites
    bamako.ok("consultant", "edit", "aminata@example.org", "--city", "Ségou")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    dry = run("merge", str(paris.db), "--dry-run", "--db", str(bamako.db), "-f", "json")
    assert dry.returncode == 4, dry.stderr
    assert [i["field"] for i in json.loads(dry.stdout)] == ["city"]
    done = run("merge", str(paris.db), "--db", str(bamako.db))
    assert done.returncode == 0 and b"1 conflict is left as it is" in done.stderr
    conn = sqlite3.connect(bamako.db)
    assert conn.execute("SELECT command FROM command WHERE kind = 'merge'").fetchall() == []  # nothing applied
    conn.close()
    paris.ok("programme", "add", "--code", "TALMALI")
    run("merge", str(paris.db), "--db", str(bamako.db))
    conn = sqlite3.connect(bamako.db)
    assert conn.execute("SELECT command FROM command WHERE kind = 'merge'").fetchall() == [
        (f"maliext merge {paris.db} --db {bamako.db}",)
    ]
    conn.close()


# ----------------------------------------------------------------- in French
FRENCH = {"MALIEXT_LANG": "fr"}


def test_merge_summary_refusal_and_resolve_in_french(sites):
    bamako, paris, _ = sites
    bamako.ok("consultant", "edit", "aminata@example.org", "--city", "Ségou")
    paris.ok("consultant", "edit", "aminata@example.org", "--city", "Paris")
    paris.ok("programme", "add", "--code", "TALMALI")
    before = digest(bamako.db)
    english = bamako("merge", str(paris.db), "--dry-run", "-f", "json")
    dry = bamako("merge", str(paris.db), "--dry-run", "-f", "json", env=FRENCH)
    # The data do not change with the language; `note` is a sentence for the reader.
    mine, theirs = json.loads(english.stdout), json.loads(dry.stdout)
    assert dry.exit_code == 4 and [dict(i, note=None) for i in theirs] == [dict(i, note=None) for i in mine]
    assert [i["note"] for i in theirs if i["action"] == "conflict"] == ["modifiée ici et là-bas"]
    assert dry.stderr.splitlines() == [
        "Fusion prévue de paris.db\u202f: 1 ajout.",
        "1 conflit laissé en l'état (`maliext merge conflicts`).",
        "Simulation\u202f: rien n'a été enregistré.",
        "Erreur\u202f: 1 fiche demande une décision, ou enfreint une règle une fois fusionnée\u202f; rien n'a été "
        "enregistré",
        "Fusionnez avec --prefer mine|theirs|newer, ou fusionnez puis réglez-les avec `maliext merge resolve`.",
    ]
    assert digest(bamako.db) == before

    done = bamako("merge", str(paris.db), "-f", "json", env=FRENCH)
    assert done.exit_code == 0
    assert done.stderr.splitlines() == [
        "Fusion de paris.db\u202f: 1 ajout.",
        "1 conflit laissé en l'état (`maliext merge conflicts`).",
    ]
    aminata = bamako.uid("consultant", "aminata@example.org")
    wrong = bamako("merge", "resolve", aminata, "--take", "les-leurs", env=FRENCH)
    assert wrong.exit_code == 2
    assert wrong.stderr == "Erreur\u202f: --take\u202f: mine ou theirs attendu, et non 'les-leurs'\n"
    settled = bamako("merge", "resolve", aminata, "--take", "mine", env=FRENCH)
    assert settled.exit_code == 0
    assert settled.stderr == (
        f"Conflit réglé pour consultant {aminata} (Aminata Traoré)\u202f: la version de ce fichier est gardée.\n"
    )
    assert bamako("merge", "conflicts", env=FRENCH).stderr == "Aucun conflit de fusion ouvert.\n"


def test_bundle_export_in_french_counts_records_removals_and_bytes(sites, tmp_path):
    bamako, _, _ = sites
    bundle = tmp_path / "bamako.maliext.gz"
    result = bamako("export", "--bundle", str(bundle), env=FRENCH)
    assert result.exit_code == 0 and result.stdout == f"{bundle}\n"
    with gzip.open(bundle) as handle:
        records = sum(len(part["rows"]) for part in json.load(handle)["tables"].values())
    size = f"{bundle.stat().st_size:,}".replace(",", "\u202f")  # CLDR's French group separator
    assert result.stderr == (
        f"Paquet {bundle} écrit, avec toute la base\u202f: {records} fiches, 0 suppression\u202f; {size} octets.\n"
    )
