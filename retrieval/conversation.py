"""Whether a chat message continues the previous question or stands alone, from its words.

An officer types "and for schools?" or "et à Lyon ?" right after a question: such a message
opens like a continuation (a conjunction, "what about", a bare preposition) and cannot be
searched alone, and neither can one that points back with a pronoun ("who wrote it?") or
names no topic at all ("any city examples?", "more details please"). A short question that
names its own topic ("How do cities join the ICC network?") is a new question, whatever its
length; the service merges a remaining vague fragment ("les conclusions ?") only when
retrieval finds it clearly closer to the documents with the previous question than alone
(see QAService.retrieve_turn).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval.answer import specifics
from retrieval.language import detect_language

#: Openings asking for examples of what was just discussed (unless an "of ..." names the topic).
_ASKS_EXAMPLES = (
    "any examples", "any example", "an example", "examples", "example", "for example",
    "des exemples", "un exemple", "quelques exemples", "ejemplos", "algún ejemplo",
    "algunos ejemplos", "un ejemplo", "esempi", "qualche esempio", "un esempio", "exemplos",
    "algum exemplo", "alguns exemplos", "um exemplo", "beispiele", "ein beispiel",
    "przykłady", "jakiś przykład", "приклади", "приклад",
)  # fmt: skip
#: Openings of a continuation in the languages officers write in. Matched at the start of the
#: message (after any acknowledgement: "ok, and..."), case-insensitively, followed by a word
#: boundary.
_CONTINUATIONS = (
    # English
    "and", "or", "but", "also", "what about", "how about", "same for", "what if", "and if",
    "then", "so", "for", "in", "with", "without", "only", "even",
    # French
    "et", "ou", "mais", "aussi", "qu'en est-il", "et si", "pour", "dans", "avec", "sans",
    "et pour", "et dans", "et en", "idem pour", "même chose pour",
    # Spanish, Italian, Portuguese
    "y", "e", "o", "pero", "ma", "mas", "también", "anche", "também", "y si", "e se",
    "qué pasa con", "qué hay de", "che dire di", "e per quanto riguarda",
    "¿y", "¿y si", "qué tal", "e quanto", "e per", "e nelle", "e nei", "e nel", "e nella",
    "per", "en", "con", "sin", "senza", "com", "sem", "para",
    # German, Dutch
    "und", "oder", "aber", "auch", "und was", "wie ist es mit", "was ist mit", "für", "im",
    "en hoe", "en voor",
    # Polish, Ukrainian
    "a", "i", "oraz", "albo", "ale", "co z", "а", "і", "й", "та", "але", "а як", "щодо",
    *_ASKS_EXAMPLES,
)  # fmt: skip
#: After an opening asking for examples, words that introduce the message's own topic
#: ("examples of intercultural mediation" asks its own question; "any examples from
#: Ukraine?" continues the previous one).
_OWN_TOPIC = re.compile(
    r"^\s*(?:of|on|about|for|de|d['’]|du|des|sur|di|del|della|dei|delle|su|sulla|sul|sobre|"
    r"para|von|zu|zur|zum|über|für)\b",
    re.IGNORECASE,
)
#: Pronouns that point back to something named before (not articles or conjunctions that
#: happen to share a spelling in another language).
_POINTERS = frozenset(
    (
        "it", "its", "they", "them", "their", "this", "that", "these", "those",
        "ça", "ca", "cela", "ceci", "celui", "celle", "ceux", "elle", "ils", "elles",
        # an object pronoun elided before its auxiliary: "qui l'a mis à jour ?", "chi l'ha scritto?"
        *(f"l{a}{verb}" for a in "'’" for verb in ("a", "ont", "avait", "ha", "hanno", "aveva")),
        "questo", "questa", "questi", "queste", "ciò", "quello", "quella", "quelli", "loro",
        "eso", "esto", "ello", "ellos", "ellas", "estos", "estas", "esos", "esas",
        "isso", "isto", "eles", "elas",
        "il", "es", "dies", "diese", "dieses", "diesen", "damit", "dabei", "davon", "dazu", "dafür",
        "darüber", "daran",
        "це", "цього", "цим", "вони", "їх",
        "tego", "tym", "oni", "one",
    )
)  # fmt: skip
#: Pronouns that also serve as a dummy subject or in a question's inversion, which point back
#: only outside those uses: French "il" ("il compte combien de membres ?", not "il y a",
#: "il faut"), German "es" ("wer hat es gegründet?", not "gibt es"), and the inverted subject
#: of "peut-elle" or "a-t-il", which names nothing before.
_IMPERSONAL = re.compile(
    r"\bil\s+(?:y|faut|fallait|s['’]agit|semble|para[iî]t|est\s+\w+\s+de)\b|"
    r"\b(?:gibt|gab|geht|ging|handelt)\s+es\b|\bes\s+(?:gibt|gab|geht|ging|handelt)\b|"
    r"-(?:t-)?(?:il|elle|ils|elles|es)\b",
    re.IGNORECASE,
)
#: An object pronoun right after "who" ("quem o escreveu?", "¿quién lo escribió?", "chi lo
#: coordina?", "qui le finance ?") or Spanish "lo" after another question word ("¿cuándo lo
#: aprobaron?"): there "o", "la" or "le" is a pronoun, not the article it is elsewhere.
_OBJECT_POINTER = re.compile(
    r"\b(?:quem|quién|quien|chi|qui)\s+(?:o|a|os|as|lo|la|los|las|le|les|li)\s+"
    r"(?!que\b|qué\b|che\b)\w|\b(?:cómo|cuándo|dónde|cuando|donde)\s+lo\s+\w",
    re.IGNORECASE,
)
#: Pointers that are another word in other languages: "il" is "the" in Italian, "es" is "is"
#: in Spanish, "one" is a number in English; each points back only in a message in its
#: language.
_POINTER_LANGUAGES = {
    "il": frozenset({"fr"}),
    "ca": frozenset({"fr"}),
    "es": frozenset({"de"}),
    "one": frozenset({"pl"}),
}
#: One-letter openings that are a conjunction in some languages but an article or a
#: preposition in others: "o" is "or" in Spanish and Italian but "the" in Portuguese ("o que
#: foi o projeto STEPS?"); "a" is "and" in Polish but "to" or "the" elsewhere ("A che ora...",
#: "A new question: ..."); "i" is "and" in Polish but "I" in English and "the" in Italian.
#: Such an opening continues only in a message not identified as one of the other languages
#: (a message too short to identify still continues: "a w szkołach?").
_NOT_CONJUNCTION_IN = {
    "o": frozenset({"pt", "gl"}),
    "a": frozenset({"en", "es", "it", "pt", "fr", "gl"}),
    "i": frozenset({"en", "it"}),
}
#: Acknowledgements an officer may type before a continuation ("ok and the strategy itself?").
_ACKNOWLEDGEMENTS = (
    "ok", "okay", "right", "thanks", "thank you", "great", "merci", "d'accord", "gracias",
    "vale", "grazie", "bene", "obrigado", "obrigada", "danke", "gut", "dzięki", "dobrze",
    "дякую", "добре",
)  # fmt: skip
#: A comma or colon right after the opening sets it apart as an aside ("also, how does a city
#: join the network?"): what follows may be a whole question of its own.
_ASIDE = re.compile(r"\s*[,:]")
#: Openings that add a question rather than continue one: before a question word they work as
#: an aside, comma or not ("also how does a city join the network?"; "and how..." may still
#: continue the previous question).
_ADDING = frozenset(("also", "aussi", "anche", "también", "também", "auch"))
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_OPENING = re.compile(
    r"^[\s¿¡\"'«“(-]*(?:(?:"
    + "|".join(sorted((re.escape(w) for w in _ACKNOWLEDGEMENTS), key=len, reverse=True))
    + r")[\s,.!…:—-]+)*(?P<word>"
    + "|".join(sorted((re.escape(w) for w in _CONTINUATIONS), key=len, reverse=True))
    + r")(?=[\s,?!.:;…]|$)",
    re.IGNORECASE,
)
#: Prepositions among the openings: "for schools?" continues, but "¿En cuántos elementos
#: organiza la guía...?" is a whole question that happens to open on one (see `is_elliptical`).
_PREPOSITIONS = frozenset(
    (
        "for", "in", "with", "without", "pour", "dans", "avec", "sans", "per", "en", "con",
        "sin", "senza", "com", "sem", "para", "für", "im",
    )
)  # fmt: skip
#: Question words: after an opening preposition they show the message asks its own question.
_INTERROGATIVES = frozenset(
    (
        "which", "what", "when", "how", "who", "whom", "whose", "where",
        "quel", "quelle", "quels", "quelles", "qui", "quoi", "combien", "quand", "où", "comment",
        "qué", "cuál", "cuáles", "cuánto", "cuánta", "cuántos", "cuántas", "quién", "quiénes",
        "dónde", "cuándo", "cómo", "quale", "quali", "che", "chi", "quanto", "quanta", "quanti",
        "quante", "quando", "dove", "come", "qual", "quais", "quantos", "quantas", "quem",
        "onde", "welche", "welcher", "welches", "welchem", "welchen", "wem", "wen", "wer", "was",
        "wann", "wie", "wo", "jaki", "jaka", "jakie", "jakim", "jakich", "który", "która",
        "które", "których", "kto", "co", "kiedy", "gdzie", "ile", "який", "яка", "які", "яких",
        "якому", "хто", "що", "коли", "де", "скільки",
    )
)  # fmt: skip
#: Words that name no topic besides `_INTERROGATIVES`: requests ("give me", "more details") and the
#: generic nouns of a request for illustration ("any city examples?", "des exemples de
#: villes ?"). A short message made only of these asks about the topic before it.
_TOPICLESS = frozenset(
    (
        # English
        "any", "some", "more", "other", "others", "another", "else", "please", "pls", "give",
        "show", "tell", "me", "us", "share", "a", "an", "the", "of", "from", "to", "on", "is",
        "are", "there", "can", "could", "you", "do", "does", "have", "has", "city", "cities",
        "town", "towns", "municipality", "municipalities", "example", "examples", "case",
        "cases", "good", "practice", "practices", "detail", "details", "info", "information",
        "source", "sources", "link", "links", "why",
        "ok", "okay", "thanks", "real", "concrete", "specific", "known", "similar",
        # French
        "des", "de", "du", "les", "le", "la", "un", "une", "autres", "autre", "plus", "encore",
        "svp", "merci", "ville", "villes", "exemple", "exemples", "cas", "bonnes", "bonne",
        "pratique", "pratiques", "détails", "il", "y", "t",
        "concrets", "concret", "pourquoi", "avez", "vous",
        # Spanish, Italian, Portuguese
        "algún", "alguna", "algunos", "algunas", "más", "otros", "ciudad", "ciudades",
        "ejemplo", "ejemplos", "buenas", "prácticas", "hay", "qualche", "altri", "altre",
        "città", "esempio", "esempi", "buone", "pratiche", "ci", "sono", "di", "da", "delle",
        "alguns", "algumas", "outros", "outras", "há", "cidade", "cidades", "exemplos", "boas",
        "práticas", "otras", "en",
        # German, Polish, Ukrainian
        "gibt", "es", "mehr", "andere", "anderen", "von", "aus", "stadt", "städte", "städten",
        "beispiel", "beispiele", "czy", "są", "jakieś", "więcej", "inne", "innych", "z",
        "miasto", "miasta", "miast", "przykład", "przykłady", "dobre", "praktyki", "чи", "є",
        "ще", "інші", "інших", "з", "місто", "міста", "міст", "приклад", "приклади", "практики",
    )
)  # fmt: skip
#: Where a message's second clause starts ("What is X and how can a city detect it?"): a
#: pronoun after it may point back to the first clause rather than to the previous message.
_CLAUSE_BREAK = re.compile(r",\s|;\s|\?\s|\s(?:and|et|y|e|und|i|та|і)\s", re.IGNORECASE)
#: Words a first clause needs before a later clause's pronoun is taken to point back into it.
CLAUSE_WORDS = 3
#: A message of at most this many words may be a fragment to read with the previous question
#: (here, and in QAService.retrieve_turn).
FRAGMENT_WORDS = 5
#: "What is X?" in the languages officers write in: a request to define a subject, which a
#: follow-up does not make of a subject it names ("so what's an anti-rumour agent?", "e cos'è la
#: lente interculturale?", "und was ist dieser Phoenix-Preis?"; on the tuning part, all 29
#: conversation messages of this form stand alone).
_DEFINITION = re.compile(
    r"\b(?:what(?:['’]s|\s+is|\s+are)|c['’]est\s+quoi|(?:che\s+)?cos['’]è|"
    r"o\s+que\s+(?:é|e|são)(?!\s+que\b)|qu[ée]\s+(?:es|son)|"
    # German "was ist" also opens a perfect tense ("was ist danach passiert?") and "was ist
    # mit" asks "what about": a definition names its subject with an article
    r"was\s+(?:ist|sind)(?=\s+(?:der|die|das|ein|eine|dieser|diese|dieses)\b)|"
    r"co\s+to\s+(?:jest|są)|що\s+таке)(?=\W|$)",
    re.IGNORECASE,
)
#: Demonstratives a definition's subject may open with ("what's that Oslo mediation panel?"):
#: as its first word they introduce the subject rather than point back to one ("what's the
#: budget for that?" points back).
_DEMONSTRATIVES = frozenset(
    (
        "this", "that", "these", "those", "questo", "questa", "questi", "queste", "quello",
        "quella", "quelli", "estos", "estas", "esos", "esas", "diese", "dieses", "diesen",
        "celui", "celle", "ceux",
    )
)  # fmt: skip
#: Words of a definition's subject that name nothing ("what's the budget?" asks about the
#: previous topic's budget; "what's the intercultural lens?" names its own).
_FILLERS = frozenset(
    (
        "the", "a", "an", "le", "la", "les", "l", "un", "une", "il", "lo", "gli", "i", "el",
        "los", "las", "o", "os", "as", "um", "uma", "der", "die", "das", "den", "dem", "ein",
        "eine", "einen", "dieser", "exactly", "exactement", "au", "juste", "eigentlich",
        "exactamente", "esattamente", "exatamente", "dokładnie", "саме",
        # Polish and Ukrainian demonstratives ("a co to jest ta strategia?" points back)
        "ta", "ten", "te", "tej", "tego", "ця", "цей", "ці", "це",
    )
)  # fmt: skip
#: Words a subject of the previous topic is made of: nouns that need a complement ("the
#: steps" of what?) and the words that rank or date them ("the main steps", "the annual
#: budget", "la prochaine étape"). A subject of these only is not defined, it is asked about.
_RELATIONAL = frozenset(
    (
        # English
        "step", "steps", "budget", "criteria", "criterion", "deadline", "timeline", "cost",
        "costs", "fee", "fees", "role", "goal", "goals", "aim", "aims", "objective",
        "objectives", "purpose", "result", "results", "outcome", "outcomes", "difference",
        "process", "procedure", "requirements", "conditions", "rules", "eligibility", "main",
        "next", "first", "last", "annual", "total", "overall", "key", "exact",
        # French
        "étape", "étapes", "critères", "date", "limite", "calendrier", "coût", "cotisation",
        "rôle", "but", "objectif", "objectifs", "résultat", "résultats", "différence",
        "processus", "procédure", "conditions", "règles", "principal", "principale",
        "principaux", "prochaine", "prochain", "premier", "première", "dernier", "dernière",
        "annuel", "annuelle",
        # Spanish, Italian, Portuguese
        "paso", "pasos", "presupuesto", "criterios", "plazo", "calendario", "coste", "costo",
        "cuota", "papel", "objetivo", "objetivos", "resultado", "resultados", "diferencia",
        "proceso", "procedimiento", "requisitos", "próximo", "próxima", "primero", "primera",
        "último", "última", "anual", "passo", "passi", "bilancio", "criteri", "scadenza",
        "quota", "ruolo", "obiettivo", "obiettivi", "risultato", "risultati", "differenza",
        "processo", "procedura", "requisiti", "prossimo", "prossima", "primo", "ultimo",
        "ultima", "annuale", "orçamento", "critérios", "prazo", "custo", "taxa", "resultados",
        "diferença", "procedimento", "próximos", "principais",
        # German, Polish, Ukrainian
        "schritt", "schritte", "kriterien", "frist", "zeitplan", "kosten", "gebühr", "rolle",
        "ziel", "ziele", "ergebnis", "ergebnisse", "unterschied", "verfahren", "nächste",
        "nächsten", "erste", "letzte", "jährliche", "krok", "kroki", "budżet", "kryteria",
        "termin", "harmonogram", "koszt", "opłata", "rola", "cel", "wynik", "wyniki", "różnica",
        "procedura", "następny", "następne", "pierwszy", "ostatni", "roczny", "główny",
        "крок", "кроки", "бюджет", "критерії", "термін", "графік", "вартість", "внесок", "роль",
        "мета", "результат", "результати", "різниця", "процедура", "наступний", "наступні",
        "перший", "останній", "головний",
    )
)  # fmt: skip
_NAMES_NOTHING = (
    _FILLERS | _TOPICLESS | _POINTERS | _INTERROGATIVES | _RELATIONAL | frozenset(_ACKNOWLEDGEMENTS)
)
#: Content words (or one specific subject) a definition's subject needs to stand alone: one
#: word may be a relational noun of the previous topic ("what's the deadline?", "c'est quoi
#: la durée ?").
DEFINED_WORDS = 2
#: Longest message still read as a continuation because of how it opens or of a pronoun
#: pointing back ("e l'indagine annuale? quante città hanno risposto nel 2021?" is one; a long
#: "And how should..." question that names its own subject is not).
CONTINUATION_MAX_WORDS = 12


def context_of(history: Sequence[str]) -> str | None:
    """What a new message may continue, from the user's recent messages (oldest first): the
    latest one that stands alone with the follow-ups sent after it. After "How do we train
    staff?", "and for the police?" and "any city examples?" asks for police training
    examples, not for examples of anything the police do."""
    chain: list[str] = []
    for message in reversed(history):
        chain.insert(0, message)
        if not is_elliptical(message):
            break
    return " ".join(" ".join(m.split()) for m in chain) or None


def is_elliptical(message: str) -> bool:
    """True when a short message opens like a continuation ("and for schools?"), points back
    with a pronoun ("who wrote it?", "which cities did that?") or names no topic at all ("any
    city examples?", "¿Qué ejemplos hay?")."""
    words = message.split()
    if not 0 < len(words) <= CONTINUATION_MAX_WORDS:
        return False
    language = detect_language(message, default="")
    if defines_own_subject(message, language):
        return False
    opening = _OPENING.match(message)
    if opening and not _asks_own_question(message, opening, len(words), language):
        return True
    if _names_no_topic(message):
        return True
    # A pronoun points back unless the message names its own subject ("what does the CDADI
    # do and when was it created?") or a first clause of its own names what it refers to
    # ("What is systemic discrimination and how can a city detect it?").
    clause = _IMPERSONAL.sub(" ", _first_clause(message))
    pointers = {
        w
        for w in {w.lower() for w in _WORD.findall(clause)} & _POINTERS
        if language in _POINTER_LANGUAGES.get(w, (language,))
    }
    # A year or a number is not a subject ("il compte combien de membres en 2025 ?"), and
    # German capitalises every noun.
    named = [s for s in specifics(message, names=language != "de") if not s[0].isdigit()]
    return bool(pointers or _OBJECT_POINTER.search(clause)) and not named


def defines_own_subject(message: str, language: str | None = None) -> bool:
    """Whether the message asks what a subject it names is ("and what is the ICC Index?",
    "e o que é o Amadora Empreende?"): such a question stands alone even after "and" or "so",
    unless a pronoun points back ("what is its budget?", "what's the role of those
    mediators?") or the subject may belong to the previous topic: a single word ("what's the
    plan?") or words that need a complement ("what are the main steps?"). `language` is the
    message's own, when the caller has already identified it."""
    match = _DEFINITION.search(message)
    if not match:
        return False
    if language is None:
        language = detect_language(message, default="")
    rest = f"{message[: match.start()]} {message[match.end() :]}"
    opening = _OPENING.match(rest.strip())
    if opening:
        rest = rest.strip()[opening.end() :]
    words = [w.lower() for w in _WORD.findall(rest)]
    first = next((i for i, w in enumerate(words) if w not in _FILLERS), len(words))
    pointing = {
        w
        for i, w in enumerate(words)
        if w in _POINTERS
        and not (i == first and w in _DEMONSTRATIVES)
        and language in _POINTER_LANGUAGES.get(w, (language,))
    }
    if pointing or _OBJECT_POINTER.search(message):
        return False
    named = [s for s in specifics(rest, names=language != "de") if not s[0].isdigit()]
    content = [w for w in words if w not in _NAMES_NOTHING]
    return bool(named) or len(content) >= DEFINED_WORDS


def _names_no_topic(message: str) -> bool:
    """Whether every word of `message` is one that names no topic ("any city examples?"), or
    only an attribute of the topic before ("total budget?", "la date limite ?"). Tuning part:
    one more follow-up read so, no standalone message."""
    words = [w.lower() for w in _WORD.findall(message)]
    return bool(words) and all(w in _NAMES_NOTHING for w in words)


def _asks_own_question(message: str, opening: re.Match[str], words: int, language: str) -> bool:
    """Whether a message asks its own question although it opens like a continuation: its
    one-letter opening is an article or a preposition in its language ("o que foi o projeto
    STEPS?"), its request for examples names their topic ("examples of mediation"), or it is
    longer than a fragment and goes on with a question word after an opening preposition
    ("¿En cuántos elementos organiza la guía la estrategia?"; "for schools?" and "in which
    year?" continue the previous one) or after an aside or before a subject of its own,
    when nothing points back ("also, how does a city join the network?", "and what does
    Congress Resolution 280 say?"; "and when was it adopted?" continues).

    On the tuning part's 341 standalone questions, one is read as a follow-up.
    """
    first = opening.group("word").lower()
    if language in _NOT_CONJUNCTION_IN.get(first, ()):
        return True
    if first in _ASKS_EXAMPLES:
        return bool(_OWN_TOPIC.match(message[opening.end() :]))
    rest = [w.lower() for w in _WORD.findall(message[opening.end() :])]
    if words <= FRAGMENT_WORDS or not rest or rest[0] not in _INTERROGATIVES:
        return False
    if first in _PREPOSITIONS:
        return True
    if _OPENING.match(message[opening.end() :].lstrip(" ,:")):
        return False  # "and what about Lisbon?" continues twice over
    aside = _ASIDE.match(message, opening.end()) is not None or first in _ADDING
    # A capitalised word names a subject unless the language capitalises every noun (German).
    # Wider than the abstention's specifics (English only): here a name that is a translation
    # ("Lisboa") still shows the message names its own subject.
    named = bool(specifics(message[opening.end() :], names=language != "de"))
    return (aside or named) and not _POINTERS.intersection(rest)


def _first_clause(message: str) -> str:
    """The message up to where a second clause starts, when the first has at least
    `CLAUSE_WORDS` words (a pronoun after that may point back into it); else all of it."""
    for match in _CLAUSE_BREAK.finditer(message):
        if len(message[: match.start()].split()) >= CLAUSE_WORDS:
            return message[: match.start()]
    return message
