"""Pure pieces of the answer path: continuation openings, Markdown as plain blocks, citations."""

from __future__ import annotations

import pytest

from retrieval.answer import (
    ANSWER_CHARS,
    asked_part,
    extractive_answer,
    missing_answer_type,
    specifics,
    without_reading_notes,
)
from retrieval.chunking import Chunk
from retrieval.conversation import context_of, is_elliptical
from retrieval.evaluation import has_markdown, holds, part_of
from retrieval.hybrid import Hit
from retrieval.markdown import blocks, plain
from retrieval.qa import Source, _cited


@pytest.mark.parametrize(
    "message",
    ["and for schools?", "And in schools?", "what about Lyon?", "et pour les écoles ?",
     "e nelle scuole?", "¿y en las escuelas?", "und für Schulen?", "a w szkołach?",
     "in which year?", "did the city council back it afterwards?", "any city examples?",
     "des exemples de villes ?", "more details please", "¿Hay ejemplos?",
     "ok and the strategy itself, what goes in it?", "algún ejemplo en Portugal?",
     "o en Madrid?", "a co z Lublinem?", "also, when was it adopted by the ministers?",
     "qui l'a mis à jour ?", "und wie viele Städte wurden damit schon ausgewertet?",
     "and what about the city of Lisbon?", "¿y qué hay de Lisboa en Portugal?",
     "Thanks — and for Lyon?", "elle est contraignante pour les États ?",
     "il compte combien de membres en 2025 ?", "ca prend combien de temps a remplir ?",
     "Wer hat es gegründet, und in welchem Jahr?", "quem o escreveu e quando saiu?",
     "¿quién lo escribió?", "¿cuándo lo aprobaron?", "ci sono esempi di città?",
     "gibt es Beispiele von Städten?", "czy są przykłady z innych miast?",
     "y a-t-il des exemples de villes ?", "há exemplos de outras cidades?",
     "and what's the budget?", "et c'est quoi la durée ?", "what is its budget?", "e cos'è?",
     "und was ist das?", "also when was it adopted?", "also for schools?",
     "and what are the main steps?", "and what's the budget for that?",
     "und was ist danach passiert?", "a co to jest ta strategia?", "und was ist mit München?",
     "total budget?", "la date limite ?", "¿y cuánto dinero les dio el ICC?"],
)  # fmt: skip
def test_continuations_are_elliptical(message: str) -> None:
    assert is_elliptical(message)


@pytest.mark.parametrize(
    "message",
    ["How do cities join the ICC network?", "What is an intercultural city?",
     "qu'est-ce que l'indice ICC ?", "And how should a city with many newcomers and few "
     "resources organise its whole intercultural strategy from the start?", "", "Andorra",
     "¿En qué año se adoptó la recomendación sobre integración intercultural?",
     "What is the diversity advantage and why does it matter?",
     "Anti-rumour agents in small towns, how are they trained?", "Which cities are members?",
     "examples of intercultural mediation", "o que foi o projeto STEPS?",
     "A che ora chiude l'anagrafe il sabato mattina?", "also, how does a city join the network?",
     "and what does Congress Resolution 280 actually say?",
     "Thanks. A new question: what is the Index?",
     "Comment une ville peut-elle adhérer au réseau ?", "Il faut faire quoi pour adhérer ?",
     "Quand le réseau a-t-il été créé ?", "Gibt es Beispiele aus Deutschland?",
     "¿Qué es la estrategia antirrumores?", "Come funziona il programma ICC?",
     "how is the 2022 recommendation different from the 2015 one",
     "Quem organiza a rede portuguesa de cidades interculturais?",
     "so what's an intercultural strategy?", "et c'est quoi le CDADI exactement ?",
     "e o que é a rede RPCI?", "und was ist die Faro-Konvention?",
     "e cos'è la consulta interculturale?", "also what's that Oslo complaints panel?",
     "also how do cities measure progress?", "anche come si entra nella rete?"],
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


def test_a_provenance_note_ends_the_block_before_it_and_is_never_a_passage() -> None:
    text = (
        "The brief was launched in 2023.\n\n(Source: ICC announcement (2023).)\n\n"
        "- a\n- b\n\n(Source: z.)"
    )
    found = blocks(text)
    assert [b.kind for b in found] == ["paragraph", "list"]
    assert found[0].lines == ("The brief was launched in 2023. (Source: ICC announcement (2023).)",)
    assert found[1].lines == ("• a", "• b (Source: z.)")


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
    assert specifics("What does the ICC say about the CDADI?", names=True) == ["CDADI"]


def test_key_facts_and_split_are_fixed_functions() -> None:
    assert holds("It began in **Barcelona** in 2010.", "barcelona | madrid")
    assert not holds("It began in 2010.", "Barcelona")
    assert part_of("q001") == part_of("q001") and {part_of(f"x{n}") for n in range(50)} == {
        "tune",
        "test",
    }


def _hit(text: str) -> Hit:
    chunk = Chunk("c1", "doc", "Title", "Short", "Section", None, "", "en", "", "", text)
    return Hit(chunk, 0.9)


@pytest.mark.parametrize(
    ("question", "passage", "missing"),
    [
        ("What are the opening hours of the city museum?", "The museum hosts exhibitions.", True),
        ("What are the opening hours of the city museum?", "Open 9:30 to 17:00 daily.", False),
        ("A che ora chiude l'anagrafe?", "The registry office serves residents.", True),
        ("What was Lublin's Index score?", "Lublin took part in the Index.", True),
        ("What was Lublin's Index score?", "Lublin scored 71 points in the Index.", False),
        ("Quel est le taux de chômage des réfugiés ?", "Refugees face barriers.", True),
        ("Qui est le maire et comment le joindre ?", "The mayor chairs the council.", True),
        ("What does article 5 of the act say?", "Article 6 of the convention says...", True),
        ("What does article 5 of the act say?", "Under Article 5, cities must...", False),
        ("How do cities join the network?", "Cities apply by letter.", False),
        # the present is what no dated passage holds, however close it comes
        ("Who chairs the committee right now?", "Since 2025 it is currently chaired by X.", True),
        ("et qui le préside aujourd'hui ?", "The council is chaired by the mayor.", True),
        ("Wie viele Geflüchtete leben aktuell in Neukölln?", "Neukölln hosts refugees.", True),
        ("Is the guide up to date with the 2022 text?", "The guide follows the 2022 text.", False),
        ("Who is the 2022 recommendation aimed at now?", "It is aimed at member States.", False),
        ("What does the current Step-by-Step guide add?", "The guide adds two areas.", False),
        ("What should a city do if it currently has no strategy?", "Start with a plan.", False),
        ("Que faire pour les villes qui n'ont jusqu'ici aucune stratégie ?", "Un plan.", False),
        ("¿Quién preside hoy en día el comité?", "The committee is chaired by X.", False),
        ("a kiedy nastepne posiedzenie?", "The committee met in Lublin in 2024.", True),
        ("Lisboa ainda é membro do programa?", "Lisbon is a member.", True),
        ("Wann findet die nächste ICC-Jahrestagung statt?", "They met on 16 November 2022.", True),
        ("¿Cuándo es la próxima Cumbre Juvenil?", "The summit met in 2023.", True),
        ("What did the last summit decide?", "The summit backed the strategy.", False),
        ("What is the next step after the diagnosis?", "Then set up the network.", False),
        ("Our city currently has no strategy, where do we start?", "Start with a plan.", False),
        # "current" beside a post asks who holds it now; beside a document, or of one's own
        # post-holder, it does not
        ("who's the current mayor of lublin?", "Lublin's mayor signed in 2009.", True),
        ("Qui est le maire actuel de Lyon ?", "Lyon's mayor spoke in 2009.", True),
        ("Quel est le rôle actuel du maire dans la stratégie ?", "The mayor leads it.", False),
        ("What is the mayor's current role in the strategy?", "The mayor leads it.", False),
        ("Who sets the current membership criteria?", "The secretariat sets them.", False),
        ("Our current coordinator left, how do we brief the new one?", "Brief them.", False),
        ("notre maire actuel veut adhérer, que faire ?", "Cities apply by letter.", False),
        ("chi è il referente? mi serve nome e mail", "ICEI coordinates the network.", True),
        ("How should a city respond to hate mail against migrants?", "Report it.", False),
        # money named as a constraint is not asked for
        ("How can a small town start one on a tight budget?", "Start with a map.", False),
        ("¿Cómo empezar una estrategia con poco presupuesto?", "Start with a map.", False),
        ("Comment faire avec peu de moyens ?", "Start with a map.", False),
        ("What budget did Barcelona give its strategy?", "Barcelona began in 2010.", True),
        # a how-to clause, or one on what a text says, names money or a score as its topic
        ("How can our city raise its Index score?", "Cities compare results.", False),
        ("what does the guide say about the budget?", "Plan resources early.", False),
        ("Wie können wir Vereine finanziell fördern?", "Cities support groups.", False),
        ("How much does it cost and how do we pay?", "Cities apply by letter.", True),
        ("comment puis-je le joindre ?", "He chairs the network.", True),
        ("What does the brief say about migrants and the cost of housing?", "Rents rose.", False),
        ("qual e o orcamento anual do programa?", "The programme began in 2008.", True),
        ("What does the course cost?", "The course is free of charge.", False),
        # a text's laws in general, or its legal force, is not a statute asked about
        ("Must states change their laws?", "Cities act first.", False),
        ("Is it a law that states must follow?", "It is a non-binding text.", False),
        ("How can cities and regions share the costs?", "Cities pool grants.", False),
        ("Wie hoch sind die Kosten der Mitgliedschaft?", "Cities join by letter.", True),
        ("How does Bergen's score compare with Oslo's?", "Bergen joined in 2008.", True),
        ("What does it say about funding, and how much can we get?", "Plan early.", True),
        ("Qual o valor no orçamento de 2023?", "The network began in 2010.", True),
        ("How much does membership cost?", "EU citizens enjoy free movement.", True),
        ("What does the immigration law say about it?", "Cities run courses.", True),
        # log-in details, an unnumbered provision, an event after the documents
        ("whats the login for the IOM course platform?", "The IOM course is free online.", True),
        ("Which article of the directive covers housing?", "It protects access to housing.", True),
        ("Which article of the Convention bans it?", "Article 14 bans discrimination.", False),
        ("What articles has the ICC published on anti-rumour work?", "A guide came out.", False),
        ("Welche Artikel der Empfehlung betreffen die Integration?", "It has 4 parts.", False),
        ("Quale articolo del Testo unico regola le case popolari?", "Cities house many.", True),
        # the next event is a present fact; how to prepare one, or the next steps, is not
        ("Wie organisieren wir die nächste Bürgerversammlung?", "Invite residents.", False),
        ("¿Cómo preparar el próximo taller antirrumores?", "Train agents first.", False),
        ("Jakie są następne kroki po konferencji?", "Adopt a plan.", False),
    ],
)
def test_a_question_asking_for_a_kind_of_answer_needs_passages_holding_one(
    question: str, passage: str, missing: bool
) -> None:
    assert missing_answer_type(question, [_hit(passage)]) is missing


def test_the_kind_of_answer_must_be_in_the_statements_closest_to_the_question() -> None:
    texts = [(0, "Strasbourg joined the network."), (1, "Strasbourg hosts the ICC team."),
             (2, "Strasbourg is in the Index."), (3, "Bergen scored 71 points.")]  # fmt: skip
    question = "What is Strasbourg's Index score?"
    fourth = _section(texts, best=0, closeness=[0.9, 0.8, 0.7, 0.6])  # Bergen's score
    assert missing_answer_type(question, [fourth])
    third = _section(texts, best=0, closeness=[0.9, 0.8, 0.6, 0.7])
    assert not missing_answer_type(question, [third])


def test_an_over_long_passage_is_shortened_at_a_sentence_not_mid_word() -> None:
    sentence = "Cities train their front-line staff in intercultural competence. "
    answer = extractive_answer("training?", [_section([(0, sentence * 30)], best=0)])
    text, citation = answer.rsplit(" ", 1)
    assert citation == "[1]"
    assert text.endswith("competence.") and "…" not in text
    assert ANSWER_CHARS // 2 <= len(text) <= ANSWER_CHARS


def _section(texts: list[tuple[int, str]], best: int, closeness: list[float] | None = None) -> Hit:
    """A section of (block, text) units; `best` is closest to the question (0.9, the others
    0.5) unless `closeness` gives every unit's similarity. With the default, a best list item
    leads its list by more than `ITEM_LEAD` and is quoted without the other items."""
    units = [
        Chunk(f"u:{n}", "doc", "T", "T", "S", None, "", "en", "h", "c", text, block=block)
        for n, (block, text) in enumerate(texts)
    ]
    closeness = closeness or [0.9 if n == best else 0.5 for n in range(len(units))]
    scores = {u.chunk_id: c for u, c in zip(units, closeness, strict=True)}
    return Hit(units[best], 1.0, units=units, unit_scores=scores)


def test_a_sentence_split_at_a_comma_is_quoted_whole() -> None:
    hit = _section(
        [(0, "Produced by the Committee of Experts,"), (0, "the manual helps cities train staff."),
         (1, "Another paragraph.")],
        best=0,
    )  # fmt: skip
    assert extractive_answer("who wrote it?", [hit]) == (
        "Produced by the Committee of Experts, the manual helps cities train staff. [1]"
    )


def test_a_list_is_quoted_with_the_sentence_that_introduces_it() -> None:
    hit = _section(
        [(0, "The guide was published in 2023."), (0, "The seven concepts are:"),
         (0, "• Real equality"), (0, "• Valuing diversity")],
        best=3,
        closeness=[0.5, 0.5, 0.88, 0.9],
    )  # fmt: skip
    assert extractive_answer("which concepts?", [hit]) == (
        "The seven concepts are:\n• Real equality\n• Valuing diversity [1]"
    )


def test_a_list_item_far_closer_than_the_others_is_quoted_without_them() -> None:
    units = [(0, "Cities that ran anti-rumour campaigns:"), (0, "• Barcelona (Spain): agents."),
             (0, "• Amadora (Portugal): \"Do not feed the rumour\", 2014-2015."),
             (0, "• Lublin (Poland): a festival.")]  # fmt: skip
    hit = _section(units, best=2, closeness=[0.8, 0.8, 0.9, 0.8])
    assert extractive_answer("what campaign did Amadora run?", [hit]) == (
        "Cities that ran anti-rumour campaigns:\n"
        '• Amadora (Portugal): "Do not feed the rumour", 2014-2015. [1]'
    )
    close = _section(units, best=2, closeness=[0.8, 0.86, 0.9, 0.8])
    assert "Lublin" in extractive_answer("which campaigns?", [close])


def test_the_asked_part_of_a_message_leaves_its_preamble_out() -> None:
    preamble = "I'm new in a town of about 60,000. What should the guide's first step be?"
    assert asked_part(preamble) == "What should the guide's first step be?"
    assert asked_part("Faro convention entry into force") == "Faro convention entry into force"
    assert asked_part("Who runs it? And since 2019?") == "Who runs it? And since 2019?"
    article = "What does Art. 14 of the Convention say about discrimination in housing?"
    assert asked_part(article) == article  # an abbreviation ends no sentence
    spanish = "Somos unos 25.000 habitantes. ¿Podemos entrar en la red o piden un mínimo?"
    assert asked_part(spanish) == "¿Podemos entrar en la red o piden un mínimo?"
    assert asked_part("Tutaj Łódź, 600 tys. Źle? Jak dołączyć do sieci miast?") == (
        "Źle? Jak dołączyć do sieci miast?"
    )


def test_a_later_sentence_of_a_list_item_comes_with_the_item() -> None:
    hit = _section(
        [(0, "Cities with advisory councils:"), (0, "• Limassol: " + "a council. " * 80),
         (0, "• Ansan (Korea): a migrant centre."), (0, "Ansan also offers Korean classes.")],
        best=3,
    )  # fmt: skip
    answer = extractive_answer("language classes?", [hit])  # the whole list would not fit
    assert "a council" not in answer  # Limassol's item is shown by its label only
    assert "• Ansan (Korea): a migrant centre. Ansan also offers Korean classes." in answer


def test_a_list_too_long_to_quote_shows_its_other_items_by_their_labels() -> None:
    long = " and more, at some length" * 16  # too long for a second item in full
    hit = _section(
        [(0, "The model rests on four principles:"), (0, "• Diversity advantage: a gain" + long),
         (0, "• Real equality: non-discrimination" + long), (0, "• Interaction: mixing" + long),
         (0, "• Active citizenship and participation: in the 2022 text" + long)],
        best=3,
        closeness=[0.5, 0.87, 0.87, 0.9, 0.87],
    )  # fmt: skip
    answer = extractive_answer("principles?", [hit])
    assert answer.startswith(
        "The model rests on four principles:\n• Diversity advantage\n• Real equality\n"
        "• Interaction: mixing and more"
    )
    assert answer.endswith("• Active citizenship and participation [1]")
    units = [(0, "Four principles:"), (0, "• A gain" + long), (0, "• Equality" + long),
             (0, "• Mixing" + long)]  # fmt: skip
    without_labels = _section(units, best=2, closeness=[0.5, 0.87, 0.9, 0.87])
    assert extractive_answer("principles?", [without_labels]) == (
        "Four principles:\n• Equality" + long + " [1]"
    )


def test_a_long_list_whose_lead_in_matched_best_keeps_its_later_items_by_their_labels() -> None:
    long = " and more, at some length" * 12
    units = [(0, "The model rests on four principles:"), (0, "• Diversity advantage: gain" + long),
             (0, "• Real equality: non-discrimination" + long), (0, "• Interaction: mixing" + long),
             (0, "• Active citizenship and participation: in the 2022 text" + long)]  # fmt: skip
    hit = _section(units, best=0, closeness=[0.9, 0.8, 0.8, 0.8, 0.85])
    answer = extractive_answer("which principle was added?", [hit])
    assert answer.startswith("The model rests on four principles:\n• Diversity advantage: gain")
    # before, the list was quoted from its start and cut before its fourth item
    assert answer.endswith("\n• Interaction\n• Active citizenship and participation [1]")
    unlabelled = _section([(0, "Four steps:"), *((0, f"• Step {n}{long}.") for n in range(4))], 0)
    assert extractive_answer("steps?", [unlabelled]).startswith("Four steps:\n• Step 0 and more")


def test_a_list_keeps_its_lead_in_when_an_earlier_sentence_matched_best() -> None:
    hit = _section(
        [(0, "Ioannina ran sport projects in 2021."), (0, "The activities were:"),
         (0, "• football"), (0, "• swimming")],
        best=0,
    )  # fmt: skip
    assert extractive_answer("what did Ioannina run?", [hit]) == (
        "Ioannina ran sport projects in 2021. The activities were:\n• football\n• swimming [1]"
    )


def test_a_sentence_split_at_a_semicolon_is_quoted_whole() -> None:
    hit = _section(
        [(0, "The ICC treats diversity as a strength;"), (0, "cities act on it."),
         (1, "Another paragraph.")],
        best=0,
    )  # fmt: skip
    assert extractive_answer("why?", [hit]) == (
        "The ICC treats diversity as a strength; cities act on it. [1]"
    )


def test_a_digest_note_on_its_own_reading_is_never_quoted() -> None:
    hit = _section(
        [(0, "The paragraphs that could be read make four points:"), (0, "• Spaces for dialogue"),
         (0, "• Free expression"), (0, "Further points follow in the text."),
         (1, "Its chapter titles could not be verified."), (1, "The manual has five parts."),
         (2, "This section is not part of the brief either."), (2, "Examples include Oslo.")],
        best=0,
        closeness=[0.9, 0.88, 0.87, 0.86, 0.89, 0.85, 0.89, 0.84],
    )  # fmt: skip
    answer = extractive_answer("what does it recommend?", [hit])
    assert "• Spaces for dialogue\n• Free expression" in answer
    assert "The manual has five parts." in answer
    assert "could" not in answer and "follow in the text" not in answer
    assert "not part of the brief" not in answer
    section = "This section is not part of the brief either. It groups housing examples.\n• Oslo"
    assert without_reading_notes(section) == "It groups housing examples.\n• Oslo"


def test_a_source_note_never_leads_and_follows_the_statement_it_documents() -> None:
    hit = _section(
        [(0, "The ICC started the brief for its Polish cities."), (0, "It covers housing."),
         (0, "(Source: ICC announcement.)"), (1, "Another paragraph.")],
        best=2,
    )  # fmt: skip
    answer = extractive_answer("why was it written?", [hit])
    assert not answer.startswith("(Source")
    assert "It covers housing. (Source: ICC announcement.)" in answer


def test_a_follow_up_continues_the_last_standalone_question_and_what_followed_it() -> None:
    history = ["What is the ICC?", "How do we train staff?", "and for the police?"]
    assert context_of(history) == "How do we train staff? and for the police?"
    assert context_of(["What is the ICC?", "How do we train staff?"]) == "How do we train staff?"
    assert context_of([]) is None


def test_a_list_item_split_at_a_semicolon_is_quoted_whole() -> None:
    hit = _section(
        [(0, "Examples:"), (0, "• Lisbon: " + "community policing. " * 40),
         (0, "• Fuenlabrada: a young municipality, 16% non-Spanish;"),
         (0, "its police explain every identity check.")],
        best=2,
    )  # fmt: skip
    answer = extractive_answer("police trust?", [hit])
    assert "16% non-Spanish; its police explain every identity check." in answer


def test_a_leftover_that_ends_a_cut_sentence_is_a_fragment_of_it() -> None:
    from retrieval.hybrid import _fragments

    units = [
        Chunk(f"u:{n}", "doc", "T", "T", "S", None, "", "en", "h", "c", text, block=block)
        for n, (block, text) in enumerate(
            [(0, "The guide was edited by Ana,"), (0, "Loures)."), (0, "• Real equality"),
             (1, "A new paragraph."), (1, "Short and whole."), (2, "Cut across blocks,"),
             (3, "next block.")]
        )
    ]  # fmt: skip
    assert _fragments({("doc", "S", 0): tuple(units)}) == {"u:1": "u:0"}


def test_a_paragraph_after_a_list_stands_apart_from_its_last_item() -> None:
    texts = [(0, "Three steps:"), (0, "• Plan"), (0, "• Act"), (1, "Then evaluate the result.")]
    hit = _section(texts, best=1, closeness=[0.9, 0.9, 0.9, 0.9])
    assert extractive_answer("steps?", [hit]) == (
        "Three steps:\n• Plan\n• Act\n\nThen evaluate the result. [1]"
    )


def test_an_item_shown_by_its_label_is_quoted_whole_when_a_later_part_of_it_answers() -> None:
    long = " and more, at some length" * 12
    texts = [(0, "Three programmes:"), (0, "• Alpha: mediation" + long),
             (0, "• Beta: schools" + long), (0, "Beta also runs classes."),
             (0, "• Gamma: sport" + long)]  # fmt: skip
    hit = _section(texts, best=1, closeness=[0.5, 0.9, 0.5, 0.89, 0.5])
    answer = extractive_answer("programmes?", [hit])
    assert "• Beta: schools" + long + " Beta also runs classes.\n" in answer
    assert answer.startswith("Three programmes:\n• Alpha: mediation")
    assert answer.endswith("\n• Gamma [1]")
