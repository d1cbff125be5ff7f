"""URLs of the training app under /w/<workspace>/training/."""

from django.urls import path

from training.views import gatherings
from training.views import workspace as views

urlpatterns = [
    path("", views.sessions, name="training_home"),
    path("sessions/<int:pk>/", views.session_detail, name="training_session"),
    path("sessions/<int:pk>/enrol/", views.session_enrol, name="training_session_enrol"),
    path("sessions/<int:pk>/request/", views.request_new, name="training_request_new"),
    path("sessions/<int:pk>/participants/", gatherings.participants, name="training_participants"),
    path("sessions/<int:pk>/badges.pdf", gatherings.badges, name="training_badges"),
    path("sessions/<int:pk>/attendance/", gatherings.gathering_attendance, name="training_gathering_attendance"),
    path("workshops/<int:pk>/register/", gatherings.workshop_register_view, name="training_workshop_register"),
    path("workshop-registrations/<int:pk>/withdraw/", gatherings.registration_withdraw,
         name="training_registration_withdraw"),
    path("enrolments/<int:pk>/withdraw/", gatherings.enrolment_withdraw_view, name="training_enrolment_withdraw"),
    path("requests/", views.requests, name="training_requests"),
    path("requests/<int:pk>/", views.request_detail, name="training_request"),
    path("requests/<int:pk>/move/", views.request_move, name="training_request_move"),
    path("requests/<int:pk>/attendance/", views.request_attendance, name="training_request_attendance"),
    path("requests/<int:pk>/documents/", views.request_documents, name="training_request_documents"),
]
