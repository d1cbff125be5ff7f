"""URLs of the alumni app, under /w/<workspace>/alumni/ (filled in by its issue)."""

urlpatterns: list = []
