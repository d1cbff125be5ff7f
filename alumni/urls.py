"""URLs of the alumni app, under /w/<workspace>/alumni/, by topic."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("alumni.urls_shares")),
    path("", include("alumni.urls_portal")),
    path("directory/", include("alumni.urls_directory")),
]
