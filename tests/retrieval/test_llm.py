"""Generated answers (ICC_LLM): used only with valid citations, else the extractive fallback.

Driven by LangChain's fake chat model and by a local OpenAI-compatible stand-in server reached
through the real langchain-openai client (init_chat_model "openai:...").
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from retrieval.llm import NOT_COVERED, LLMWriter
from retrieval.service import QAService, SearchIndex, build_qa_service

QUESTION = "How do I start an anti-rumours strategy in my city?"


def _service(index_dir: Path, reply: str) -> QAService:
    writer = LLMWriter(model=FakeListChatModel(responses=[reply]))
    return QAService(SearchIndex(index_dir=index_dir), writer=writer)


def test_valid_citations_keep_the_generated_answer(bundled_index_dir: Path) -> None:
    reply = "Start with a political commitment and a diagnosis [1]. Then build a network [2][3]."
    answer = _service(bundled_index_dir, reply).ask(QUESTION)
    assert answer.answered and answer.answer == reply
    assert answer.sources[0].doc_id == "method-anti-rumours"


@pytest.mark.parametrize(
    "reply",
    [
        "Start with a political commitment [1]. Barcelona won an award [9].",  # no source 9
        "Start with a political commitment.",  # cites nothing
        "",
    ],
)
def test_bad_citations_fall_back_to_the_extractive_answer(
    bundled_index_dir: Path, reply: str
) -> None:
    answer = _service(bundled_index_dir, reply).ask(QUESTION)
    extractive = QAService(SearchIndex(index_dir=bundled_index_dir)).ask(QUESTION)
    assert answer.answered and answer.answer == extractive.answer != reply


def test_model_saying_not_covered_abstains(bundled_index_dir: Path) -> None:
    answer = _service(bundled_index_dir, NOT_COVERED).ask(QUESTION)
    assert not answer.answered and answer.sources == [] and answer.closest_topics


def test_weak_evidence_abstains_without_calling_the_model(bundled_index_dir: Path) -> None:
    model = FakeListChatModel(responses=["Made up [1]."])
    service = QAService(SearchIndex(index_dir=bundled_index_dir), writer=LLMWriter(model=model))
    answer = service.ask("What is the VAT rate on municipal parking permits?")
    assert not answer.answered
    assert model.i == 0  # the fake's reply counter: never asked


class StandIn:
    """An OpenAI-compatible /v1/chat/completions on 127.0.0.1 that records requests."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self.url = ""

    async def completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        return web.json_response(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": self.reply},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    """Runs the stand-in on its own event loop in a thread (QAService.ask is synchronous)."""
    server = StandIn("Les villes commencent par un engagement politique et un diagnostic [1].")
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runner_box: list[web.AppRunner] = []

    async def start() -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", server.completions)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        server.url = f"http://127.0.0.1:{port}/v1"
        runner_box.append(runner)
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop)
    assert started.wait(10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_openai_compatible_server_through_langchain(
    bundled_index_dir: Path, stand_in: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", stand_in.url)
    service = build_qa_service(
        index_dir=bundled_index_dir, chroma_url=None, llm="openai:gpt-4o-mini"
    )
    answer = service.ask("Comment lancer une stratégie anti-rumeurs dans ma ville ?")
    assert answer.answered and answer.language == "fr"
    assert answer.answer == stand_in.reply

    (request,) = stand_in.requests
    assert request["model"] == "gpt-4o-mini"
    system, user = request["messages"]
    assert system["role"] == "system" and "French" in system["content"]
    assert "ONLY the numbered passages" in system["content"]
    # The passages sent are exactly the sources returned, numbered in rank order.
    for number, source in enumerate(answer.sources, 1):
        assert f"[{number}] ({source.short_title}" in user["content"]
        assert source.text in user["content"]
    assert "previous question" not in user["content"]


def test_follow_up_sends_the_previous_question(
    bundled_index_dir: Path, stand_in: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", stand_in.url)
    service = build_qa_service(index_dir=bundled_index_dir, chroma_url=None, llm="openai:gpt-4o")
    previous = "Comment lancer une stratégie anti-rumeurs ?"
    answer = service.ask("Et comment l'évaluer ?", previous=previous)
    assert answer.answered and answer.sources[0].doc_id == "method-anti-rumours"
    (request,) = stand_in.requests
    assert f"previous question, for context: {previous}" in request["messages"][1]["content"]
