"""PDF from the same HTML page, printed by a Chromium (or Google Chrome) found on the
machine: `chromium --headless --print-to-pdf`.

Why a browser rather than a Python library: the paper is checked as HTML in headless
Chromium (tests/test_papers.py), and printing that very page gives the PDF that was
checked, with the system's fonts and CSS as laid out there. WeasyPrint needs Pango and
its libraries from the system; fpdf2 is pure Python but lays out its own model, not this
HTML, so its letters would be a second layout to keep alike. Chromium is started for
one page and ends with it: no service runs.

Which browser: `MALIEXT_CHROMIUM` (a path), else the first of `BROWSERS` on the PATH,
else the usual install places on macOS and Windows. Without one, `-f pdf` is refused
with what to install (exit code 1), and `-f html` still works: any browser prints it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from maliext_cli.errors import MaliextError
from maliext_cli.i18n import _

ENV = "MALIEXT_CHROMIUM"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")
_INSTALLED = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
)
TIMEOUT_S = 120
# A browser that keeps nothing and calls home for nothing (a fresh profile in a private
# temporary folder, removed afterwards). The page holds no script and fetches nothing.
# (`--blink-settings=scriptEnabled=false` would be one more guard, but with it Chromium
# 156 prints no PDF at all.)
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
)


def browser() -> str:
    """The Chromium to print with; MaliextError saying what to install when none is found."""
    given = os.environ.get(ENV, "").strip()
    if given:
        if Path(given).is_file() and os.access(given, os.X_OK):
            return given
        raise MaliextError(
            _("{variable} is {path}, which is not a program that can be run").format(variable=ENV, path=given),
            hint=_("Point it at Chromium or Google Chrome, or unset it."),
        )
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    for path in _INSTALLED:
        if Path(path).is_file():
            return path
    raise MaliextError(
        _("a PDF is printed by Chromium or Google Chrome, and neither was found on this machine"),
        hint=_(
            "Install Chromium (Debian, Ubuntu: apt-get install chromium) or Google Chrome, or set {variable} to "
            "its path; or write the page with -f html and print it from any browser."
        ).format(variable=ENV),
    )


def from_html(page: str, executable: str) -> bytes:
    """`page` (a whole HTML document) printed to PDF by `executable`."""
    with tempfile.TemporaryDirectory(prefix="maliext-pdf-") as folder:  # private: mode 0700
        source = Path(folder) / "page.html"
        target = Path(folder) / "page.pdf"
        source.write_text(page, encoding="utf-8")
        args = [
            executable,
            *FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to run as root inside its sandbox; the page is ours, with
            # no script and nothing fetched.
            args.insert(1, "--no-sandbox")
        try:
            done = subprocess.run(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            raise MaliextError(
                _("{browser} did not print the PDF within {seconds} seconds").format(
                    browser=executable, seconds=TIMEOUT_S
                )
            ) from None
        except OSError as exc:
            raise MaliextError(
                _("cannot run {browser}: {reason}").format(browser=executable, reason=exc.strerror)
            ) from None
        data = target.read_bytes() if target.is_file() else b""
        if done.returncode != 0 or not data.startswith(b"%PDF"):
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise MaliextError(
                _("{browser} could not print the PDF (exit code {code})").format(
                    browser=executable, code=done.returncode
                ),
                details=said,
            )
        return data
