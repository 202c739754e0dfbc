"""Start-up of the interface in each language: what loading a catalogue costs.

    python bench/bench_startup.py [--repeat 21]

Prints figures; asserts nothing. The goal (issue 13): in French, `maliext --help` takes
at most a few milliseconds more than in English. Each command runs as a real process,
English and French runs alternated so that a change in the machine's load falls on
both; `python -c pass` is the floor every Python program pays. Also prints the time
to load the French catalogues in-process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run_once(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def catalogue_load_ms(repeat: int) -> float:
    """Median time to read the French catalogues (both domains) in a fresh process."""
    code = (
        "import time; s = time.perf_counter(); from maliext_cli import i18n; i18n.use('fr'); "
        "print(time.perf_counter() - s)"
    )
    times = [
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _unused in range(repeat)
    ]
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    maliext = str(BIN / "maliext")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        base = {**os.environ, "MALIEXT_DB": str(db)}
        subprocess.run([maliext, "init"], check=True, env=base, capture_output=True)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "maliext --version": [maliext, "--version"],
            "maliext --help": [maliext, "--help"],
            "maliext consultant add --help": [maliext, "consultant", "add", "--help"],
            "maliext consultant list -f tsv": [maliext, "consultant", "list", "-f", "tsv"],
        }
        print(f"cores: {os.cpu_count()}, {args.repeat} runs each, median wall time (ms)")
        print(f"{'command':36} {'en':>8} {'fr':>8} {'fr - en':>8}")
        for name, cmd in commands.items():
            english: list[float] = []
            french: list[float] = []
            for _unused in range(args.repeat):
                english.append(run_once(cmd, {**base, "MALIEXT_LANG": "en"}))
                french.append(run_once(cmd, {**base, "MALIEXT_LANG": "fr"}))
            en, fr = statistics.median(english) * 1000, statistics.median(french) * 1000
            print(f"{name:36} {en:8.1f} {fr:8.1f} {fr - en:+8.1f}")
    print(f"loading the French catalogues in-process: {catalogue_load_ms(args.repeat):.2f} ms (median)")


if __name__ == "__main__":
    main()
