"""The translation catalogues: current with the code, complete in every language, the
placeholders of each message kept, French typography, and each `.mo` its `.po` compiled
(cli/catalogue.py writes them all: `python -m maliext_cli.cli.catalogue update`)."""

from __future__ import annotations

import re
import string

import pytest

from maliext_cli import i18n
from maliext_cli.cli import catalogue

LANGUAGES = catalogue.languages()
DOMAINS = (i18n.DOMAIN, i18n.CLICK_DOMAIN)
UPDATE = "run `python -m maliext_cli.cli.catalogue update`"


def _key(message) -> tuple:
    return (message.context, message.id)


def _ids(catalog) -> set[tuple]:
    return {_key(m) for m in catalog if m.id}


def test_there_is_a_french_catalogue():
    assert "fr" in LANGUAGES
    assert i18n.available()[:1] == ("en",) and "fr" in i18n.available()


def test_the_template_holds_every_message_of_the_code_and_no_other():
    extracted = _ids(catalogue.template(i18n.DOMAIN))
    committed = _ids(catalogue.read(catalogue.pot_path(i18n.DOMAIN)))
    assert not extracted - committed, f"messages missing from maliext.pot: {UPDATE}"
    assert not committed - extracted, f"messages gone from the code are still in maliext.pot: {UPDATE}"


def test_every_help_text_is_in_the_template():
    committed = {m.id for m in catalogue.read(catalogue.pot_path(i18n.DOMAIN)) if m.id}
    texts = {text for text, _where in catalogue.help_texts()}
    assert len(texts) > 300  # every command's help and every option's
    assert texts <= committed


# The maliext domain joins once its translation has landed (issue 13).
@pytest.mark.parametrize("domain", [i18n.CLICK_DOMAIN])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language, domain):
    template = _ids(catalogue.read(catalogue.pot_path(domain)))
    catalog = catalogue.read(catalogue.po_path(language, domain), language)
    assert _ids(catalog) == template, UPDATE
    untranslated = [m.id for m in catalogue.untranslated(catalog)]
    assert not untranslated, f"{len(untranslated)} messages without a {language} translation, first: {untranslated[:5]}"


def _fields(text: str) -> set[str]:
    """The placeholders of a message: {name}, {name!r}, {}, %(name)s, %s."""
    found = set()
    try:
        for _literal, name, spec, conversion in string.Formatter().parse(text):
            if name is not None:
                found.add("{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}")
    except ValueError:
        found.add(f"unbalanced braces in {text!r}")
    found.update(re.findall(r"%\(\w+\)[sdr]|%[sd]", text))
    return found


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language, domain):
    problems = []
    for message in catalogue.read(catalogue.po_path(language, domain), language):
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            wanted = _fields(message.id[0]) | _fields(message.id[1])
            forms = [_fields(s) for s in message.string if s]
            # Each form uses the message's placeholders; together they use them all.
            if any(f - wanted for f in forms) or set().union(*forms) != wanted:
                problems.append(message.id[0])
        elif _fields(message.string) != _fields(message.id):
            problems.append(message.id)
    assert not problems, f"translations that drop, add or rename a placeholder: {problems[:10]}"


# French typography: a narrow no-break space (U+202F) before : ; ? ! and inside « »,
# never a plain space, and never none before a : that ends a phrase.
_PLAIN_SPACE_BEFORE = re.compile(r" [:;?!»]|« ")
_NO_SPACE_BEFORE = re.compile(r"[^\s\u202f\u00a0:;?!({\[/'\"*`=]([;?!]|:(?=\s|$))")


def _prose(text: str) -> str:
    """`text` without the command lines of its examples, which keep their ASCII
    punctuation: a line starting `maliext ` or `$`, and the lines it continues onto
    (ending with a backslash)."""
    kept, continued = [], False
    for line in text.splitlines():
        command = continued or line.lstrip().startswith(("maliext ", "$"))
        continued = command and line.rstrip().endswith("\\")
        if not command:
            kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("domain", DOMAINS)
def test_french_typography(domain):
    problems = []
    for message in catalogue.read(catalogue.po_path("fr", domain), "fr"):
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if not text:
                continue
            prose = re.sub(r"`[^`]*`|https?://\S+|\{[^}]*\}", "", _prose(text))
            if _PLAIN_SPACE_BEFORE.search(prose) or _NO_SPACE_BEFORE.search(prose):
                problems.append(text)
    assert not problems, f"French punctuation without its narrow no-break space: {problems[:5]}"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_compiled_catalogue_is_its_source_compiled(language, domain):
    path = catalogue.po_path(language, domain)
    assert path.with_suffix(".mo").read_bytes() == catalogue.mo_bytes(catalogue.read(path, language)), UPDATE


def test_catalogues_ship_in_the_package():
    for language in LANGUAGES:
        for domain in DOMAINS:
            assert (i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo").is_file()
