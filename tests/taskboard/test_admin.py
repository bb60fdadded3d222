"""The admin: every model of the project is registered, with Chinese names, and its pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from departments.models import Membership, Unit

PROJECT_APPS = ["departments", "workflows"]
CJK = range(0x4E00, 0xA000)


def project_models():
    return [model for label in PROJECT_APPS for model in apps.get_app_config(label).get_models()]


def has_chinese(text):
    return any(ord(char) in CJK for char in str(text))


def test_every_project_model_is_in_the_admin():
    assert [m for m in project_models() if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m.__name__)
def test_model_names_are_chinese(model):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert has_chinese(model._meta.verbose_name), model
        assert has_chinese(model._meta.verbose_name_plural), model
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name") and field.name not in {"id"} and not field.auto_created:
                assert has_chinese(field.verbose_name), f"{model.__name__}.{field.name}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", project_models(), ids=lambda m: m.__name__)
def test_admin_pages_open_for_the_administrator(client, personas, units, model):
    admin_user = personas["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    Membership.objects.get_or_create(user=personas["own_liaison"], unit=units["own"], role="liaison")
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} row to open"
    assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_unit_kinds_read_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert Unit.Kind.COLLECTIVE.label == "单位集合"
