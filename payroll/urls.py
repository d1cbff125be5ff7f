"""URLs of the payroll app, under /w/<workspace>/payroll/ (filled in by its issue)."""

urlpatterns: list = []
