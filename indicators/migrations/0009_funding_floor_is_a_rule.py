"""The 100-student funding floor was stored as an indicator target (code funding_floor_students); it is a funding
rule of the plan. Each such catalogue row becomes the plan's FundingRule, and the indicator row goes."""

from django.db import migrations

CODE = "funding_floor_students"


def floor_rows_to_rules(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    FundingRule = apps.get_model("indicators", "FundingRule")
    rows = Indicator.objects.filter(code=CODE).order_by("plan_id", "order")
    for row in rows:
        students = int(row.threshold)
        rule, created = FundingRule.objects.get_or_create(
            plan_id=row.plan_id,
            code=CODE,
            defaults={
                "name": f"按{students}名学生核定公用经费",
                "students": students,
                "applies_to": row.scope,
                "stages": [row.stage],
                "section": row.section,
                "source_sentence": row.source_sentence,
            },
        )
        if not created and row.stage not in rule.stages:
            rule.stages = [*rule.stages, row.stage]
            rule.save(update_fields=["stages"])
    rows.delete()


def rules_to_floor_rows(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    FundingRule = apps.get_model("indicators", "FundingRule")
    for rule in FundingRule.objects.filter(code=CODE):
        last = Indicator.objects.filter(plan_id=rule.plan_id).order_by("-order").values_list("order", flat=True)
        for stage in rule.stages:
            Indicator.objects.get_or_create(
                plan_id=rule.plan_id,
                code=CODE,
                stage=stage,
                scope=rule.applies_to[:50],
                defaults={
                    "name": f"{rule.applies_to}{rule.name}"[:100],
                    "comparison": "gte",
                    "threshold": rule.students,
                    "unit_of_measure": "人",
                    "level": "school",
                    "section": rule.section,
                    "source_sentence": rule.source_sentence,
                    "order": (last.first() or 0) + 1,
                },
            )
    FundingRule.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0008_funding_rules_and_training_funds")]

    operations = [migrations.RunPython(floor_rows_to_rules, rules_to_floor_rows)]
