"""The end of a self-check: score it, keep the result, and show what it means.

The score is computed and stored in the same transaction as the last answer, so a completed
run always has its result. The replies then bring the chart, the estimated scores against the
network, each weak area with mentor cities and up to two guide passages on its topic, the
change since the user's previous self-check, and a study-visit button for every weak area; a
result with strong areas then asks the privacy consents not asked yet.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.core import mentors_flow, payloads, peer_comparison, privacy_flow
from bot.core.html_format import join_lines, link, shorten
from bot.core.messages import Attachment, Button, Reply
from bot.core.payloads import ButtonKind
from bot.core.texts import Safe, escape
from bot.core.turn import Turn
from bot.storage import repo
from bot.storage.models import AnswerKind, IndicatorAnswer, RunStatus, SelfcheckRun
from retrieval.answer import without_reading_notes
from retrieval.lexical import tokenize
from scoring.score import DONT_KNOW, SCOPES, score

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.services import Services
    from retrieval.service import Source
    from scoring.model import IndexModel
    from scoring.peers import PeerAverage
    from scoring.score import AreaResult, Result

#: Guide passages shown per weak area, and how much of each.
GUIDES_PER_AREA = 2
QUOTE_CHARS = 220
#: Passages searched for an area, of which those that name its topic are shown.
GUIDE_CANDIDATES = 10
#: Words of area names too broad to tell one area's passages from another's.
_BROAD_NAME_WORDS = frozenset(
    tokenize("intercultural city cities public social life international and the")
)
#: Replies are packed up to this size (Telegram's limit is 4096; entities need headroom).
MAX_REPLY_CHARS = 3500


def finish(session: Session, turn: Turn, run: SelfcheckRun) -> Result:
    """Score the run's answers, store the result and close the run (inside the caller's
    transaction, together with the last answer)."""

    result = score_run(session, turn, run)
    # The version check first: a racing replica fails here, not on the results' unique key.
    repo.update_run(session, run=run, status=RunStatus.COMPLETED)
    repo.save_result(
        session,
        run_id=run.id or 0,
        overall=result.overall,
        lens=result.lens,
        areas=[_stored_area(area) for area in result.areas],
    )
    return result


def score_run(session: Session, turn: Turn, run: SelfcheckRun) -> Result:
    """The run's result from its stored answers: what `finish` stores, and what a redelivered
    last answer shows again."""
    model = turn.services.index_model
    answers = scoring_answers(model, repo.answers_for(session, run_id=run.id or 0))
    return score(model, answers, scope=run.scope, network=network_averages(turn), lang=turn.lang)


def scoring_answers(model: IndexModel, rows: dict[str, IndicatorAnswer]) -> dict[str, Any]:
    """Stored answers in the scoring engine's shape (skipped ones left out)."""

    answers: dict[str, Any] = {}
    for indicator_id, row in rows.items():
        if row.kind == AnswerKind.DONT_KNOW:
            answers[indicator_id] = DONT_KNOW
        elif row.kind == AnswerKind.OPTION:
            if model.indicator(indicator_id).multi:
                answers[indicator_id] = frozenset(row.options)
            elif row.options:
                answers[indicator_id] = row.options[0]
    return answers


def network_averages(turn: Turn) -> dict[str, float]:
    """Per-area network averages from the city data (only the areas it has)."""
    return {area: value[0] for area, value in turn.cities.network_averages().items()}


def _stored_area(area: AreaResult) -> dict[str, Any]:
    return {
        "id": area.id,
        "name": area.name,
        "score": area.score,
        "network_average": area.network_average,
        "weak": area.weak,
        "strong": area.strong,
        "coverage": area.coverage,
    }


# --- replies ---------------------------------------------------------------------------------


def render(turn: Turn, run: SelfcheckRun, result: Result) -> list[Reply]:
    """A "completed" note in place of the last question, the chart and scores, then the weak
    areas with mentors and guide passages."""
    # lazy: matplotlib loads only when a chart is drawn
    from scoring.charts import render_chart

    model = turn.services.index_model
    peers = peer_comparison.for_run(turn, run)
    chart = render_chart(result, city=turn.user.city, lang=turn.lang, peers=peers)
    summary = join_lines(
        turn.t("sc_results_heading"),
        "",
        *_score_lines(turn, model, result, peers),
        peer_comparison.note(turn, peers),
        "",
        _comparison(turn, run, result),
        "",
        turn.t("sc_rule", rule=result.rule),
        turn.t("sc_estimate", disclaimer=result.disclaimer),
    )
    first = Reply(
        text=summary,
        attachment=Attachment(
            filename="icc-selfcheck.png",
            content=chart,
            kind="photo",
            caption=turn.t("sc_chart_caption"),
        ),
    )
    weak = sorted(
        (a for a in result.areas if a.weak and a.score is not None), key=lambda a: a.score or 0
    )
    # The last question's message becomes a note, so its buttons cannot be pressed again.
    done = Reply(text=turn.t("sc_completed"), edit=True, toast=turn.t("sc_saved"))
    if not weak:
        return [done, first, Reply(text=turn.t("sc_no_weak")), *_consents(turn, run, result)]
    blocks = [_weak_area_block(turn, model, area) for area in weak]
    # Every weak area can lead to a study visit: one button each, weakest first, under the last
    # message (a transport that waits for the buttons then has every weak area shown).
    visit_buttons = tuple((_visit_button(turn, model, run, area.id),) for area in weak)
    replies = [done, first, *(Reply(text=text) for text in _pack(blocks))]
    replies[-1] = Reply(text=replies[-1].text, buttons=visit_buttons)
    return [*replies, *_consents(turn, run, result)]


def _visit_button(turn: Turn, model: IndexModel, run: SelfcheckRun, area_id: str) -> Button:
    """ "Request a study visit: <area>", handled by bot.core.visit_flow.results_button."""
    return Button(
        shorten(turn.t("btn_visit", area=model.area_name(area_id, turn.lang)), 60),
        payloads.make(ButtonKind.VISIT_FROM_RESULTS, run.id, area_id),
    )


def _consents(turn: Turn, run: SelfcheckRun, result: Result) -> list[Reply]:
    """The consents not asked yet, once a member city's self-check shows a strong area: the
    moment the mentor question means something, even to an officer who never requests a visit.
    Both consents concern the city (matchmaking reads results by city), so without one, none."""
    city = run.city or turn.user.city
    if not city or not any(a.strong and a.score is not None for a in result.areas):
        return []
    return privacy_flow.consent_questions(turn)


def _score_lines(
    turn: Turn, model: IndexModel, result: Result, peers: dict[str, PeerAverage]
) -> list[Safe]:
    lines: list[Safe] = []
    if result.overall is not None:
        lines.append(turn.t("sc_overall", score=f"{result.overall:.0f}"))
    elif result.scope in SCOPES:
        scored, asked = result.scored_areas
        lines.append(turn.t("sc_overall_too_few", scored=scored, total=asked))
    if result.lens is not None:
        lines.append(turn.t("sc_lens", score=f"{result.lens:.0f}"))
    for area in result.areas:
        if area.total == 0:
            continue  # not part of this check
        if area.weak:
            marker = turn.t("sc_weak_marker")
        elif area.strong:
            marker = turn.t("sc_strong_marker")
        else:
            marker = turn.t("sc_plain_marker")
        network = (
            turn.t("sc_network", value=f"{area.network_average:.0f}")
            if area.network_average is not None
            else ""
        )
        network = Safe(network + peer_comparison.area_suffix(turn, peers.get(area.id)))
        coverage = (
            turn.t("sc_coverage", percent=f"{area.coverage * 100:.0f}") if area.coverage < 1 else ""
        )
        lines.append(
            turn.t(
                "sc_area_line",
                marker=marker,
                area=model.area_name(area.id, turn.lang),
                score=f"{area.score:.0f}" if area.score is not None else turn.t("sc_not_scored"),
                network=network,
                coverage=coverage,
            )
        )
    return lines


def _weak_area_block(turn: Turn, model: IndexModel, area: AreaResult) -> Safe:
    lines: list[str] = [
        turn.t(
            "sc_weak_heading",
            area=model.area_name(area.id, turn.lang),
            score=f"{area.score or 0:.0f}",
        ),
        escape(area.reason),
    ]
    lines.extend(mentors_flow.mentor_lines(turn, area.id))
    passages = _guide_lines(turn, model, area.id)
    if passages:
        lines.extend([turn.t("sc_guides_heading"), *passages])
    return join_lines(*lines)


def guide_passages(services: Services, model: IndexModel, area_id: str) -> list[Source]:
    """The passages of the ICC guides closest to an area, searched with its English name and
    description (the guides are in English); shared by the chat results and the CLI.

    Only passages whose heading or quoted lines name the area's topic (a word of its name) are
    shown: searched by its description alone, "Education" ("mixing of pupils...") drew a
    start-up incubator's "art of mixing" and "Language" a migrants' council. An area the
    guides say little about gets no passage rather than an unrelated one."""
    area = model.area(area_id)
    topic = set(tokenize(area.name_in("en"))) - _BROAD_NAME_WORDS
    found = services.qa.search(
        f"{area.name_in('en')}: {area.description_in('en')}", k=GUIDE_CANDIDATES
    )
    named = [s for s in found if topic & set(tokenize(f"{s.section} {s.text[:QUOTE_CHARS]}"))]
    return named[:GUIDES_PER_AREA]


def _guide_lines(turn: Turn, model: IndexModel, area_id: str) -> list[Safe]:
    """The guide passages of the area, one line each, quoted and linked."""
    lines = []
    for source in guide_passages(turn.services, model, area_id):
        where = Safe(" — " + escape(source.section)) if source.section else Safe("")
        if source.page:
            where = Safe(f"{where}, {turn.t('qa_page', page=source.page)}")
        lines.append(
            turn.t(
                "sc_guide_line",
                link=link(source.short_title or source.title, source.url),
                where=where,
                quote=shorten(without_reading_notes(source.text), QUOTE_CHARS),
            )
        )
    return lines


def _comparison(turn: Turn, run: SelfcheckRun, result: Result) -> Safe:
    """ "+12 in Education since March" against the previous completed self-check."""
    with turn.read() as session:
        previous = repo.previous_result(session, user_id=turn.user_id, before_run_id=run.id or 0)
    if previous is None:
        return Safe("")
    previous_run, previous_result = previous
    when = previous_run.finished_at or previous_run.started_at
    month = _month(turn, when, reference=run.finished_at)
    before = {a["id"]: a.get("score") for a in previous_result.areas}
    model = turn.services.index_model
    deltas = []
    for area in result.areas:
        old = before.get(area.id)
        if area.score is None or old is None:
            continue
        delta = round(area.score - old)
        if delta:
            deltas.append((abs(delta), delta, model.area_name(area.id, turn.lang)))
    heading = turn.t("sc_since_heading", date=f"{when:%Y-%m-%d}")
    if not deltas:
        return join_lines(heading, turn.t("sc_no_change", month=month))
    lines = [
        turn.t("sc_delta_line", delta=f"{delta:+d}", area=name, month=month)
        for _, delta, name in sorted(deltas, reverse=True)
    ]
    return join_lines(heading, *lines)


def _month(turn: Turn, when: datetime, *, reference: datetime | None) -> str:
    name = turn.t("months").split(",")[when.month - 1]
    if reference is not None and reference.year != when.year:
        return f"{name} {when.year}"
    return name


def _pack(blocks: list[Safe]) -> list[Safe]:
    """Group blocks into messages under the size limit, never splitting a block."""
    messages: list[Safe] = []
    current: list[Safe] = []
    size = 0
    for block in blocks:
        if current and size + len(block) + 2 > MAX_REPLY_CHARS:
            messages.append(Safe("\n\n".join(current)))
            current, size = [], 0
        current.append(block)
        size += len(block) + 2
    if current:
        messages.append(Safe("\n\n".join(current)))
    return messages
