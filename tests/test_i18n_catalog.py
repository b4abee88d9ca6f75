"""The Spanish catalog is complete: every message the code and templates wrap (extracted as
``make translations`` does, with babel's API) has a Spanish translation, none is fuzzy or
empty, and each keeps its placeholders."""

import re

from tests.i18n_catalogs import extracted, pseudo, spanish

PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]")


def ids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def translations(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_spanish_catalog_lacks_no_extracted_message():
    catalog = spanish()
    missing = [
        message.id
        for message in extracted()
        if message.id and catalog.get(message.id, context=message.context) is None
    ]
    assert not missing, f"{len(missing)} messages missing from es/messages.po:\n" + "\n".join(
        repr(message) for message in missing
    )


def test_spanish_catalog_has_no_untranslated_or_fuzzy_entry():
    problems = []
    for message in spanish():
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(translations(message)):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems)


def test_spanish_translations_keep_every_placeholder():
    wrong = []
    for message in spanish():
        if not message.id:
            continue
        wanted = sorted(set(PLACEHOLDER.findall(" ".join(ids(message)))))
        for text in translations(message):
            if sorted(set(PLACEHOLDER.findall(text or ""))) != wanted:
                wrong.append(f"{message.id!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_extraction_finds_wrapped_text_in_python_and_templates():
    """The check itself: babel.cfg reaches Python files (ngettext in forum/web.py, lazy
    gettext in forms) and templates (``_()`` in base.html)."""
    found = {message.id for message in extracted()}
    assert ("%(num)d minute ago", "%(num)d minutes ago") in found
    assert "Language of the forum and of your emails" in found  # _l in forum/care/forms.py
    assert "Language" in found  # {{ _('Language') }} in templates/base.html


def test_the_pseudo_locale_keeps_placeholders_and_markup():
    assert pseudo("Replying to %(name)s") == "⟦Ŕéƥĺýíńĝ ţó %(name)s⟧"
    assert pseudo('Read the <a href="%(url)s">guidelines</a>.') == (
        '⟦Ŕéáđ ţĥé <a href="%(url)s">ĝúíđéĺíńéś</a>.⟧'
    )
