"""Share registers under /w/<workspace>/alumni/shares/: the workspace's register as an issuer,
and its own holdings in other issuers' registers."""

from django.urls import path

from alumni.views import meetings, shares

urlpatterns: list = [
    path("shares/", shares.register, name="shares_register"),
    path("shares/settings/", shares.issuer_settings, name="shares_settings"),
    path("shares/colleges/new/", shares.college_new, name="shares_college_new"),
    path("shares/holders/new/", shares.holder_new, name="shares_holder_new"),
    path("shares/holders/<int:pk>/certificate.pdf", shares.holder_certificate, name="shares_certificate"),
    path("shares/movements/new/", shares.movement_new, name="shares_movement_new"),
    path("shares/movements/<int:pk>/cancel/", shares.movement_cancel_view, name="shares_movement_cancel"),
    path("shares/import/", shares.register_import_view, name="shares_import"),
    path("shares/register.xlsx", shares.register_xlsx, name="shares_register_xlsx"),
    path("shares/register.pdf", shares.register_pdf, name="shares_register_pdf"),
    path("shares/holdings/", shares.holdings, name="shares_holdings"),
    path("shares/holdings/statement.pdf", shares.holdings_statement, name="shares_holdings_statement"),
]

urlpatterns += [
    path("shares/meetings/", meetings.meetings, name="shares_meetings"),
    path("shares/meetings/new/", meetings.meeting_new, name="shares_meeting_new"),
    path("shares/meetings/<int:pk>/", meetings.meeting_detail, name="shares_meeting"),
    path("shares/meetings/<int:pk>/attendance/", meetings.meeting_attendance, name="shares_meeting_attendance"),
    path("shares/meetings/<int:pk>/tally/", meetings.meeting_tally, name="shares_meeting_tally"),
    path("shares/meetings/<int:pk>/convocations.pdf", meetings.meeting_convocations, name="shares_meeting_convocations"),
    path("shares/meetings/<int:pk>/send/", meetings.meeting_send, name="shares_meeting_send"),
    path("shares/meetings/<int:pk>/minutes.xlsx", meetings.meeting_minutes, name="shares_meeting_minutes"),
    path("shares/convocations/<int:pk>/", meetings.convocation, name="shares_convocation"),
]
