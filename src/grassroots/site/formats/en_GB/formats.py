"""The app's date formats for en-GB: one format everywhere, as ``grassroots.dates`` writes them.

Django's own en-GB formats abbreviate the month ("5 Dec 2026"); pages that print a date
without a format of their own, and the templates that name one, all read "5 December 2026".
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
