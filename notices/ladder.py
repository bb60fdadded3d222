"""The default escalation ladder (README, "Reminders and escalation"), created when there is none.

Created after ``migrate`` — and after a test flush, which re-emits post_migrate — if the table is
empty. The office edits the ladder on its page (notices/ladder/); a rung that has sent notices is switched off
rather than deleted (with every rung deleted, the next migrate restores the defaults).
"""

DEFAULT_LADDER = [
    # name, offset, repeat, liaisons, leaders, government office, leadership office, circular candidate
    ("到期前7天提醒", -7, None, True, False, False, False, False),
    ("到期前1天提醒", -1, None, True, False, False, False, False),
    ("到期未完成", 0, None, True, True, True, False, False),
    ("逾期催报", 3, 3, True, True, False, False, False),
    ("逾期7天升级", 7, None, True, True, True, True, True),
]
# Items not yet signed for (签收), counted in days from the hand-over.
DEFAULT_UNSIGNED_RUNG = ("未签收提醒", 2, None, True, True, False, False, False)


def ensure_default_ladder(sender=None, using="default", **kwargs):
    from .models import Rung

    if Rung.objects.using(using).exists():
        return
    Rung.objects.using(using).bulk_create(
        Rung(
            applies_to=Rung.Applies.UNSIGNED if row is DEFAULT_UNSIGNED_RUNG else Rung.Applies.DEADLINE,
            name=name,
            offset_days=offset,
            repeat_every_days=repeat,
            notify_liaisons=liaisons,
            notify_unit_leaders=leaders,
            notify_government_office=office,
            notify_leadership_office=leadership,
            marks_circular_candidate=candidate,
        )
        for row in [*DEFAULT_LADDER, DEFAULT_UNSIGNED_RUNG]
        for name, offset, repeat, liaisons, leaders, office, leadership, candidate in [row]
    )
