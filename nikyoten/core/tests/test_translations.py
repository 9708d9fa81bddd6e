"""The English catalogue is complete and compiled: every Japanese string has a translation in the .mo Django loads."""

import gettext
import re
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def _po_entries() -> list[tuple[str, bool]]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        match = re.search(r'^msgid ((?:".*"\n)+)', block + "\n", re.MULTILINE)
        assert match, block
        msgid = (
            "".join(re.findall(r'"(.*)"', match.group(1)))
            .encode()
            .decode("unicode_escape")
            .encode("latin-1")
            .decode()
        )
        context = re.search(r'^msgctxt "(.*)"', block, re.MULTILINE)
        if context:  # gettext keys a contextual entry as "context\x04msgid"
            msgid = f"{context.group(1)}\x04{msgid}"
        entries.append((msgid, "#, fuzzy" in block))
    return entries


def test_no_entry_is_fuzzy_or_missing_from_the_compiled_catalogue():
    with (LOCALE / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    compiled = {key[0] if isinstance(key, tuple) else key: value for key, value in catalog.items() if key}
    entries = _po_entries()
    assert len(entries) > 200
    assert [msgid for msgid, fuzzy in entries if fuzzy] == []
    untranslated = [msgid for msgid, _ in entries if not compiled.get(msgid)]
    assert untranslated == []


def test_translations_keep_their_placeholders():
    with (LOCALE / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    for key, value in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid:
            assert set(re.findall(r"%\(\w+\)s", msgid)) == set(re.findall(r"%\(\w+\)s", value)), msgid
