"""/start, the city the user works for, /help, /language, /privacy and /cancel."""

from __future__ import annotations

from bot.core import payloads, qa_flow, selfcheck_flow
from bot.core.actions import CityChoice
from bot.core.dialog import DialogState
from bot.core.errors import InvalidInput
from bot.core.html_format import join_lines
from bot.core.messages import Button, Reply
from bot.core.payloads import ButtonKind
from bot.core.texts import LANGUAGE_NAMES, LANGUAGES, country_name, pick_language
from bot.core.turn import Turn
from bot.storage import repo
from bot.storage.models import RunStatus

#: Most words of a text at the city prompt still read as a city's formal name ("Ayuntamiento
#: de Santa Coloma de Gramenet") when no question word opens it.
CITY_NAME_WORDS = 10
#: Words that open a question in the languages officers write in.
_QUESTION_OPENERS = frozenset(
    (
        "how", "what", "which", "who", "when", "where", "why", "can", "could", "is", "are",
        "do", "does", "should", "comment", "quel", "quelle", "quels", "quelles", "qui", "quand",
        "où", "pourquoi", "combien", "est-ce", "qu'est-ce", "cómo", "qué", "cuál", "quién",
        "cuándo", "dónde", "por", "cuánto", "come", "cosa", "che", "quale", "chi", "quando",
        "dove", "perché", "quanto", "como", "o", "qual", "quem", "onde", "wie", "was", "welche",
        "wer", "wann", "wo", "warum", "gibt", "jak", "co", "który", "kto", "kiedy", "gdzie",
        "czy", "ile", "як", "що", "хто", "коли", "де", "чи", "скільки",
    )
)  # fmt: skip

#: The buttons next to the city question.
OTHER_CITY = payloads.make(ButtonKind.CITY, CityChoice.OTHER)
CHANGE_CITY = payloads.make(ButtonKind.CITY, CityChoice.CHANGE)


def start(turn: Turn, args: str) -> list[Reply]:
    """Welcome, then ask for the city (or say what the bot can do) and offer any open run."""
    name = turn.incoming.display_name or turn.incoming.username or ""
    welcome = turn.t("welcome", name=name) if name else turn.t("welcome_anon")
    replies: list[Reply] = []
    if turn.user.city is None:
        with turn.write() as session:
            repo.update_user(session, user_id=turn.user_id, state=DialogState.AWAITING_CITY)
        replies.append(
            Reply(
                text=join_lines(welcome, "", turn.t("ask_city")),
                buttons=((Button(turn.t("btn_other_city"), OTHER_CITY),),),
            )
        )
    else:
        country = country_name(turn.lang, turn.user.country or "")
        city = turn.t("city_saved", city=turn.user.city, country=country)
        replies.append(
            Reply(
                text=join_lines(welcome, city, "", turn.t("capabilities")),
                buttons=((Button(turn.t("btn_change_city"), CHANGE_CITY),),),
            )
        )
    replies.extend(selfcheck_flow.resume_offer(turn))
    return replies


def city_text(turn: Turn, text: str) -> list[Reply]:
    """The user typed a city name: match it against the member cities. An officer of a city
    outside the list often types a question instead (found in the playground: every later
    question was taken for a city name): a text that reads as one leaves the city unset and is
    answered."""
    city = turn.services.cities.match_city(text)
    if city is None and reads_as_question(text):
        # The question is logged first, in the write that records this event: a redelivery
        # after a crash finds it (and the prompt still open) rather than a done city step.
        answer = qa_flow.ask(turn, text)
        with turn.write() as session:
            repo.update_user(session, user_id=turn.user_id, state=DialogState.IDLE)
        turn.user.state = DialogState.IDLE
        return [Reply(text=turn.t("city_skipped")), *answer]
    if city is None:
        return [
            Reply(
                text=turn.t("city_not_found", text=text[:100]),
                buttons=((Button(turn.t("btn_other_city"), OTHER_CITY),),),
            )
        ]
    with turn.write() as session:
        repo.update_user(
            session,
            user_id=turn.user_id,
            city=city.name,
            country=city.country,
            state=DialogState.IDLE,
        )
    saved = turn.t("city_saved", city=city.name, country=country_name(turn.lang, city.country))
    return [Reply(text=join_lines(saved, "", turn.t("capabilities")))]


def reads_as_question(text: str) -> bool:
    """Whether a text typed at the city prompt is a question rather than a city's name ("Las
    Palmas de Gran Canaria", "I work for the city of Lyon"): a question mark after more than
    one word, a question word first with more than two, or more words than a formal name."""
    words = text.split()
    first = words[0].lower().lstrip("¿¡\"'«(") if words else ""
    return (
        ("?" in text and len(words) > 1)
        or (first in _QUESTION_OPENERS and len(words) > 2)
        or len(words) > CITY_NAME_WORDS
    )


def city_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """ "Other" (no member city) or "Change city"."""
    choice = payload.choice(0, CityChoice)
    if choice == CityChoice.OTHER:
        with turn.write() as session:
            repo.update_user(
                session, user_id=turn.user_id, city=None, country=None, state=DialogState.IDLE
            )
        text = join_lines(turn.t("city_other_saved"), "", turn.t("capabilities"))
        return [Reply(text=text, edit=True)]
    # CityChoice.CHANGE: the next free text is the city again.
    with turn.write() as session:
        repo.update_user(session, user_id=turn.user_id, state=DialogState.AWAITING_CITY)
    return [
        Reply(text=turn.t("ask_city"), buttons=((Button(turn.t("btn_other_city"), OTHER_CITY),),))
    ]


def help_command(turn: Turn, args: str) -> list[Reply]:
    """/help."""
    return [Reply(text=turn.t("help"))]


def privacy(turn: Turn, args: str) -> list[Reply]:
    """/privacy: what is stored and why."""
    return [Reply(text=turn.t("privacy"))]


def language(turn: Turn, args: str) -> list[Reply]:
    """/language [en|fr]: set it directly, or offer the choice."""
    wanted = args.strip().lower()
    if wanted in LANGUAGES:
        return _set_language(turn, wanted, edit=False)
    buttons = tuple(
        (Button(LANGUAGE_NAMES[code], payloads.make(ButtonKind.LANGUAGE, code)),)
        for code in LANGUAGES
    )
    return [Reply(text=turn.t("language_choose"), buttons=buttons)]


def language_button(turn: Turn, payload: payloads.Payload) -> list[Reply]:
    """A language button."""
    code = payload.field(0)
    if code not in LANGUAGES:
        raise InvalidInput("unknown language")
    return _set_language(turn, code, edit=True)


def _set_language(turn: Turn, code: str, *, edit: bool) -> list[Reply]:
    with turn.write() as session:
        repo.update_user(session, user_id=turn.user_id, language=pick_language(code))
    turn.user.language = code
    return [Reply(text=turn.t("language_set"), edit=edit)]


def cancel(turn: Turn, args: str) -> list[Reply]:
    """/cancel: leave the current step; an active self-check is paused, never lost.

    A pending step is a text input being awaited, a study-visit draft (kept in ``state_data``
    even while its buttons are awaited) or an active self-check.
    """
    with turn.read() as session:
        run = repo.open_run(session, user_id=turn.user_id)
    busy = (
        turn.user.state != DialogState.IDLE
        or bool(turn.user.state_data)
        or (run is not None and run.status == RunStatus.ACTIVE)
    )
    if not busy:
        return [Reply(text=turn.t("cancel_nothing"))]
    with turn.write() as session:
        repo.update_user(session, user_id=turn.user_id, state=DialogState.IDLE, state_data={})
    turn.user.state, turn.user.state_data = DialogState.IDLE, {}
    if run is not None and run.status == RunStatus.ACTIVE:
        selfcheck_flow.pause_quietly(turn, run.id or 0)
    return [Reply(text=turn.t("cancel_done"))]
