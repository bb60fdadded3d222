"""A person's choice, per kind of notice, between at once and the daily digest."""

from django.core.exceptions import ValidationError
from django.db import transaction

from departments import access

from ..models import NoticePreference
from ..preferences import KIND_HELP, default_mode

Mode = NoticePreference.Mode


@transaction.atomic
def save_preferences(user, modes):
    """Save ``{kind: mode}`` for ``user``; a kind set to its default keeps no row. Later notices follow it."""
    access.require(access.is_signed_in(user), "请先登录。")
    unknown = set(modes) - set(KIND_HELP)
    if unknown:
        raise ValidationError("没有这种通知：" + "、".join(sorted(unknown)), code="kind")
    bad = [kind for kind, mode in modes.items() if mode not in Mode.values]
    if bad:
        raise ValidationError("接收方式只能是“即时”或“每日汇总”。", code="mode")
    differing = {kind: mode for kind, mode in modes.items() if mode != default_mode(kind)}
    NoticePreference.objects.filter(user=user, kind__in=list(modes)).exclude(kind__in=list(differing)).delete()
    for kind, mode in differing.items():
        NoticePreference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
