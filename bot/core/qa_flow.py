"""Free text as a question to the ICC documents: cited answer, sources, feedback.

Every word of ours is in the user's interface language, except that the reply to a question
asked in a language the interface lacks (Italian, German...) is worded in that language where
we have its words; quotes from the documents stay in theirs, announced as such when that is
not the question's language.

Questions are logged (text, language, answered, top source, the cited passages) for the
secretariat's statistics and curation queue, and for the "Sources" button, which shows the
passages the answer was built from without asking again. The per-user rate limit counts the
logged questions, so it holds across replicas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.core import payloads
from bot.core.actions import QuestionAction
from bot.core.errors import InvalidInput
from bot.core.html_format import clip, join_lines, link
from bot.core.messages import Button, Reply
from bot.core.ownership import owned
from bot.core.payloads import ButtonKind
from bot.core.texts import LANGUAGES, Safe, escape
from bot.core.texts.answer_words import QUOTED_IN_ENGLISH
from bot.core.turn import Turn
from bot.storage import repo
from bot.storage.models import Question, utcnow
from retrieval.conversation import context_of
from retrieval.language import detect_language
from retrieval.service import CORPUS_LANGUAGE

if TYPE_CHECKING:
    from sqlmodel import Session

    from retrieval.service import Answer, Source

#: A question within this window is the context of a follow-up ("and for schools?").
FOLLOW_UP_WINDOW = timedelta(minutes=15)
#: Recent questions a follow-up may reach back over ("and for the police?", then "any city
#: examples?": the last one continues both and the question before them).
CONTEXT_QUESTIONS = 3
RATE_WINDOW = timedelta(minutes=1)
REASONS = ("wrong", "incomplete", "irrelevant", "unclear")
#: Longest quoted section shown by "Sources" (the answer itself keeps to about 800).
QUOTE_CHARS = 1200
#: The [n] citation markers, left out when telling the answer's language.
_MARKERS = re.compile(r"\[\d+\]")


def ask(turn: Turn, text: str) -> list[Reply]:
    """Answer ``text`` from the documents, unless the user is over the rate limit."""
    now = utcnow()
    limit = turn.services.settings.icc_question_rate
    with turn.read() as session:
        recent = repo.count_questions_since(session, user_id=turn.user_id, since=now - RATE_WINDOW)
        if recent >= limit:
            return [Reply(text=turn.t("rate_limited", limit=limit))]
        previous = follow_up_context(session, user_id=turn.user_id, at=now)
    answer = turn.services.qa.ask(text, previous=previous)
    with turn.write() as session:
        question = repo.add_question(
            session,
            user_id=turn.user_id,
            text=text,
            language=answer.language,
            answered=answer.answered,
            top_source=_source_name(answer.sources[0]) if answer.sources else None,
            sources=[_stored_source(s) for s in answer.sources] if answer.answered else [],
        )
    return [render_answer(turn, answer, question.id or 0)]


def follow_up_context(session: Session, *, user_id: int, at: datetime) -> str | None:
    """What a question asked at ``at`` may continue: the user's questions in the
    `FOLLOW_UP_WINDOW` before it, read by `retrieval.conversation.context_of`."""
    history = repo.recent_questions(
        session, user_id=user_id, since=at - FOLLOW_UP_WINDOW, before=at, limit=CONTEXT_QUESTIONS
    )
    return context_of([q.text for q in reversed(history)])


def _source_name(source: Source) -> str:
    return f"{source.short_title or source.title} — {source.section}".strip(" —")


def _stored_source(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "short_title": source.short_title,
        "section": source.section,
        "page": source.page,
        "url": source.url,
        "text": source.text[:2000],
        "digest": source.digest,
    }


def _where(turn: Turn, section: str | None, page: int | None) -> Safe:
    parts = [escape(section)] if section else []
    if page:
        parts.append(turn.t("qa_page", page=page))
    return Safe(" — " + ", ".join(parts)) if parts else Safe("")


def _cited_as(words: Callable[..., Safe], title: str, url: str | None, digest: bool) -> Safe:
    """The source's name as a link; "our digest of ..." when the text is our digest of it,
    so a quote is never passed off as the original's wording."""
    label = link(title, url)
    return words("qa_digest_of", link=label) if digest else label


def render_answer(turn: Turn, answer: Answer, question_id: int) -> Reply:
    """An answer as the officer sees it, its buttons tied to the logged question (also used
    when a redelivered question is answered again, so it looks exactly as the first time).
    Its words follow the question's language where the interface does not speak it."""

    def words(key: str, **values: Any) -> Safe:
        return turn.answer_t(answer.language, key, **values)

    if not answer.answered:
        # Only our own words: retrieval's `answer.answer` says "not covered" in English.
        nearest = [
            Safe(
                "• "
                + link(source.short_title or source.title, source.url)
                + _where(turn, source.section, source.page)
            )
            for source in answer.nearest[:3]
        ]
        closest = join_lines(words("qa_closest"), *nearest) if nearest else ""
        refusal = words("qa_not_today" if answer.about_today else "qa_not_covered")
        return Reply(text=join_lines(refusal, "", closest, "", words("qa_rephrase")))
    lines = [
        turn.t(
            "qa_source_line",
            n=n,
            # Short titles keep the sources readable on a phone; "Sources" shows full ones.
            link=_cited_as(words, source.short_title or source.title, source.url, source.digest),
            where=_where(turn, source.section, source.page),
        )
        for n, source in enumerate(answer.sources, start=1)
    ]
    buttons = (
        (Button(words("btn_sources"), _data(QuestionAction.SOURCES, question_id)),),
        (
            Button(words("btn_helpful"), _data(QuestionAction.FEEDBACK, question_id, 1)),
            Button(words("btn_not_helpful"), _data(QuestionAction.FEEDBACK, question_id, 0)),
        ),
    )
    text = join_lines(
        words("qa_tentative") if answer.tentative else "",
        _quoted_language_line(turn, answer),
        escape(answer.answer),
        "",
        words("qa_heading_sources"),
        *lines,
    )
    return Reply(text=text, buttons=buttons)


def _quoted_language_line(turn: Turn, answer: Answer) -> str:
    """A note that the quotes are in English when the question was not, in the question's
    language where we have the words (else the interface's).

    Without an LLM the answer is sentences quoted from the passages, so an Italian question
    gets English sentences, and the user should know that is deliberate. The language is read
    from the text shown rather than assumed from the corpus: an LLM writes in the question's
    language (no line then) and uploaded documents may be in any language.
    """

    shown = detect_language(_MARKERS.sub(" ", answer.answer), default=CORPUS_LANGUAGE)
    if shown == answer.language:
        return ""
    if shown == "en" and answer.language in QUOTED_IN_ENGLISH:
        return Safe(f"<i>{escape(QUOTED_IN_ENGLISH[answer.language])}</i>")
    if shown in LANGUAGES:
        return turn.t("qa_quoted_in", language=turn.t(f"language_in_{shown}"))
    return turn.t("qa_quoted_original")


def button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """ "Sources", helpful / not helpful, and the reason for "not helpful"."""
    with turn.read() as session:
        question = repo.get_question(session, question_id=payload.int_field(1))
        question = owned(question, by=turn.user_id, what="question")
    action = payload.choice(0, QuestionAction)
    if action == QuestionAction.SOURCES:
        return [_render_quotes(turn, question)]
    if action == QuestionAction.FEEDBACK:
        helpful = payload.field(2)
        if helpful not in ("0", "1"):
            raise InvalidInput("bad feedback value")
        with turn.write() as session:
            repo.save_feedback(
                session, question_id=question.id or 0, user_id=turn.user_id, helpful=helpful == "1"
            )
        if helpful == "1":
            return [Reply(text=turn.t("fb_thanks"), toast=turn.t("fb_thanks"))]
        buttons = tuple(
            (Button(turn.t(f"reason_{code}"), _data(QuestionAction.REASON, question.id, code)),)
            for code in REASONS
        )
        return [Reply(text=turn.t("fb_ask_reason"), buttons=buttons)]
    if action == QuestionAction.REASON:
        reason = payload.field(2)
        if reason not in REASONS:
            raise InvalidInput("unknown reason")
        with turn.write() as session:
            repo.save_feedback(
                session,
                question_id=question.id or 0,
                user_id=turn.user_id,
                helpful=False,
                reason=reason,
            )
        return [Reply(text=turn.t("fb_thanks"), toast=turn.t("fb_thanks"), edit=True)]
    raise InvalidInput("unknown question action")


def _data(action: QuestionAction, *fields: object) -> str:
    return payloads.make(ButtonKind.QUESTION, action, *fields)


def _render_quotes(turn: Turn, question: Question) -> Reply:
    if not question.sources:
        return Reply(text=turn.t("qa_no_sources"))
    blocks = [turn.t("qa_quotes_heading")]
    for n, source in enumerate(question.sources, start=1):
        heading = turn.t(
            "qa_source_line",
            n=n,
            link=_cited_as(
                turn.t, source.get("title") or "", source.get("url"), bool(source.get("digest"))
            ),
            where=_where(turn, source.get("section"), source.get("page")),
        )
        quote = escape(clip(source.get("text") or "", QUOTE_CHARS))
        blocks.append(Safe(f"{heading}\n<blockquote>{quote}</blockquote>"))
    return Reply(text=Safe("\n\n".join(blocks)))
