"""PortfolioSnapshot comes from the clusters app: state only, the table keeps its name
(clusters_portfoliosnapshot) and its rows."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0002_portfoliosnapshot_moves_to_impact"),
        ("impact", "0002_saved_scenario"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PortfolioSnapshot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField()),
                        ("kind", models.CharField(max_length=64)),
                        ("params", models.CharField(blank=True, default="", max_length=255)),
                        ("payload", models.JSONField()),
                        ("computed_at", models.DateTimeField()),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="clusters.program",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "clusters_portfoliosnapshot",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("program", "year", "kind", "params"),
                                name="portfoliosnapshot_unique",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
