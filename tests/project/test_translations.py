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


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_catalogue_holds_every_msgid_in_the_code(tmp_path):
    """Extract msgids afresh (makemessages on a copy of the catalogue) and compare with the committed one."""
    backup = tmp_path / "django.po"
    shutil.copy(PO, backup)
    try:
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
            cwd=settings.BASE_DIR,
            check=True,
            capture_output=True,
            env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        )
        extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    finally:
        shutil.copy(backup, PO)
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(backup))}
    assert extracted - committed == set(), "run `make messages` and add the Chinese to locale/translations_zh_hans.py"
