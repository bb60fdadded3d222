"""viewflow and notifications speak Chinese through the project's catalogue (LOCALE_PATHS), packages untouched."""

import importlib.util
import re
import shutil

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

LOCALE = settings.BASE_DIR / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="extracting msgids needs GNU gettext (apt-get install gettext)"
)


def _load(name):
    spec = importlib.util.spec_from_file_location(f"taskboard_locale_{name}", LOCALE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_catalogue = _load("build_catalogue")
THIRD_PARTY_ZH_HANS = _load("third_party_zh_hans").THIRD_PARTY_ZH_HANS


@pytest.fixture(scope="module")
def extracted():
    """The current msgids of the installed packages, as `make messages` extracts them."""
    return build_catalogue.extract_third_party()


def _committed():
    return {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(PO))}


def _translated(entry):
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


# --- rendering ------------------------------------------------------------------------------------


def test_viewflow_workflow_words_are_chinese():
    with translation.override("zh-hans"):
        assert gettext("Inbox") == "待办"
        assert gettext("Queue") == "待认领"
        assert gettext("Archive") == "已办"
        assert gettext("Unassign") == "取消认领"
        assert gettext("Undo") == "撤销"
        assert gettext("Revive") == "恢复"
        assert gettext("Dashboard") == "看板"
        assert gettext("Flow Chart") == "流程图"
        assert pgettext("STATUS", "Done") == "已办结"
        assert pgettext("STATUS", "Canceled") == "已取消"


def test_viewflow_objects_and_templates_render_chinese():
    from viewflow.workflow.flow.views.list import WorkflowInboxListView, WorkflowQueueListView
    from viewflow.workflow.models import Process
    from viewflow.workflow.status import STATUS

    with translation.override("zh-hans"):
        assert str(WorkflowInboxListView.title) == "待办"
        assert str(WorkflowQueueListView.title) == "待认领"
        assert str(STATUS.NEW.label) == "新建"
        assert str(STATUS.ASSIGNED.label) == "已认领"
        assert CJK.search(str(Process._meta.verbose_name_plural))
        rendered = Template('{% load i18n %}{% translate "Execute and continue" %}|{% trans "Export BPMN" %}').render(
            Context()
        )
        assert rendered == "办理并继续|导出 BPMN"


def test_viewflow_untrimmed_plural_block_renders_chinese():
    """The blocktrans of viewflow's own template, whitespace and all, finds its Chinese."""
    template = build_catalogue.package_dir("viewflow") / "templates" / "viewflow" / "workflow" / "process_cancel.html"
    block = re.search(r"{% blocktrans count .*?{% endblocktrans %}", template.read_text(), re.DOTALL).group(0)
    with translation.override("zh-hans"):
        for activations in ([1], [1, 2]):
            text = Template("{% load i18n %}" + block).render(Context({"uncancellable_activations": activations}))
            assert text.strip() == "尚有任务正在办理，不能取消此流程。"


def test_plural_entries_answer_ngettext():
    plural = [entry for entry in _committed().values() if entry.msgid_plural]
    assert plural, "the catalogue holds viewflow's plural msgids"
    with translation.override("zh-hans"):
        for entry in plural:
            for count in (1, 3):
                assert ngettext(entry.msgid, entry.msgid_plural, count) == entry.msgstr_plural[0]
                assert CJK.search(entry.msgstr_plural[0])


@pytest.mark.parametrize("with_target", [False, True])
def test_notification_str_says_ago_in_chinese(make_user, with_target):
    from notifications.models import Notification

    user = make_user("liu", first_name="刘")
    notification = Notification.objects.create(
        recipient=user, actor=user, verb="提交了报告", target=user if with_target else None
    )
    with translation.override("zh-hans"):
        text = str(notification)
        assert "ago" not in text
        assert "%(" not in text
        assert text.startswith("liu 提交了报告")
        assert text.endswith("前）")
        assert gettext("%(actor)s %(verb)s %(timesince)s ago") == "%(actor)s %(verb)s（%(timesince)s前）"
        assert str(Notification._meta.verbose_name_plural) == "消息提醒"


# --- the catalogue --------------------------------------------------------------------------------


@needs_gettext
def test_extraction_finds_both_packages(extracted):
    assert set(extracted) == {"viewflow", "notifications"}
    assert len(extracted["viewflow"]) > 150
    assert len(extracted["notifications"]) >= 30
    viewflow = {(entry.msgctxt, entry.msgid) for entry in extracted["viewflow"]}
    assert {(None, "Inbox"), (None, "Queue"), ("STATUS", "Done")} <= viewflow
    assert any(entry.msgid_plural for entry in extracted["viewflow"])


@needs_gettext
def test_every_third_party_msgid_is_in_the_catalogue_with_chinese(extracted):
    committed = _committed()
    absent, empty, no_table_entry = [], [], []
    for package, entries in extracted.items():
        for entry in entries:
            key = (entry.msgctxt, entry.msgid)
            if key not in committed:
                absent.append((package, key))
            elif not _translated(committed[key]):
                empty.append((package, key))
            if build_catalogue.table_key(entry.msgctxt, entry.msgid) not in THIRD_PARTY_ZH_HANS:
                no_table_entry.append((package, key))
    assert absent == [], "run `make messages` (or .venv/bin/python locale/build_catalogue.py)"
    assert empty == []
    assert no_table_entry == [], "add the Chinese to locale/third_party_zh_hans.py"


@needs_gettext
def test_committed_third_party_entries_match_a_fresh_build(extracted, tmp_path):
    """The committed catalogue is what the build makes from the installed packages (none stale, none missing)."""
    po = tmp_path / "django.po"
    shutil.copy(PO, po)
    build_catalogue.build(po, third_party=extracted)

    def third_party(path):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural)
            for entry in polib.pofile(str(path))
            if build_catalogue.third_party_packages(entry)
        }

    assert third_party(po) == third_party(PO)


def test_without_gettext_the_build_keeps_and_refills_the_third_party_entries(tmp_path, monkeypatch):
    def no_gettext(*args, **kwargs):
        raise build_catalogue.GettextMissing("GNU gettext (xgettext) not found")

    monkeypatch.setattr(build_catalogue, "extract_third_party", no_gettext)
    po = tmp_path / "django.po"
    shutil.copy(PO, po)
    catalogue = polib.pofile(str(po))
    for entry in catalogue:
        if build_catalogue.third_party_packages(entry):
            entry.msgstr = ""
            entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
    catalogue.save(str(po))
    build_catalogue.build(po)

    def third_party(path):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural)
            for entry in polib.pofile(str(path))
            if build_catalogue.third_party_packages(entry)
        }

    assert len(third_party(po)) > 150
    assert third_party(po) == third_party(PO)


def test_an_entry_msgmerge_hands_to_the_project_is_not_third_party():
    """msgmerge copies translator comments onto its fuzzy guesses and onto msgids the project now uses."""
    kept = polib.POEntry(
        msgid="Task", tcomment="third-party: viewflow", occurrences=[("viewflow/workflow/models.py", "1")]
    )
    guess = polib.POEntry(
        msgid="Tasks due", tcomment="third-party: viewflow", occurrences=[("viewflow/x.py", "1")], flags=["fuzzy"]
    )
    adopted = polib.POEntry(msgid="Assign", tcomment="third-party: viewflow", occurrences=[("workflows/views.py", "9")])
    assert build_catalogue.third_party_packages(kept) == ["viewflow"]
    assert build_catalogue.third_party_packages(guess) == []
    assert build_catalogue.third_party_packages(adopted) == []


PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*\}"
)


def _placeholders(text):
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def test_every_entry_keeps_its_placeholders():
    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, form) for form in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, chinese in pairs:
            if _placeholders(source) != _placeholders(chinese):
                wrong.append((entry.msgid, chinese))
            if "python-format" in entry.flags and "%" in PLACEHOLDER.sub("", chinese.replace("%%", "")):
                wrong.append((entry.msgid, chinese))
    assert wrong == []


def test_the_table_keeps_placeholders():
    for key, value in THIRD_PARTY_ZH_HANS.items():
        msgid = key[1] if isinstance(key, tuple) else key
        if isinstance(value, str):
            assert _placeholders(msgid) == _placeholders(value), key
        else:  # plural: one form for Chinese, checked against msgid_plural in the catalogue test above
            assert len(value) == 1, key
            assert CJK.search(value[0]), key
