"""The indicator catalogue moves from workflows to indicators, keeping its rows.

The model is created here in the migration state only, on the table workflows already has, and the table is then
renamed; workflows 0004 removes the model from its own state without touching the table. Content type and
permissions follow (an installation's role groups keep their permissions on the catalogue).
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_indicators(apps, schema_editor):
    """Rename workflows.indicator's content type to indicators.indicator, so its permissions and their grants move.

    Where both exist (migrated back and forth: post_migrate made a fresh indicators.indicator meanwhile), the
    grants of the old permissions move to the new ones and the old content type goes, with its permissions."""
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    old = content_type.objects.using(db).filter(app_label="workflows", model="indicator").first()
    new = content_type.objects.using(db).filter(app_label="indicators", model="indicator").first()
    if old is None:
        return
    if new is None:
        old.app_label = "indicators"
        old.save(update_fields=["app_label"])
        return
    for old_permission in permission.objects.using(db).filter(content_type=old):
        new_permission, _created = permission.objects.using(db).get_or_create(
            content_type=new, codename=old_permission.codename, defaults={"name": old_permission.name}
        )
        for group in old_permission.group_set.all():
            group.permissions.add(new_permission)
        for user in old_permission.user_set.all():
            user.user_permissions.add(new_permission)
    old.delete()


def content_type_to_workflows(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    content_type.objects.using(db).filter(app_label="indicators", model="indicator").update(app_label="workflows")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("indicators", "0005_self_evaluation_report"),
        ("workflows", "0003_item_event_urged_circulated"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Indicator",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.SlugField(max_length=64, verbose_name="code")),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "stage",
                            models.CharField(
                                choices=[
                                    ("primary", "Primary school"),
                                    ("junior", "Junior middle school"),
                                    ("nine_year", "Nine-year school"),
                                    ("special", "Special education"),
                                    ("county", "County-wide"),
                                ],
                                max_length=16,
                                verbose_name="school stage",
                            ),
                        ),
                        (
                            "scope",
                            models.CharField(
                                blank=True,
                                help_text="e.g. urban or township schools.",
                                max_length=50,
                                verbose_name="scope",
                            ),
                        ),
                        (
                            "comparison",
                            models.CharField(
                                choices=[("gte", "≥"), ("lte", "≤"), ("lt", "<"), ("eq", "=")],
                                max_length=3,
                                verbose_name="comparison",
                            ),
                        ),
                        ("threshold", models.DecimalField(decimal_places=4, max_digits=12, verbose_name="threshold")),
                        (
                            "unit_of_measure",
                            models.CharField(blank=True, max_length=20, verbose_name="unit of measure"),
                        ),
                        (
                            "level",
                            models.CharField(
                                choices=[("school", "Per school"), ("county", "County-wide")],
                                max_length=8,
                                verbose_name="level",
                            ),
                        ),
                        ("section", models.CharField(max_length=20, verbose_name="section")),
                        ("source_sentence", models.TextField(verbose_name="source sentence")),
                        ("order", models.PositiveSmallIntegerField(verbose_name="order")),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="indicators",
                                to="workflows.plan",
                                verbose_name="plan",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "indicator",
                        "verbose_name_plural": "indicators",
                        "ordering": ["plan", "order"],
                        "db_table": "workflows_indicator",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("plan", "code", "stage", "scope"), name="unique_indicator_per_stage"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="indicator", table=None),
        migrations.RunPython(content_type_to_indicators, content_type_to_workflows),
    ]
