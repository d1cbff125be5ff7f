"""URLs of the training app, under /w/<workspace>/training/ (filled in by its issue)."""

urlpatterns: list = []
