"""What a person sees on a terminal: the brief columns of lists, headers in the interface
language (and field names byte for byte where scripts read them), the one-line history,
the options every command shares, the answers prompts take, and Ctrl-C."""

from __future__ import annotations

import csv
import io
import os
import pty
import signal
import subprocess
import sys

import pytest
from typer.main import get_command

from maliext_cli.cli import common
from maliext_cli.cli.app import app
from maliext_cli.render import headers, output
from maliext_cli.services import consultants, history, interests

from .conftest import AMINATA, Cli, add_consultant, digest
from .test_end_to_end import _program


def _nouns():
    """Every noun with a `list` command: (command name, its crud.Noun)."""
    from maliext_cli.services import antennas, associations, institutions, missions, needs, projects

    return {
        "consultant": consultants.NOUN,
        "institution": institutions.INSTITUTIONS,
        "programme": institutions.PROGRAMMES,
        "need": needs.NOUN,
        "mission": missions.NOUN,
        "antenna": antennas.ANTENNAS,
        "agreement": antennas.AGREEMENTS,
        "association": associations.NOUN,
        "project": projects.NOUN,
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Cli:
    """The demo database (every noun, hundreds of records), built once for this file."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    built = Cli(path)("demo", "--db", str(path), db=False)
    assert built.exit_code == 0, built.stderr
    return Cli(path)


def header(text: str) -> list[str]:
    """The header cells of a plain table (tabulate's `simple`): split where the dashes
    of the rule under it are."""
    lines = text.splitlines()
    rule = lines[1]
    spans, start = [], None
    for i, char in enumerate(rule + " "):
        if char == "-" and start is None:
            start = i
        elif char != "-" and start is not None:
            spans.append((start, i))
            start = None
    return [lines[0][a:b].strip() for a, b in spans]


def labels(columns, lang: str = "en") -> list[str]:
    from maliext_cli import i18n

    with i18n.speaking(lang):
        return [headers.label(c) for c in columns]


# ---------------------------------------------------------------- brief columns
@pytest.mark.parametrize("name", list(_nouns()))
def test_list_shows_the_brief_columns_fitting_100_columns_and_every_field_elsewhere(demo, name):
    noun = _nouns()[name]
    assert noun.brief and set(noun.brief) <= {*noun.columns, *noun.label_columns}
    table = demo.ok(name, "list").stdout
    assert header(table) == labels(noun.brief)
    assert max(len(line) for line in table.splitlines()) <= 100
    assert len(table.splitlines()) == 2 + len(demo.json(name, "list"))  # one line per record
    # -c all: every field, as in every other format
    assert header(demo.ok(name, "list", "-c", "all").stdout) == labels(noun.columns)
    assert next(csv.reader(io.StringIO(demo.ok(name, "list", "-f", "csv").stdout))) == noun.columns
    assert list(demo.json(name, "list", "--limit", "1")[0]) == noun.columns
    markdown = demo.ok(name, "list", "-f", "markdown", "--limit", "1").stdout.splitlines()[0]
    assert [cell.strip() for cell in markdown.strip("|").split("|")] == labels(noun.columns)


def test_a_brief_column_reads_a_code_and_json_never_holds_it_unasked(demo):
    rows = demo.json("consultant", "list", "--discipline", "0531")
    assert rows and "discipline_label" not in rows[0] and rows[0]["discipline"] == "0531"
    english = demo.ok("consultant", "list", "--discipline", "0531").stdout.splitlines()
    french = demo.ok("consultant", "list", "--discipline", "0531", env={"MALIEXT_LANG": "fr"}).stdout.splitlines()
    assert english[2].split()[-2] == "Chemistry" and french[2].split()[-2] == "Chimie"
    asked = demo.json("consultant", "list", "--discipline", "0531", "-c", "id,discipline,discipline_label")
    assert asked[0] == {"id": rows[0]["id"], "discipline": "0531", "discipline_label": "Chemistry"}
    shown = demo.json("consultant", "show", str(rows[0]["id"]), "-c", "family_name,discipline_label")
    assert shown == {"family_name": rows[0]["family_name"], "discipline_label": "Chemistry"}


def test_long_texts_are_shortened_only_in_the_brief_table(demo):
    titles = {r["id"]: r["title"] for r in demo.json("need", "list")}
    longest = max(titles, key=lambda k: len(titles[k]))
    brief = demo.ok("need", "list").stdout
    assert titles[longest] not in brief and "…" in brief
    assert titles[longest] in demo.ok("need", "list", "-c", "id,title").stdout
    assert titles[longest] in demo.ok("need", "list", "-f", "markdown").stdout


def test_fitting_gives_way_widest_columns_first():
    body = [["1", "short", "x" * 80, "y" * 40]]
    fitted = output.fitted(body, ["ID", "Name", "Title", "Notes"], 60, gap=2)
    widths = [len(c) for c in fitted[0]]
    assert sum(widths) + 2 * 3 <= 60 and widths[:2] == [1, 5]  # short columns keep their text
    assert fitted[0][2].endswith("…") and fitted[0][3].endswith("…") and widths[2] == widths[3]
    assert output.fitted([["a\nb", "c"]], ["A", "B"], 60, gap=2) == [["a b", "c"]]  # one line per record
    # Dates, codes and addresses keep their width while a column of words can give way.
    when = "2026-12-08T02:14:34Z"
    row = [when, "maliext consultant edit 1 --notes 'Disponible en juillet' --city Tours", "aminata@example.org"]
    shortened = output.fitted([row], ["Date", "Commande", "Courriel"], 60, gap=2)[0]
    assert shortened[0] == when and shortened[2] == row[2] and shortened[1].endswith("…")


def test_every_list_accepts_html_on_stdout_or_in_a_file(demo, tmp_path):
    page = demo.ok("need", "list", "-f", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "<th>Title</th>" in page and "<th>title</th>" not in page
    target = tmp_path / "besoins.html"
    written = demo("need", "list", "-f", "html", "-o", str(target), env={"MALIEXT_LANG": "fr"})
    assert written.exit_code == 0 and written.stdout == ""
    french = target.read_text(encoding="utf-8")
    assert '<html lang="fr">' in french and "<th>Intitulé</th>" in french
    assert demo.ok("need", "list", "-f", "html", "-c", "all").stdout.count("</th>") == len(_nouns()["need"].columns)
    for command in (["consultant", "availability", "list", "1"], ["consultant", "conflict", "list", "1"]):
        assert demo.ok(*command, "-f", "html").stdout.startswith("<!DOCTYPE html>")
    assert demo.ok("history", "--limit", "2", "-f", "html").stdout.count("<tr>") == 3


# The widest brief tables (the others have fewer or shorter columns), laid out on A4 by
# headless Chromium (tests/browser.py): no table wider than the page, no date or figure
# broken over two lines.
@pytest.mark.parametrize("name", ["consultant", "need", "mission", "association", "project"])
def test_a_list_page_prints_on_a4_with_every_column_and_whole_dates(demo, tmp_path, name):
    from .browser import Chromium

    page = demo.ok(name, "list", "-f", "html", env={"MALIEXT_LANG": "fr"}).stdout
    assert "<script" not in page
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    with Chromium(tmp_path / "profile") as browser:
        layout = browser.layout(path)
    assert layout.tables >= 1 and layout.too_wide == [] and layout.wrapped == []


# ------------------------------------------------------------------ headers
def test_headers_are_translated_in_the_formats_people_read_only(demo):
    fr = {"MALIEXT_LANG": "fr"}
    table = header(demo.ok("consultant", "list", env=fr).stdout)
    assert table[:6] == ["N°", "Nom", "Prénoms", "Pays", "Diplôme", "Discipline"]
    markdown = demo.ok("mission", "list", "-f", "markdown", "--limit", "1", env=fr).stdout.splitlines()[0]
    assert "Consultant" in markdown and "Début" in markdown and "start_date" not in markdown
    shown = demo.ok("consultant", "show", "1", env=fr).stdout
    assert "Nom de famille" not in shown and "\nNom " in shown and "family_name" not in shown
    # Scripts read csv, tsv, json and jsonl: the same bytes in every language.
    for name in _nouns():
        for fmt in ("csv", "tsv", "json", "jsonl") if name == "consultant" else ("csv", "json"):
            english = demo.ok(name, "list", "-f", fmt, "--limit", "5").stdout
            assert demo.ok(name, "list", "-f", fmt, "--limit", "5", env=fr).stdout == english, (name, fmt)
    for args in (["history", "--limit", "3"], ["mission", "report", "--by", "year,type"], ["consultant", "show", "1"]):
        for fmt in ("csv", "json"):
            assert demo.ok(*args, "-f", fmt, env=fr).stdout == demo.ok(*args, "-f", fmt).stdout


def test_db_sql_keeps_the_names_its_query_gives(demo):
    result = demo.ok("db", "sql", "SELECT country, count(*) AS n FROM consultant GROUP BY country LIMIT 2")
    assert header(result.stdout) == ["country", "n"]


def _printed_columns(demo: Cli) -> set[str]:
    """Every column that a list, show, report, ranking, plan, tree or history prints."""
    columns: set[str] = {"field", "value", "key", "record"}  # show's two columns, summary's, history's
    for name, noun in _nouns().items():
        columns.update(noun.columns, noun.sections, noun.label_columns)
        first = demo.json(name, "list", "--limit", "1")[0]
        for section in noun.sections:
            for item in demo.json(name, "show", str(first["id"]))[section][:1]:
                columns.update(item)
    columns.update(consultants.AVAILABILITY_COLUMNS, interests.CONFLICT_OF_INTEREST_COLUMNS, history.COLUMNS)
    from maliext_cli.render.tree import FLAT_COLUMNS
    from maliext_cli.services.merge import conflicts, duplicates, report

    columns.update(FLAT_COLUMNS, report.ITEM_COLUMNS, conflicts.CONFLICT_COLUMNS, duplicates.DUPLICATE_COLUMNS)
    by = "year,month,institution,type,programme,funder,discipline,country,consultant,status"
    for args in (
        ["mission", "report", "--by", by],
        ["association", "report", "--by", "country,level,kind,origin_region,city,status"],
        ["project", "report"],
        ["match", "rank", "7", "--explain", "--show-excluded"],
        ["match", "plan"],
        ["ref", "disciplines"],
        ["ref", "regions"],
    ):
        columns.update(next(csv.reader(io.StringIO(demo.ok(*args, "-f", "csv").stdout))))
    explained = demo.json("match", "explain", "7", "1")
    columns.update(explained)
    columns.update(("criterion", "weight", "contribution", "why", "free_seats", "filled", "seats", "reason"))
    return columns


def test_every_column_printed_has_a_label_in_english_and_french(demo):
    columns = _printed_columns(demo)
    missing = sorted(c for c in columns if not headers.known(c))
    assert missing == [], f"columns without a label in render/headers.py: {missing}"
    english, french = labels(sorted(columns)), labels(sorted(columns), "fr")
    untranslated = [en for en, fr in zip(english, french) if en == fr and en not in SAME_IN_FRENCH]
    assert untranslated == []


# Labels that French writes as English does.
SAME_IN_FRENCH = {
    "UID", "Code", "Discipline", "Type", "Missions", "Consultants", "Consultant", "Per diem", "Score", "Contribution",
    "Table", "Action", "Total", "Total (EUR)", "Total (FCFA)", "Associations", "Association", "Programme", "Rotation",
    "Contact",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_two_columns_of_a_list_share_a_header(lang):
    for name, noun in _nouns().items():
        for columns in (noun.columns, noun.brief, noun.sections):  # (a section heads a table of its own)
            shown = labels(columns, lang)
            assert len(set(shown)) == len(shown), (name, lang, shown)
    for columns in (history.COLUMNS, [*history.BRIEF], consultants.AVAILABILITY_COLUMNS):
        shown = labels(columns, lang)
        assert len(set(shown)) == len(shown), (lang, shown)


# ------------------------------------------------------------------ history
def test_history_is_one_line_per_change_unless_full(cli, db):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--notes", "Disponible en été,\nsauf en août", "--city", "Orléans")
    table = cli.ok("history").stdout.splitlines()
    assert header("\n".join(table)) == labels(history.BRIEF)
    assert len(table) == 2 + 2 and all(len(line) <= 100 for line in table)
    assert "1 (Aminata Traoré)" in table[2] and "update" in table[2] and "insert" in table[3]
    full = cli.ok("history", "--full").stdout
    assert header(full) == labels(history.COLUMNS) and '"city": "Orléans"' in full
    keys = ["id", "at", "user", "command", "table", "uid", "action", "before", "after"]
    for mode in ([], ["--full"]):
        rows = cli.json("history", *mode)
        assert [list(r) for r in rows] == [keys, keys] and rows[0]["after"]["city"] == "Orléans"
        assert next(csv.reader(io.StringIO(cli.ok("history", *mode, "-f", "csv").stdout))) == keys
    assert header(cli.ok("history", "-c", "at,record").stdout) == labels(["at", "record"])


def test_history_limit_3_fits_a_screen(demo):
    lines = demo.ok("history", "--limit", "3").stdout.splitlines()
    assert len(lines) == 5 and max(len(line) for line in lines) <= 100


# ------------------------------------------------------------------ options
def _commands():
    """(path, click command) of every command."""
    stack = [((), get_command(app))]
    while stack:
        path, command = stack.pop()
        subcommands = getattr(command, "commands", None)
        if subcommands:
            stack.extend(((*path, name), sub) for name, sub in subcommands.items())
        else:
            yield " ".join(path), command


def _options(command) -> set[str]:
    return {opt for param in command.params for opt in param.opts}


def test_options_are_the_same_everywhere_they_make_sense():
    commands = dict(_commands())
    creating = [p for p in commands if p.split()[-1] in ("add", "import")] + ["match plan"]
    assert {"consultant availability add", "consultant conflict add", "mission add"} <= set(creating)
    printing = [p for p in commands if p.split()[-1] in ("list", "show", "report", "tree", "rank", "plan", "explain")]
    printing += ["history", "merge conflicts", "merge duplicates", "merge file"]
    writing = [p for p in commands if " " in p and p.split()[-1] in ("list", "export")]  # not `export --bundle`
    writing += ["association report", "history"]
    writing += ["report summary", "report annual"]
    for path in creating:
        assert {"-q", "--quiet"} <= _options(commands[path]), path
    for path in printing:
        if path != "report summary" and path != "report annual":
            assert {"-c", "--columns"} <= _options(commands[path]), path
    for path in writing:
        assert {"-o", "--output"} <= _options(commands[path]), path
    for path in (p for p in commands if p.split()[-1] == "list"):
        assert "html" in next(p.help for p in commands[path].params if "--format" in p.opts), path


def test_show_takes_columns_and_sections(cli):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "availability", "add", "1", "--start", "2027-07-01", "--end", "2027-08-15")
    shown = cli.json("consultant", "show", "1", "-c", "email,availability")
    assert list(shown) == ["email", "availability"] and shown["availability"][0]["start"] == "2027-07-01"
    assert set(cli.json("consultant", "show", "1", "-c", "all")) == {*consultants.NOUN.columns, *consultants.NOUN.sections}
    table = cli.ok("consultant", "show", "1", "-c", "family_name").stdout
    assert "Traoré" in table and "Availability" not in table
    assert cli("consultant", "show", "1", "-c", "shoe_size").exit_code == 2


def test_quiet_and_columns_of_the_other_commands(demo, cli):
    add_consultant(cli, *AMINATA)
    cli.ok("institution", "add", "--name", "Faculté des sciences", "--acronym", "FAST")
    assert cli.ok("consultant", "conflict", "add", "1", "--institution", "FAST", "-q").stdout == "1\n"
    assert cli.ok("consultant", "availability", "add", "1", "--start", "2027-07-01", "--end", "2027-08-15", "-q").stdout == "1\n"
    assert cli.json("consultant", "conflict", "list", "1", "-c", "institution_acronym") == [{"institution_acronym": "FAST"}]
    assert cli.csv("consultant", "availability", "list", "1", "-c", "start,end") == [
        {"start": "2027-07-01", "end": "2027-08-15"}
    ]
    ranked = demo.json("match", "rank", "40", "--top", "2", "-c", "consultant_name,score,discipline")
    assert ranked and list(ranked[0]) == ["consultant_name", "score", "discipline"]
    plan = demo.csv("match", "plan", "-c", "need,consultant_name")
    assert plan and list(plan[0]) == ["need", "consultant_name"]
    refused = demo("match", "plan", "-q")
    assert refused.exit_code == 2 and "--commit" in refused.stderr
    tree = demo.json("association", "tree", "CMF", "--depth", "1", "-c", "name,members")
    assert tree[0] == {"name": "Conseil des Maliens de France", "members": tree[0]["members"]}
    assert list(demo.json("match", "explain", "7", "1", "-c", "eligible,excluded")) == ["eligible", "excluded"]


def test_match_plan_quiet_prints_the_new_missions(tmp_path, demo):
    import shutil

    copy = tmp_path / "plan.db"
    shutil.copy(demo.db, copy)
    other = Cli(copy)
    planned = other.json("match", "plan", "--need", "40")["assignments"]
    created = other.ok("match", "plan", "--need", "40", "--commit", "--programme", "TOKTEN", "-q").stdout.split()
    assert len(created) == len(planned) >= 1
    assert [other.json("mission", "show", i)["consultant"] for i in created] == [a["consultant"] for a in planned]


def test_association_report_writes_its_file(demo, tmp_path):
    target = tmp_path / "associations.csv"
    result = demo("association", "report", "--by", "level", "-f", "csv", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == "" and str(target) in result.stderr
    assert next(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))[:2] == ["level", "associations"]


# ------------------------------------------------------------------ prompts
@pytest.mark.parametrize(
    ("lang", "answer", "agreed"),
    [("fr", "o", True), ("fr", "oui", True), ("fr", "OUI", True), ("fr", "non", False), ("fr", "n", False),
     ("en", "y", True), ("en", "yes", True), ("en", "no", False)],
)
def test_prompts_take_the_answers_of_the_interface_language(cli, db, monkeypatch, lang, answer, agreed):
    add_consultant(cli, *AMINATA)
    cli.ok("consultant", "edit", "1", "--city", "Orléans")
    monkeypatch.setattr(common, "interactive", lambda: True)
    env = {"MALIEXT_LANG": lang}
    before = digest(db)
    undo = cli("undo", input=f"{answer}\n", env=env)
    if agreed:
        assert undo.exit_code == 0, undo.stderr
        assert cli.json("consultant", "show", "1")["city"] is None
    else:
        assert undo.exit_code == 1 and "Traceback" not in undo.stderr
        assert digest(db) == before
    before = digest(db)
    removal = cli("consultant", "remove", "1", input=f"{answer}\n", env=env)
    if agreed:
        assert removal.exit_code == 0 and cli("consultant", "show", "1").exit_code == 3
    else:
        assert removal.exit_code == 1 and digest(db) == before


def test_an_unknown_answer_is_asked_again(cli, monkeypatch):
    add_consultant(cli, *AMINATA)
    monkeypatch.setattr(common, "interactive", lambda: True)
    result = cli("consultant", "remove", "1", input="peut-être\noui\n", env={"MALIEXT_LANG": "fr"})
    assert result.exit_code == 0 and cli("consultant", "show", "1").exit_code == 3


# ------------------------------------------------------------------ Ctrl-C
# The real `maliext` start-up (cli/entry.py), stopped where it loads the commands until
# the test has sent its SIGINT: the signal comes while modules load, whatever the speed
# of the machine, without a sleep.
WHILE_LOADING = r"""
import builtins, sys
from maliext_cli.cli import entry

real_import = builtins.__import__

def loading(name, *args, **kwargs):
    if name == "maliext_cli.cli.app":
        sys.stdout.write("loading\n")
        sys.stdout.flush()
        sys.stdin.readline()  # the SIGINT comes while this waits; nothing is ever written
    return real_import(name, *args, **kwargs)

builtins.__import__ = loading
sys.argv = ["maliext", "consultant", "list"]
entry.main()
"""


def test_ctrl_c_while_modules_load_prints_one_line(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", WHILE_LOADING],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", "MALIEXT_DB": str(tmp_path / "none.db")},
    )
    assert process.stdout.readline() == b"loading\n"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert err.decode().splitlines() == ["Interrupted: nothing that was not finished was written."]
    assert out == b"" and not (tmp_path / "none.db").exists()


def test_ctrl_c_at_a_question_prints_one_line_and_changes_nothing(tmp_path):
    """The installed program on a terminal (a pseudo-terminal), asked whether to undo:
    the SIGINT comes once the question is on the screen."""
    db = tmp_path / "asked.db"
    added = subprocess.run([_program(), "institution", "add", "--name", "IUG", "--db", str(db)], capture_output=True)
    assert added.returncode == 0, added.stderr
    before = digest(db)
    terminal, other_end = pty.openpty()
    process = subprocess.Popen(
        [_program(), "undo", "--db", str(db)],
        stdin=other_end,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", "MALIEXT_LANG": "fr"},
    )
    os.close(other_end)
    try:
        asked = b""
        while b"Undo this command?" not in asked and b"Annuler cette commande" not in asked:
            chunk = os.read(process.stderr.fileno(), 4096)
            assert chunk, asked
            asked += chunk
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        os.close(terminal)
    assert process.returncode == 130
    # the line after the question's, as a shell begins its own
    assert err.decode().split("\n") == ["", "Interrompu\u202f: rien de ce qui n'était pas terminé n'a été écrit.", ""]
    assert b"Traceback" not in asked + err and out == b""
    assert digest(db) == before
