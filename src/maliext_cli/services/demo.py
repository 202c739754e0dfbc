"""The demo database: every example file, imported as a user would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from maliext_cli.errors import MaliextError
from maliext_cli.i18n import _
from maliext_cli.services.importing import read
from maliext_cli.store import Store


def examples_dir() -> Path:
    """The example files: inside the installed package, or beside the sources."""
    from importlib.resources import files

    installed = Path(str(files("maliext_cli") / "examples"))
    if (installed / "consultants.csv").exists():
        return installed
    source_tree = Path(__file__).resolve().parents[3] / "examples"
    if (source_tree / "consultants.csv").exists():
        return source_tree
    raise MaliextError(
        _("the example files are missing from this installation"), hint=_("Reinstall maliext (pip install .).")
    )


def replaceable(path: Path) -> bool:
    """Whether `path` may be replaced by a demo: absent, empty, or an earlier demo
    (every change in it was made by `maliext demo`). Read without opening it as a
    Store, which could upgrade someone's real file."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "command" not in tables:
                return False
            return not conn.execute("SELECT count(*) FROM command WHERE command NOT LIKE 'maliext demo%'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def remove_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _loads():
    """(example file, the noun that imports it), in the order references need."""
    from maliext_cli.services import (
        antennas,
        associations,
        consultants,
        evaluations,
        institutions,
        missions,
        needs,
        projects,
    )

    return [
        ("antennas.csv", antennas.ANTENNAS),
        ("consultants.csv", consultants.NOUN),
        ("associations.csv", associations.NOUN),
        ("projects.csv", projects.NOUN),
        ("institutions.csv", institutions.INSTITUTIONS),
        ("programmes.csv", institutions.PROGRAMMES),
        ("needs.csv", needs.NOUN),
        ("missions.csv", missions.NOUN),
        ("evaluations.csv", evaluations.NOUN),
        ("agreements.csv", antennas.AGREEMENTS),
    ]


def build(store: Store, folder: Path) -> dict[str, int]:
    """Load the example files into `store` with the nouns' own imports, as a user
    would; how many records of each kind, by file name."""
    counts = {}
    with store.transaction():
        for name, noun in _loads():
            source = read((folder / name).read_bytes(), name=name)
            counts[name.rsplit(".", 1)[0]] = len(noun.import_source(store, source).inserted)
    return counts
