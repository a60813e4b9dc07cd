"""Dates in UN style for Russian: the day, the month in words and the year, never an all-number date
(12/07/2026 reads as 7 December in most countries and as 12 July in others)."""


DATE_FORMAT = 'j E Y г.'
SHORT_DATE_FORMAT = 'j E Y г.'
DATETIME_FORMAT = 'j E Y г., H:i'
SHORT_DATETIME_FORMAT = 'j E Y г., H:i'
YEAR_MONTH_FORMAT = 'F Y г.'
MONTH_DAY_FORMAT = 'j E'
# Not a Django setting: read by wsis.core.formats.weekday_date (agenda days, session times).
WEEKDAY_DATE_FORMAT = 'l, j E Y г.'
