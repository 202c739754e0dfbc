"""The uids of new rows: UUIDs of version 7 (RFC 9562), increasing within a process."""

from __future__ import annotations

import os
import time

# The time and counter of the last uid made by this process (see new_uids).
_last_uid = [0, 0]


def new_uids(n: int) -> list[str]:
    """`n` new UUIDs (version 7, RFC 9562), in increasing order.

    Version 7 starts with the time in milliseconds, so uids sort by creation and a
    100,000-row import appends to the `uid` index instead of writing all over it.
    The random part counts up from a random start (the RFC's "monotonic random"
    method), and later calls in the same millisecond count on from the last uid made,
    so that the uids of a process are unique and increasing.
    """
    if n <= 0:
        return []
    millis = time.time_ns() // 1_000_000
    last_millis, last_counter = _last_uid
    if millis <= last_millis and last_counter + n < (1 << 74):
        millis, start = last_millis, last_counter + 1  # (or a clock set back)
    else:
        millis = max(millis, last_millis + 1)
        start = int.from_bytes(os.urandom(10), "big") % ((1 << 74) - n)
    _last_uid[:] = [millis, start + n - 1]
    uids: list[str] = []
    # The first half (time, version, the counter's top 12 bits) and the next four hex
    # digits (variant, the counter's next 14 bits) change at most every 2**48 uids:
    # format them once per run, and only the last 12 digits for each uid.
    while n:
        top = start >> 48
        run = min(n, ((top + 1) << 48) - start)
        first = f"{(millis << 16) | (0x7 << 12) | (start >> 62):016x}"
        middle = (0b10 << 14) | ((start >> 48) & 0x3FFF)
        prefix = f"{first[:8]}-{first[8:12]}-{first[12:]}-{middle:04x}-"
        low = start & ((1 << 48) - 1)
        uids.extend(map((prefix + "%012x").__mod__, range(low, low + run)))
        start += run
        n -= run
    return uids


def new_uid() -> str:
    return new_uids(1)[0]
