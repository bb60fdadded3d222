"""The trail's search forms and the unlock form. Labels are Chinese: these pages are Taskboard's own."""

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from departments.models import Unit

from .models import AccessEvent
from .registry import TRACKED

DATE = forms.DateInput(attrs={"type": "date"})


class TrailFilters(forms.Form):
    """What the two listings share: a person, a unit, a period of days."""

    person = forms.CharField(label="人员", required=False, max_length=150, help_text="用户名或姓名")
    unit = forms.ModelChoiceField(label="单位", required=False, queryset=Unit.objects.order_by("kind", "name"))
    date_from = forms.DateField(label="起始日期", required=False, widget=DATE)
    date_to = forms.DateField(label="截止日期", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def tracked_content_types():
    """(content type id, the model's Chinese name) of every model the trail follows, by name."""
    models = [apps.get_model(label) for label in TRACKED]
    types = ContentType.objects.get_for_models(*models)
    return sorted(((types[model].pk, str(model._meta.verbose_name)) for model in models), key=lambda pair: pair[1])


class ChangeFilters(TrailFilters):
    ACTIONS = [("", "全部"), ("0", "新建"), ("1", "修改"), ("2", "删除")]

    model = forms.TypedChoiceField(label="对象类型", required=False, coerce=int, empty_value=None)
    object_id = forms.IntegerField(label="对象编号", required=False, min_value=1, max_value=2**62)
    action = forms.TypedChoiceField(label="操作", required=False, choices=ACTIONS, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "全部"), *tracked_content_types()]


class EventFilters(TrailFilters):
    kind = forms.ChoiceField(label="事件", required=False, choices=[("", "全部"), *AccessEvent.Kind.choices])
    address = forms.GenericIPAddressField(label="网络地址", required=False)
    path = forms.CharField(label="网址包含", required=False, max_length=255)


class UnlockForm(forms.Form):
    username = forms.CharField(required=False, max_length=255)
    address = forms.GenericIPAddressField(required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("username")) == bool(data.get("address")):
            raise forms.ValidationError("请指定一个账号或一个网络地址。")
        return data
