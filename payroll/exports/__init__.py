"""Files the payroll hands back: the payroll journal (xlsx) and the DSN-shaped declaration."""
