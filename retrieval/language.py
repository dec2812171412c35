"""Language identification for questions and documents, restricted to European languages.

Officers write in the languages of the Council of Europe's member states; restricting the
classifier to those keeps short questions from being labelled as, say, Tagalog.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: ISO 639-1 codes of the languages spoken in the member cities (py3langid supports these).
EUROPEAN_LANGUAGES = (
    "en", "fr", "de", "it", "es", "pt", "nl", "uk", "ru", "pl", "cs", "sk", "sl", "hr", "sr",
    "bs", "bg", "ro", "hu", "el", "tr", "sv", "no", "nb", "da", "fi", "et", "lv", "lt", "ga",
    "is", "mt", "sq", "mk", "ca", "eu", "gl", "cy", "lb", "hy", "ka", "az",
)  # fmt: skip

#: Below this many letters a guess is noise; the default (English) is the safer answer.
_MIN_LETTERS = 12
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_lock = threading.Lock()


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    supported = set(identifier.labels)
    identifier.set_languages([code for code in EUROPEAN_LANGUAGES if code in supported])
    return identifier


def detect_language(text: str, default: str = "en") -> str:
    """The ISO 639-1 code of `text`'s language, or `default` when the text is too short to tell."""
    if len(_LETTERS.findall(text)) < _MIN_LETTERS:
        return default
    with _lock:  # the identifier keeps per-call state; one caller at a time
        code, _ = _identifier().classify(text)
    return "no" if code == "nb" else str(code)
