"""The alumni company's portal and its staff follow-up, under /w/<company>/alumni/."""

from django.urls import path

from alumni.views import portal

urlpatterns = [
    path("", portal.portal_home, name="alumni_home"),
    path("declare/", portal.declare, name="alumni_declare"),
    path("contributions/", portal.contributions, name="alumni_contributions"),
    path("declarations/<int:pk>/correct/", portal.correct_declaration, name="alumni_declaration_correct"),
    path("request/", portal.service_request, name="alumni_service_request"),
    path("follow-up/", portal.company_follow_up, name="alumni_company"),
    path("follow-up/tasks/", portal.task_add, name="alumni_task_add"),
]
