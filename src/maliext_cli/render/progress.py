"""A progress bar on stderr, for long imports on a terminal only."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from maliext_cli.render.output import is_terminal

THRESHOLD = 5000


@contextmanager
def bar(total: int, description: str) -> Iterator[Callable[[int], None] | None]:
    """Yields a callback `done(n)`, or None when no bar is drawn (piped, or short work)."""
    if total < THRESHOLD or not is_terminal(sys.stderr):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.update(task, completed=n)
