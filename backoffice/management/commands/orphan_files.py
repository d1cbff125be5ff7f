"""List (and with --delete remove) private files that no row points to.

Files are written before their row commits; a process killed in between, or a rollback that
happened outside a request or a task (backoffice/storage.py removes the others), leaves a file
that nothing refers to — often personal data. Every FileField of every model is consulted, so
the files of apps added later count too. Files younger than --min-age-minutes (default 60)
are left alone: their transaction may still be open.
"""

from __future__ import annotations

import os
import time

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models

from backoffice.tenancy import staff_wide


def referenced_names() -> set[str]:
    names: set[str] = set()
    with staff_wide("orphan_files compares every stored file with every row"):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.FileField) and field.storage is default_storage or (
                        isinstance(field, models.FileField)
                        and getattr(field.storage, "location", None) == getattr(default_storage, "location", "")):
                    names.update(n for n in model._base_manager.exclude(**{field.name: ""})
                                 .values_list(field.name, flat=True).iterator() if n)
    return names


def stored_names(root: str) -> list[str]:
    out = []
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            out.append(os.path.relpath(os.path.join(folder, filename), root).replace(os.sep, "/"))
    return sorted(out)


class Command(BaseCommand):
    help = "List private files no row points to; --delete removes them."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove them (default: only list)")
        parser.add_argument("--min-age-minutes", type=int, default=60,
                            help="leave younger files alone (their transaction may be open); default 60")

    def handle(self, *args, **options):
        root = default_storage.location
        known = referenced_names()
        cutoff = time.time() - options["min_age_minutes"] * 60
        orphans = [name for name in stored_names(root)
                   if name not in known and os.path.getmtime(os.path.join(root, name)) <= cutoff]
        for name in orphans:
            if options["delete"]:
                default_storage.delete(name)
            self.stdout.write(("deleted " if options["delete"] else "") + name)
        verb = "deleted" if options["delete"] else "found (run again with --delete to remove them)"
        self.stdout.write(f"{len(orphans)} orphan file(s) {verb}.")
