"""Restore a `backup` directory into an empty, migrated database: `restore DIR`.

Loads DIR/database.json (loaddata), copies DIR/private/ into the private storage, then checks
the manifest: every model's row count and every file must be found again, else it fails.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from backoffice.management.commands.backup import file_names, row_counts
from backoffice.models import Workspace
from backoffice.tenancy import staff_wide


class Command(BaseCommand):
    help = "Restore a backup directory (database and private files) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options):
        source: Path = options["directory"]
        if not (source / "database.json").is_file() or not (source / "manifest.json").is_file():
            raise CommandError(f"{source}: not a backup (database.json and manifest.json expected)")
        if Workspace.objects.exists():  # workspaces are not scoped
            raise CommandError("the database is not empty: restore into a new, migrated database")
        manifest = json.loads((source / "manifest.json").read_text())
        with staff_wide("a restore loads every workspace"):
            call_command("loaddata", str(source / "database.json"), verbosity=0)
        root = Path(default_storage.location)
        if (source / "private").exists():
            shutil.copytree(source / "private", root, dirs_exist_ok=True)
        counts = row_counts()
        missing_rows = {k: (v, counts.get(k)) for k, v in manifest["rows"].items() if counts.get(k, 0) < v}
        missing_files = sorted(set(manifest["files"]) - set(file_names(root)))
        if missing_rows or missing_files:
            raise CommandError(f"restore incomplete: rows {missing_rows}, files {missing_files[:10]}")
        self.stdout.write(f"Restored {sum(manifest['rows'].values())} rows and {len(manifest['files'])} files.")
