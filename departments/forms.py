"""Forms for the bulk imports: the uploaded file, and one form per row kind (units, people)."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from .models import Membership, Unit
from .uploads import UploadLimit, size_text

KIND_BY_LABEL = {"乡镇": Unit.Kind.TOWNSHIP, "街道": Unit.Kind.TOWNSHIP, "学校": Unit.Kind.SCHOOL}
ROLE_BY_LABEL = {
    "联络员": Membership.Role.LIAISON,
    "分管领导": Membership.Role.LEADER,
    "主要负责人": Membership.Role.HEAD,
}
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{9,11}|\d{7,8}")  # with area code (023…), or a local number


def _messages(**extra):
    return {"required": "不能为空", "max_length": "太长：最多 %(limit_value)d 个字，实际 %(show_value)d 个字", **extra}


def _text(max_length, required=True):
    return forms.CharField(max_length=max_length, required=required, error_messages=_messages())


def _labels(mapping):
    """ "联络员、分管领导 或 主要负责人"."""
    labels = list(mapping)
    return "、".join(labels[:-1]) + " 或 " + labels[-1]


def _choice(mapping):
    return forms.TypedChoiceField(
        choices=[(label, label) for label in mapping],
        coerce=mapping.get,
        error_messages=_messages(invalid_choice=f"应为 {_labels(mapping)}，实际为“%(value)s”"),
    )


def import_upload_limit():
    """What one post of an import page may carry: one file of ``IMPORT_MAX_BYTES`` (``departments.uploads``)."""
    return UploadLimit(per_file=settings.IMPORT_MAX_BYTES, files=1, noun="导入文件")


class ImportFileForm(forms.Form):
    """An uploaded .csv or .xlsx file, checked by size and by content. ``cleaned_data["file"]`` is an ``Upload``."""

    required_css_class = "required"  # the stylesheet marks required fields

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")  # Chinese labels end with a full-width colon
        super().__init__(*args, **kwargs)

    file = forms.FileField(
        label="文件",
        help_text=".csv（UTF-8 或 GBK）或 .xlsx，只读取第一个工作表",
        error_messages={
            "required": "请选择要上传的文件",
            "empty": "文件是空的",
            "invalid": "没有收到文件，请重新选择",
            "missing": "没有收到文件，请重新选择",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(label="只检查，不保存", required=False)

    def clean_file(self):
        # Imported here: the importers import this module for their row forms.
        from .imports.files import FileRejected, inspect_upload

        uploaded = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        too_big = f"文件太大：最大 {size_text(limit)}，这个文件有 {{}}；请分成几个文件导入"
        if uploaded.size is not None and uploaded.size > limit:
            raise ValidationError(too_big.format(size_text(uploaded.size)))
        uploaded.seek(0)
        data = uploaded.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(too_big.format(f"超过 {size_text(limit)}"))
        try:
            return inspect_upload(uploaded.name, data)
        except FileRejected as rejected:
            raise ValidationError(rejected.messages) from rejected


class UnitRowForm(forms.Form):
    """One township, street or school."""

    name = _text(100)
    short_name = _text(50, required=False)
    kind = _choice(KIND_BY_LABEL)
    township = _text(100, required=False)
    collective = _text(100, required=False)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Unit.Kind.SCHOOL:
            if not cleaned.get("township") and "township" not in self.errors:
                self.add_error("township", "学校必须填写所属乡镇（街道）")
            if cleaned.get("collective"):
                self.add_error("collective", "只有乡镇（街道）填写此列，学校请留空")
        elif kind == Unit.Kind.TOWNSHIP and cleaned.get("township"):
            self.add_error("township", "只有学校填写此列，乡镇（街道）请留空")
        return cleaned


class PersonRowForm(forms.Form):
    """One person and their place in a unit."""

    username = forms.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator(message="只能包含字母、数字和 @ . + - _")],
        error_messages=_messages(),
    )
    full_name = _text(150)
    unit = _text(100)
    role = _choice(ROLE_BY_LABEL)
    phone = _text(32, required=False)
    email = forms.EmailField(
        required=False, max_length=254, error_messages=_messages(invalid="不是有效的邮箱地址：“%(value)s”")
    )
    password = _text(128, required=False)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        digits = re.sub(r"[\s\-]", "", phone)
        if not digits:
            return ""
        if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits):
            return digits
        if digits.isdigit() and digits.startswith("1"):
            raise ValidationError(f"手机号码应为 11 位数字，实际为“{phone}”（{len(digits)} 位）")
        raise ValidationError(f"应为 11 位手机号码或带区号的固定电话，实际为“{phone}”")
