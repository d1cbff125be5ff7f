"""Root URLconf. Business apps are included by dotted string: backoffice never imports them.

Address shapes (the tenancy middleware reads them):
- /w/<workspace>/…  pages of one workspace, run inside its scope;
- /staff/…          host staff area (namespace "staff"), no scope, staff-wide reads named;
- everything else   account pages and health check: no tenant data.
"""

from django.urls import include, path

from backoffice.views import documents, dossiers, home, staff
from backoffice.views.health import healthz

workspace_patterns = [
    path("", home.workspace_home, name="workspace_home"),
    path("dossiers/", dossiers.dossiers, name="dossiers"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/comment/", dossiers.dossier_comment_add, name="dossier_comment"),
    path("dossiers/<int:pk>/attach/", dossiers.dossier_attach, name="dossier_attach"),
    path("dossiers/<int:pk>/update/", dossiers.dossier_update, name="dossier_update"),
    path("dossiers/<int:pk>/quick/", dossiers.dossier_quick_action, name="dossier_quick"),
    path("documents/", documents.documents, name="documents"),
    path("documents/upload/", documents.document_upload_view, name="document_upload"),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
]

staff_patterns = [
    path("", staff.dashboard, name="dashboard"),
    path("queue/", dossiers.staff_queue, name="queue"),
    path("queue/bulk-assign/", dossiers.staff_queue_bulk_assign, name="queue_bulk_assign"),
    path("audit/", staff.audit_trail, name="audit"),
]

# Topic modules each export `workspace_patterns` and `staff_patterns`.
TOPICS = ("backoffice.urls_records", "backoffice.urls_members")


def _topic_patterns(attr: str) -> list:
    from importlib import import_module

    out = []
    for module in TOPICS:
        out += getattr(import_module(module), attr, [])
    return out


workspace_patterns += _topic_patterns("workspace_patterns")
staff_patterns += _topic_patterns("staff_patterns")
# Each business app's staff-wide pages, under /staff/<app>/ (namespace staff:<app>).
staff_patterns += [path(f"{app}/", include((f"{app}.urls_staff", app))) for app in ("payroll", "alumni")]
staff_patterns += [path("alumni/shares/", include(("alumni.urls_staff_shares", "shares")))]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("backoffice.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include((staff_patterns, "staff"))),
    path("w/<slug:workspace>/", include(workspace_patterns)),
    path("w/<slug:workspace>/payroll/", include("payroll.urls")),
    path("w/<slug:workspace>/training/", include("training.urls")),
    path("w/<slug:workspace>/alumni/", include("alumni.urls")),
    path("w/<slug:workspace>/invoicing/", include("invoicing.urls")),
    path("api/v1/", include("payroll.api")),  # REST API: token auth, no /w/ prefix (the token decides the scope)
]
