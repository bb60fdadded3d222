"""An index on viewflow's task table, by step and date: viewflow's dashboard shows the newest tasks of each step, its
task list filters on a step, and Taskboard reads a flow's tasks by their steps (``workflows.viewflow_reads``).
Without it each column of the dashboard read every task (a million at 200,000 items). viewflow's model is left
untouched (its licence: customise outside its package), so the index is created here, by name."""

from django.db import migrations

INDEX = "taskboard_task_step_created"


class Migration(migrations.Migration):
    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0008_board_light_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON viewflow_task (flow_task, created)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
