"""What the audit trail follows with django-auditlog: models named by label, so that no app below imports this one.

Each change to one of these rows — created, changed (every field before → after), deleted, and added to or removed
from a many-to-many relation — becomes an ``auditlog.LogEntry`` with who (the request's person, through
``audit.middleware``), when and from which address. Writes that bypass ``save()`` (``QuerySet.update``,
``bulk_create``) are not seen: the services of these models save row by row.

Each entry also names the unit and the person it concerns (``additional_data["unit"]``, ``["person"]``), so that the
trail can be searched by unit and by person even after the row is gone: auditlog asks the row's
``get_additional_data()``, which ``register_models`` gives each tracked model from ``CONCERNS`` below.
"""

import copy

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

HIDDEN = "（已隐藏）"

# label -> auditlog.register options. Fields left out: viewflow's bookkeeping on items, timestamps that change on
# every save, the last login (logins are AccessEvents); the password is recorded as changed, never its hash.
TRACKED = {
    "workflows.DutyItem": {
        "exclude_fields": [
            "process_ptr",
            "flow_class",
            "data",
            "parent_task",
            "seed_content_type",
            "seed_object_id",
            "artifact_content_type",
            "artifact_object_id",
        ],
        "m2m_fields": {"cooperating_units"},
    },
    "departments.Unit": {"m2m_fields": {"member_units"}},
    "departments.Membership": {},
    "auth.User": {
        "exclude_fields": ["last_login"],
        "mask_fields": ["password"],
        "mask_callable": "audit.registry.hide",
        "m2m_fields": {"groups", "user_permissions"},
    },
    "auth.Group": {"m2m_fields": {"permissions"}},
    "assessments.ScoringScheme": {"exclude_fields": ["updated_at"], "m2m_fields": {"periods"}},
    "notices.Rung": {},
    "indicators.SchoolYearFigures": {"exclude_fields": ["updated_at"]},
    "workflows.ExtensionRequest": {},  # who asked for how long, who decided
    "workflows.HandBack": {},
    "workdays.CalendarDay": {},  # a holiday or a worked weekend changes working-day deadlines
}


def _school_unit(figures):
    school_part = apps.get_model("indicators", "SchoolPart")
    return school_part.objects.filter(pk=figures.part_id).values_list("school__unit_id", flat=True).first()


# label -> the ids of the unit and the person a row concerns (absent: none, e.g. a role's group or the ladder).
CONCERNS = {
    "workflows.DutyItem": lambda item: {"unit": item.unit_id},
    "departments.Unit": lambda unit: {"unit": unit.pk},
    "departments.Membership": lambda membership: {"unit": membership.unit_id, "person": membership.user_id},
    "auth.User": lambda user: {"person": user.pk},
    "indicators.SchoolYearFigures": lambda figures: {"unit": _school_unit(figures)},
    "workflows.ExtensionRequest": lambda request: {"unit": request.unit_id, "person": request.requested_by_id},
    "workflows.HandBack": lambda hand_back: {"unit": hand_back.unit_id, "person": hand_back.handed_back_by_id},
}


def hide(value):
    """auditlog's mask: a password change shows as changed, never with its hash."""
    return HIDDEN


def _additional_data(concerns):
    def get_additional_data(instance):
        return {key: value for key, value in concerns(instance).items() if value is not None} or None

    return get_additional_data


def register_models():
    """Register every model of TRACKED with auditlog (AuditConfig.ready)."""
    from auditlog.registry import auditlog

    for label, options in TRACKED.items():
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        if label in CONCERNS:
            if "get_additional_data" in vars(model):
                raise ImproperlyConfigured(f"{label} defines get_additional_data: audit.registry cannot add its own")
            model.get_additional_data = _additional_data(CONCERNS[label])
        auditlog.register(model, **copy.deepcopy(options))  # auditlog appends to the lists it is given
