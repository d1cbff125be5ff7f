"""Staff-wide payroll pages under /staff/payroll/ (namespace staff:payroll)."""

urlpatterns: list = []
