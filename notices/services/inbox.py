"""The person's in-app inbox (the notifications library's rows): marking read."""

from ..reads import inbox_for


def mark_read(user, notification):
    """Mark one of ``user``'s own notices read (someone else's is left alone). Returns whether it changed."""
    return bool(inbox_for(user).filter(pk=notification.pk, unread=True).update(unread=False))


def mark_all_read(user):
    """Mark all of ``user``'s notices read; returns how many were unread."""
    return inbox_for(user).filter(unread=True).update(unread=False)
