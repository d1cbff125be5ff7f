"""backup / restore (issue 6 §3): a backup restored into an empty database finds every row
and every file again."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django_scopes import scope

from backoffice.management.commands.backup import file_names, row_counts
from backoffice.services.documents import document_store_generated


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_row_and_file(world, tmp_path):
    with scope(workspace=world.partner_a):
        document = document_store_generated(workspace=world.partner_a, filename="bulletin.pdf",
                                            content=b"%PDF-1.4 donnees", content_type="application/pdf",
                                            title="Bulletin")
    rows, files = row_counts(), file_names(Path(default_storage.location))
    assert rows["backoffice.Workspace"] >= 4 and document.file.name in files

    call_command("backup", "--output", str(tmp_path / "b"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["rows"] == rows

    call_command("flush", interactive=False, verbosity=0)  # an empty database
    shutil.rmtree(default_storage.location)
    Path(default_storage.location).mkdir()
    assert row_counts()["backoffice.Workspace"] == 0

    call_command("restore", str(tmp_path / "b"), stdout=io.StringIO())
    assert row_counts() == rows
    assert file_names(Path(default_storage.location)) == files
    with default_storage.open(document.file.name) as handle:
        assert handle.read() == b"%PDF-1.4 donnees"
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "b"), stdout=io.StringIO())
