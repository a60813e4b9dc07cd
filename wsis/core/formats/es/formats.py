"""Dates in UN style for Spanish: the day, the month in words and the year, never an all-number date
(12/07/2026 reads as 7 December in most countries and as 12 July in others)."""


DATE_FORMAT = 'j \\d\\e F \\d\\e Y'
SHORT_DATE_FORMAT = r'j \d\e F \d\e Y'
DATETIME_FORMAT = 'j \\d\\e F \\d\\e Y, H:i'
SHORT_DATETIME_FORMAT = r'j \d\e F \d\e Y, H:i'
YEAR_MONTH_FORMAT = 'F \\d\\e Y'
MONTH_DAY_FORMAT = 'j \\d\\e F'
# Not a Django setting: read by wsis.core.formats.weekday_date (agenda days, session times).
WEEKDAY_DATE_FORMAT = 'l, j \\d\\e F \\d\\e Y'
