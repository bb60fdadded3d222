"""The admin: every model of the project is registered, with Chinese names, and its pages open."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from departments.admin_bases import ReadOnlyAdmin
from departments.models import Unit

from ..conftest import built_once, create_personas, create_user, fresh, shipped_plan, three_units

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
        # Fields declared here, not the ones DutyItem inherits from viewflow's Process.
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if field.name != "id" and not field.auto_created:
                assert has_chinese(field.verbose_name), f"{model.__name__}.{field.name}"


def build_one_of_everything():
    """A unit with a member, and an item that went through report, evidence and inspection; the personas."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflows import services
    from workflows.models import DutyItem

    units = three_units()
    personas = create_personas(units)
    services.open_cycle(personas["government_office"], shipped_plan(), year=2026)
    item = DutyItem.objects.get(unit=units["own"])
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n")
    services.submit_report(personas["own_liaison"], item, text="已完成", files=[pdf])
    services.inspect_item(personas["inspector"], item, accepted=True)
    asked = services.create_ad_hoc_item(
        personas["government_office"], unit=units["own"], title="延期与退回", deadline=datetime.date(2030, 1, 1)
    )
    letter = SimpleUploadedFile("延期说明.pdf", b"%PDF-1.4\n%%EOF\n")
    services.request_extension(
        personas["own_liaison"], asked, requested_deadline=datetime.date(2030, 2, 1), reason="汛期", files=[letter]
    )
    services.hand_back_item(personas["own_liaison"], asked, reason="不属于本单位")  # an ExtensionRequest, a HandBack
    from departments.services import reset_password

    reset_password(personas["plan_office"], create_user("reset-me", unit=units["own"]))  # a reset, a required change
    return personas


@pytest.fixture(scope="module")
def one_of_everything(django_db_setup, django_db_blocker):
    """Built once for the module (tests/conftest.py's built_once)."""
    yield from built_once(django_db_blocker, build_one_of_everything)


@pytest.fixture
def personas(one_of_everything, db):
    return fresh(one_of_everything)


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m.__name__)
def test_admin_pages_open_for_the_administrator(client, personas, model):
    admin_user = personas["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    add_status = client.get(reverse(f"{prefix}_add")).status_code
    read_only = isinstance(admin.site._registry[model], ReadOnlyAdmin)
    assert add_status == (403 if read_only else 200)
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} row to open"
    assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_unit_kinds_read_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert Unit.Kind.COLLECTIVE.label == "单位集合"
