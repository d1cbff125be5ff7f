"""Staff-wide training pages under /staff/training/ (namespace staff:training)."""

from django.urls import path

from training.views import staff, staff_catalogue, staff_gatherings

urlpatterns: list = [
    path("", staff.home, name="home"),
    path("bodies/", staff.bodies, name="bodies"),
    path("bodies/new/", staff.body_edit, name="body_new"),
    path("bodies/<int:pk>/edit/", staff.body_edit, name="body_edit"),
    path("courses/", staff.courses, name="courses"),
    path("courses/new/", staff.course_edit, name="course_new"),
    path("courses/<int:pk>/edit/", staff.course_edit, name="course_edit"),
    path("opcos/", staff.opcos, name="opcos"),
    path("opcos/new/", staff.opco_edit, name="opco_new"),
    path("opcos/<int:pk>/edit/", staff.opco_edit, name="opco_edit"),
    path("sessions/", staff.sessions, name="sessions"),
    path("sessions/new/", staff.session_edit, name="session_new"),
    path("sessions/<int:pk>/", staff.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", staff.session_edit, name="session_edit"),
    path("sessions/<int:pk>/bulk-requests/", staff.session_bulk_requests, name="session_bulk_requests"),
    path("sessions/<int:pk>/figures/", staff_gatherings.session_figures, name="session_figures"),
    path("sessions/<int:pk>/workshops/new/", staff_gatherings.workshop_new, name="workshop_new"),
    path("workshops/<int:pk>/edit/", staff_gatherings.workshop_edit, name="workshop_edit"),
    path("catalogue/", staff_catalogue.catalogue, name="catalogue"),
    path("catalogue.xlsx", staff_catalogue.catalogue_xlsx, name="catalogue_xlsx"),
    path("summary/", staff.summary, name="summary"),
    path("summary.xlsx", staff.summary_xlsx_view, name="summary_xlsx"),
    path("slots/<int:pk>/remove/", staff.slot_remove, name="slot_remove"),
]
