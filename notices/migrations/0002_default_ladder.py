"""The default escalation ladder (README, "Reminders and escalation"). The office edits it in the admin."""

from django.db import migrations

DEFAULT_LADDER = [
    # name, offset, repeat, liaisons, leaders, government office, leadership office, circular candidate
    ("到期前7天提醒", -7, None, True, False, False, False, False),
    ("到期前1天提醒", -1, None, True, False, False, False, False),
    ("到期未完成", 0, None, True, True, True, False, False),
    ("逾期催报", 3, 3, True, True, False, False, False),
    ("逾期7天升级", 7, None, True, True, True, True, True),
]


def create_ladder(apps, schema_editor):
    Rung = apps.get_model("notices", "Rung")
    if Rung.objects.exists():
        return
    for name, offset, repeat, liaisons, leaders, office, leadership, candidate in DEFAULT_LADDER:
        Rung.objects.create(
            name=name,
            offset_days=offset,
            repeat_every_days=repeat,
            notify_liaisons=liaisons,
            notify_unit_leaders=leaders,
            notify_government_office=office,
            notify_leadership_office=leadership,
            marks_circular_candidate=candidate,
        )


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]
    operations = [migrations.RunPython(create_ladder, migrations.RunPython.noop)]
