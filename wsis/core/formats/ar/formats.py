"""Grouped thousands with a comma and a decimal point, as on UN pages in this language."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
