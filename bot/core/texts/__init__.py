"""User-facing words, in English and French, looked up by key.

Templates are the safe HTML subset of `bot.core.messages`; every value filled into them is
HTML-escaped unless it is wrapped in `Safe` (a fragment the core built and escaped itself), so
text from users or data can never break the markup.
"""

from __future__ import annotations

import html
from typing import Any

from bot.core.texts import en, fr
from bot.core.texts.answer_words import ANSWER_WORDS

#: Supported languages, the first is the fallback.
LANGUAGES: tuple[str, ...] = ("en", "fr")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français"}
CATALOGS: dict[str, dict[str, str]] = {"en": en.TEXTS, "fr": fr.TEXTS}
#: Country names of the city data (English there) in each other interface language.
COUNTRY_NAMES: dict[str, dict[str, str]] = {"fr": fr.COUNTRY_NAMES}


class Safe(str):
    """A string that is already valid, escaped HTML and must not be escaped again."""

    __slots__ = ()


def escape(value: object) -> Safe:
    """Escape any value for text content in the HTML subset (`Safe` values pass unchanged).

    Quotes stay readable: values never land inside an attribute (links are built by
    `bot.core.html_format.link`, which escapes its href for an attribute).
    """
    if isinstance(value, Safe):
        return value
    return Safe(html.escape(str(value), quote=False))


def country_name(lang: str, country: str) -> str:
    """The data's (English) country name in the interface language, unchanged if unknown."""
    return COUNTRY_NAMES.get(lang, {}).get(country, country)


def pick_language(code: str | None) -> str:
    """The supported language closest to a transport's language code ("fr-CA" -> "fr")."""
    if code:
        base = code.strip().lower().replace("_", "-").split("-")[0]
        if base in CATALOGS:
            return base
    return LANGUAGES[0]


def counted(lang: str, key: str, n: int) -> Safe:
    """``n`` with its noun: the text ``key_one`` or ``key_other`` ("1 page", "3 pages"); French
    counts 0 as singular ("0 page")."""
    one = n == 1 or (lang == "fr" and n == 0)
    return t(lang, f"{key}_{'one' if one else 'other'}", n=n)


def t(lang: str, key: str, **values: Any) -> Safe:
    """The text ``key`` in ``lang`` with ``values`` escaped and filled in."""
    catalog = CATALOGS.get(lang, CATALOGS[LANGUAGES[0]])
    return _filled(catalog.get(key) or CATALOGS[LANGUAGES[0]][key], values)


def answer_t(lang: str, asked_in: str, key: str, **values: Any) -> Safe:
    """The text ``key`` of the reply to a question asked in ``asked_in``: in that language
    where we have its words (a catalogue, or `answer_words`), else in the interface language
    ``lang``. English never overrides the interface: it is also what a message too short to
    identify is taken for ("c quoi l'ICC ?")."""
    if asked_in in (lang, LANGUAGES[0]):
        return t(lang, key, **values)
    words = CATALOGS.get(asked_in) or ANSWER_WORDS.get(asked_in, {})
    return _filled(words[key], values) if key in words else t(lang, key, **values)


def _filled(template: str, values: dict[str, Any]) -> Safe:
    """``template`` with ``values`` escaped and filled in."""
    return Safe(template.format(**{k: escape(v) for k, v in values.items()}))
