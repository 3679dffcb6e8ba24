"""Resident memory of this process (the servers under test run in it, on their own threads)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import time

MB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _page_size()


def _page_size() -> int:
    import os

    return os.sysconf("SC_PAGE_SIZE")


def _trim() -> None:
    """Hand freed heap pages back to the OS (glibc keeps them after large frees; without this, RSS measures the
    allocator's high-water mark, not what the server still holds)."""
    name = ctypes.util.find_library("c")
    if name:
        libc = ctypes.CDLL(name)
        if hasattr(libc, "malloc_trim"):
            libc.malloc_trim(0)


def settled_rss() -> int:
    """RSS once garbage is collected, freed memory is returned and the server's in-flight work has drained:
    the lowest of a few samples (a sample can catch a response buffer not yet freed)."""
    samples = []
    for _ in range(3):
        gc.collect()
        _trim()
        time.sleep(0.05)
        samples.append(rss_bytes())
    return min(samples)
