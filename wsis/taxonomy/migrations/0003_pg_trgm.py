"""PostgreSQL's pg_trgm extension: trigram similarity for spelling suggestions in search.

Search forgives typos in names of countries, action lines and SDGs in Python, the same on every
database (``taxonomy.names``); when a search finds nothing, its "did you mean" for other words (an
organisation's name) asks the database for the nearest name: ``word_similarity`` on PostgreSQL, a
``difflib`` fallback on SQLite (``stocktaking.search.search_hints``). On SQLite this is a no-op.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_provenance")]

    operations = [TrigramExtension()]
