"""docs/cli.md is the --help of every command as it is now (as sqlite-utils keeps its
CLI reference with cog)."""

from pathlib import Path

from maliext_cli.cli import docs

REFERENCE = Path(__file__).parents[1] / docs.DEFAULT_PATH


def test_the_command_reference_is_current():
    written = REFERENCE.read_text(encoding="utf-8")
    assert written == docs.render(), (
        f"{docs.DEFAULT_PATH} is not the --help of today's commands; "
        f"regenerate it from the repository's root with `{docs.REGENERATE}` and commit it"
    )
