from invoicing.tasks import billing  # noqa: F401  (autodiscovery imports this package)
