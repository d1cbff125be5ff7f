"""URLs of the invoicing app, under /w/<workspace>/invoicing/ (filled in by its issue)."""

urlpatterns: list = []
