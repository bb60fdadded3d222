"""批示: a leader of the owner unit, or of the leadership group, writes an instruction on an item's timeline."""

from django.core.exceptions import ValidationError
from django.db import transaction

from departments import access

from ..models import ItemEvent


@transaction.atomic
def give_instruction(by, item, *, text):
    access.require(access.can_instruct(by, item), "只有承办单位的领导或领导小组领导可以批示。")
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写批示内容。", code="text")
    return ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.INSTRUCTION, actor=by, text=text)
