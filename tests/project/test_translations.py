"""The zh_Hans catalogue covers every msgid of the project, and the committed .mo matches the .po."""

import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

PO = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_entry_is_translated():
    catalogue = polib.pofile(str(PO))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_po():
    po = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO))}
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert mo == po


# What `make messages` leaves out, and what extraction never needs: never copied.
NOT_SOURCES = shutil.ignore_patterns(".*", "__pycache__", ".venv", "var", "tests", "node_modules", "test-results")


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_catalogue_holds_every_msgid_in_the_code(tmp_path):
    """Extract msgids afresh (`make messages`' makemessages, run on a copy of the project in tmp_path, so the
    committed catalogue is never written, not even for a moment) and compare with the committed one."""
    project = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, project, ignore=NOT_SOURCES)
    fresh = project / PO.relative_to(settings.BASE_DIR)
    fresh.unlink()  # extracted from the code alone, not merged into the committed entries
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            ".venv/*",
            "--ignore",
            "var/*",
            "--ignore",
            "tests/*",
        ],
        cwd=project,
        check=True,
        capture_output=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(fresh))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    assert (None, "Simplified Chinese") in extracted  # settings.LANGUAGES: the copy's code was read
    assert extracted - committed == set(), "run `make messages` and add the Chinese to locale/translations_zh_hans.py"
