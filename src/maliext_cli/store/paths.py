"""Where the database lives: `--db`, else `MALIEXT_DB`, else the user's data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "MALIEXT_DB"
FILE_NAME = "maliext.db"
DEMO_FILE_NAME = "demo.db"


def user_data_dir() -> Path:
    """The per-user application directory, following each platform's convention."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "maliext"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "maliext"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "maliext"


def default_path() -> Path:
    return user_data_dir() / FILE_NAME


def resolve(option: str | os.PathLike | None) -> tuple[Path, str]:
    """The database path and where it came from (`--db`, `MALIEXT_DB` or `default`)."""
    if option:
        return Path(option).expanduser(), "--db"
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser(), ENV_VAR
    return default_path(), "default"


def demo_path() -> Path:
    """`demo` writes beside the default database, never over the user's own file."""
    return user_data_dir() / DEMO_FILE_NAME
