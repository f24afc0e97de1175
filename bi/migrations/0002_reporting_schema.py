"""The PostgreSQL ``reporting`` schema: one row-secured view per BI table (bi.reporting)."""

from django.db import migrations

from bi.reporting import PostgresOnlySQL, create_sql, drop_sql


class Migration(migrations.Migration):
    dependencies = [
        ("bi", "0001_initial"),
        ("clusters", "0004_program_language"),
        ("impact", "0003_portfoliosnapshot"),
    ]

    operations = [PostgresOnlySQL(sql=create_sql(), reverse_sql=drop_sql())]
