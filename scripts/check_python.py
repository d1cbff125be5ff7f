"""Refuse, plainly, an interpreter too old for Django 5.2 (Python >= 3.10)."""

import sys

REQUIRED = (3, 10)
if sys.version_info < REQUIRED:
    sys.exit(
        f"Mutualise needs Python {REQUIRED[0]}.{REQUIRED[1]} or newer (Django 5.2); "
        f"'{sys.executable}' is Python {sys.version.split()[0]}. "
        "Install a newer Python and run again with PYTHON=/path/to/python3.11 make ..."
    )
