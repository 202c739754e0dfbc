"""Bar charts as inline SVG, written here: no library, no script, no external font or
image, so that an HTML report stays one self-contained file that prints as it shows.

The SVG has no `xmlns` attribute: inside an HTML page the parser puts `<svg>` in the
SVG namespace by itself, and the page then holds no URL at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

COLOUR = "#0b5394"
WIDTH = 680  # the width of the text of an A4 page, in CSS pixels (a chart is drawn at its size)
HALF = 330  # a chart beside another one


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(key: str, title: str, width: int, height: int) -> str:
    name = escape(title)
    return (
        f'<svg class="chart" id="chart-{escape(key)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{name}"><title>{name}</title>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", css: str = "") -> str:
    extra = f' class="{css}"' if css else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def columns(key: str, title: str, bars: Sequence[tuple[str, float, str]], *, height: int = 130) -> str:
    """Vertical bars, one per item (months): the value above, the label below."""
    top, bottom, side = 16, 22, 12
    base = height - bottom
    span = base - top
    slot = (WIDTH - 2 * side) / max(len(bars), 1)
    most = max((v for _, v, _ in bars), default=0) or 1
    parts = [_open(key, title, WIDTH, height)]
    for i, (name, value, shown) in enumerate(bars):
        x = side + i * slot
        h = span * value / most
        parts.append(
            f'<rect x="{x + slot * 0.18:.1f}" y="{base - h:.1f}" width="{slot * 0.64:.1f}" height="{h:.1f}" fill="{COLOUR}"/>'
        )
        parts.append(_text(x + slot / 2, base - h - 4, shown, anchor="middle", css="v"))
        parts.append(_text(x + slot / 2, base + 14, name, anchor="middle"))
    parts.append(f'<line x1="{side}" y1="{base}" x2="{WIDTH - side}" y2="{base}" stroke="#888" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)


def bars(key: str, title: str, items: Sequence[tuple[str, float, str]], *, empty: str = "", width: int = WIDTH) -> str:
    """Horizontal bars, one row per item (funders, countries): label, bar, value."""
    row, gap, top = 15, 4, 4
    label_width, value_width = (190, 90) if width >= WIDTH else (130, 75)
    height = top * 2 + max(len(items), 1) * (row + gap)
    most = max((v for _, v, _ in items), default=0) or 1
    room = width - label_width - value_width
    parts = [_open(key, title, width, height)]
    if not items:
        parts.append(_text(label_width, top + row - 4, empty))
    for i, (name, value, shown) in enumerate(items):
        y = top + i * (row + gap)
        w = room * value / most
        parts.append(_text(label_width - 6, y + row - 4, _short(name, 30 if width >= WIDTH else 20), anchor="end"))
        parts.append(f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{row}" fill="{COLOUR}"/>')
        parts.append(_text(label_width + w + 5, y + row - 4, shown, css="v"))
    parts.append("</svg>")
    return "".join(parts)
