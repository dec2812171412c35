"""Pure pieces of the answer path: continuation openings, Markdown as plain blocks, citations."""

from __future__ import annotations

import pytest

from retrieval.answer import specifics
from retrieval.conversation import is_elliptical
from retrieval.evaluation import has_markdown, holds, part_of
from retrieval.markdown import blocks, plain
from retrieval.qa import Source, _cited


@pytest.mark.parametrize(
    "message",
    ["and for schools?", "And in schools?", "what about Lyon?", "et pour les écoles ?",
     "e nelle scuole?", "¿y en las escuelas?", "und für Schulen?", "a w szkołach?"],
)  # fmt: skip
def test_continuations_are_elliptical(message: str) -> None:
    assert is_elliptical(message)


@pytest.mark.parametrize(
    "message",
    ["How do cities join the ICC network?", "What is an intercultural city?",
     "qu'est-ce que l'indice ICC ?", "And how should a city with many newcomers and few "
     "resources organise its whole intercultural strategy from the start?", "", "Andorra"],
)  # fmt: skip
def test_standalone_questions_are_not_elliptical(message: str) -> None:
    assert not is_elliptical(message)


def test_markdown_becomes_plain_blocks_with_lists_whole() -> None:
    text = (
        "The **four** principles are:\n\n- equality;\n- *diversity* advantage;\n"
        "- [interaction](https://x.example)\n\n| Item | Detail |\n| --- | --- |\n"
        "| Adopted | 2015 |\n"
    )
    found = blocks(text)
    assert [b.kind for b in found] == ["list", "table"]
    assert found[0].lead == "The four principles are:"
    assert found[0].lines == ("• equality;", "• diversity advantage;", "• interaction")
    assert found[1].lines == ("• Adopted: 2015",)
    assert not has_markdown(plain(text))
    assert has_markdown(text)


def test_only_cited_sources_are_kept_and_renumbered() -> None:
    sources = [
        Source(str(n), "T", "T", f"S{n}", None, "https://x.example", "text", 1.0)
        for n in range(1, 6)
    ]
    text, kept = _cited("First [3]. Second [1]. Again [3].", sources)
    assert text == "First [1]. Second [2]. Again [1]."
    assert [s.doc_id for s in kept] == ["3", "1"]


def test_specific_subjects() -> None:
    assert specifics("Which GDPR rules apply in 2024 to Lyon?", names=True) == [
        "2024",
        "GDPR",
        "Lyon",
    ]
    assert specifics("Comment fonctionne le Conseil à Lyon ?", names=False) == []


def test_key_facts_and_split_are_fixed_functions() -> None:
    assert holds("It began in **Barcelona** in 2010.", "barcelona | madrid")
    assert not holds("It began in 2010.", "Barcelona")
    assert part_of("q001") == part_of("q001") and {part_of(f"x{n}") for n in range(50)} == {
        "tune",
        "test",
    }
