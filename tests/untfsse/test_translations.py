"""Every interface string is translated into French and Spanish.

CI refreshes the catalogues from the code first (`makemessages` in .ci/run), so a new string
that nobody translated shows up here as untranslated.
"""

import re
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


COUNT_PLACEHOLDER = re.compile(r"%\((count|counter)\)[sd]")


def test_every_counted_string_has_plural_forms():
    """A string with a count goes through ngettext / {% blocktranslate count %}: none reads
    "1 new invitations"."""
    singular_only = [
        entry.msgid
        for entry in catalogue("fr")
        if not entry.msgid_plural and COUNT_PLACEHOLDER.search(entry.msgid)
    ]
    assert singular_only == []


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_every_plural_string_renders_with_one_and_two(language):
    """Each plural message, rendered for 1 and for 2 in the language, keeps the count (where
    it shows one) and differs between the two."""
    from django.utils import translation

    entries = [entry for entry in catalogue("fr") if entry.msgid_plural]
    assert len(entries) > 30
    wrong = []
    with translation.override(language):
        for entry in entries:
            names = set(re.findall(r"%\((\w+)\)", entry.msgid + entry.msgid_plural))
            for count in (1, 2):
                values = dict.fromkeys(names, count)
                text = translation.ngettext(entry.msgid, entry.msgid_plural, count) % values
                source = entry.msgid if count == 1 else entry.msgid_plural
                if re.search(r"%\(\w+\)d|%\(counter\)s", source) and str(count) not in text:
                    wrong.append((entry.msgid, count, text))
            one = translation.ngettext(entry.msgid, entry.msgid_plural, 1)
            two = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            if one == two:
                wrong.append((entry.msgid, "same for 1 and 2", one))
    assert wrong == []
