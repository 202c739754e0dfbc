"""A report as the reader sees it, in one language: titled sections of formatted cells,
each with its chart if it has one, and a footer. render/charts.py draws a `Document` as
text, render/html.py as a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from maliext_cli.render.i18n import t


@dataclass
class Chart:
    """Bars: (label, value, the value as shown). `vertical`: one bar per column."""

    key: str
    title: str
    bars: list[tuple[str, float, str]]
    vertical: bool = False
    label_header: str = ""
    value_header: str = ""
    short: tuple[str, ...] = ()  # shorter labels for a drawing (month abbreviations)


@dataclass
class Section:
    key: str
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()  # columns drawn right-aligned
    totals: list[str] | None = None
    note: str = ""
    chart: Chart | None = None
    empty: str = ""  # shown instead of an empty table or chart

    def __post_init__(self) -> None:
        if self.chart is not None and not self.chart.bars and not self.rows:
            self.columns = []  # the empty chart says so once; an empty table beside it would say it again


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    footer: str = ""


def table(
    key: str,
    title: str,
    lang: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    **extra,
) -> Section:
    """A section holding a table: `headers` are keys of the words (i18n.TEXT), `numeric`
    the columns drawn right-aligned; an empty table says "None."."""
    return Section(
        key,
        title,
        [t(h, lang) for h in headers],
        [list(r) for r in rows],
        frozenset(numeric),
        empty=t("none", lang),
        **extra,
    )
