"""Every UI string has a Dutch and a French translation.

1. The committed catalogues have no untranslated or fuzzy entries.
2. Extracting the strings anew (GNU gettext) finds no msgid missing from the catalogues, so a new
   `gettext` call without a translation fails here. Outside CI this part skips when xgettext is
   not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "leerplek" / "locale"
LANGUAGES = ["nl", "fr"]


def catalogue(language: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"missing catalogue {path}"
    return polib.pofile(str(path))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated"
    assert fuzzy == [], f"{language}: fuzzy"
    assert len(po) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language: str) -> None:
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]|\{\{ ?(\w+) ?\}\}")
    problems = []
    for entry in catalogue(language).translated_entries():
        wanted = {m.group(0).replace(" ", "") for m in pattern.finditer(entry.msgid)}
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            found = {m.group(0).replace(" ", "") for m in pattern.finditer(text)}
            if not entry.msgid_plural and found != wanted:
                problems.append((entry.msgid, text))
    assert problems == []


def test_no_string_is_missing_from_the_catalogues(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if IN_CI:
            pytest.fail("GNU gettext (xgettext) is needed in CI to check the catalogues")
        pytest.skip("xgettext not installed (apt-get install gettext)")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT / "leerplek", copy / "leerplek", ignore=shutil.ignore_patterns("__pycache__", "*.mo")
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "leerplek" / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in catalogue("nl")}
    missing = sorted(entry.msgid for entry in fresh if (entry.msgctxt, entry.msgid) not in known)
    assert missing == [], "run `make messages` and translate the new strings"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_valid_for_gnu_gettext(language: str) -> None:
    """polib forgives lines that GNU msgmerge rejects; `make messages` needs them valid."""
    if shutil.which("msgfmt") is None:
        if IN_CI:
            pytest.fail("GNU gettext (msgfmt) is needed in CI to check the catalogues")
        pytest.skip("msgfmt not installed (apt-get install gettext)")
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
