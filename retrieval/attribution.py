"""Who a question credits ("any tips from the ICC?", "according to the Council of Europe"),
taken out before it is searched.

Officers name the source they expect; the documents are all that source's, so the name says
nothing about which passage answers. To the embedding it says a lot: "we want to set up an
intercultural council with migrant associations, any tips from the ICC?" drew the programme's
membership rules, the passages most about the ICC itself, instead of the consultative councils.
Tuning part: recall@5 0.969 -> 0.973, MRR 0.869 -> 0.870, key facts 0.7145 -> 0.7138,
abstention and turns unchanged (4 English questions credit a source so; the forms in other
languages occur in none, and are there for the same reason).
"""

from __future__ import annotations

import re

_SOURCE = (
    r"(?:the\s+|le\s+|la\s+|l['’]\s*|il\s+|el\s+|o\s+|a\s+|du\s+|del\s+|do\s+|da\s+|"
    r"de\s+la\s+|de\s+l['’]\s*|dell['’]\s*)?"
    r"(?:ICC|Council of Europe|CoE|Intercultural Cities(?:\s+programme)?|"
    r"Conseil de l['’]Europe|Consiglio d['’]Europa|Consejo de Europa|Conselho da Europa|"
    r"Europarat\w*|Rad[ay] Europy)"
)
#: Each way of crediting a source, and what is left in its place.
_CREDITS = (
    # "tips from the ICC", "conseils du Conseil de l'Europe", "consigli del Consiglio d'Europa"
    (
        re.compile(
            r"\b(tips|advice|ideas|guidance|recommendations?|suggestions?|lessons?|conseils|"
            r"recommandations|idées|consigli|raccomandazioni|consejos|recomendaciones|dicas|"
            r"recomendações|tipps|empfehlungen|rady|wskazówki)\s+(?:from|of|by|de|du|della|"
            rf"dell['’]|del|di|da|do|des|vom|von|der)\s+{_SOURCE}",
            re.IGNORECASE,
        ),
        r"\1",
    ),
    # "what does the ICC recommend"
    (
        re.compile(
            rf"\b(what|how)\s+(?:does|do|would|did)\s+{_SOURCE}\s+"
            r"(?:say|recommend|suggest|advise|propose)\b",
            re.IGNORECASE,
        ),
        r"\1 is recommended",
    ),
    # "according to the Council of Europe", "selon le Conseil de l'Europe", "laut Europarat"
    (
        re.compile(
            r"\b(?:according to|selon|d['’]après|secondo|según|segun|segundo|laut|zdaniem|"
            rf"według)\s+{_SOURCE}",
            re.IGNORECASE,
        ),
        "",
    ),
)
#: Fewest words the question must keep for the credit to be taken out ("what does the ICC
#: recommend?" asks about the ICC's advice as a whole and is searched as it is).
MIN_WORDS_LEFT = 5


def without_credits(question: str) -> str:
    """`question` without the source it credits, when enough of it is left."""
    text = question
    for pattern, replacement in _CREDITS:
        text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    return text if len(text.split()) >= MIN_WORDS_LEFT else question
