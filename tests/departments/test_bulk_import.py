"""Bulk import of townships, streets, schools and people: files, rows, commands and upload pages.

The tests create their own units, so they hold whether or not the shipped plan is loaded.
"""

import csv
import io
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.urls import reverse
from guardian.models import UserObjectPermission

from departments.forms import ImportFileForm
from departments.imports import import_people, import_units
from departments.imports.files import FileRejected, inspect_upload, read_table
from departments.imports.units import UNIT_COLUMNS
from departments.models import Membership, Unit
from departments.services import add_member

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["名称", "简称", "类型", "所属乡镇（街道）", "所属集合"]
PEOPLE_HEADER = ["用户名", "姓名", "单位", "角色", "手机", "邮箱", "初始密码"]
UNITS_URL = "departments:import_units"
PEOPLE_URL = "departments:import_people"


# --- helpers ------------------------------------------------------------------------------------


def csv_bytes(rows, encoding="utf-8-sig"):
    text = StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_upload(rows, encoding="utf-8-sig", name="data.csv"):
    return inspect_upload(name, csv_bytes(rows, encoding))


def snapshot():
    """Everything an import may write, to prove that a failed import wrote nothing."""
    links = Unit.member_units.through.objects
    return {
        "users": get_user_model().objects.count(),
        "units": Unit.objects.count(),
        "memberships": Membership.objects.count(),
        "object_permissions": UserObjectPermission.objects.count(),
        "collective_links": links.count(),
        "unit_rows": sorted(Unit.objects.values_list("name", "short_name", "kind", "parent_id", "is_sample")),
    }


def make_user(username, *perms):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests")
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def collective(db):
    """The collective 各乡镇（街道）: the plan's own when it is loaded, else a new one."""
    unit = Unit.objects.filter(kind=Unit.Kind.COLLECTIVE, short_name="各乡镇（街道）").first()
    return unit or Unit.objects.create(
        name="各乡镇人民政府（街道办事处）", short_name="各乡镇（街道）", kind=Unit.Kind.COLLECTIVE
    )


@pytest.fixture
def townships(collective):
    yongan = Unit.objects.create(name="永安街道", short_name="永安", kind=Unit.Kind.TOWNSHIP)
    baidi = Unit.objects.create(name="白帝镇", kind=Unit.Kind.TOWNSHIP)
    collective.member_units.add(yongan, baidi)
    return {"yongan": yongan, "baidi": baidi}


GOOD_UNITS = [
    UNIT_HEADER,
    ["永安街道", "永安", "街道", "", ""],
    ["白帝镇", "", "乡镇", "", "各乡镇（街道）"],
    ["奉节县永安中学", "永安中学", "学校", "永安", ""],  # the township by its short name, defined above
    ["白帝镇中心小学", "", "学校", "白帝镇", ""],
]

GOOD_PEOPLE = [
    PEOPLE_HEADER,
    ["zhangsan", "张三", "永安", "联络员", "138 0013 8000", "zhangsan@example.com", ""],
    ["lisi", "李四", "永安街道", "分管领导", "", "", "Fengjie-2028-ok"],
]


# --- units --------------------------------------------------------------------------------------


def test_units_import_creates_townships_in_the_collective_and_schools_under_them(collective):
    before = Unit.objects.count()
    result = import_units(csv_upload(GOOD_UNITS))

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert Unit.objects.count() == before + 4
    yongan, baidi = Unit.objects.get(name="永安街道"), Unit.objects.get(name="白帝镇")
    assert (yongan.kind, yongan.short_name, yongan.is_sample) == (Unit.Kind.TOWNSHIP, "永安", False)
    assert set(collective.member_units.filter(name__in=["永安街道", "白帝镇"])) == {yongan, baidi}
    school = Unit.objects.get(name="奉节县永安中学")
    assert (school.kind, school.short_name, school.parent) == (Unit.Kind.SCHOOL, "永安中学", yongan)
    assert Unit.objects.get(name="白帝镇中心小学").parent == baidi
    assert not collective.member_units.filter(kind=Unit.Kind.SCHOOL).exists()
    assert result.summary() == "导入完成：新建 4 个单位，更新 0 个，0 个没有变化。"


def test_reimporting_the_same_units_changes_nothing(collective):
    import_units(csv_upload(GOOD_UNITS))
    before = snapshot()
    members = set(collective.member_units.values_list("pk", flat=True))

    again = import_units(csv_upload(GOOD_UNITS))

    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert snapshot() == before
    assert set(collective.member_units.values_list("pk", flat=True)) == members


def test_reimport_updates_existing_units_in_place(townships, collective):
    school = Unit.objects.create(
        name="奉节县永安中学", kind=Unit.Kind.SCHOOL, parent=townships["baidi"], is_sample=True
    )
    collective.member_units.remove(townships["baidi"])
    rows = [UNIT_HEADER, ["白帝镇", "白帝", "乡镇", "", ""], ["奉节县永安中学", "", "学校", "永安街道", ""]]

    result = import_units(csv_upload(rows))

    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 2)
    school.refresh_from_db()
    townships["baidi"].refresh_from_db()
    assert (school.parent, school.is_sample) == (townships["yongan"], False)
    assert townships["baidi"].short_name == "白帝"
    assert collective.member_units.filter(pk=townships["baidi"].pk).exists()
    assert Unit.objects.filter(name="奉节县永安中学").count() == 1


def test_xlsx_units_with_header_aliases_blank_rows_and_excel_row_numbers(townships):
    rows = [
        ["名称", "类型", "所属乡镇(街道)", "备注"],  # half-width brackets, an extra column, no 简称/所属集合
        ["白帝镇中心小学", "学校", "白帝镇", "旧址"],
        [None, None, None, None],
        ["草堂中学", "学校", "草堂镇", ""],  # row 4 in Excel
    ]
    result = import_units(inspect_upload("学校.xlsx", xlsx_bytes(rows)))

    assert [str(error) for error in result.errors] == ["第 4 行“所属乡镇（街道）”：找不到乡镇（街道）“草堂镇”"]
    assert not Unit.objects.filter(name="白帝镇中心小学").exists()

    rows[3][2] = "永安"
    result = import_units(inspect_upload("学校.xlsx", xlsx_bytes(rows)))
    assert result.ok, result.errors
    assert Unit.objects.get(name="草堂中学").parent == townships["yongan"]


def test_every_unit_row_error_is_reported_with_row_and_column(townships, collective):
    rows = [
        UNIT_HEADER,
        ["夔门街道", "", "街道", "", ""],
        ["奉节中学", "", "学校", "鱼复街道", ""],
        ["草堂镇", "", "镇", "", ""],
        ["夔门街道", "", "街道", "", ""],
        ["草堂中学", "", "学校", "", ""],
        ["汾河中学", "", "学校", "汾河镇", ""],
        ["汾河镇", "", "乡镇", "", ""],
        ["永安街道", "", "学校", "白帝镇", ""],
        ["安坪小学", "", "学校", collective.short_name, ""],
        ["康乐镇", "", "乡镇", "", "各学校（不存在）"],
    ]
    before = snapshot()

    result = import_units(csv_upload(rows))

    errors = [str(error) for error in result.errors]
    assert errors[:8] == [
        "第 3 行“所属乡镇（街道）”：找不到乡镇（街道）“鱼复街道”",
        "第 4 行“类型”：应为 乡镇、街道 或 学校，实际为“镇”",
        "第 5 行“名称”：“夔门街道”与第 2 行重复",
        "第 6 行“所属乡镇（街道）”：学校必须填写所属乡镇（街道）",
        "第 7 行“所属乡镇（街道）”：找不到乡镇（街道）“汾河镇”：它在第 8 行，须写在本行之前",
        "第 9 行“类型”：单位“永安街道”已存在，类型是“乡镇（街道）”，不能改为“学校”",
        f"第 10 行“所属乡镇（街道）”：“{collective.short_name}”不是乡镇（街道），而是{collective.get_kind_display()}",
        "第 11 行“所属集合”：找不到集合单位“各学校（不存在）”",
    ]
    assert len(errors) == 8
    assert result.summary() == "发现 8 处错误，没有导入任何数据。"
    assert snapshot() == before


def test_townships_need_the_collective_column_when_the_collective_is_ambiguous(collective):
    second = Unit.objects.create(name="各乡镇（街道）第二片区", kind=Unit.Kind.COLLECTIVE)
    rows = [UNIT_HEADER, ["永安街道", "", "街道", "", ""]]

    result = import_units(csv_upload(rows))

    assert len(result.errors) == 1
    message = str(result.errors[0])
    assert message.startswith("第 2 行“所属集合”：没有填写，而系统中有多个集合单位（")
    assert collective.name in message
    assert second.name in message
    assert not Unit.objects.filter(name="永安街道").exists()

    rows[1][4] = second.name
    assert import_units(csv_upload(rows)).ok
    assert list(second.member_units.values_list("name", flat=True)) == ["永安街道"]
    assert not collective.member_units.filter(name="永安街道").exists()


def test_townships_without_any_collective_are_refused(db):
    Unit.objects.filter(kind=Unit.Kind.COLLECTIVE).update(kind=Unit.Kind.GOVERNMENT_DEPARTMENT)

    result = import_units(csv_upload([UNIT_HEADER, ["永安街道", "", "街道", "", ""]]))

    assert [str(error) for error in result.errors] == [
        "第 2 行“所属集合”：没有填写，而系统中还没有集合单位（如“各乡镇（街道）”）：请先创建，再导入"
    ]


def test_dry_run_reports_what_would_happen_and_writes_nothing(collective):
    before = snapshot()

    result = import_units(csv_upload(GOOD_UNITS), dry_run=True)

    assert result.ok
    assert result.created == 4
    assert result.summary().startswith("检查通过（试运行，未写入任何数据）：将新建 4 个单位")
    assert "第 2 行：新建 乡镇（街道）“永安街道”" in result.row_lines()
    assert snapshot() == before


# --- people -------------------------------------------------------------------------------------


def test_people_import_creates_users_memberships_and_unit_permissions(townships):
    result = import_people(csv_upload(GOOD_PEOPLE))

    assert result.ok, result.errors
    assert (result.created, result.memberships_created) == (2, 2)
    User = get_user_model()
    zhangsan, lisi = User.objects.get(username="zhangsan"), User.objects.get(username="lisi")
    assert (zhangsan.get_full_name(), zhangsan.email) == ("张三", "zhangsan@example.com")
    yongan, baidi = townships["yongan"], townships["baidi"]
    membership = Membership.objects.get(user=zhangsan)
    assert (membership.unit, membership.role, membership.phone) == (yongan, Membership.Role.LIAISON, "13800138000")
    assert Membership.objects.get(user=lisi).role == Membership.Role.LEADER
    # The liaison acts for their own unit only; a leader sees it but does not act for it.
    assert zhangsan.has_perm("departments.act_for_unit", yongan)
    assert not zhangsan.has_perm("departments.act_for_unit", baidi)
    assert not zhangsan.has_perm("departments.act_for_unit")
    assert lisi.has_perm("departments.view_unit", yongan)
    assert not lisi.has_perm("departments.act_for_unit", yongan)
    # A password is generated (and returned) only where the file gave none.
    assert list(result.passwords) == ["zhangsan"]
    assert len(result.passwords["zhangsan"]) >= 12
    assert zhangsan.check_password(result.passwords["zhangsan"])
    assert lisi.check_password("Fengjie-2028-ok")


def test_reimporting_people_is_idempotent_and_never_changes_passwords(townships):
    import_people(csv_upload(GOOD_PEOPLE))
    zhangsan = get_user_model().objects.get(username="zhangsan")
    zhangsan.set_password("chosen-by-zhangsan-2029")
    zhangsan.save()
    before = snapshot()

    again = import_people(csv_upload(GOOD_PEOPLE))
    assert again.ok
    assert (again.created, again.updated, again.unchanged, again.memberships_created) == (0, 0, 2, 0)
    assert again.passwords == {}
    assert snapshot() == before

    rows = [
        PEOPLE_HEADER,
        ["zhangsan", "张叁", "白帝镇", "主要负责人", "", "", "Another-Password-77"],
    ]
    changed = import_people(csv_upload(rows))
    assert changed.ok, changed.errors
    assert (changed.created, changed.updated, changed.memberships_created) == (0, 1, 1)
    assert changed.notes == ["第 2 行：用户“zhangsan”已存在，其密码没有修改"]
    zhangsan.refresh_from_db()
    assert zhangsan.get_full_name() == "张叁"
    assert zhangsan.email == "zhangsan@example.com"  # an empty cell keeps the address
    assert zhangsan.check_password("chosen-by-zhangsan-2029")
    assert set(Membership.objects.filter(user=zhangsan).values_list("unit__name", "role")) == {
        ("永安街道", Membership.Role.LIAISON),
        ("白帝镇", Membership.Role.HEAD),
    }


def test_every_person_row_error_is_reported_with_row_and_column(townships, collective):
    assert not Unit.objects.filter(name="县教育局").exists()
    Unit.objects.create(name="永安镇中心校", short_name="中心校", kind=Unit.Kind.SCHOOL, parent=townships["yongan"])
    Unit.objects.create(name="白帝镇中心校", short_name="中心校", kind=Unit.Kind.SCHOOL, parent=townships["baidi"])
    rows = [
        PEOPLE_HEADER,
        ["zhangsan", "张三", "永安街道", "联络员", "", "", ""],
        ["wangwu", "王五", "县教育局", "联络员", "", "", ""],
        ["zhaoliu", "赵六", "永安街道", "组长", "", "", ""],
        ["zhangsan", "张三", "白帝镇", "联络员", "", "", ""],
        ["sunqi", "孙七", "永安街道", "联络员", "", "not-an-email", ""],
        ["zhouba", "周八", "永安街道", "联络员", "1380013800", "", ""],
        ["wujiu", "", "永安街道", "联络员", "", "", ""],
        ["zhengshi", "郑十", "永安街道", "联络员", "", "", "123"],
        ["qian", "钱一", collective.short_name, "联络员", "", "", ""],
        ["chen", "陈二", "中心校", "联络员", "", "", ""],
        ["li si", "李四", "永安街道", "联络员", "", "", ""],
    ]
    before = snapshot()

    result = import_people(csv_upload(rows))

    errors = [str(error) for error in result.errors]
    expected = [
        "第 3 行“单位”：找不到单位“县教育局”",
        "第 4 行“角色”：应为 联络员、分管领导 或 主要负责人，实际为“组长”",
        "第 5 行“用户名”：“zhangsan”与第 2 行重复",
        "第 6 行“邮箱”：不是有效的邮箱地址：“not-an-email”",
        "第 7 行“手机”：手机号码应为 11 位数字，实际为“1380013800”（10 位）",
        "第 8 行“姓名”：不能为空",
        f"第 10 行“单位”：“{collective.short_name}”是集合单位，请填写具体的单位（如某个乡镇或街道）",
        "第 11 行“单位”：简称“中心校”对应多个单位（永安镇中心校、白帝镇中心校），请填写全称",
        "第 12 行“用户名”：只能包含字母、数字和 @ . + - _",
    ]
    for message in expected:
        assert message in errors
    password_errors = [error for error in errors if error.startswith("第 9 行“初始密码”：")]
    assert password_errors, errors  # Django's password validators, in the user's language
    assert len(errors) == len(expected) + len(password_errors)
    assert snapshot() == before


def test_one_bad_row_among_good_ones_saves_nothing(townships):
    rows = [*GOOD_PEOPLE, ["wangwu", "王五", "县教育局", "联络员", "", "", ""]]
    before = snapshot()

    result = import_people(csv_upload(rows))

    assert [str(error) for error in result.errors] == ["第 4 行“单位”：找不到单位“县教育局”"]
    assert result.passwords == {}
    assert snapshot() == before
    assert not get_user_model().objects.filter(username__in=["zhangsan", "lisi"]).exists()

    unit_rows = [*GOOD_UNITS, ["土城乡", "", "乡", "", ""]]
    assert not import_units(csv_upload(unit_rows)).ok
    assert snapshot() == before


def test_missing_required_columns_are_named(townships):
    rows = [["姓名", "单位", "手机"], ["张三", "永安街道", ""]]

    result = import_people(csv_upload(rows))

    assert [str(error) for error in result.errors] == ["缺少必需的列：用户名、角色"]


def test_gb18030_csv_from_chinese_excel(townships):
    data = csv_bytes(GOOD_PEOPLE, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    result = import_people(inspect_upload("人员.csv", data))

    assert result.ok, result.errors
    assert get_user_model().objects.get(username="zhangsan").get_full_name() == "张三"


# --- files --------------------------------------------------------------------------------------


def file_errors(name, content):
    form = ImportFileForm(data={}, files={"file": SimpleUploadedFile(name, content)})
    assert not form.is_valid()
    return form.errors["file"]


def test_an_xlsx_that_is_really_text_is_rejected():
    errors = file_errors("units.xlsx", csv_bytes(GOOD_UNITS))
    assert errors == ["文件不是有效的 Excel（.xlsx）文件：内容不是 Excel 工作簿，可能只是改了扩展名"]


def test_a_zip_without_content_types_is_not_an_xlsx():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert file_errors("units.xlsx", buffer.getvalue())[0].startswith("文件不是有效的 Excel")


def test_oversize_file_is_rejected(settings):
    content = csv_bytes(GOOD_UNITS)
    settings.IMPORT_MAX_BYTES = len(content) - 1
    errors = file_errors("units.csv", content)
    assert errors == [f"文件太大：最大 {len(content) - 1} 字节，这个文件有 {len(content)} 字节；请分成几个文件导入"]
    settings.IMPORT_MAX_BYTES = len(content)
    assert ImportFileForm(data={}, files={"file": SimpleUploadedFile("units.csv", content)}).is_valid()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "units.xls",
            b"whatever",
            "文件类型不对：只能导入 .csv 或 .xlsx 文件，收到的是“units.xls”；.xls 文件请先在 Excel 中“另存为”.xlsx",
        ),
        ("units.txt", b"a,b", "文件类型不对：只能导入 .csv 或 .xlsx 文件，收到的是“units.txt”"),
        ("units.csv", b"", "文件是空的"),
        ("units.csv", b"\x00\x01\x02binary", "文件不是 CSV 文本文件：内容含有二进制数据"),
        ("units.csv", b"\xff\xfe\xff", "无法识别 CSV 文件的编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传"),
        ("units.csv", xlsx_bytes([["名称"]]), "文件扩展名是 .csv，内容却是 Excel 工作簿：请把扩展名改为 .xlsx 再上传"),
    ],
)
def test_wrong_files_are_rejected_with_a_reason(name, content, message):
    assert file_errors(name, content) == [message]


def test_a_good_file_is_accepted_by_the_form():
    form = ImportFileForm(data={}, files={"file": SimpleUploadedFile("单位.xlsx", xlsx_bytes(GOOD_UNITS))})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].format == "xlsx"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\r\n,,\r\n", "文件是空的：没有表头，也没有数据"), ("名称,类型\r\n".encode(), "文件里只有表头，没有数据行")],
)
def test_files_without_data_are_refused(data, message):
    with pytest.raises(FileRejected) as raised:
        read_table(inspect_upload("units.csv", data), UNIT_COLUMNS)
    assert raised.value.messages == [message]


# --- management commands ------------------------------------------------------------------------


def run(command, *args):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_units_command_prints_a_summary(collective, tmp_path):
    path = tmp_path / "单位.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_UNITS))

    out, err = run("import_units", str(path))

    assert "导入完成：新建 4 个单位，更新 0 个，0 个没有变化。" in out
    assert err == ""
    assert Unit.objects.filter(name="奉节县永安中学", parent__name="永安街道").exists()


def test_import_units_command_dry_run_writes_nothing(collective, tmp_path):
    path = tmp_path / "单位.csv"
    path.write_bytes(csv_bytes(GOOD_UNITS))
    before = snapshot()

    out, _err = run("import_units", str(path), "--dry-run")

    assert "检查通过（试运行，未写入任何数据）：将新建 4 个单位" in out
    assert "第 4 行：新建 学校“奉节县永安中学”" in out
    assert snapshot() == before


def test_import_people_command_prints_generated_passwords(townships, tmp_path):
    path = tmp_path / "人员.csv"
    path.write_bytes(csv_bytes(GOOD_PEOPLE))

    out, _err = run("import_people", str(path))

    assert "导入完成：新建 2 个用户，更新 0 个，0 个没有变化；新增 2 个单位职务。" in out
    line = next(line for line in out.splitlines() if line.strip().startswith("zhangsan"))
    username, password = line.split()
    assert get_user_model().objects.get(username=username).check_password(password)
    assert "lisi" not in out.split("初始密码")[-1]  # a password the file gave is not printed


def test_commands_print_each_error_and_fail(townships, tmp_path):
    path = tmp_path / "人员.csv"
    path.write_bytes(csv_bytes([*GOOD_PEOPLE, ["wangwu", "王五", "县教育局", "组长", "", "", ""]]))
    before = snapshot()
    err = StringIO()

    with pytest.raises(CommandError, match="发现 2 处错误，没有导入任何数据。"):
        call_command("import_people", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "第 4 行“单位”：找不到单位“县教育局”",
        "第 4 行“角色”：应为 联络员、分管领导 或 主要负责人，实际为“组长”",
    ]
    assert snapshot() == before


def test_commands_refuse_missing_and_wrong_files(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import_units", str(tmp_path / "nothing.csv"))
    fake = tmp_path / "单位.xlsx"
    fake.write_text("名称,类型\n永安街道,街道\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="发现 1 处错误"):
        call_command("import_units", str(fake), stdout=StringIO(), stderr=err)
    assert "文件不是有效的 Excel（.xlsx）文件" in err.getvalue()


# --- upload pages -------------------------------------------------------------------------------


def upload(client, url_name, rows, name="data.csv", follow=False, **fields):
    content = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content), **fields}, follow=follow)


@pytest.mark.parametrize("url_name", [UNITS_URL, PEOPLE_URL])
def test_anonymous_users_are_sent_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("perms", "url_name"),
    [
        ((), UNITS_URL),
        ((), PEOPLE_URL),
        (("departments.add_unit",), PEOPLE_URL),
        (("departments.add_membership",), PEOPLE_URL),  # people also need auth.add_user
    ],
)
def test_users_without_the_permission_get_403(client, perms, url_name, collective):
    client.force_login(make_user("clerk", *perms))
    before = snapshot()
    assert client.get(reverse(url_name)).status_code == 403
    assert upload(client, url_name, GOOD_UNITS if url_name == UNITS_URL else GOOD_PEOPLE).status_code == 403
    assert snapshot() == before


def test_the_page_lists_the_expected_columns(client):
    client.force_login(make_user("planner", "departments.add_unit"))

    response = client.get(reverse(UNITS_URL))

    assert response.status_code == 200
    assert "base.html" in [template.name for template in response.templates]
    content = response.content.decode()
    for header in UNIT_HEADER:
        assert header in content
    assert 'enctype="multipart/form-data"' in content


def test_uploading_units_redirects_with_a_success_message(client, collective):
    client.force_login(make_user("planner", "departments.add_unit"))

    response = upload(client, UNITS_URL, GOOD_UNITS, name="单位.xlsx")

    assert response.status_code == 302
    assert response.url == reverse(UNITS_URL)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "导入完成：新建 4 个单位，更新 0 个，0 个没有变化。"
    ]
    assert Unit.objects.get(name="白帝镇中心小学").parent.name == "白帝镇"


def test_uploading_people_shows_generated_passwords_once(client, townships):
    client.force_login(make_user("admin", "departments.manage_people"))

    response = upload(client, PEOPLE_URL, GOOD_PEOPLE, follow=True)

    assert response.status_code == 200
    assert not response.redirect_chain
    assert not any("password" in str(key) for key in client.session.keys())  # and nothing keeps them
    content = response.content.decode()
    assert "导入完成：新建 2 个用户" in content
    assert "已为 1 个新用户生成初始密码" in content
    password = response.context["passwords"]["zhangsan"]
    assert password in content
    assert get_user_model().objects.get(username="zhangsan").check_password(password)
    assert "no-store" in response.headers["Cache-Control"]

    again = client.get(reverse(PEOPLE_URL))
    assert not again.context["passwords"]
    assert password not in again.content.decode()


def test_a_bad_upload_lists_every_error_and_saves_nothing(client, townships):
    client.force_login(make_user("admin", "departments.manage_people"))
    rows = [
        *GOOD_PEOPLE,
        ["wangwu", "王五", "县教育局", "联络员", "", "", ""],
        ["zhaoliu", "赵六", "永安街道", "组长", "", "", ""],
    ]
    before = snapshot()

    response = upload(client, PEOPLE_URL, rows)

    assert response.status_code == 200
    content = response.content.decode()
    assert "发现 2 处错误，没有导入任何数据。" in content
    assert "第 4 行“单位”：找不到单位“县教育局”" in content
    assert "第 5 行“角色”：应为 联络员、分管领导 或 主要负责人，实际为“组长”" in content
    assert snapshot() == before


def test_a_wrong_file_type_is_answered_on_the_page(client):
    client.force_login(make_user("planner", "departments.add_unit"))
    fake = SimpleUploadedFile("单位.xlsx", "名称,类型\n永安街道,街道\n".encode())
    before = snapshot()

    response = client.post(reverse(UNITS_URL), {"file": fake})

    assert response.status_code == 200
    assert "文件不是有效的 Excel（.xlsx）文件" in response.content.decode()
    assert snapshot() == before


def test_checking_only_on_the_page_writes_nothing(client, collective):
    client.force_login(make_user("planner", "departments.add_unit"))
    before = snapshot()

    response = upload(client, UNITS_URL, GOOD_UNITS, dry_run="on")

    assert response.status_code == 200
    content = response.content.decode()
    assert "检查通过（试运行，未写入任何数据）：将新建 4 个单位" in content
    assert "第 5 行：新建 学校“白帝镇中心小学”" in content
    assert snapshot() == before


def test_a_failure_while_writing_rolls_everything_back(townships, monkeypatch):
    from departments.imports import people

    written = []

    def add_member_then_fail(user, unit, role, phone=""):
        written.append(user.username)
        if len(written) == 2:
            raise IntegrityError("simulated: someone else wrote the same row")
        return add_member(user, unit, role, phone=phone)

    monkeypatch.setattr(people, "add_member", add_member_then_fail)
    before = snapshot()

    result = import_people(csv_upload(GOOD_PEOPLE))

    assert written == ["zhangsan", "lisi"]
    assert [str(error) for error in result.errors] == ["保存时与他人同时进行的修改冲突，没有导入任何数据；请重新导入"]
    assert result.passwords == {}
    assert snapshot() == before
