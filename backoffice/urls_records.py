"""URLs: Entrepreneurs, workspaces, service agreements and usage."""

from django.urls import path

from backoffice.views import agreements, entrepreneurs, usage, workspaces

# Under /w/<workspace>/ (run inside the workspace's scope).
workspace_patterns: list = [
    path("entrepreneurs/", entrepreneurs.entrepreneurs, name="entrepreneurs"),
    path("entrepreneurs/new/", entrepreneurs.entrepreneur_create_view, name="entrepreneur_create"),
    path("entrepreneurs/<int:pk>/", entrepreneurs.entrepreneur_detail, name="entrepreneur_detail"),
    path("entrepreneurs/<int:pk>/edit/", entrepreneurs.entrepreneur_edit, name="entrepreneur_edit"),
    path("entrepreneurs/<int:pk>/nir/", entrepreneurs.entrepreneur_nir_reveal, name="entrepreneur_nir_reveal"),
    path("agreement/", agreements.agreements, name="agreements"),
    path("agreement/new/", agreements.agreement_create_view, name="agreement_create"),
    path("agreement/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreement/<int:pk>/lines/new/", agreements.price_line_create_view, name="price_line_create"),
    path("agreement/lines/<int:pk>/edit/", agreements.price_line_edit, name="price_line_edit"),
    path("agreement/lines/<int:pk>/delete/", agreements.price_line_delete_view, name="price_line_delete"),
    path("usage/", usage.usage, name="usage"),
]

# Under /staff/ (namespace "staff", no scope).
staff_patterns: list = [
    path("workspaces/", workspaces.workspaces, name="workspaces"),
    path("workspaces/new/", workspaces.workspace_create_view, name="workspace_create"),
    path("workspaces/<slug:slug>/edit/", workspaces.workspace_edit, name="workspace_edit"),
    path("workspaces/<slug:slug>/active/", workspaces.workspace_set_active_view, name="workspace_set_active"),
]
