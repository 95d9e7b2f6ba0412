"""Every interface string is translated into French and Spanish.

CI refreshes the catalogues from the code first (`makemessages` in .ci/run), so a new string
that nobody translated shows up here as untranslated.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ["fr", "es"]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(
        str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po")
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_entry(language):
    assert [entry.msgid for entry in catalogue(language).untranslated_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_fuzzy_entry(language):
    assert [entry.msgid for entry in catalogue(language).fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    broken = [
        entry.msgid
        for entry in catalogue(language).translated_entries()
        if not entry.msgid_plural
        and sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr))
    ]
    assert broken == []
