"""Helpers shared by the bench scripts: Django set-up on a throw-away database, timers."""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one INFO line per bench login otherwise


@contextlib.contextmanager
def throwaway_database():
    """Create a fresh test database (migrated), yield, then drop it."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def peak_rss_mb() -> float:
    """Peak resident memory of this process's own address space, in MB.

    Linux's VmHWM (/proc/self/status) is the high-water mark of the memory map created at
    exec: a child started by subprocess does not inherit its parent's peak. getrusage's
    ru_maxrss does (the kernel carries it over fork and exec: a child of a 300 MB parent
    reports 300 MB), so it is only the fallback where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)
