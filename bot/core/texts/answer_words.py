"""The words of a reply to a question, in the languages officers ask in beyond the interface's.

The interface speaks English and French. An officer whose phone is set to Italian gets the
English interface, yet asks in Italian: the reply to that question (no answer found, the
nearest passages, the sources, the feedback buttons) is worded in Italian, so the one message
they came for reads in their language. Same keys and placeholders as the catalogues.
"""

from __future__ import annotations

#: "Quoted from the English documents", in the language of a question the interface does not
#: speak: an officer asking in Italian learns in Italian why the quotes are in English.
QUOTED_IN_ENGLISH: dict[str, str] = {
    "en": "From the documents:",
    "fr": "Extraits des documents (en anglais) :",
    "es": "Extractos de los documentos (en inglés):",
    "it": "Estratti dai documenti (in inglese):",
    "de": "Auszüge aus den Dokumenten (auf Englisch):",
    "pt": "Excertos dos documentos (em inglês):",
    "pl": "Fragmenty dokumentów (po angielsku):",
    "uk": "Уривки з документів (англійською):",
    "nl": "Fragmenten uit de documenten (in het Engels):",
}

#: The keys of a reply to a question (`bot.core.qa_flow.render_answer` words them all so).
ANSWER_KEYS = (
    "qa_not_covered", "qa_closest", "qa_rephrase", "qa_heading_sources", "qa_digest_of",
    "qa_tentative", "qa_not_today",
    "btn_sources", "btn_helpful", "btn_not_helpful",
)  # fmt: skip

ANSWER_WORDS: dict[str, dict[str, str]] = {
    "es": {
        "qa_not_today": (
            "Los documentos del ICC dicen cómo estaban las cosas cuando se escribieron, no cómo "
            "están hoy, así que prefiero no adivinar. La secretaría del ICC o el organismo "
            "correspondiente lo sabrán."
        ),
        "qa_tentative": (
            "⚠️ <i>Solo la coincidencia más cercana: puede que los documentos no respondan"
            " exactamente a esto. Compruebe las fuentes antes de basarse en ello.</i>"
        ),
        "qa_not_covered": (
            "No he encontrado esto en los documentos del ICC que tengo, así que prefiero no "
            "adivinar."
        ),
        "qa_closest": "Los pasajes más cercanos que he encontrado (<b>no</b> responden a su "
        "pregunta):",
        "qa_rephrase": "Puede reformular su pregunta o preguntar por uno de estos temas.",
        "qa_heading_sources": "<b>Fuentes</b>",
        "qa_digest_of": "nuestra síntesis de {link}",
        "btn_sources": "Fuentes",
        "btn_helpful": "👍 Útil",
        "btn_not_helpful": "👎 No útil",
    },
    "it": {
        "qa_not_today": (
            "I documenti ICC dicono com'era la situazione quando sono stati scritti, non com'è "
            "oggi, quindi preferisco non tirare a indovinare. Il segretariato ICC o l'ente "
            "competente potranno risponderle."
        ),
        "qa_tentative": (
            "⚠️ <i>Solo la corrispondenza più vicina: i documenti potrebbero non rispondere"
            " esattamente a questo. Controlli le fonti prima di basarsi su questa risposta.</i>"
        ),
        "qa_not_covered": (
            "Non ho trovato questa informazione nei documenti ICC che ho, quindi preferisco non "
            "tirare a indovinare."
        ),
        "qa_closest": "I passaggi più vicini che ho trovato (<b>non</b> rispondono alla sua "
        "domanda):",
        "qa_rephrase": "Può riformulare la domanda o chiedere di uno di questi temi.",
        "qa_heading_sources": "<b>Fonti</b>",
        "qa_digest_of": "la nostra sintesi di {link}",
        "btn_sources": "Fonti",
        "btn_helpful": "👍 Utile",
        "btn_not_helpful": "👎 Non utile",
    },
    "de": {
        "qa_not_today": (
            "Die ICC-Dokumente beschreiben den Stand zum Zeitpunkt ihrer Abfassung, nicht den "
            "heutigen, daher möchte ich nicht raten. Das ICC-Sekretariat oder die zuständige "
            "Stelle kann Auskunft geben."
        ),
        "qa_tentative": (
            "⚠️ <i>Nur die nächstliegende Stelle: Die Dokumente beantworten dies vielleicht nicht"
            " genau. Prüfen Sie die Quellen, bevor Sie sich darauf stützen.</i>"
        ),
        "qa_not_covered": (
            "Das habe ich in den ICC-Dokumenten, die mir vorliegen, nicht gefunden, und ich "
            "möchte nicht raten."
        ),
        "qa_closest": "Die nächstgelegenen Passagen, die ich gefunden habe (sie beantworten "
        "Ihre Frage <b>nicht</b>):",
        "qa_rephrase": "Sie können Ihre Frage anders formulieren oder nach einem dieser Themen "
        "fragen.",
        "qa_heading_sources": "<b>Quellen</b>",
        "qa_digest_of": "unsere Zusammenfassung von {link}",
        "btn_sources": "Quellen",
        "btn_helpful": "👍 Hilfreich",
        "btn_not_helpful": "👎 Nicht hilfreich",
    },
    "pt": {
        "qa_not_today": (
            "Os documentos do ICC dizem como estavam as coisas quando foram escritos, não como "
            "estão hoje, por isso prefiro não adivinhar. O secretariado do ICC ou a entidade em "
            "causa saberá."
        ),
        "qa_tentative": (
            "⚠️ <i>Apenas a correspondência mais próxima: os documentos podem não responder"
            " exatamente a isto. Verifique as fontes antes de se basear nisto.</i>"
        ),
        "qa_not_covered": (
            "Não encontrei isto nos documentos do ICC de que disponho, por isso prefiro não "
            "adivinhar."
        ),
        "qa_closest": "Os excertos mais próximos que encontrei (<b>não</b> respondem à sua "
        "pergunta):",
        "qa_rephrase": "Pode reformular a pergunta ou perguntar sobre um destes temas.",
        "qa_heading_sources": "<b>Fontes</b>",
        "qa_digest_of": "a nossa síntese de {link}",
        "btn_sources": "Fontes",
        "btn_helpful": "👍 Útil",
        "btn_not_helpful": "👎 Não útil",
    },
    "pl": {
        "qa_not_today": (
            "Dokumenty ICC opisują stan z chwili ich napisania, a nie stan obecny, więc wolę nie "
            "zgadywać. Odpowiedzi udzieli sekretariat ICC lub właściwa instytucja."
        ),
        "qa_tentative": (
            "⚠️ <i>Tylko najbliższe dopasowanie: dokumenty mogą nie odpowiadać dokładnie"
            " na to pytanie. Sprawdź źródła, zanim na tym oprzesz.</i>"
        ),
        "qa_not_covered": (
            "Nie znalazłem tego w dokumentach ICC, którymi dysponuję, więc wolę nie zgadywać."
        ),
        "qa_closest": "Najbliższe fragmenty, jakie znalazłem (<b>nie</b> odpowiadają na pytanie):",
        "qa_rephrase": "Można przeformułować pytanie albo zapytać o jeden z tych tematów.",
        "qa_heading_sources": "<b>Źródła</b>",
        "qa_digest_of": "nasze streszczenie dokumentu {link}",
        "btn_sources": "Źródła",
        "btn_helpful": "👍 Przydatne",
        "btn_not_helpful": "👎 Nieprzydatne",
    },
    "uk": {
        "qa_not_today": (
            "Документи ICC описують стан справ на момент їх написання, а не сьогоднішній, тож "
            "волію не вгадувати. Секретаріат ICC або відповідна установа зможуть відповісти."
        ),
        "qa_tentative": (
            "⚠️ <i>Лише найближчий збіг: документи можуть не відповідати саме на"
            " це. Перевірте джерела, перш ніж на це спиратися.</i>"
        ),
        "qa_not_covered": "Я не знайшов цього в документах ICC, які маю, тож волію не вгадувати.",
        "qa_closest": "Найближчі фрагменти, які я знайшов (вони <b>не</b> відповідають на ваше "
        "запитання):",
        "qa_rephrase": "Ви можете переформулювати запитання або запитати про одну з цих тем.",
        "qa_heading_sources": "<b>Джерела</b>",
        "qa_digest_of": "наш конспект документа {link}",
        "btn_sources": "Джерела",
        "btn_helpful": "👍 Корисно",
        "btn_not_helpful": "👎 Не корисно",
    },
    "nl": {
        "qa_not_today": (
            "De ICC-documenten beschrijven hoe het ervoor stond toen ze werden geschreven, niet "
            "hoe het er nu voor staat, dus ik gok liever niet. Het ICC-secretariaat of de "
            "betrokken instantie weet het."
        ),
        "qa_tentative": (
            "⚠️ <i>Alleen de dichtstbijzijnde overeenkomst: de documenten beantwoorden dit"
            " misschien niet precies. Controleer de bronnen voordat u erop vertrouwt.</i>"
        ),
        "qa_not_covered": "Ik heb dit niet gevonden in de ICC-documenten die ik heb, dus ik "
        "gok liever niet.",
        "qa_closest": "De dichtstbijzijnde passages die ik vond (ze beantwoorden uw vraag "
        "<b>niet</b>):",
        "qa_rephrase": "U kunt uw vraag anders formuleren of naar een van deze onderwerpen vragen.",
        "qa_heading_sources": "<b>Bronnen</b>",
        "qa_digest_of": "onze samenvatting van {link}",
        "btn_sources": "Bronnen",
        "btn_helpful": "👍 Nuttig",
        "btn_not_helpful": "👎 Niet nuttig",
    },
}
