"""Trees of records (`association tree`): drawn by rich on a terminal, indented plain
text when piped, nested JSON, or one row per node in the table formats (CSV, TSV,
markdown, tabulate) with its depth and parent.

Each node is a dict with `name`, `level`, `members`, `subtree` (figures) and
`children` (nodes), as services/federation_tree.tree returns them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import IO

from maliext_cli.render import output

FLAT_COLUMNS = [
    "id",
    "parent",
    "depth",
    "name",
    "acronym",
    "level",
    "country",
    "city",
    "members",
    "subtree_associations",
    "subtree_members",
    "subtree_projects",
    "subtree_diaspora_contribution_eur",
    "subtree_subsidy_eur",
]
INDENT = "    "


def tree(nodes: Sequence[dict], fmt: str = "table", *, stream: IO | None = None, single: bool = False) -> None:
    """Print the trees under `nodes`; `single`: JSON prints the one root as an object."""
    out = stream or sys.stdout
    if fmt == "json":
        data = nodes[0] if single and nodes else list(nodes)
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        out.write("".join(json.dumps(node, ensure_ascii=False) + "\n" for node in nodes))
    elif fmt == "table" and output.is_terminal(out):
        _rich(nodes, out)
    elif fmt == "table":
        out.write("".join(f"{INDENT * depth}{label(node)}\n" for node, depth, _ in walk(nodes)))
    else:
        output.records(list(flat(nodes)), fmt, stream=out, columns=FLAT_COLUMNS)


def walk(nodes: Sequence[dict], depth: int = 0, parent: int | None = None) -> Iterator[tuple[dict, int, int | None]]:
    """(node, depth, parent id) for every node, depth first, in order."""
    for node in nodes:
        yield node, depth, parent
        yield from walk(node.get("children") or [], depth + 1, node.get("id"))


def flat(nodes: Sequence[dict]) -> Iterator[dict]:
    for node, depth, parent in walk(nodes):
        row = {k: v for k, v in node.items() if k not in ("subtree", "children")}
        row.update(parent=parent, depth=depth)
        row.update({f"subtree_{k}": v for k, v in node["subtree"].items()})
        yield row


def _number(value: int | None) -> str:
    return f"{value or 0:,}".replace(",", " ")


def _euros(value: float) -> str:
    """Whole euros: a tree is read for orders of magnitude (JSON keeps the cents)."""
    return f"{round(value):,} €".replace(",", " ")


def label(node: dict) -> str:
    """One line: name, acronym, level and place, own members, then the subtree's figures."""
    name = node["name"] + (f" ({node['acronym']})" if node.get("acronym") else "")
    place = ", ".join(p for p in (node["level"], node.get("city"), node.get("country")) if p)
    text = f"{name} — {place}"
    if node.get("members") is not None:
        text += f" — {_number(node['members'])} members"
    sub = node["subtree"]
    parts = []
    if sub["associations"] > 1:
        parts.append(f"{_number(sub['associations'])} associations, {_number(sub['members'])} members")
    if sub["projects"]:
        parts.append(
            f"{_number(sub['projects'])} project{'s' if sub['projects'] > 1 else ''}, "
            f"{_euros(sub['diaspora_contribution_eur'])} diaspora, {_euros(sub['subsidy_eur'])} subsidy"
        )
    if parts:
        text += ("; subtree: " if sub["associations"] > 1 else "; ") + ", ".join(parts)
    return text


def _rich(nodes: Sequence[dict], out: IO) -> None:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    def styled(node: dict) -> Text:
        text = Text(label(node))  # a Text, not markup: names may hold [brackets]
        text.stylize("bold", 0, len(node["name"]))
        return text

    def add(branch: Tree, node: dict) -> None:
        for child in node.get("children") or []:
            add(branch.add(styled(child)), child)

    console = Console(file=out, no_color="NO_COLOR" in os.environ, highlight=False)
    for node in nodes:
        root = Tree(styled(node), guide_style="dim")
        add(root, node)
        console.print(root)
