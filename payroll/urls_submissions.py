"""Payroll URLs (urls_submissions): the payroll home, the monthly submission, its template,
and the workspace's API tokens. Under /w/<workspace>/payroll/."""

from django.urls import path

from payroll.views import submissions

urlpatterns = [
    path("", submissions.payroll_home, name="payroll_home"),
    path("template.xlsx", submissions.payroll_template, name="payroll_template"),
    path("submissions/new/", submissions.submission_new, name="payroll_submission_new"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="payroll_submission_detail"),
    path("submissions/<int:pk>/progress/", submissions.submission_progress, name="payroll_submission_progress"),
    path("submissions/<int:pk>/confirm/", submissions.submission_confirm_view, name="payroll_submission_confirm"),
    path("api-tokens/", submissions.api_tokens, name="payroll_api_tokens"),
    path("api-tokens/<int:pk>/revoke/", submissions.api_token_revoke_view, name="payroll_api_token_revoke"),
]
