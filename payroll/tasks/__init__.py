"""Payroll background tasks (Celery autodiscovers `payroll.tasks`); one module per topic."""
