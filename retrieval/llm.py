"""Optional generated answers (ICC_LLM): a LangChain chat model writes from the passages only.

The model sees the numbered passages and nothing else, must answer in the question's language
and cite passages as [n]. Its answer is used only if every citation names a passage it was
given; otherwise (or on any model error) the caller falls back to the extractive answer, so a
model can never attach a claim to a source that does not exist.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from typing import Any

from retrieval.chunking import Chunk

log = logging.getLogger(__name__)

#: The model's way of saying the passages do not answer the question.
NOT_COVERED = "NOT_COVERED"

_CITATION = re.compile(r"\[(\d+)\]")
_LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "it": "Italian", "es": "Spanish",
    "pt": "Portuguese", "nl": "Dutch", "uk": "Ukrainian", "ru": "Russian", "pl": "Polish",
    "el": "Greek", "tr": "Turkish", "ro": "Romanian", "hu": "Hungarian", "cs": "Czech",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "ca": "Catalan",
}  # fmt: skip

_SYSTEM = (
    "You help policy officers of the Council of Europe's Intercultural Cities programme. "
    "Answer the question using ONLY the numbered passages below; never add facts, cities, "
    "figures or quotations that are not in them. Write 2 to 4 short sentences in {language}. "
    "End every sentence with the number(s) of the passage(s) supporting it, like [1] or [2][3]. "
    f"If the passages do not answer the question, reply exactly {NOT_COVERED}."
)


class CitationError(ValueError):
    """The model's answer cites a passage that was not given, or cites nothing."""


def check_citations(text: str, n_sources: int) -> None:
    """Raise CitationError unless `text` cites at least once and only passages 1..n_sources."""
    numbers = [int(n) for n in _CITATION.findall(text)]
    if not numbers:
        raise CitationError("the answer cites no passage")
    wrong = sorted({n for n in numbers if not 1 <= n <= n_sources})
    if wrong:
        raise CitationError(f"the answer cites passages that do not exist: {wrong}")


def _prompt(question: str, chunks: Sequence[Chunk], previous: str | None) -> str:
    blocks = []
    for number, chunk in enumerate(chunks, 1):
        where = f"{chunk.short_title} — {chunk.section}" if chunk.section else chunk.short_title
        blocks.append(f"[{number}] ({where})\n{chunk.text}")
    context = f"\n\n(The user's previous question, for context: {previous})" if previous else ""
    return "Passages:\n\n" + "\n\n".join(blocks) + f"{context}\n\nQuestion: {question}"


class LLMWriter:
    """Writes an answer with a chat model given as "provider:model" (or an instance, in tests)."""

    def __init__(self, spec: str | None = None, *, model: Any = None) -> None:
        if spec is None and model is None:
            raise ValueError("LLMWriter needs a model spec or a chat model")
        self._spec = spec
        self._model = model
        self._lock = threading.Lock()

    def _chat_model(self) -> Any:
        with self._lock:
            if self._model is None:
                # lazy: LangChain chat models load only when ICC_LLM is set
                from langchain.chat_models import init_chat_model

                self._model = init_chat_model(self._spec, temperature=0)
            return self._model

    def write(
        self, question: str, language: str, chunks: Sequence[Chunk], previous: str | None = None
    ) -> str | None:
        """The model's cited answer; NOT_COVERED as is; None if unusable (caller falls back).

        `previous` lets the model read a follow-up ("and in schools?") as the user meant it.
        """
        # lazy: LangChain chat models load only when ICC_LLM is set
        from langchain_core.messages import HumanMessage, SystemMessage

        language_name = _LANGUAGE_NAMES.get(language, "the language of the question")
        messages = [
            SystemMessage(_SYSTEM.format(language=language_name)),
            HumanMessage(_prompt(question, chunks, previous)),
        ]
        try:
            reply = self._chat_model().invoke(messages)
        except Exception:  # any provider failure must degrade to the extractive answer
            log.exception("the chat model failed; falling back to the extractive answer")
            return None
        text = str(reply.text).strip()
        if text == NOT_COVERED:
            return NOT_COVERED
        try:
            check_citations(text, len(chunks))
        except CitationError as exc:
            log.warning("discarding the generated answer: %s", exc)
            return None
        return text
