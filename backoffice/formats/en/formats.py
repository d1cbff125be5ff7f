"""English formats for a French product: day first and 24-hour times, as in Django's en_GB.

An English-speaking user of Mutualise works on French payroll, invoices and deadlines, next to
French colleagues and documents that all write 05/03/2026 for 5 March. Django's default `en`
formats are American (03/05/2026, 2:30 p.m.): the same screen would then read a due date or a
contract start differently depending on the browser's language. Numbers keep the English
"1,234.56".
"""

DATE_FORMAT = "j F Y"  # 5 March 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 05/03/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Typed dates are read day first too (ISO yyyy-mm-dd, what <input type="date"> sends, is always
# accepted: Django adds the ISO formats to every locale's list).
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/03/2026
    "%d/%m/%y",  # 05/03/26
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
