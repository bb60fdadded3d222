from django.db import migrations


def create_default_rule(apps, schema_editor):
    EvaluationRule = apps.get_model("indicators", "EvaluationRule")
    EvaluationRule.objects.get_or_create(year=None)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create_default_rule, migrations.RunPython.noop)]
