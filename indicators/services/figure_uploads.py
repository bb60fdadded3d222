"""A figures file that would replace a year's figures, held on the server between its upload and its confirmation.

``hold_upload`` keeps the checked file as a ``PendingUpload`` — its bytes, the digest of the differences its
page shows, and a random token, the one thing the page's form posts back (nothing goes into the session). A
person has one at most: a later upload (in another tab, say) replaces the earlier one, whose page can then
no longer be confirmed. ``confirm_upload`` takes the upload (used once, whatever comes next) and applies it
only if it is the confirming person's own, not expired, and the file still makes the differences its page
showed. ``purge_expired_uploads`` deletes those left unconfirmed past ``PendingUpload.EXPIRES_AFTER``: both
services call it, and beat does.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access

from ..imports import apply_figures, check_figures
from ..models import PendingUpload

ONLY_THE_PLAN_OFFICE = "只有领导小组办公室可以导入学校年度数据。"
NOT_PENDING = "没有待确认的导入，或已被另一次上传取代、已经失效：请重新上传文件。"
CHANGED = "系统中的数据在确认前已被修改，替换内容与刚才显示的不同：请重新上传文件核对。"


def expired_message():
    hours = PendingUpload.EXPIRES_AFTER.total_seconds() / 3600
    limit = f"{hours:g}小时" if hours >= 1 else f"{int(hours * 60)}分钟"
    return f"这次上传已超过{limit}没有确认，已经失效：请重新上传文件。"


@transaction.atomic
def hold_upload(user, upload, check):
    """Keep ``upload`` (an accepted ``Upload``), checked as ``check``, for ``user`` to confirm; returns the
    ``PendingUpload``, whose ``token`` the confirmation posts. Replaces the user's earlier pending upload."""
    access.require(access.can_import_school_figures(user), ONLY_THE_PLAN_OFFICE)
    if not check.ok:
        raise ValueError("only a file without errors waits for a confirmation")
    purge_expired_uploads()
    pending, _created = PendingUpload.objects.update_or_create(
        uploaded_by=user,
        defaults={
            "token": secrets.token_urlsafe(32),
            "year": check.year,
            "name": upload.name[:255],
            "format": upload.format,
            "data": upload.data,
            "changes": check.digest(),
            "uploaded_at": timezone.now(),
        },
    )
    return pending


@transaction.atomic
def take_upload(user, token):
    """Delete and return ``user``'s pending upload of ``token`` (None if there is none: confirmed already,
    replaced, purged, or another person's). Deleting is the claim: of two confirmations, one gets it. The one
    returned may be expired (the caller says so); a confirmation of nothing writes nothing (uploads left
    unconfirmed are purged by the next upload and by beat)."""
    pending = PendingUpload.objects.filter(token=token, uploaded_by=user).first() if token else None
    if pending is not None and not PendingUpload.objects.filter(pk=pending.pk).delete()[0]:
        pending = None  # another confirmation took it first
    return pending


def confirm_upload(user, token, changes):
    """Apply the pending upload of ``token`` that ``user`` confirmed on a page showing the differences
    ``changes`` (their digest). Returns the applied ``FiguresCheck``; ValidationError (Chinese) when there is
    nothing of the user's to confirm, it expired, or the figures changed since that page.

    The upload is taken (deleted) in its own transaction first, so it is used once even when refused; the
    file is then checked again and applied in the import's one transaction (``imports.apply_figures``).
    """
    access.require(access.can_import_school_figures(user), ONLY_THE_PLAN_OFFICE)
    pending = take_upload(user, token)
    if pending is None or changes != pending.changes:
        raise ValidationError(NOT_PENDING, code="not_pending")
    if pending.is_expired():
        raise ValidationError(expired_message(), code="expired")
    check = check_figures(pending.upload, pending.year)
    if check.ok and check.digest() != pending.changes:
        raise ValidationError(CHANGED, code="changed")
    return apply_figures(check, user)


@transaction.atomic
def purge_expired_uploads(now=None):
    """Delete the pending uploads left unconfirmed past their expiry. Returns how many."""
    cutoff = (now or timezone.now()) - PendingUpload.EXPIRES_AFTER
    return PendingUpload.objects.filter(uploaded_at__lte=cutoff).delete()[0]
