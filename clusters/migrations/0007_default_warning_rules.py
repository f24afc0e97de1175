"""Every existing programme gets the default warning rules that program_create gives a new
one (the values are copied here: a migration must not change when the code does)."""

from django.db import migrations

DEFAULTS = [
    ("funding_change", {"max_change_percent": "30"}),
    ("costs_over_funding", {"max_excess_percent": "10"}),
    ("kpi_outlier", {"factor": "3"}),
    ("source_disappeared", {}),
    ("public_share", {"max_share": "0.5"}),
    ("required_kpis", {"kpis": ["members_total"]}),
]


def create_defaults(apps, schema_editor):
    Program = apps.get_model("clusters", "Program")
    WarningRule = apps.get_model("clusters", "WarningRule")
    have = set(WarningRule.objects.values_list("program_id", "rule"))
    WarningRule.objects.bulk_create(
        WarningRule(program_id=program_id, rule=rule, params=params)
        for program_id in Program.objects.values_list("pk", flat=True)
        for rule, params in DEFAULTS
        if (program_id, rule) not in have
    )


class Migration(migrations.Migration):
    dependencies = [("clusters", "0006_review")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
