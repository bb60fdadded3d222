"""Fill locale/zh_Hans/LC_MESSAGES/django.po from the Chinese tables and compile the .mo.

Run by `make messages` after `makemessages`. Two tables:
  * translations_zh_hans.py: the project's msgids (those makemessages finds in the project);
  * third_party_zh_hans.py: the msgids of third-party apps whose own zh_Hans catalogue is
    empty or missing (THIRD_PARTY). They are extracted from the installed packages at build
    time (makemessages on a temporary copy: the packages stay unmodified), and each one the
    project's catalogue lacks is added with a `# third-party: <package>` comment. The project's
    `makemessages --no-obsolete` drops those entries again; this script puts them back every time.
    LOCALE_PATHS wins over the apps' own catalogues, so these translations are the ones shown.

Fails, listing them, if a msgid has no Chinese. Msgids written in Chinese already (some
templates) need no entry. The .mo is written with polib. Extraction needs GNU gettext
(xgettext, like makemessages); without it the third-party entries already in django.po are
kept and filled from the table again.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from third_party_zh_hans import THIRD_PARTY_ZH_HANS  # noqa: E402
from translations_zh_hans import ZH_HANS  # noqa: E402

PO = HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"
THIRD_PARTY = ("viewflow", "notifications")  # import names of the apps translated here
MARK = "third-party: "
CJK = re.compile(r"[\u4e00-\u9fff]")


class GettextMissing(RuntimeError):
    pass


def package_dir(name):
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"package {name!r} is not installed")
    return Path(spec.origin).parent


def extract_third_party(packages=THIRD_PARTY):
    """The current msgids of each package as {package: [polib.POEntry]}, paths relative to the package.

    Runs `django-admin makemessages --locale zh_Hans` (xgettext over .py, .html and .txt files,
    msgctxt and plurals included) in a temporary copy of the package with an empty locale/, and
    without DJANGO_SETTINGS_MODULE, so neither the package nor the project's catalogue is touched.
    The package's static/ (JavaScript, domain djangojs) and its old catalogues are not copied.
    """
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        raise GettextMissing("GNU gettext (xgettext) not found")
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    extracted = {}
    with tempfile.TemporaryDirectory(prefix="third-party-msgids-") as tmp:
        for name in packages:
            copy = Path(tmp) / name
            shutil.copytree(
                package_dir(name), copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc")
            )
            (copy / "locale").mkdir()
            done = subprocess.run(
                [sys.executable, "-m", "django", "makemessages", "--locale", "zh_Hans", "--no-wrap"],
                cwd=copy,
                env=env,
                capture_output=True,
                text=True,
            )
            po_path = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
            if done.returncode != 0 or not po_path.exists():
                raise RuntimeError(f"makemessages failed for {name}:\n{done.stdout}{done.stderr}")
            extracted[name] = [entry for entry in polib.pofile(str(po_path)) if not entry.obsolete]
    return extracted


def table_key(msgctxt, msgid):
    """Key of THIRD_PARTY_ZH_HANS: the msgid with its whitespace collapsed, with its context if any."""
    text = " ".join(msgid.split())
    return (msgctxt, text) if msgctxt else text


def _dress(msgid, text):
    """Give the Chinese the leading and trailing whitespace of the msgid (untrimmed blocktranslate)."""
    stripped = msgid.strip()
    if not stripped:
        return text
    start = msgid.index(stripped)
    return msgid[:start] + text + msgid[start + len(stripped) :]


def _plural_count(catalogue):
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 1


def fill_third_party(entry, nplurals=1):
    """Set the entry's msgstr (or msgstr_plural) from THIRD_PARTY_ZH_HANS; False if the table has none."""
    value = THIRD_PARTY_ZH_HANS.get(table_key(entry.msgctxt, entry.msgid))
    if entry.msgid_plural:
        forms = (value,) if isinstance(value, str) else tuple(value or ())
        if len(forms) != nplurals or not all(forms):
            return False
        entry.msgstr = ""
        entry.msgstr_plural = {index: _dress(entry.msgid_plural, form) for index, form in enumerate(forms)}
        return True
    if not isinstance(value, str) or not value:
        return False
    entry.msgstr = _dress(entry.msgid, value)
    return True


def _marked_packages(entry):
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(MARK):
            return [name.strip() for name in line[len(MARK) :].split(",")]
    return []


def third_party_packages(entry):
    """Packages of an entry this script added (its `third-party:` comment); none for the project's own entries.

    msgmerge (in makemessages) copies translator comments: onto its fuzzy guess for a new project
    msgid, and onto an entry it keeps because the project now uses the same msgid. Such an entry,
    fuzzy or with an occurrence outside the named packages, is the project's.
    """
    packages = _marked_packages(entry)
    if not packages or "fuzzy" in entry.flags:
        return []
    prefixes = tuple(f"{package}/" for package in packages)
    if any(not path.startswith(prefixes) for path, _line in entry.occurrences):
        return []
    return packages


def _unmark(entry):
    lines = [line for line in (entry.tcomment or "").splitlines() if not line.startswith(MARK)]
    entry.tcomment = "\n".join(lines)


def build(po_path=PO, third_party=None):
    """Fill and save the catalogue and its .mo; return the msgids left without Chinese.

    third_party: {package: entries} as extract_third_party() returns; None extracts now.
    """
    catalogue = polib.pofile(str(po_path))
    nplurals = _plural_count(catalogue)
    if third_party is None:
        try:
            third_party = extract_third_party()
        except GettextMissing as exc:
            print(f"{exc}: keeping the third-party entries already in {po_path.name}", file=sys.stderr)
    if third_party is not None:  # the fresh extraction replaces what an earlier build added
        for entry in [entry for entry in catalogue if third_party_packages(entry)]:
            catalogue.remove(entry)

    missing = []
    for entry in catalogue:
        if _marked_packages(entry) and not third_party_packages(entry):
            _unmark(entry)
        if third_party_packages(entry):  # kept from an earlier build (no gettext to extract afresh)
            translated = fill_third_party(entry, nplurals)
        elif entry.msgid in ZH_HANS:
            entry.msgstr = ZH_HANS[entry.msgid]
            translated = True
        elif CJK.search(entry.msgid):
            entry.msgstr = entry.msgid
            translated = True
        else:
            translated = False
        if not translated:
            entry.msgstr = ""  # never ship msgmerge's fuzzy guess
            entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
            hint = THIRD_PARTY_ZH_HANS.get(table_key(entry.msgctxt, entry.msgid))
            missing.append(entry.msgid + (f" (a third-party app uses it too, as {hint!r})" if hint else ""))
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None

    added = {}
    present = {(entry.msgctxt, entry.msgid) for entry in catalogue}
    used_keys = set()
    for package, entries in (third_party or {}).items():
        for source in entries:
            key = (source.msgctxt, source.msgid)
            used_keys.add(table_key(source.msgctxt, source.msgid))
            occurrences = [(f"{package}/{path}", line) for path, line in source.occurrences]
            if key in added:  # the same msgid in two packages: one entry
                entry = added[key]
                entry.occurrences += occurrences
                if package not in third_party_packages(entry):
                    entry.tcomment = MARK + ", ".join([*third_party_packages(entry), package])
                continue
            if key in present:  # the project translates it already, and LOCALE_PATHS has one entry per msgid
                continue
            entry = polib.POEntry(
                msgctxt=source.msgctxt,
                msgid=source.msgid,
                msgid_plural=source.msgid_plural,
                msgstr="",
                msgstr_plural={index: "" for index in range(nplurals)} if source.msgid_plural else {},
                occurrences=occurrences,
                flags=[flag for flag in source.flags if flag != "fuzzy"],
                tcomment=MARK + package,
            )
            if not fill_third_party(entry, nplurals):
                missing.append(f"{package}: {table_key(source.msgctxt, source.msgid)!r}")
            catalogue.append(entry)
            added[key] = entry
    if third_party is not None:
        unused = set(THIRD_PARTY_ZH_HANS) - used_keys
        if unused:
            print("third_party_zh_hans.py has msgids the packages no longer use:", file=sys.stderr)
            for key in sorted(unused, key=repr):
                print(f"  {key!r}", file=sys.stderr)

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
