"""Dates in UN style for Arabic: the day, the month in words and the year, never an all-number date
(12/07/2026 reads as 7 December in most countries and as 12 July in others).
Digits are grouped by thousands with a comma and a decimal point, as on UN pages in this language.
"""


DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_FORMAT = 'j F Y'
SHORT_DATE_FORMAT = 'j F Y'
DATETIME_FORMAT = 'j F Y، H:i'
SHORT_DATETIME_FORMAT = 'j F Y، H:i'
YEAR_MONTH_FORMAT = 'F Y'
MONTH_DAY_FORMAT = 'j F'
# Not a Django setting: read by wsis.core.formats.weekday_date (agenda days, session times).
WEEKDAY_DATE_FORMAT = 'l، j F Y'
