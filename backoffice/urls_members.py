"""URLs: Members of a workspace and invitations.

The invitation link itself (`invitation_accept`) is an account page: see urls_accounts.py."""

from django.urls import path

from backoffice.views import members

workspace_patterns: list = [
    path("members/", members.members, name="members"),
    path("members/invite/", members.member_invite, name="member_invite"),
    path("members/<int:pk>/role/", members.member_role, name="member_role"),
    path("members/<int:pk>/remove/", members.member_remove, name="member_remove"),
]
staff_patterns: list = []
