"""The translation catalogues: extract the messages, update each language, compile.

    python -m maliext_cli.cli.catalogue update          # after changing messages: .pot, .po, .mo
    python -m maliext_cli.cli.catalogue missing fr      # untranslated entries, as JSON
    python -m maliext_cli.cli.catalogue fill fr FILE    # put translations from JSON into the .po
    python -m maliext_cli.cli.catalogue init LANG       # start a new language

Two domains live under src/maliext_cli/locale/ (see maliext_cli/i18n.py):

- `maliext`: every message of the code, found by Babel's extractor in the calls of `_`,
  `ngettext`, `pgettext` and `N_`, and the help of every command and option (their
  docstrings and `help=`), found by walking the commands. `maliext.pot` is the template;
  tests/test_catalogue.py fails when it is not what this writes, when a message has no
  translation, when a translation loses a placeholder, and when a `.mo` is not its
  `.po` compiled.
- `click`: the words of Click and Typer themselves, extracted from their installed
  source by the same extractor.

The `.po` files are written sorted by message, with file names but no line numbers, so
that moving code does not change them. Translators edit them in Poedit or Weblate, or
with `missing` and `fill`. Compiled `.mo` files are committed and shipped in the wheel.
Babel is needed here only: the running program reads `.mo` files with gettext.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from maliext_cli.i18n import _CLICK_MODULES, CLICK_DOMAIN, DOMAIN, LOCALE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent.parent
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("Translators:",)
# A fixed date in the templates' headers: the catalogue changes only when a message does.
CREATION_DATE = datetime(2026, 12, 8, tzinfo=UTC)
HEADER: dict[str, Any] = dict(
    project="maliext",
    copyright_holder="the maliext developers",
    msgid_bugs_address="https://github.com/maliext/maliext/issues",
    charset="utf-8",
    fuzzy=False,
    header_comment=(
        "# Messages of maliext, the CLI of Mali's diaspora-expertise programmes.\n"
        "# Written by `python -m maliext_cli.cli.catalogue update`; translate the .po files, not this one."
    ),
)
# Plural forms where CLDR's differ from the ones gettext tools and translators expect:
# French has two (CLDR adds a third for millions, which no message of ours needs).
PLURAL_FORMS = {"fr": (2, "(n > 1)")}


# ------------------------------------------------------------------ extraction
def _extracted(root: Path, files: Iterable[Path], catalog: Any) -> None:
    from babel.messages.extract import extract

    for path in sorted(files):
        with path.open("rb") as handle:
            for _lineno, message, comments, context in extract(
                "python", handle, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
            ):
                if not (message[0] if isinstance(message, tuple) else message):
                    continue
                where = path.relative_to(root).as_posix()
                catalog.add(message, None, [(where, None)], auto_comments=comments, context=context)


def help_texts(command: Any = None) -> Iterator[tuple[str, str]]:
    """(text, where) for every help text the commands show: each command's help, short
    help and epilog, each option's and argument's help. `where` names it for the
    translator: `maliext consultant add --family-name`."""
    if command is None:
        from typer.main import get_command

        from maliext_cli.cli.app import app

        command = get_command(app)

    def walk(cmd: Any, path: list[str]) -> Iterator[tuple[str, str]]:
        name = " ".join(["maliext", *path])
        for attribute in ("help", "short_help", "epilog"):
            text = getattr(cmd, attribute, None)
            if text:
                yield text, name
        for param in cmd.params:
            if getattr(param, "help", None):
                yield param.help, f"{name} {param.opts[0] if param.opts else param.name}"
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, sub_name])

    return walk(command, [])


def template(domain: str = DOMAIN) -> Any:
    """The catalogue template of `domain`, as extracted from the source now."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(domain=domain, creation_date=CREATION_DATE, **HEADER)
    if domain == DOMAIN:
        files = [p for p in PACKAGE_DIR.rglob("*.py") if p.name != "catalogue.py"]
        _extracted(PACKAGE_DIR.parent, files, catalog)
        for text, where in help_texts():
            message = catalog.get(text)
            if message is None:
                catalog.add(text, None, auto_comments=[where])
            elif where not in message.auto_comments and len(message.auto_comments) < 3:
                message.auto_comments.append(where)
    else:
        import importlib

        for name in _CLICK_MODULES:
            module = importlib.import_module(name)
            path = Path(module.__file__ or "")
            root = path.parent.parent
            _extracted(root, [path], catalog)
    return catalog


# ------------------------------------------------------------------ files
def pot_path(domain: str) -> Path:
    return LOCALE_DIR / f"{domain}.pot"


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path, language: str | None = None) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def po_text(catalog: Any) -> bytes:
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Any) -> bytes:
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


# ------------------------------------------------------------------ commands
def update(domains: Iterable[str] = (DOMAIN, CLICK_DOMAIN)) -> None:
    """Write each template from the source, bring each language's `.po` up to it
    (new messages empty, similar ones marked fuzzy), and compile the `.mo` files."""
    for domain in domains:
        pot = template(domain)
        _write(pot_path(domain), po_text(pot))
        for language in languages():
            path = po_path(language, domain)
            catalog = read(path, language) if path.exists() else _new(language, domain)
            catalog.update(pot, update_header_comment=False)
            catalog.revision_date = CREATION_DATE
            _write(path, po_text(catalog))
    compile_all()


def _new(language: str, domain: str) -> Any:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale=language, domain=domain, creation_date=CREATION_DATE, revision_date=CREATION_DATE, **HEADER)
    catalog.header_comment = f"# {catalog.locale.english_name} translations of maliext's messages ({domain})."
    catalog.language_team = f"{catalog.locale.english_name} <https://github.com/maliext/maliext/issues>"
    catalog.last_translator = "the maliext developers"
    if language in PLURAL_FORMS:
        # Babel reads these back from the header of the .po it writes.
        catalog._num_plurals, catalog._plural_expr = PLURAL_FORMS[language]  # type: ignore[assignment]
    return catalog


def compile_all() -> None:
    for language in languages():
        for domain in (DOMAIN, CLICK_DOMAIN):
            path = po_path(language, domain)
            if path.exists():
                _write(path.with_suffix(".mo"), mo_bytes(read(path, language)))


def untranslated(catalog: Any) -> Iterator[Any]:
    """The entries of `catalog` a reader would see in English: empty or fuzzy."""
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            yield message


def missing(language: str, domain: str = DOMAIN) -> dict[str, Any]:
    """{msgid: ""} for each untranslated entry ({msgid: ["", ""]} for a plural, keyed by
    the singular; a context is written `context\\x04msgid`), with the current guess of a
    fuzzy one instead of ""."""
    found: dict[str, Any] = {}
    for message in untranslated(read(po_path(language, domain), language)):
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.context:
            key = f"{message.context}\x04{key}"
        found[key] = message.string if message.fuzzy else ([""] * 2 if isinstance(message.id, tuple) else "")
        if isinstance(found[key], tuple):
            found[key] = list(found[key])
    return found


def fill(language: str, translations: dict[str, Any], domain: str = DOMAIN) -> list[str]:
    """Put `translations` ({msgid: msgstr}, as `missing` writes them) into the `.po`
    and compile it; returns the message ids it did not find."""
    path = po_path(language, domain)
    catalog = read(path, language)
    unknown = []
    for key, value in translations.items():
        context, _sep, msgid = key.rpartition("\x04")
        message = _find(catalog, msgid, context or None)
        if message is None:
            unknown.append(key)
            continue
        message.string = tuple(value) if isinstance(message.id, tuple) else value
        message.flags.discard("fuzzy")
    _write(path, po_text(catalog))
    compile_all()
    return unknown


def _find(catalog: Any, msgid: str, context: str | None) -> Any:
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key == msgid and message.context == context:
            return message
    return None


def init(language: str) -> None:
    """Start the catalogues of a new language, then update them."""
    for domain in (DOMAIN, CLICK_DOMAIN):
        path = po_path(language, domain)
        if not path.exists():
            _write(path, po_text(_new(language, domain)))
    update()


def main(argv: list[str]) -> int:
    usage = __doc__.split("\n\n")[1]
    if not argv:
        print(usage, file=sys.stderr)
        return 2
    verb, *rest = argv
    domain = CLICK_DOMAIN if "--click" in rest else DOMAIN
    rest = [a for a in rest if a != "--click"]
    if verb == "update":
        update()
    elif verb == "compile":
        compile_all()
    elif verb == "init" and len(rest) == 1:
        init(rest[0])
    elif verb == "missing" and len(rest) == 1:
        print(json.dumps(missing(rest[0], domain), ensure_ascii=False, indent=1))
    elif verb == "fill" and len(rest) == 2:
        unknown = fill(rest[0], json.loads(Path(rest[1]).read_text(encoding="utf-8")), domain)
        for key in unknown:
            print(f"not in the catalogue: {key!r}", file=sys.stderr)
        return 1 if unknown else 0
    else:
        print(usage, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
