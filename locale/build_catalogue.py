"""Fill locale/zh_Hans/LC_MESSAGES/django.po from translations_zh_hans.py and compile the .mo (no gettext needed).

Run by `make messages` after `makemessages`. Fails, listing them, if a msgid has no Chinese.
Msgids written in Chinese already (some templates) need no entry.
"""

import re
import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from translations_zh_hans import ZH_HANS  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def build(po_path=HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"):
    catalogue = polib.pofile(str(po_path))
    missing = []
    for entry in catalogue:
        if entry.msgid in ZH_HANS:
            entry.msgstr = ZH_HANS[entry.msgid]
        elif CJK.search(entry.msgid):
            entry.msgstr = entry.msgid
        else:
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return missing


if __name__ == "__main__":
    missing = build()
    if missing:
        sys.exit("No Chinese for: " + "; ".join(missing))
    print("zh_Hans catalogue built")
