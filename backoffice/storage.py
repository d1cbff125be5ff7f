"""Private file storage: documents are never reachable by a URL of their own.

Every file is served by a permission-checked view (backoffice/views/documents.py), so the
storage refuses to build a URL at all, whatever MEDIA_URL says."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError("private files have no URL: serve them through a permission-checked view")


# --- files written inside a transaction that rolls back ----------------------------------------
# A file is written to disk before its row is committed. If the transaction then rolls back
# (a failed payslip batch, a refused upload), the row goes and the file would stay: personal
# data on disk that nothing points to. `track_written` records each file written inside a
# transaction and forgets it when the transaction commits (on_commit); `files_removed_on_rollback`
# wraps a unit of work (every request: FilesRemovedOnRollbackMiddleware; every Celery task:
# backoffice/celery.py) and, once the outermost transaction is over, deletes what was written
# but never committed. `manage.py orphan_files` finds whatever escaped (a killed process).

import threading  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from django.db import DEFAULT_DB_ALIAS, connections, transaction  # noqa: E402

_local = threading.local()


def _pending() -> list:
    if not hasattr(_local, "pending"):
        _local.pending = []
    return _local.pending


def track_written(storage, name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Call after writing `name` to `storage` for a row saved in the current transaction."""
    if not connections[using].in_atomic_block:
        return  # autocommit: the row (if any) is already committed
    entry = (storage, name)
    _pending().append(entry)

    def committed():
        try:
            _pending().remove(entry)
        except ValueError:
            pass
    transaction.on_commit(committed, using=using)


def remove_uncommitted(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Delete the files written in transactions that ended without committing (call when no
    transaction is open any more). Returns their names."""
    if connections[using].in_atomic_block:
        return []
    pending, _local.pending = _pending(), []
    for storage, name in pending:
        storage.delete(name)
    return [name for _storage, name in pending]


@contextmanager
def files_removed_on_rollback(*, using: str = DEFAULT_DB_ALIAS):
    try:
        yield
    finally:
        remove_uncommitted(using=using)


class FilesRemovedOnRollbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with files_removed_on_rollback():
            return self.get_response(request)
