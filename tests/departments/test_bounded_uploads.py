"""A post over its page's upload limit is refused with 413 before it is read in full (``departments.uploads``).

The bodies are generated as Django reads them (``LazyBody``), so a 50 MB post costs nothing, and count what was
read; Django's own temporary-file handler is replaced by one that records how big its file ever grew.
"""

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from departments.uploads import FIELDS_MARGIN
from workflows import services
from workflows.models import DutyItem, Evidence, Report

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CHUNK = 64 * 1024  # the upload handlers' chunk size
BOUNDARY = "----taskboard-test-boundary"
PDF = b"%PDF-1.4\n"


class LazyBody:
    """A request body made of byte strings and runs of filler bytes (ints), produced as it is read."""

    def __init__(self, *segments):
        self.segments = list(segments)
        self.length = sum(s if isinstance(s, int) else len(s) for s in segments)
        self.bytes_read = 0

    def read(self, size=-1):
        out = bytearray()
        while self.segments and (size is None or size < 0 or len(out) < size):
            wanted = None if size is None or size < 0 else size - len(out)
            segment = self.segments[0]
            if isinstance(segment, int):
                taken = segment if wanted is None else min(segment, wanted)
                out += b"x" * taken
                rest = segment - taken
            else:
                taken = len(segment) if wanted is None else min(len(segment), wanted)
                out += segment[:taken]
                rest = segment[taken:]
            if rest:
                self.segments[0] = rest
            else:
                self.segments.pop(0)
        self.bytes_read += len(out)
        return bytes(out)

    def readline(self, size=-1):  # LimitedStream wants it; the multipart parser does not call it
        line = b""
        while not line.endswith(b"\n") and (size < 0 or len(line) < size) and self.segments:
            line += self.read(1)
        return line


def multipart(fields, files):
    """``LazyBody`` of a multipart form: ``fields`` {name: text}, ``files`` [(field, file name, size in bytes)]."""
    segments = []
    for name, value in fields.items():
        segments.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, file_name, size in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        segments += [head.encode(), PDF, size - len(PDF), b"\r\n"]
    segments.append(f"--{BOUNDARY}--\r\n".encode())
    return LazyBody(*segments)


def post_body(client, url, body):
    return client.generic(
        "POST",
        url,
        CONTENT_LENGTH=str(body.length),
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        **{"wsgi.input": body},
    )


class RecordingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, noting the largest size its file reached."""

    largest = 0

    def receive_data_chunk(self, raw_data, start):
        result = super().receive_data_chunk(raw_data, start)
        type(self).largest = max(type(self).largest, self.file.tell())
        return result


@pytest.fixture
def temporary_files(settings, tmp_path):
    """Every upload goes to a temporary file in ``tmp_path``; ``largest`` is the biggest one ever got."""
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingTemporaryFileUploadHandler"]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    RecordingTemporaryFileUploadHandler.largest = 0
    return RecordingTemporaryFileUploadHandler


@pytest.fixture
def item(plan, personas, units):
    services.open_cycle(personas["government_office"], plan, year=2026)
    return DutyItem.objects.get(unit=units["own"], period__year=2026)


@pytest.fixture
def liaison(client, personas):
    client.force_login(personas["own_liaison"])
    return client


def report_url(item):
    return reverse("workflows:item_report", args=[item.pk])


def refusal(response):
    assert response.status_code == 413
    assert "413.html" in [template.name for template in response.templates]
    assert "base.html" in [template.name for template in response.templates]
    return response.context["message"]


# --- the evidence forms ----------------------------------------------------------------------------------------


def test_a_body_declared_over_the_limit_is_refused_without_reading_it(settings, liaison, item, temporary_files):
    settings.EVIDENCE_MAX_BYTES = MB  # the report form then takes 10 × 1 MB, plus the margin for the text
    body = multipart({"text": "已完成", "submit": "1"}, [("files", "大.pdf", 50 * MB)])

    message = refusal(post_body(liaison, report_url(item), body))

    assert message == "这次上传共 50.0 MB，超过了本页 11.0 MB 的上限（每个附件不超过 1.0 MB，一次最多 10 个）。"
    assert body.bytes_read == 0
    assert temporary_files.largest == 0
    assert not Report.objects.filter(item=item).exists()


def test_a_file_over_the_limit_stops_the_reading_near_the_limit(settings, liaison, item, temporary_files, tmp_path):
    """8 MB of one file is under the request's 11 MB, so it is read, and stopped as soon as the file passes 1 MB."""
    settings.EVIDENCE_MAX_BYTES = MB
    body = multipart({"text": "已完成", "submit": "1"}, [("files", "现场照片.pdf", 8 * MB)])

    message = refusal(post_body(liaison, report_url(item), body))

    assert message == "文件“现场照片.pdf”超过了 1.0 MB 的上限（每个附件不超过 1.0 MB，一次最多 10 个）。"
    assert body.bytes_read <= MB + CHUNK, body.bytes_read  # the limit and the chunk that passed it
    assert 0 < temporary_files.largest <= MB
    assert list(tmp_path.iterdir()) == []  # the temporary file is deleted
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.SIGNING  # nothing read, nothing signed
    assert not Evidence.objects.exists()


def test_files_together_over_the_limit_are_refused(settings, liaison, item, temporary_files):
    """Eleven files of 0.95 MB fit in the request's 11 MB but not in the 10 × 1 MB the files may take."""
    settings.EVIDENCE_MAX_BYTES = MB
    files = [("files", f"第{n}页.pdf", 95 * MB // 100) for n in range(1, 12)]
    body = multipart({"text": "已完成"}, files)
    assert body.length <= 10 * MB + FIELDS_MARGIN

    message = refusal(post_body(liaison, report_url(item), body))

    assert message == "这次上传的文件合计超过了 10.0 MB 的上限（每个附件不超过 1.0 MB，一次最多 10 个）。"
    assert body.bytes_read <= 10 * MB + CHUNK + 11 * 300  # and each part's headers
    assert temporary_files.largest <= MB


def test_a_file_of_exactly_the_limit_is_taken(settings, liaison, item, temporary_files):
    settings.EVIDENCE_MAX_BYTES = MB
    body = multipart({"text": "已完成", "submit": "1"}, [("files", "报告.pdf", MB)])

    response = post_body(liaison, report_url(item), body)

    assert response.status_code == 302
    assert Evidence.objects.get().size == MB
    assert body.bytes_read == body.length


def test_the_contribution_form_is_bounded_too(settings, client, personas, item, temporary_files):
    settings.EVIDENCE_MAX_BYTES = MB
    client.force_login(personas["cooperating_liaison"])
    body = multipart({"text": "已配合"}, [("files", "配合材料.pdf", 3 * MB)])

    message = refusal(post_body(client, reverse("workflows:item_contribute", args=[item.pk]), body))

    assert message.startswith("文件“配合材料.pdf”超过了 1.0 MB 的上限")
    assert body.bytes_read <= MB + CHUNK


def test_the_limit_is_in_place_before_the_csrf_check_reads_the_body(settings, personas, item, temporary_files):
    """With CSRF enforced (as in production) the check reads ``request.POST`` first: the handler must already be
    there, and the check must still be made."""
    settings.EVIDENCE_MAX_BYTES = MB
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["own_liaison"])
    client.get(item.get_absolute_url())
    token = client.cookies["csrftoken"].value

    too_big = multipart({"csrfmiddlewaretoken": token, "text": "已完成"}, [("files", "大.pdf", 8 * MB)])
    assert refusal(post_body(client, report_url(item), too_big)).startswith("文件“大.pdf”超过了")
    assert too_big.bytes_read <= MB + CHUNK
    assert temporary_files.largest <= MB

    without_token = multipart({"text": "已完成", "submit": "1"}, [("files", "报告.pdf", 1000)])
    assert post_body(client, report_url(item), without_token).status_code == 403

    good = multipart({"csrfmiddlewaretoken": token, "text": "已完成", "submit": "1"}, [("files", "报告.pdf", 1000)])
    assert post_body(client, report_url(item), good).status_code == 302
    assert Evidence.objects.get().original_name == "报告.pdf"


def test_without_a_declared_limit_the_whole_body_is_read(personas, client, item, temporary_files):
    """The companion of the tests above: the same measures see a page without a limit read and store it all."""
    client.force_login(personas["inspector"])
    body = multipart({"verdict": "accept"}, [("files", "大.pdf", 8 * MB)])

    post_body(client, reverse("workflows:item_inspect", args=[item.pk]), body)

    assert body.bytes_read == body.length
    assert temporary_files.largest == 8 * MB


def test_other_posts_keep_djangos_limits(settings, client, personas, item):
    """A page without a declared limit: Django's DATA_UPLOAD_MAX_MEMORY_SIZE still refuses a large form body."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(personas["government_office"])
    response = client.post(reverse("workflows:item_withdraw", args=[item.pk]), {"reason": "长" * 2000})
    assert response.status_code == 400


# --- the import pages ------------------------------------------------------------------------------------------

IMPORT_PAGES = ["departments:import_units", "departments:import_people", "indicators:import_figures"]


@pytest.mark.parametrize("url_name", IMPORT_PAGES)
def test_an_import_over_the_limit_is_refused_without_reading_it(settings, client, personas, url_name, temporary_files):
    settings.IMPORT_MAX_BYTES = MB
    client.force_login(personas["administrator"])
    body = multipart({"year": "2025"}, [("file", "单位.xlsx", 50 * MB)])

    message = refusal(post_body(client, reverse(url_name), body))

    assert message == "这次上传共 50.0 MB，超过了本页 2.0 MB 的上限（导入文件不超过 1.0 MB）。"
    assert body.bytes_read == 0
    assert temporary_files.largest == 0


@pytest.mark.parametrize("url_name", IMPORT_PAGES)
def test_an_import_file_over_the_limit_stops_the_reading(settings, client, personas, url_name, temporary_files):
    settings.IMPORT_MAX_BYTES = MB
    client.force_login(personas["administrator"])
    body = multipart({"year": "2025"}, [("file", "学校数据.xlsx", MB + MB // 2)])

    message = refusal(post_body(client, reverse(url_name), body))

    assert message == "文件“学校数据.xlsx”超过了 1.0 MB 的上限（导入文件不超过 1.0 MB）。"
    assert body.bytes_read <= MB + CHUNK
    assert temporary_files.largest <= MB


def test_no_page_takes_a_request_declaring_more_than_the_site_wide_ceiling(client, personas, settings):
    """Any URL, the admin included: the declared length alone is refused, nothing of the body is read."""
    settings.REQUEST_MAX_BYTES = 1024
    client.force_login(personas["plan_office"])
    for url in ("/admin/departments/unit/add/", "/password/", "/notices/read-all/"):
        response = client.post(url, data=b"x" * 2048, content_type="application/octet-stream")
        assert response.status_code == 413, url
        assert "超过了 1 KB 的上限" in response.content.decode()
