"""The `maliext` executable: the first code that runs.

It imports almost nothing itself, so that a Ctrl-C while the rest loads (Typer, the
commands) prints one line instead of a traceback, and `maliext --version` answers
before Typer is loaded.
"""

from __future__ import annotations

import signal
import sys

from maliext_cli import __version__

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class Interrupt:
    """Whether a Ctrl-C came, and whether its line was printed already."""

    came = False
    announced = False


def _on_sigint(signum, frame):  # noqa: ARG001 - the signature signal.signal asks for
    Interrupt.came = True
    raise KeyboardInterrupt


def announce_interrupt() -> None:
    """The one line a Ctrl-C prints, wherever it came."""
    if not Interrupt.announced:
        Interrupt.announced = True
        from maliext_cli import i18n

        print(i18n._("Interrupted: nothing that was not finished was written."), file=sys.stderr)


def main() -> None:
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        if sys.argv[1:] == ["--version"]:
            print(f"maliext {__version__}")
            return
        from maliext_cli import i18n

        i18n.use(i18n.from_environment())
        from maliext_cli.cli.app import run

        run()
    except KeyboardInterrupt:
        announce_interrupt()
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED and Interrupt.came:
            announce_interrupt()
        raise
