"""Back up the database and the private files into a directory: `backup --output DIR`.

DIR/database.json is Django's dumpdata of every app (natural foreign keys, base managers so
that django-scopes' scoped managers neither refuse nor filter anything), without the rows
`migrate` recreates (content types, permissions) and without sessions; DIR/private/ is a copy
of the private storage; DIR/manifest.json counts rows and files so `restore` can check itself.

Why dumpdata rather than pg_dump: it restores the same way on SQLite (the demo) and
PostgreSQL, through the models (a restore into a newer schema fails loudly instead of loading
columns that no longer mean the same), and the suite can test it. For a large PostgreSQL
instance, also run pg_dump nightly (faster, point-in-time with WAL archiving); this command is
the portable, checked copy.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from backoffice.tenancy import staff_wide

EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


def row_counts() -> dict[str, int]:
    excluded_apps = {"contenttypes", "sessions"}
    counts = {}
    with staff_wide("a backup counts every row of every workspace"):
        for model in apps.get_models():
            label = model._meta.label
            if model._meta.app_label in excluded_apps or label == "auth.Permission" or model._meta.proxy:
                continue
            counts[label] = model._base_manager.count()
    return counts


def file_names(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


class Command(BaseCommand):
    help = "Back up the database (dumpdata) and the private files into --output DIR."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="a new or empty directory")

    def handle(self, *args, **options):
        out: Path = options["output"]
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty: give a new directory")
        out.mkdir(parents=True, exist_ok=True)
        with staff_wide("a backup dumps every workspace"):
            call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, use_base_manager=True,
                         indent=None, output=str(out / "database.json"), verbosity=0)
        root = Path(default_storage.location)
        if root.exists():
            shutil.copytree(root, out / "private")
        manifest = {"rows": row_counts(), "files": file_names(root)}
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
        self.stdout.write(f"Backed up {sum(manifest['rows'].values())} rows and {len(manifest['files'])} files "
                          f"to {out}.")
