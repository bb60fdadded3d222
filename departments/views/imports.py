"""Upload pages for the bulk imports: thin callers of ``departments.imports``."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from .. import access
from ..forms import ImportFileForm, import_upload_limit
from ..imports import PERSON_COLUMNS, UNIT_COLUMNS, import_people, import_units
from ..uploads import bounded_upload


@dataclass(frozen=True)
class ImportPage:
    title: str
    intro: str
    columns: tuple
    importer: object
    other_title: str
    other_url_name: str
    may_open_other: object  # access predicate of the other import page


UNITS_PAGE = ImportPage(
    title="导入乡镇、街道和学校",
    intro="每行一个单位。已有的名称会被更新，不会重复创建；有任何一行出错时，整个文件都不会导入。",
    columns=UNIT_COLUMNS,
    importer=import_units,
    other_title="导入人员",
    other_url_name="departments:import_people",
    may_open_other=access.can_import_people,
)
PEOPLE_PAGE = ImportPage(
    title="导入人员",
    intro="每行一个人及其在一个单位中的角色。已有的用户名会更新姓名、邮箱并加上该角色，密码不变；"
    "有任何一行出错时，整个文件都不会导入。",
    columns=PERSON_COLUMNS,
    importer=import_people,
    other_title="导入乡镇、街道和学校",
    other_url_name="departments:import_units",
    may_open_other=access.can_import_units,
)


@bounded_upload(import_upload_limit)
@require_http_methods(["GET", "POST"])
@login_required
@access.required(access.can_import_units)
def import_units_view(request):
    return _import_page(request, UNITS_PAGE)


@bounded_upload(import_upload_limit)
@require_http_methods(["GET", "POST"])
@login_required
@access.required(access.can_import_people)
def import_people_view(request):
    return _import_page(request, PEOPLE_PAGE)


def _import_page(request, page):
    """GET: the form. POST: check (and unless it is a dry run, import) the file. Generated passwords are shown in
    the answer to the POST itself and never stored — not in the session, not in a message cookie, not in the
    database; any other import ends with a redirect and a message."""
    result = None
    passwords = None
    if request.method == "POST":
        form = ImportFileForm(request.POST, request.FILES)
        if form.is_valid():
            result = page.importer(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
            if result.ok and not result.dry_run:
                _announce(request, result)
                if not result.passwords:
                    return redirect(request.path)
                passwords, result, form = result.passwords, None, ImportFileForm()
    else:
        form = ImportFileForm()
    context = {
        "page": page,
        "form": form,
        "result": result,
        "passwords": passwords,
        "show_other": page.may_open_other(request.user),
    }
    response = render(request, "departments/import.html", context)
    if passwords:
        add_never_cache_headers(response)
    return response


def _announce(request, result):
    summary = result.summary()
    if result.passwords:
        summary += f"已为 {len(result.passwords)} 个新用户生成初始密码，见下表（只显示这一次）。"
    messages.success(request, summary)
    for note in result.notes:
        messages.info(request, note)
