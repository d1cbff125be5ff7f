"""Reading a month's payroll data from a spreadsheet (xlsx or French Excel csv).

Layers, each usable on its own:
- ``columns.py``: the columns of the file, how headers are matched (case, accents and
  spaces do not matter) and the cell readers (money, hours, rates, dates) — Decimal only;
- ``backoffice/spreadsheets.py`` (the project's one bounded reader): opening a file safely (size,
  row, coordinate and zip-bomb limits, formulas and merged
  cells detected in the sheet XML, csv encoding and separator detection) and streaming its
  rows with the row number the user sees in Excel (header = row 1);
- ``validate.py``: checking every row against the workspace's entrepreneurs and the rules of
  the month, streaming (one row in memory at a time), collecting errors by row and column
  and the preview totals;
- ``template.py``: the xlsx template a partner downloads.

Nothing here writes to the database: ``payroll.services.submissions`` does, all or nothing.
"""
