from django.core.exceptions import ValidationError


class ItemStateError(ValidationError):
    """The item is not at a step where this can be done (e.g. already submitted by a colleague)."""


class ItemBusy(ItemStateError):
    """Someone else holds the item's lock right now; the user should try again."""

    def __init__(self):
        super().__init__("有人正在办理这项任务，请稍后再试。您填写的内容没有丢失。", code="busy")
