"""The indicator catalogue now lives in indicators (indicators 0006 takes over the table and its rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_item_event_urged_circulated"),
        ("indicators", "0006_indicator_moved_from_workflows"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Indicator")],
            database_operations=[],
        ),
    ]
