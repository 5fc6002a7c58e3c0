"""Honest translations: every catalogue says in its header who drafted it and whether a native
speaker has reviewed it, and a message no native speaker has reviewed carries gettext's fuzzy flag
(the app shows it: a draft is better than English for a newcomer)."""

from incubator.core import catalogue_files as files
from incubator.core import i18n


def test_every_part_of_every_language_says_who_drafted_it_and_whether_it_was_reviewed():
    missing = [f"{lang}/{path.name}" for lang in i18n.LANGUAGES for path in files.part_files(lang)
               if not files.header_field(files.read_part(path), files.DRAFTED_BY)
               or not files.header_field(files.read_part(path), files.REVIEWED_BY)]
    assert missing == []


def test_a_part_nobody_has_reviewed_flags_every_message_as_a_draft():
    unflagged = []
    for lang in i18n.LANGUAGES:
        for path in files.part_files(lang):
            catalog = files.read_part(path)
            if files.header_field(catalog, files.REVIEWED_BY) == "no":
                unflagged += [f"{lang}/{path.name}: {files.message_key(m)!r}" for m in catalog if m.id and not m.fuzzy]
    assert unflagged == []


def test_the_english_source_has_no_drafts_and_every_language_counts_its_own():
    counts = {lang: files.status(lang) for lang in i18n.LANGUAGES}
    assert counts["en"].fuzzy == 0
    assert {c.messages for c in counts.values()} == {counts["en"].messages}
    assert all(c.fuzzy <= c.translated <= c.messages for c in counts.values())
