"""Headless Chromium, driven over its DevTools protocol on a pipe (standard library only),
to see how an HTML page prints: how many A4 pages, in which orientation, whether a table
is wider than the page (its last columns would be cut off), whether a cell meant to stay
on one line (a date, a figure) wraps.

The page is printed to PDF by Chromium itself (`Page.printToPDF`, the CSS `@page` size
honoured), which gives the pages; then laid out again with the print styles at the width
of the page's text (A4 less the margins of render/html.py), where each table is measured.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from maliext_cli.render import html

MM = 96 / 25.4  # CSS pixels per millimetre
A4_MM = (210, 297)
POINTS_PER_MM = 72 / 25.4

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)

# Each table wider than its page, each cell kept on one line that wraps (several lines
# of text in it), each table whose header would not be repeated on every page it runs
# over (Chromium repeats a `thead` shown as a table-header-group), by section id.
_MEASURE = """
(() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().right > width + 0.5 || t.scrollWidth > t.clientWidth + 0.5)
    .map(t => [t.closest('section') ? t.closest('section').id : '', Math.round(t.getBoundingClientRect().width)]);
  const wrapped = [...document.querySelectorAll('td.n, td.nw')].filter(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
  }).map(td => [td.closest('section') ? td.closest('section').id : '', td.textContent]);
  const headless = [...document.querySelectorAll('table')]
    .filter(t => !t.tHead || getComputedStyle(t.tHead).display !== 'table-header-group')
    .map(t => t.closest('section') ? t.closest('section').id : '');
  return {width, wide, wrapped, headless, tables: document.querySelectorAll('table').length};
})()
"""


@dataclass
class Layout:
    pages: int
    landscape: bool
    width: int = 0  # CSS pixels of the text's width, where tables were measured
    too_wide: list = field(default_factory=list)  # [section, table width in px]
    wrapped: list = field(default_factory=list)  # [section, cell text]
    headless: list = field(default_factory=list)  # sections whose table's header is not repeated
    tables: int = 0


def executable() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.fail("chromium is required to check how HTML prints: apt-get install chromium (see .ci/run)")
    return found


class Chromium:
    """One browser for many pages: `with Chromium(profile) as browser: browser.layout(path)`."""

    def __init__(self, profile: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def pipes() -> None:  # the protocol's pipes are the child's fds 3 (in) and 4 (out)
            read, write = os.dup(to_browser_read), os.dup(from_browser_write)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [executable(), *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=pipes,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._next = 0
        self._buffer = b""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=self.session)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    # ---------------------------------------------------------------- protocol
    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]

    def _page(self, method: str, **params) -> dict:
        return self.call(method, session=self.session, **params)

    def _wait(self, event: str) -> None:
        while self._receive().get("method") != event:
            pass

    # ---------------------------------------------------------------- printing
    def pdf(self, path: Path) -> bytes:
        """`path` printed as Chromium prints it (the page's own @page size)."""
        self._page("Emulation.clearDeviceMetricsOverride")
        self._page("Emulation.setEmulatedMedia", media="")
        self._page("Page.navigate", url=path.resolve().as_uri())
        self._wait("Page.loadEventFired")
        data = self._page("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"]
        return base64.b64decode(data)

    def png(self, path: Path, width_mm: float = A4_MM[0], height_mm: float = A4_MM[1]) -> bytes:
        """`path` as it prints (print media), photographed at 96 dpi on a sheet of
        `width_mm` by `height_mm` (A4 portrait by default): what a person looks at."""
        width, height = round(width_mm * MM), round(height_mm * MM)
        self._page("Emulation.setEmulatedMedia", media="print")
        self._page("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self._page("Page.navigate", url=path.resolve().as_uri())
        self._wait("Page.loadEventFired")
        data = self._page("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    def layout(self, path: Path) -> Layout:
        document = self.pdf(path)
        boxes = [
            (float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", document)
        ]
        assert boxes, "no page in the PDF"
        portrait = tuple(mm * POINTS_PER_MM for mm in A4_MM)
        for w, h in boxes:  # every page is A4, either way round
            assert sorted((round(w), round(h))) == sorted((round(portrait[0]), round(portrait[1]))), (w, h)
        landscape = boxes[0][0] > boxes[0][1]
        page_width = A4_MM[1] if landscape else A4_MM[0]
        width = round((page_width - 2 * html.PAGE_MARGINS_MM[1]) * MM)
        self._page("Emulation.setEmulatedMedia", media="print")
        self._page("Emulation.setDeviceMetricsOverride", width=width, height=1000, deviceScaleFactor=1, mobile=False)
        self._page("Page.reload")
        self._wait("Page.loadEventFired")
        found = self._page("Runtime.evaluate", expression=_MEASURE, returnByValue=True)["result"]["value"]
        pages = len(re.findall(rb"/Type\s*/Page\b", document))
        return Layout(
            pages, landscape, found["width"], found["wide"], found["wrapped"], found["headless"], found["tables"]
        )
