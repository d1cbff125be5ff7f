"""Reading workspaces: the one lookup of the host cooperative."""

from __future__ import annotations

from collections.abc import Callable

from backoffice.models import Workspace, WorkspaceKind


def host_workspace(*, missing: Callable[[], Exception] | None = None) -> Workspace:
    """The host cooperative (at most one: a database constraint). Shared reference data
    (training catalogue, pay rate tables) is audited in it; invoices are issued by it.

    Without a host, raise `missing()` when given (e.g. a French message for the person who
    asked), else a RuntimeError: a deployment without `setup_host` is a setup fault."""
    host = Workspace.objects.filter(kind=WorkspaceKind.HOST).first()
    if host is None:
        raise missing() if missing else RuntimeError("no host workspace: run `manage.py setup_host` first")
    return host
