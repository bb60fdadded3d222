"""Timeline lines written for other apps' actions on items (催办 and 通报 live in notices), so that only
workflows writes its own tables. Called inside the caller's transaction."""

from ..models import ItemEvent


def record_urging(by, items, message):
    """Each item's timeline says it was urged (催办), with the message."""
    ItemEvent.objects.bulk_create(
        ItemEvent(item=item, kind=ItemEvent.Kind.URGED, actor=by, text=message) for item in items
    )


def record_circular(by, items, title):
    """Each item's timeline says a circular (通报) named it."""
    text = f"被《{title}》点名"
    ItemEvent.objects.bulk_create(
        ItemEvent(item=item, kind=ItemEvent.Kind.CIRCULATED, actor=by, text=text) for item in items
    )
