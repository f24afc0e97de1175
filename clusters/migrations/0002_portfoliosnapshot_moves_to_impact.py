"""PortfolioSnapshot moves to the impact app: state only, the table and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PortfolioSnapshot")],
            database_operations=[],
        ),
    ]
