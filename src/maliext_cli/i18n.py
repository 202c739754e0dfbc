"""The interface language, and the translation functions that every layer calls.

Messages are written in English in the code, wrapped where they are written:

    from maliext_cli.i18n import _, N_, ngettext

    raise Invalid(_("{name} is required").format(name=field))
    ngettext("Imported {n} row.", "Imported {n} rows.", n).format(n=n)
    REASONS = {"window": N_("window over")}      # a constant: translated where it is shown, _(REASONS[k])

The English text is the message id of standard gettext catalogues, one per language
(`locale/<lang>/LC_MESSAGES/maliext.po`, compiled to `.mo`): a translator works on the
`.po` file in Poedit or Weblate, and a new language needs a catalogue, no code
(CONTRIBUTING.md, "Translations"). A second domain, `click`, translates the words of
Click and Typer (`Usage:`, `Options`, `Missing option`), which they pass through
gettext themselves; `install_into_click` points them at it.

Command and option help (docstrings, `help=`) needs no marking: `translate_commands`
translates it when a command is run, and the catalogue tool (cli/catalogue.py) finds it
by walking the commands.

The language is chosen once per command (DESIGN.md 6.4): `--lang` where the command has
it, else MALIEXT_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: the first one set),
else English. A language without a catalogue reads English. Codes, JSON keys, CSV
headers and exit codes never go through here.

Loading a catalogue is a dictionary read from one `.mo` file (about a millisecond:
bench/bench_startup.py); nothing is loaded for English.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

DOMAIN = "maliext"
CLICK_DOMAIN = "click"
LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_NULL = _gettext.NullTranslations()
_translations: _gettext.NullTranslations = _NULL
_language = SOURCE_LANGUAGE


def _(message: str) -> str:
    """`message` in the interface language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for the number `n`, in the interface language."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the interface language, where the same English word needs two
    translations (the `context` tells them apart: pgettext("need status", "open"))."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message to translate later, where it is shown (constants, tables)."""
    return message


def current() -> str:
    """The code of the interface language: en, fr..."""
    return _language


@cache
def available() -> tuple[str, ...]:
    """The languages the interface can speak: English and each language with a catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))


def normalise(value: str) -> str:
    """The language code of a locale or language name: fr_FR.UTF-8 -> fr, pt-BR -> pt."""
    return value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """MALIEXT_LANG, else the locale for messages (the first of LC_ALL, LC_MESSAGES and
    LANG that is set, as in POSIX), as a language the interface speaks; else English."""
    env = os.environ if environ is None else environ
    value = env.get("MALIEXT_LANG", "").strip()
    if not value:
        value = next((env[name].strip() for name in LOCALE_VARIABLES if env.get(name, "").strip()), "")
    code = normalise(value) if value else SOURCE_LANGUAGE
    return code if code in available() else SOURCE_LANGUAGE


def check(value: str) -> str:
    """The language named by a `--lang` value; a usage error when there is no catalogue for it."""
    code = normalise(value)
    if code in available():
        return code
    from maliext_cli.errors import UsageProblem

    raise UsageProblem(
        _("--lang: unknown language {value!r}").format(value=value),
        hint=_("Use one of: {languages}.").format(languages=", ".join(available())),
    )


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return _NULL
    found = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    found.add_fallback(_gettext.translation(CLICK_DOMAIN, LOCALE_DIR, languages=[language], fallback=True))
    return found


def use(language: str) -> None:
    """Speak `language` from now on (a code of `available()`)."""
    global _translations, _language
    _translations, _language = _catalogue(language), language


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Speak `language` inside the block (a letter in the consultant's language), then
    the interface language again. None keeps the interface language."""
    if language is None:
        yield
        return
    before = _language
    use(language)
    try:
        yield
    finally:
        use(before)


# --------------------------------------------------------------- Click and Typer
# The modules of Click and Typer that bind gettext's functions at import
# (`from gettext import gettext as _`, `from gettext import ngettext`).
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
    "typer.core",
    "typer.rich_utils",
)


def install_into_click() -> None:
    """Point the words of Click and Typer at the interface language. They call the
    module-level `_` and `ngettext` they imported from gettext (the global domain, which
    reads the locale but not MALIEXT_LANG): each of those names is bound to ours."""
    import sys

    import click.formatting

    click.formatting.HelpFormatter.write_heading = _write_heading  # type: ignore[method-assign]
    for name in _CLICK_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def _write_heading(self, heading: str) -> None:
    """Click's section heading (`Options:`), with the language's punctuation (`Options :`)."""
    # Translators: a section heading of --help, e.g. "Options:"; French puts a narrow no-break space before ":".
    line = _("{heading}:").format(heading=heading)
    self.write(f"{'':>{self.current_indent}}{line}\n")


def translate_commands(command) -> None:
    """Translate in place the help of a Click command and everything under it: its
    help, short help and epilog, and the help of its options and arguments. The message
    ids are the English texts as written (docstrings, `help=`). Does nothing in English."""
    if _translations is _NULL:
        return
    gettext = _translations.gettext
    stack = [command]
    while stack:
        cmd = stack.pop()
        for attribute in ("help", "short_help", "epilog"):
            text = getattr(cmd, attribute, None)
            if text:
                setattr(cmd, attribute, gettext(text))
        for param in cmd.params:
            text = getattr(param, "help", None)
            if text:
                param.help = gettext(text)
        stack.extend(getattr(cmd, "commands", {}).values())
