"""Trees of records (`association tree`): drawn by rich on a terminal, indented plain
text when piped (both in the interface language), nested JSON, or one row per node in the table formats (CSV, TSV,
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

from maliext_cli.i18n import _, ngettext
from maliext_cli.render import output
from maliext_cli.render.formats import euros, number

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


def _members(n: int) -> str:
    return ngettext("{n} member", "{n} members", n).format(n=number(n))


def label(node: dict) -> str:
    """One line, in the interface language: name, acronym, level and place, own members,
    then the subtree's figures (money in whole euros: a tree is read for orders of
    magnitude; JSON keeps the cents)."""
    from maliext_cli.reference import vocab

    name = node["name"] + (f" ({node['acronym']})" if node.get("acronym") else "")
    level = vocab.ASSOCIATION_LEVEL.label(node["level"]) if node.get("level") else None
    place = ", ".join(p for p in (level, node.get("city"), node.get("country")) if p)
    text = f"{name} — {place}"
    if node.get("members") is not None:
        text += f" — {_members(node['members'])}"
    sub = node["subtree"]
    figures = []
    if sub["associations"] > 1:
        figures.append(
            ngettext("{n} association", "{n} associations", sub["associations"]).format(n=number(sub["associations"]))
        )
        figures.append(_members(sub["members"]))
    if sub["projects"]:
        figures.append(ngettext("{n} project", "{n} projects", sub["projects"]).format(n=number(sub["projects"])))
        # Translators: in the association tree: the diaspora's money in a subtree's projects, e.g. "2 300 € diaspora".
        figures.append(_("{amount} diaspora").format(amount=euros(sub["diaspora_contribution_eur"])))
        # Translators: in the association tree: the public subsidies of a subtree's projects, e.g. "4 000 € subsidy".
        figures.append(_("{amount} subsidy").format(amount=euros(sub["subsidy_eur"])))
    if figures and sub["associations"] > 1:
        # Translators: an association's line in the tree, then the figures of everything under it.
        text = _("{line}; subtree: {figures}").format(line=text, figures=", ".join(figures))
    elif figures:
        # Translators: an association's line in the tree, then the figures of its own projects.
        text = _("{line}; {figures}").format(line=text, figures=", ".join(figures))
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
