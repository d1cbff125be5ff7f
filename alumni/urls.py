"""URLs of the alumni app, under /w/<workspace>/alumni/, by topic (each module adds its own)."""

from django.urls import include, path

urlpatterns = [
    path("", include("alumni.urls_portal")),
    path("directory/", include("alumni.urls_directory")),
]
