"""The catalogues stay in step, and values filled into them are escaped."""

from __future__ import annotations

import string

from bot.core.texts import CATALOGS, LANGUAGES, Safe, counted, pick_language, t


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    english = CATALOGS["en"]
    for lang in LANGUAGES:
        catalog = CATALOGS[lang]
        assert set(catalog) == set(english), lang
        for key, template in catalog.items():
            assert _placeholders(template) == _placeholders(english[key]), (lang, key)
            assert template.strip(), (lang, key)


def test_the_words_of_replies_in_other_languages_match_the_catalogue() -> None:
    from bot.core.texts.answer_words import ANSWER_KEYS, ANSWER_WORDS

    english = CATALOGS["en"]
    for lang, words in ANSWER_WORDS.items():
        assert lang not in CATALOGS and sorted(words) == sorted(ANSWER_KEYS), lang
        for key, template in words.items():
            assert _placeholders(template) == _placeholders(english[key]), (lang, key)


def test_values_are_escaped_but_safe_fragments_are_kept() -> None:
    text = t("en", "city_not_found", text="<script>&")
    assert "&lt;script&gt;&amp;" in text and "<script>" not in text
    assert "<b>" in t("en", "sc_overall", score=Safe("<b>1</b>"))


def test_language_codes_pick_a_supported_language() -> None:
    assert pick_language("fr-CA") == "fr"
    assert pick_language("FR") == "fr"
    assert pick_language("de") == "en"
    assert pick_language(None) == "en"


def test_links_escape_their_address_and_refuse_other_schemes() -> None:
    from bot.core.html_format import link

    assert link("A & B", 'https://x.org/?a=1&b="2"') == (
        '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">A &amp; B</a>'
    )
    assert link("<click>", "javascript:alert(1)") == "&lt;click&gt;"


def test_counts_take_the_singular_or_the_plural() -> None:
    assert [counted("en", "pages", n) for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert [counted("fr", "passages", n) for n in (0, 1, 2)] == [
        "0 passage",
        "1 passage",
        "2 passages",
    ]
