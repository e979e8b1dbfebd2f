"""Indexes for searching a national register: members by address (any case), and on
PostgreSQL by any part of a name (a trigram index, so that ``name__icontains`` does not read
all 500,000 members); then the table's statistics, which the planner needs for them."""

from typing import Any

import django.db.models.functions.text
from django.db import migrations, models

TRIGRAM_INDEX = "member_name_trgm"


def trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON members_member "
        "USING gin (upper(name::text) gin_trgm_ops)"
    )
    # statistics for the indexed expressions: without them PostgreSQL guesses that a search
    # by address matches thousands and reads a sorted page by walking the whole register
    schema_editor.execute("ANALYZE members_member")


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_treasurer_auditor_roles")]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                django.db.models.functions.text.Upper("email"), name="member_email_upper"
            ),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
