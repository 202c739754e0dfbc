"""A report as the reader sees it, in one language: titled sections of formatted cells,
each with its chart if it has one, and a footer. render/charts.py draws a `Document` as
text, render/html.py as a page. The words are translated when the document is made
(render/annual_report.py, render/summary_report.py), in the language it is made in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from maliext_cli.i18n import _


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
    nowrap: frozenset[int] = frozenset()  # columns kept on one line (dates, amounts)
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
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    nowrap: Sequence[int] = (),
    **extra,
) -> Section:
    """A section holding a table: `headers` as the reader reads them, `numeric` the
    columns drawn right-aligned (and kept on one line), `nowrap` other columns kept on
    one line (dates); an empty table says "None."."""
    return Section(
        key,
        title,
        list(headers),
        [list(r) for r in rows],
        frozenset(numeric),
        frozenset(numeric) | frozenset(nowrap),
        # Translators: what an empty table or chart of a report says.
        empty=_("None."),
        **extra,
    )
