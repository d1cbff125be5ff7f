"""Files written inside a transaction that rolls back do not stay on disk (issue 6 §2), and
`orphan_files` lists and removes whatever escaped."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django_scopes import scope

from backoffice.services.documents import GeneratedFile, document_store_generated, documents_store_generated
from backoffice.storage import files_removed_on_rollback


def stored() -> set[str]:
    root = default_storage.location
    return {os.path.relpath(os.path.join(d, f), root) for d, _s, fs in os.walk(root) for f in fs}


@pytest.mark.django_db(transaction=True)
def test_no_file_is_left_after_a_rolled_back_batch(world):
    before = stored()
    with files_removed_on_rollback(), scope(workspace=world.partner_a):
        with pytest.raises(RuntimeError), transaction.atomic():
            documents_store_generated(workspace=world.partner_a, files=[
                GeneratedFile(f"bulletin_{i}.pdf", b"%PDF-1.4 personal data", f"Bulletin {i}") for i in range(5)])
            assert len(stored() - before) == 5  # written while the transaction is open
            raise RuntimeError("the batch failed after its files were written")
    assert stored() == before


@pytest.mark.django_db(transaction=True)
def test_a_committed_file_stays(world):
    before = stored()
    with files_removed_on_rollback(), scope(workspace=world.partner_a):
        document = document_store_generated(workspace=world.partner_a, filename="ok.pdf", content=b"%PDF-1.4",
                                            content_type="application/pdf", title="OK")
    assert stored() - before == {document.file.name}


@pytest.mark.django_db(transaction=True)
def test_no_file_is_left_after_a_rolled_back_render(world):
    """A payslip batch that fails after writing its PDFs leaves no PDF on disk."""
    import importlib
    from decimal import Decimal
    from unittest import mock

    from django.apps import apps

    from payroll.models import PayrollRun
    from payroll.services.runs import payroll_run
    from payroll.tasks.runs import render_payslips
    from tests.factories import PayrollBracketFactory, PayrollSettingsFactory, build_payroll_month

    importlib.import_module("payroll.migrations.0002_load_rate_tables").load(apps, None)  # flushed by earlier tests
    ws = world.partner_a
    with scope(workspace=ws):
        PayrollBracketFactory(settings=PayrollSettingsFactory(workspace=ws), rate=Decimal("10"))
        period = build_payroll_month(ws, lines=[{"revenue": Decimal("5000.00")}, {"gross_salary": Decimal("3000")}])
        payroll_run(actor=None, workspace=ws, period=period)
    before = stored()
    with mock.patch("payroll.services.payslips.discard_documents", side_effect=RuntimeError("disk full")), \
            pytest.raises(RuntimeError):
        render_payslips.apply(args=(ws.pk, period.period.isoformat(), None), throw=True)
    assert stored() == before
    with scope(workspace=ws):
        assert PayrollRun.objects.get(period=period).pdf_state == "failed"


def test_orphan_files_lists_then_deletes_only_what_no_row_points_to(world):
    with scope(workspace=world.partner_a):
        kept = document_store_generated(workspace=world.partner_a, filename="kept.pdf", content=b"%PDF-1.4",
                                        content_type="application/pdf", title="Kept")
    orphan = default_storage.save("orphans/left-behind.pdf", io.BytesIO(b"%PDF-1.4 personal data"))
    young = default_storage.save("orphans/being-written.pdf", io.BytesIO(b"%PDF-1.4"))
    old = time.time() - 2 * 3600
    os.utime(default_storage.path(orphan), (old, old))
    os.utime(default_storage.path(kept.file.name), (old, old))
    out = io.StringIO()
    call_command("orphan_files", stdout=out)
    assert orphan in out.getvalue() and kept.file.name not in out.getvalue() and young not in out.getvalue()
    assert default_storage.exists(orphan)  # listing deletes nothing
    call_command("orphan_files", "--delete", stdout=io.StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name) and default_storage.exists(young)
