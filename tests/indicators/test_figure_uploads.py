"""A figures file that would replace a year waits on the server, not in the session, until its page is confirmed:
only by its uploader, once, before it expires; a later upload replaces it; expired ones are purged."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from departments.imports.files import Upload
from indicators.imports import check_figures
from indicators.models import FigureEdit, PendingUpload, SchoolYearFigures
from indicators.services.figure_uploads import confirm_upload, hold_upload, purge_expired_uploads
from indicators.tasks import purge_pending_uploads_task

from .conftest import YEAR
from .test_pages import confirm, confirmation, edited_template, upload

pytestmark = pytest.mark.django_db
KEY_TEACHERS = "县级及以上骨干教师数（人）"


def key_teachers():
    return SchoolYearFigures.objects.get(year=YEAR, part__school__unit__name="初中一").key_teachers


def held(user, value=9):
    """A pending upload of ``user`` setting 初中一's key teachers to ``value``, held by the service directly."""
    file = Upload("数据.xlsx", "xlsx", edited_template(YEAR, "初中一", KEY_TEACHERS, value))
    check = check_figures(file, YEAR)
    return hold_upload(user, file, check), check


def test_the_file_waits_on_the_server_and_the_session_holds_none_of_it(client, personas, county):
    client.force_login(personas["plan_office"])
    data = edited_template(YEAR, "初中一", KEY_TEACHERS, 9)
    page = upload(client, YEAR, data)
    pending = PendingUpload.objects.get()
    assert bytes(pending.data) == data
    assert pending.uploaded_by == personas["plan_office"]
    assert pending.year == YEAR
    assert confirmation(page) == {"token": pending.token, "changes": pending.changes}
    assert len(pending.token) >= 40  # random, not guessable
    session = client.session
    assert all(len(str(value)) < 200 for value in session.values()), dict(session)
    assert "请在" in page.content.decode()
    assert "前确认" in page.content.decode()


def test_only_its_uploader_confirms_it(client, personas, county):
    client.force_login(personas["plan_office"])
    page = upload(client, YEAR, edited_template(YEAR, "初中一", KEY_TEACHERS, 9))
    client.force_login(personas["administrator"])  # may import, but this upload is not theirs
    response = confirm(client, page, follow=True)
    assert "没有待确认的导入" in response.content.decode()
    assert key_teachers() == 8
    assert PendingUpload.objects.exists()  # still there for its uploader
    client.force_login(personas["plan_office"])
    assert confirm(client, page).status_code == 302
    assert key_teachers() == 9
    assert not PendingUpload.objects.exists()


def test_a_later_upload_replaces_the_earlier_one(personas, county):
    first, _check = held(personas["plan_office"], 9)
    second, _check = held(personas["plan_office"], 20)
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [second.token] != [first.token]
    with pytest.raises(ValidationError, match="已被另一次上传取代"):
        confirm_upload(personas["plan_office"], first.token, first.changes)
    assert key_teachers() == 8


def test_an_expired_upload_is_refused_with_a_message_and_purged(client, personas, county):
    client.force_login(personas["plan_office"])
    page = upload(client, YEAR, edited_template(YEAR, "初中一", KEY_TEACHERS, 9))
    PendingUpload.objects.update(uploaded_at=timezone.now() - PendingUpload.EXPIRES_AFTER - timedelta(minutes=1))
    response = confirm(client, page, follow=True)
    assert "这次上传已超过1小时没有确认，已经失效：请重新上传文件。" in response.content.decode()
    assert key_teachers() == 8
    assert not PendingUpload.objects.exists()


def test_the_services_confirm_once_and_check_who_acts(personas, county):
    with pytest.raises(PermissionDenied):
        held(personas["inspector"])
    pending, check = held(personas["plan_office"])
    with pytest.raises(PermissionDenied):
        confirm_upload(personas["inspector"], pending.token, pending.changes)
    with pytest.raises(ValidationError, match="没有待确认的导入"):
        confirm_upload(personas["plan_office"], pending.token, "not what the page showed")
    pending, check = held(personas["plan_office"])
    applied = confirm_upload(personas["plan_office"], pending.token, pending.changes)
    assert applied.ok
    assert applied.digest() == check.digest()
    assert key_teachers() == 9
    assert FigureEdit.objects.count() == 1
    with pytest.raises(ValidationError, match="没有待确认的导入"):
        confirm_upload(personas["plan_office"], pending.token, pending.changes)
    assert FigureEdit.objects.count() == 1


def test_purging_removes_only_the_expired_ones(personas, county):
    fresh, _check = held(personas["plan_office"])
    old, _check = held(personas["administrator"])
    PendingUpload.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - PendingUpload.EXPIRES_AFTER)
    assert purge_pending_uploads_task() == 1
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert purge_expired_uploads(now=timezone.now() + PendingUpload.EXPIRES_AFTER) == 1
    assert not PendingUpload.objects.exists()
