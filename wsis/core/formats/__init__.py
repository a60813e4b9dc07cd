"""Number formats where the UN's usage differs from Django's defaults (FORMAT_MODULE_PATH).

UN documents in Arabic and Chinese group digits by thousands with a comma and use a decimal point
(١٬٢٣٤ is not used on UN web pages, which keep Western digits). Django's own formats for these two
languages do not group at all, so a count of 1234567 would be hard to read. Everything not set here
(dates, first day of the week…) comes from Django's formats for the language.
"""
