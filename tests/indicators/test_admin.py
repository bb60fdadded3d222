"""The indicators' models in the admin: Chinese names, and their pages open for the administrator."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation

from indicators.models import PendingUpload, SelfEvaluationReport, Shortfall, StaleYear
from indicators.services.county import enter_county_figure
from indicators.services.rectification import raise_rectifications
from indicators.services.schools import edit_figure
from indicators.services.store import store_year

from .conftest import YEAR

MODELS = list(apps.get_app_config("indicators").get_models())
CJK = range(0x4E00, 0xA000)


def has_chinese(text):
    return any(ord(char) in CJK for char in str(text))


def test_every_model_is_in_the_admin():
    assert [model for model in MODELS if model not in admin.site._registry] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_model_names_are_chinese(model):
    with translation.override("zh-hans"):
        assert has_chinese(model._meta.verbose_name), model
        assert has_chinese(model._meta.verbose_name_plural), model
        for field in model._meta.local_fields:
            if field.name != "id":
                assert has_chinese(field.verbose_name), f"{model.__name__}.{field.name}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_open(client, personas, county, model):
    store_year(YEAR)
    figures = county["小学一"].parts.get().figures.get()
    edit_figure(personas["plan_office"], figures, "key_teachers", "2")
    if model is Shortfall:
        raise_rectifications(personas["plan_office"], YEAR, timezone.localdate() + timedelta(days=30))
    enter_county_figure(personas["plan_office"], YEAR, "social_recognition_rate|", "90")
    SelfEvaluationReport.objects.create(year=YEAR, requested_by=personas["plan_office"])
    StaleYear.objects.create(year=YEAR)
    PendingUpload.objects.create(
        token="t", uploaded_by=personas["plan_office"], year=YEAR, name="数据.xlsx", format="xlsx", data=b"PK",
        changes="0",
    )  # fmt: skip
    admin_user = personas["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


@pytest.mark.django_db
def test_the_default_rule_is_created_by_migrate():
    from indicators.models import EvaluationRule

    rule = EvaluationRule.objects.get(year=None)
    assert (rule.min_reached, str(rule.floor_ratio), rule.exclude_special_schools) == (6, "0.850", True)
    assert rule.teaching_point_min_students == 50
    assert str(rule.junior_weight) == "1.10"


@pytest.mark.django_db
def test_saving_a_profile_in_the_admin_creates_its_parts(client, personas, township):
    from departments.models import Unit
    from indicators.models import SchoolPart

    unit = Unit.objects.create(name="新建九年一贯制学校", kind=Unit.Kind.SCHOOL, parent=township)
    admin_user = personas["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    form = {
        "unit": unit.pk,
        "township": township.pk,
        "school_type": "nine_year",
        "is_public": "on",
        "parts-TOTAL_FORMS": "0",
        "parts-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:indicators_schoolprofile_add"), form)
    assert response.status_code == 302
    assert sorted(SchoolPart.objects.filter(school__unit=unit).values_list("stage", flat=True)) == ["junior", "primary"]


@pytest.mark.django_db
def test_changing_a_profiles_type_in_the_admin_adds_its_parts_through_the_service(client, personas, county):
    from unittest import mock

    from indicators.models import SchoolPart
    from indicators.services import schools

    school = county["小学一"]
    admin_user = personas["administrator"]
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    part = school.parts.get()
    form = {
        "unit": school.unit_id,
        "township": school.township_id,
        "school_type": "nine_year",
        "is_public": "on",
        "parts-TOTAL_FORMS": "1",
        "parts-INITIAL_FORMS": "1",
        "parts-0-id": part.pk,
        "parts-0-school": school.pk,
        "parts-0-stage": "primary",
    }
    with mock.patch("indicators.admin.ensure_parts", wraps=schools.ensure_parts) as ensure:
        response = client.post(reverse("admin:indicators_schoolprofile_change", args=[school.pk]), form)
    assert response.status_code == 302
    assert ensure.call_count == 1
    assert sorted(SchoolPart.objects.filter(school=school).values_list("stage", flat=True)) == ["junior", "primary"]
    assert list(StaleYear.objects.values_list("year", flat=True)) == [YEAR]  # its type changed: its year is stale
    school.refresh_from_db()
    assert schools.ensure_parts(school) == []  # idempotent


def test_figures_and_county_figures_cannot_be_added_or_changed_in_the_admin(client, personas, county):
    from indicators.models import CountyFigure
    from indicators.services.county import enter_county_figure

    enter_county_figure(personas["plan_office"], YEAR, "social_recognition_rate|", "90")
    client.force_login(personas["plan_office"])  # holds add/change on both models: the admin still refuses
    figures = county["小学一"].parts.get().figures.get()
    assert client.get(reverse("admin:indicators_schoolyearfigures_add")).status_code == 403
    county_figure = CountyFigure.objects.get()
    url = reverse("admin:indicators_countyfigure_change", args=[county_figure.pk])
    client.post(url, {"year": YEAR, "code": county_figure.code, "scope": "", "value": "150", "note": ""})
    county_figure.refresh_from_db()
    assert county_figure.value == 90
    assert client.get(reverse("admin:indicators_countyfigure_add")).status_code == 403
    response = client.post(reverse("admin:indicators_schoolyearfigures_change", args=[figures.pk]), {"students": 1})
    figures.refresh_from_db()
    assert figures.students != 1
    assert response.status_code in (302, 403)
