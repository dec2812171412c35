"""Long replies are cut under Telegram's limit into parts that each parse on their own."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.playground import tghtml
from bot.tg.split import split_html


def visible(parts: list[str]) -> str:
    return "".join(tghtml.parse(p).text for p in parts)


def squash(text: str) -> str:
    return "".join(text.split())


def test_a_short_text_is_one_part() -> None:
    assert split_html("<b>Hello</b> &amp; welcome") == ["<b>Hello</b> &amp; welcome"]


def test_cuts_at_paragraphs_first() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * 150 for i in range(12)]
    parts = split_html("\n\n".join(p.strip() for p in paragraphs))
    assert len(parts) > 1
    for part in parts:
        assert tghtml.utf16_len(part) <= 4096
        assert part.startswith("Paragraph ")  # every part begins at a paragraph
    assert squash(visible(parts)) == squash("".join(paragraphs))


def test_tags_open_at_a_cut_are_closed_and_reopened() -> None:
    text = '<blockquote><a href="https://rm.coe.int/x">' + "long quote " * 800 + "</a></blockquote>"
    parts = split_html(text)
    assert len(parts) == 3
    for part in parts:
        parsed = tghtml.parse(part)  # raises if a tag is broken
        assert parsed.length <= 4096
        assert part.startswith('<blockquote><a href="https://rm.coe.int/x">')
        assert part.endswith("</a></blockquote>")


def test_never_cuts_inside_an_entity_and_counts_emoji_twice() -> None:
    text = ("&amp;" * 3000) + ("🙂" * 3000)
    parts = split_html(text)
    for part in parts:
        parsed = tghtml.parse(part)
        assert parsed.length <= 4096
    assert visible(parts) == "&" * 3000 + "🙂" * 3000


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    parts = split_html("x" * 9000)
    assert [len(p) for p in parts] == [4096, 4096, 808]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "b", "i", "code", "blockquote"]),
            st.text(alphabet="ab <>&\n.é🙂", min_size=1, max_size=400),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(min_value=60, max_value=600),
)
def test_any_text_splits_into_valid_parts_keeping_every_character(
    pieces: list[tuple[str, str]], limit: int
) -> None:
    source = "".join(
        f"<{tag}>{html.escape(text, quote=False)}</{tag}>"
        if tag
        else html.escape(text, quote=False)
        for tag, text in pieces
    )
    parts = split_html(source, limit)
    for part in parts:
        assert tghtml.utf16_len(part) <= limit
        assert tghtml.parse(part).text.strip()
    assert squash(visible(parts)) == squash(tghtml.parse(source).text)
