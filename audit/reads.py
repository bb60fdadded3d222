"""The trail as the pages read it: filtered querysets, and changes made readable a page at a time.

A page costs the same few queries whatever it shows: the entries with their person and model (one query), then
one query per model named by the page's foreign keys and units, to show names instead of ids.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from departments.models import Membership, Unit
from departments.names import display_name

from .models import AccessEvent

ACTIONS = {LogEntry.Action.CREATE: "新建", LogEntry.Action.UPDATE: "修改", LogEntry.Action.DELETE: "删除"}
EMPTY = "—"
# Pages an entry's object can be opened at: (app label, model name) -> URL name taking pk.
OBJECT_PAGES = {("workflows", "dutyitem"): "workflows:item_detail", ("departments", "unit"): "unit_detail"}


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _dates(queryset, field_name, data):
    if data.get("date_from"):
        queryset = queryset.filter(**{f"{field_name}__gte": _day_start(data["date_from"])})
    if data.get("date_to"):
        queryset = queryset.filter(**{f"{field_name}__lt": _day_start(data["date_to"]) + timedelta(days=1)})
    return queryset


def changes(data):
    """The changes matching a valid ChangeFilters' cleaned_data, newest first."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if data.get("person"):
        # What the person did, and what concerns them: their account (roles, password), their memberships.
        people = list(_people(data["person"]).values_list("pk", flat=True))
        entries = entries.filter(Q(actor__in=people) | Q(additional_data__person__in=people))
    if data.get("unit"):
        entries = entries.filter(additional_data__unit=data["unit"].pk)
    if data.get("model"):
        entries = entries.filter(content_type_id=data["model"])
    if data.get("object_id"):
        entries = entries.filter(object_id=data["object_id"])
    if data.get("action") is not None:
        entries = entries.filter(action=data["action"])
    return _dates(entries, "timestamp", data)


def events(data):
    """The logins, failed logins, denied accesses and unlocks matching a valid EventFilters' cleaned_data."""
    rows = AccessEvent.objects.select_related("user").order_by("-at", "-pk")
    if data.get("person"):
        text = data["person"]
        rows = rows.filter(Q(username__icontains=text) | Q(user__in=_people(text).values("pk")))
    if data.get("unit"):
        rows = rows.filter(user__in=Membership.objects.filter(unit=data["unit"]).values("user_id"))
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("address"):
        rows = rows.filter(address=data["address"])
    if data.get("path"):
        rows = rows.filter(path__icontains=data["path"])
    return _dates(rows, "at", data)


def _people(text):
    """People whose username or full name (family name first, as Chinese names are written) contains ``text``."""
    return (
        get_user_model()
        .objects.annotate(_full=Concat("last_name", "first_name"))
        .filter(Q(username__icontains=text) | Q(_full__icontains=text))
    )


# --- a page of changes, readable ---------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str = EMPTY
    after: str = EMPTY
    added: list = field(default_factory=list)  # many-to-many
    removed: list = field(default_factory=list)


@dataclass
class ChangeRow:
    entry: LogEntry
    action: str
    person: str
    model_name: str
    url: str | None
    unit: str
    fields: list


def readable(entries):
    """The page's entries as ChangeRows: Chinese field names, choices' labels, names for ids."""
    entries = list(entries)
    wanted = defaultdict(set)  # related model -> pks to name
    for entry in entries:
        model = entry.content_type.model_class()
        unit_id = (entry.additional_data or {}).get("unit")
        if unit_id is not None:
            wanted[Unit].add(unit_id)
        for name, values in (entry.changes or {}).items():
            related = _related_model(model, name)
            if related is not None and isinstance(values, list):
                wanted[related].update(value for value in values if value not in (None, "None", ""))
    names = {
        related: {str(pk): str(row) for pk, row in related._default_manager.in_bulk(_typed(related, pks)).items()}
        for related, pks in wanted.items()
    }
    return [_row(entry, names) for entry in entries]


def _typed(model, pks):
    typed = []
    for pk in pks:
        try:
            typed.append(model._meta.pk.to_python(pk))
        except Exception:  # noqa: S112  (an id of a type the model no longer has: shown as it is)
            continue
    return typed


def _related_model(model, name):
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return model_field.related_model if model_field.many_to_one or model_field.one_to_one else None


def _row(entry, names):
    model = entry.content_type.model_class()
    unit_id = (entry.additional_data or {}).get("unit")
    page = OBJECT_PAGES.get((entry.content_type.app_label, entry.content_type.model))
    opens = page and entry.object_id and entry.action != LogEntry.Action.DELETE
    url = reverse(page, kwargs={"pk": entry.object_id}) if opens else None
    return ChangeRow(
        entry=entry,
        action=ACTIONS.get(entry.action, str(entry.action)),
        person=display_name(entry.actor, empty="系统"),
        model_name=str(model._meta.verbose_name) if model else entry.content_type.model,
        url=url,
        unit=names.get(Unit, {}).get(str(unit_id), EMPTY) if unit_id is not None else EMPTY,
        fields=[_field_change(model, name, values, names) for name, values in sorted((entry.changes or {}).items())],
    )


def _field_change(model, name, values, names):
    model_field = None
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
    label = str(getattr(model_field, "verbose_name", name))
    if isinstance(values, dict) and values.get("type") == "m2m":
        objects = [str(value) for value in values.get("objects", [])]
        if values.get("operation") == "add":
            return FieldChange(label, added=objects)
        return FieldChange(label, removed=objects)
    before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
    return FieldChange(label, _value(model_field, before, names), _value(model_field, after, names))


def _value(model_field, value, names):
    if value in (None, "None", ""):
        return EMPTY
    value = str(value)
    if model_field is None:
        return value
    related = model_field.related_model if (model_field.many_to_one or model_field.one_to_one) else None
    if related is not None:
        return names.get(related, {}).get(value, f"#{value}")
    choices = dict(model_field.flatchoices) if getattr(model_field, "choices", None) else {}
    if choices:
        return str(next((label for key, label in choices.items() if str(key) == value), value))
    if model_field.get_internal_type() == "BooleanField":
        return {"True": "是", "False": "否"}.get(value, value)
    return value
