"""`consultant import` and `consultant export`: formats, headers, all-or-nothing, round trips."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maliext_cli import clock
from maliext_cli.services import records

from .conftest import AMINATA, add_consultant, digest

FR_CSV = (
    "nom;prénom;sexe;année de naissance;courriel;téléphone;pays;ville;diplôme;discipline;spécialités;langues;disponibilités\n"
    "Traoré;Aminata;F;1968;aminata@example.org;+33 6 12 34 56 78;France;Orléans;Doctorat;chimie;chimie organique;fr;2027-01-04/2027-03-31\n"
    "Keïta;Moussa;M;1972;moussa@example.org;;Sénégal;Dakar;HDR;0541;analyse numérique;fr;\n"
)


def _import(cli, data: str | bytes, *args: str):
    return cli("consultant", "import", "-", *args, input=data)


def test_french_headers_semicolons_and_stdin(cli):
    result = _import(cli, FR_CSV, "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n2\n"
    rows = cli.json("consultant", "list")
    assert [(r["family_name"], r["country"], r["degree"], r["discipline"]) for r in rows] == [
        ("Traoré", "FR", "doctorat", "0531"),
        ("Keïta", "SN", "hdr", "0541"),
    ]
    assert rows[0]["availability"] == ["2027-01-04/2027-03-31"]


def test_bom_and_crlf(cli):
    data = "\ufeff" + FR_CSV.replace("\n", "\r\n")
    assert _import(cli, data.encode("utf-8")).exit_code == 0
    assert cli.json("consultant", "list")[0]["family_name"] == "Traoré"


def test_tsv_json_and_jsonl(cli, tmp_path):
    tsv = "family_name\tgiven_names\tcountry\tdegree\tdiscipline\nDiarra\tOumou\tCA\tmaster\t0533\n"
    js = json.dumps(
        [
            {
                "family_name": "Coulibaly",
                "given_names": "Seydou",
                "country": "US",
                "degree": "hdr",
                "discipline": "0912",
                "languages": ["fr", "en"],
                "birth_year": 1961,
            }
        ]
    )
    jsonl = '{"nom": "Sow", "prénom": "Awa", "pays": "BE", "diplôme": "dea", "discipline": "0421"}\n'
    for name, data in (("a.tsv", tsv), ("b.json", js), ("c.jsonl", jsonl)):
        path = tmp_path / name
        path.write_text(data, encoding="utf-8")
        result = cli("consultant", "import", str(path))
        assert result.exit_code == 0, result.stderr
    rows = cli.json("consultant", "list")
    assert [r["family_name"] for r in rows] == ["Diarra", "Coulibaly", "Sow"]
    assert rows[1]["languages"] == ["fr", "en"] and rows[1]["birth_year"] == 1961


def test_forced_input_format(cli):
    data = "family_name,given_names,country,degree,discipline\nDiarra,Oumou,CA,master,0533\n"
    assert _import(cli, data, "--input-format", "csv").exit_code == 0
    assert _import(cli, data, "--input-format", "xml").exit_code == 2


def test_every_invalid_row_is_reported_and_nothing_is_written(cli, db):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    data = (
        "family_name,given_names,country,degree,discipline,email\n"
        "Keïta,Moussa,SN,hdr,0541,moussa@example.org\n"
        ",Awa,FR,doctorat,0531,\n"
        "Sow,Ali,Atlantis,doctorat,0531,ali@\n"
        "Diarra,Oumou,CA,master,0533,aminata@example.org\n"
        "Ba,Issa,ML,licence,0111,moussa@example.org\n"
    )
    result = _import(cli, data)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 4 of 5 lines are invalid; nothing was imported"
    assert "  line 3: family_name: is required" in lines
    assert any(line.startswith("  line 4: country: unknown country 'Atlantis'") for line in lines)
    assert any(line.startswith("  line 4: email:") for line in lines)
    assert "  line 5: consultant 1 already has this email; use --upsert to update it" in lines
    assert "  line 6: email moussa@example.org is also on line 2" in lines
    assert digest(db) == before


def test_bad_row_far_in_a_large_file(cli, db):
    cli.ok("init")
    before = digest(db)
    rows = ["family_name,given_names,country,degree,discipline"]
    rows += [f"Nom{i},Prénom,FR,doctorat,0531" for i in range(1, 10_000)]
    rows.insert(9_999, "Nom,Prénom,FR,doctorat,not-a-field")
    result = _import(cli, "\n".join(rows) + "\n")
    assert result.exit_code == 1
    assert "line 10000: discipline" in result.stderr
    assert digest(db) == before


def test_dry_run_writes_nothing(cli, db):
    cli.ok("init")
    before = digest(db)
    result = _import(cli, FR_CSV, "--dry-run")
    assert result.exit_code == 0
    assert "Would import 2 rows: 2 new" in result.stderr
    assert digest(db) == before


def test_upsert_by_uid_then_email(cli):
    _import(cli, FR_CSV)
    exported = cli.json("consultant", "export")
    uid = exported[0]["uid"]
    data = json.dumps(
        [
            {"uid": uid, "family_name": "Traoré", "given_names": "Aminata", "city": "Paris"},
            {"email": "MOUSSA@example.org", "status": "inactive"},
            {"family_name": "Sow", "given_names": "Awa", "country": "BE", "degree": "dea", "discipline": "0421"},
        ]
    )
    refused = _import(cli, data)
    assert refused.exit_code == 1 and "use --upsert" in refused.stderr
    result = _import(cli, data, "--upsert")
    assert result.exit_code == 0, result.stderr
    assert "1 new, 2 updated" in result.stderr
    rows = {r["id"]: r for r in cli.json("consultant", "list")}
    assert rows[1]["city"] == "Paris" and rows[1]["country"] == "FR"  # fields left out stay
    assert rows[2]["status"] == "inactive"
    assert rows[3]["family_name"] == "Sow"


def test_export_import_round_trip_with_formulas(cli, tmp_path):
    add_consultant(
        cli,
        *AMINATA,
        "--notes",
        '=HYPERLINK("http://evil")',
        "--employer",
        "@Risk",
        "--phone",
        "+223 76 12 34 56",
        "--specialities",
        "-chimie;+plus",
        "--availability",
        "2027-01-04/2027-03-31",
        "--birth-year",
        "1970",
    )
    out = tmp_path / "export.csv"
    cli.ok("consultant", "export", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["notes"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["employer"] == "'@Risk"
    assert rows[0]["phone"] == "+223 76 12 34 56"
    assert rows[0]["specialities"] == "'-chimie;+plus"
    original = cli.json("consultant", "show", "1")
    other = type(cli)(tmp_path / "other.db")
    result = other("consultant", "import", str(out))
    assert result.exit_code == 0, result.stderr
    copy = other.json("consultant", "show", "1")
    for key in (
        "uid",
        "family_name",
        "notes",
        "employer",
        "phone",
        "specialities",
        "availability",
        "birth_year",
        "country",
    ):
        if key == "availability":
            assert [(p["start"], p["end"]) for p in copy[key]] == [(p["start"], p["end"]) for p in original[key]]
        else:
            assert copy[key] == original[key], key


def test_export_redact(cli):
    add_consultant(cli, *AMINATA, "--phone", "+223 76 12 34 56", "--birth-year", "1970")
    record = cli.json("consultant", "export", "--redact")[0]
    assert not {"email", "phone", "birth_year"} & set(record)
    assert record["family_name"] == "Traoré"


def test_not_utf8_is_refused_with_advice(cli):
    data = FR_CSV.encode("cp1252")
    result = _import(cli, data)
    assert result.exit_code == 1
    assert "not valid utf-8" in result.stderr and "--encoding cp1252" in result.stderr
    assert _import(cli, data, "--encoding", "cp1252").exit_code == 0


def test_unknown_columns_are_warned_about(cli):
    data = "family_name,given_names,country,degree,discipline,shoe_size\nDiarra,Oumou,CA,master,0533,42\n"
    result = _import(cli, data)
    assert result.exit_code == 0
    assert "column 'shoe_size' is not a field of consultant; it is ignored" in result.stderr


def test_missing_file(cli):
    result = cli("consultant", "import", "/nonexistent/file.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no file")


_cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "FR", "doctorat", "0531", "2027-01-01/2027-02-01", "=1+1", "\x00", "\u202e"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cell, min_size=6, max_size=6), min_size=1, max_size=4))
def test_no_generated_csv_makes_a_traceback(cli, db, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["family_name", "given_names", "country", "degree", "discipline", "availability"])
    writer.writerows(rows)
    before = digest(db) if db.exists() else None
    result = cli("consultant", "import", "-", input=buffer.getvalue())
    assert result.exit_code in (0, 1), result.stderr
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ")
        if before is not None:
            assert digest(db) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.text(max_size=30), min_size=5, max_size=5))
def test_no_generated_add_makes_a_traceback(cli, values):
    names = ["--family-name", "--given-names", "--country", "--birth-year", "--availability"]
    args = [x for pair in zip(names, values) for x in pair]
    result = cli("consultant", "add", *args, "--degree", "hdr", "--discipline", "0531", "-q")
    assert result.exit_code in (0, 1, 2), result.stderr
    if result.exit_code:
        assert result.stderr.startswith(("Error: ", "Usage: "))


def test_jsonl_export_with_unusual_line_breaks_reads_back(cli, tmp_path):
    add_consultant(cli, *AMINATA, "--notes", "avant\u2028après\u2029fin")
    out = tmp_path / "export.jsonl"
    cli.ok("consultant", "export", "-f", "jsonl", "-o", str(out))
    other = type(cli)(tmp_path / "other.db")
    assert other("consultant", "import", str(out)).exit_code == 0
    assert other.json("consultant", "show", "1")["notes"] == cli.json("consultant", "show", "1")["notes"]


def test_upsert_dry_run_counts_what_the_real_run_does(cli, db):
    _import(cli, FR_CSV)
    exported = cli.ok("consultant", "export").stdout
    before = digest(db)
    dry = _import(cli, exported, "--upsert", "--dry-run")
    assert dry.exit_code == 0
    assert "0 new, 0 updated, 2 unchanged (dry run" in dry.stderr
    assert digest(db) == before


# ------------------------------------------- batches (the import's fast path)
def _row(n: int, email: str | None = None, period: str = "") -> str:
    return f"N{n},P{n},FR,hdr,0531,{email or f'p{n}@example.org'},{period}\n"


BATCH_HEADER = "family_name,given_names,country,degree,discipline,email,availability\n"


def test_rows_checked_in_batches_give_the_same_answers(cli, db, monkeypatch):
    """Rows are checked a batch at a time (a whole batch at once when every row is
    new); refusals, updates and new rows must not depend on where batches end."""
    from maliext_cli.services import importer

    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    assert _import(cli, BATCH_HEADER + _row(1) + _row(2)).exit_code == 0
    before = digest(db)
    rows = [_row(n, period=f"2027-01-{n:02d}/2027-02-{n:02d}") for n in range(3, 12)]
    rows[4] = _row(7, email="P1@example.org", period="2027-01-07/2027-02-07")  # line 6: consultant 1, second batch
    rows[7] = _row(10, email="p4@EXAMPLE.org")  # line 9: the e-mail of line 3, two batches later
    result = _import(cli, BATCH_HEADER + "".join(rows))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "  line 6: consultant 1 already has this email; use --upsert to update it",
        "  line 9: email p4@EXAMPLE.org is also on line 3",
    ]
    assert digest(db) == before
    del rows[7]
    result = _import(cli, BATCH_HEADER + "".join(rows), "--upsert", "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["3", "4", "5", "6", "7", "8", "9"]  # consultant 1 was updated
    listed = {r["email"]: r for r in cli.json("consultant", "list")}
    assert listed["P1@example.org"]["family_name"] == "N7"
    assert listed["P1@example.org"]["availability"] == ["2027-01-07/2027-02-07"]
    assert listed["p11@example.org"]["availability"] == ["2027-01-11/2027-02-11"]
    assert len(listed) == 9


def test_refusals_in_a_long_column_of_distinct_values(cli, db):
    """E-mail addresses are all different: after a first batch the parser stops
    caching them; a bad one far down is still found, with its line."""
    add_consultant(cli, *AMINATA)
    rows = [_row(n) for n in range(1, 6001)]
    rows[5499] = _row(5500, email="p5500@@example.org")
    before = digest(db)
    result = _import(cli, BATCH_HEADER + "".join(rows))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == ["  line 5501: email: 'p5500@@example.org' is not a valid e-mail address"]
    assert digest(db) == before


def test_a_record_over_several_lines_keeps_the_line_numbers(cli):
    data = BATCH_HEADER + _row(1) + 'N2,"P2\nsecond line",FR,hdr,0531,p2@example.org,\n' + _row(3, email="bad")
    result = _import(cli, data)
    assert result.exit_code == 1
    assert "  line 5: email: 'bad' is not a valid e-mail address" in result.stderr.splitlines()
    assert "  line 3: given_names: contains a forbidden character (U+000A control character)" in result.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Traoré", "", "  Keïta ", "\x07x", "'=cmd", None, 12]),
            st.sampled_from(["FR", "France", "Atlantis", "", "sn"]),
            st.sampled_from(["fr;en", "xx", "", ["fr", "bm"], [["fr"]]]),
            st.sampled_from(["a@b.org", "A@B.org", "nope", "", None]),
        ).map(lambda t: [(v if v is not None else records.MISSING) for v in t]),
        max_size=30,
    )
)
def test_column_parsing_agrees_with_row_parsing(rows):
    """`parse_columns` (imports of consultants) answers exactly what `parse` does
    row by row: values, MISSING cells, problems and their order."""
    from maliext_cli.services import consultants

    names = ["family_name", "country", "languages", "email"]
    by_rows = records.RowParser(consultants.ENTITY, names, restore=True)
    by_columns = records.RowParser(consultants.ENTITY, names, restore=True)
    columns, problems = by_columns.parse_columns(rows)
    for k, cells in enumerate(rows):
        values, wrong = by_rows.parse(cells)
        assert problems.get(k, []) == wrong
        if not wrong:
            assert {n: c[k] for n, c in columns.items() if c[k] is not records.MISSING} == values


def test_a_file_read_batch_by_batch_reports_what_the_whole_file_would(cli, db, monkeypatch):
    """A CSV file is read a batch at a time while earlier rows are written: a row
    with too many cells or a broken quote far down still refuses the whole file."""
    from maliext_cli.services import importer

    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    add_consultant(cli, *AMINATA)
    before = digest(db)
    rows = [_row(n) for n in range(1, 12)]
    rows[1] = rows[1].rstrip("\n") + ",extra\n"  # line 3
    rows[9] = rows[9].rstrip("\n") + ",extra\n"  # line 11, three batches later
    result = _import(cli, BATCH_HEADER + "".join(rows))
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        ["Error: the file cannot be read", "  line 3: 8 cells for 7 columns", "  line 11: 8 cells for 7 columns"],
    )
    rows = [_row(n) for n in range(1, 12)]
    rows[3] = 'N4,"P4\nstill P4",FR,hdr,0531,p4@example.org,\n'  # lines 5 and 6
    rows[8] = 'N9,"P9"x,FR,hdr,0531,p9@example.org,\n'  # line 11: text after a closing quote
    result = _import(cli, BATCH_HEADER + "".join(rows))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Error: the file cannot be read", "  line 11: ',' expected after '\"'"]
    assert digest(db) == before
    rows[8] = _row(9, email="nine")
    result = _import(cli, BATCH_HEADER + "".join(rows))
    assert result.stderr.splitlines()[1:] == [
        "  line 5: given_names: contains a forbidden character (U+000A control character)",
        "  line 11: email: 'nine' is not a valid e-mail address",
    ]
    assert digest(db) == before


def test_json_values_equal_in_python_are_told_apart(cli, db):
    """1 and true are equal as Python values: each JSON value gets its own answer."""
    base = {"given_names": "Awa", "country": "ML", "degree": "master", "discipline": "0531"}
    rows = [
        {**base, "family_name": "Sow", "sex": "F", "birth_year": 1},
        {**base, "family_name": "Ba", "sex": "F", "birth_year": True},
        {**base, "family_name": "Kané", "sex": "F", "birth_year": 1.0},
    ]
    result = _import(cli, "\n".join(json.dumps(r) for r in rows), "--input-format", "jsonl")
    year = clock.today().year - 16
    assert result.stderr.splitlines()[1:] == [
        f"  line 1: birth_year: must be between 1920 and {year}, got 1",
        "  line 2: birth_year: expected a whole number, got true",
        f"  line 3: birth_year: must be between 1920 and {year}, got 1",
    ]
    rows = [{**base, "family_name": "Sow", "city": 0.0}, {**base, "family_name": "Ba", "city": -0.0}]
    assert _import(cli, "\n".join(json.dumps(r) for r in rows), "--input-format", "jsonl").exit_code == 0
    assert [r["city"] for r in cli.json("consultant", "list")] == ["0.0", "-0.0"]


def test_a_broken_quote_is_reported_with_the_long_rows_before_it(cli, db):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    result = _import(cli, "family_name,given_names\nA,B,C\n" + "".join(f"N{i},P\n" for i in range(5000)) + '"x\n')
    assert result.stderr.splitlines() == [
        "Error: the file cannot be read",
        "  line 2: 3 cells for 2 columns",
        "  line 5003: unexpected end of data",
    ]
    assert digest(db) == before


def test_the_change_log_has_the_consultants_then_their_periods(cli, db, monkeypatch):
    from maliext_cli.services import importer

    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    rows = [_row(n, period=f"2027-01-{n:02d}/2027-02-{n:02d}") for n in range(1, 6)]
    assert _import(cli, BATCH_HEADER + "".join(rows)).exit_code == 0
    conn = sqlite3.connect(db)
    logged = conn.execute("SELECT table_name, uid FROM change ORDER BY id").fetchall()
    consultants_in_order = conn.execute("SELECT uid FROM consultant ORDER BY id").fetchall()
    conn.close()
    assert [t for t, _ in logged] == ["consultant"] * 5 + ["availability"] * 5
    assert [(u,) for _, u in logged[:5]] == consultants_in_order
