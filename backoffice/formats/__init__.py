"""Project format overrides (FORMAT_MODULE_PATH). French uses Django's own `fr` formats
(dd/mm/yyyy, "1 234,56"); only English is overridden, see en/formats.py."""
