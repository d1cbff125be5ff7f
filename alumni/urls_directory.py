"""The network directory, under /w/<workspace>/alumni/directory/ (any workspace kind)."""

from django.urls import path

from alumni.views import directory

urlpatterns = [
    path("", directory.directory, name="alumni_directory"),
    path("membership/", directory.directory_membership, name="alumni_directory_membership"),
    path("profiles/new/", directory.profile_edit, name="alumni_profile_new"),
    path("profiles/<int:pk>/edit/", directory.profile_edit, name="alumni_profile_edit"),
    path("profiles/<int:pk>/withdraw/", directory.profile_withdraw, name="alumni_profile_withdraw"),
    path("<int:pk>/contact/", directory.contact, name="alumni_contact"),
]
