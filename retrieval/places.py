"""The place a short follow-up asks about, and places' English names, for French, Spanish,
Italian and Portuguese.

A follow-up such as "et à Lyon ?" or "¿y Valladolid?" asks the same about another place, and
the passages found must speak of that place for it to be answered. Capitalised words are not
taken for names in these languages in general (programme bodies and question words are
capitalised too: "¿Quién...?", "el Consejo de Europa"), only in this one form: a continuation,
prepositions or articles, then the name. The corpus is English, so a place named in the
question's language ("et en Italie ?", "¿y la de España?", "e a Fiume?") is looked for under
its English name too: the countries of the Council of Europe and others the documents name,
and the cities whose names these languages translate.
"""

from __future__ import annotations

import re

from retrieval.lexical import fold

#: The languages whose follow-ups are read for a place.
PLACE_LANGUAGES = frozenset({"fr", "es", "it", "pt"})

#: English name: its one-word names in French, Spanish, Italian and Portuguese that differ
#: from it (accents optional). Multi-word names are left out: their words are common nouns
#: ("Reino", "Países") or articles.
_PLACES = {
    "Albania": "Albanie",
    "Armenia": "Arménie",
    "Australia": "Australie",
    "Austria": "Autriche",
    "Azerbaijan": "Azerbaïdjan Azerbaiyán Azerbaigian Azerbaijão",
    "Belgium": "Belgique Bélgica Belgio",
    "Bosnia": "Bosnie",
    "Bulgaria": "Bulgarie",
    "Canada": "Canadá",
    "Catalonia": "Catalogne Cataluña Catalogna Catalunha",
    "Croatia": "Croatie Croacia Croazia Croácia",
    "Cyprus": "Chypre Chipre Cipro",
    "Czechia": "Tchéquie Chequia Cechia Chéquia",
    "Denmark": "Danemark Dinamarca Danimarca",
    "Estonia": "Estonie Estónia",
    "Europe": "Europa",
    "Finland": "Finlande Finlandia Finlândia",
    "France": "Francia França",
    "Georgia": "Géorgie Geórgia",
    "Germany": "Allemagne Alemania Germania Alemanha",
    "Greece": "Grèce Grecia Grécia",
    "Hungary": "Hongrie Hungría Ungheria Hungria",
    "Iceland": "Islande Islandia Islanda Islândia",
    "Ireland": "Irlande Irlanda",
    "Israel": "Israël Israele",
    "Italy": "Italie Italia Itália",
    "Japan": "Japon Japón Giappone Japão",
    "Latvia": "Lettonie Letonia Lettonia Letónia",
    "Lithuania": "Lituanie Lituania Lituânia",
    "Luxembourg": "Luxemburgo Lussemburgo",
    "Malta": "Malte",
    "Mexico": "Mexique México Messico",
    "Moldova": "Moldavie Moldavia Moldávia",
    "Montenegro": "Monténégro",
    "Morocco": "Maroc Marruecos Marocco Marrocos",
    "Netherlands": "Pays-Bas Olanda Holanda Hollande",
    "Norway": "Norvège Noruega Norvegia",
    "Poland": "Pologne Polonia Polónia Polônia",
    "Portugal": "Portogallo",
    "Romania": "Roumanie Rumania Roménia Romênia",
    "Russia": "Russie Rusia Rússia",
    "Serbia": "Serbie Sérvia",
    "Slovakia": "Slovaquie Eslovaquia Slovacchia Eslováquia",
    "Slovenia": "Slovénie Eslovenia Eslovénia",
    "Spain": "Espagne España Spagna Espanha",
    "Sweden": "Suède Suecia Svezia Suécia",
    "Switzerland": "Suisse Suiza Svizzera Suíça",
    "Tunisia": "Tunisie Túnez Tunísia",
    "Turkey": "Turquie Turquía Turchia Turquia",
    "Ukraine": "Ucrania Ucraina Ucrânia",
    "United Kingdom": "Royaume-Uni",
    "Athens": "Athènes Atenas Atene",
    "Barcelona": "Barcelone Barcellona",
    "Berlin": "Berlino Berlim",
    "Brussels": "Bruxelles Bruselas Bruxelas",
    "Cologne": "Colonia Colónia",
    "Copenhagen": "Copenhague Copenaghen Copenhaga",
    "Dublin": "Dublino Dublim",
    "Florence": "Firenze Florencia Florença",
    "Geneva": "Genève Ginebra Ginevra Genebra",
    "Genoa": "Gênes Génova Genova Gênova",
    "Hamburg": "Hambourg Hamburgo Amburgo",
    "Kraków": "Cracovie Cracovia Cracóvia",
    "Lisbon": "Lisbonne Lisboa Lisbona",
    "London": "Londres Londra",
    "Lyon": "Lione Lião",
    "Milan": "Milano Milán Milão",
    "Munich": "Múnich Munique",
    "Naples": "Napoli Nápoles",
    "Nicosia": "Nicosie",
    "Patras": "Patrasso",
    "Rijeka": "Fiume",
    "Seville": "Séville Sevilla Siviglia Sevilha",
    "Strasbourg": "Estrasburgo Strasburgo",
    "The Hague": "Haia",
    "Turin": "Torino Turín Turim",
    "Venice": "Venise Venecia Venezia Veneza",
    "Vienna": "Vienne Viena",
    "Warsaw": "Varsovie Varsovia Varsavia Varsóvia",
    "Zurich": "Zurigo Zurique",
}

#: "and", "what about", then prepositions and articles, then the place ("¿y Valladolid?",
#: "et à Lyon ?", "e a Fiume?", "¿y la de España?", "e Porto? c'era almeno...").
_FOLLOW_UP_PLACE = re.compile(
    r"^[\s¿¡]*(?i:et|ou|mais|y|o|pero|e|ma|mas|aussi|también|anche|também|"
    r"qu['’]en est-il de|qué hay de|e quanto a)\s+"
    r"(?i:(?:à|a|au|aux|en|in|em|no|na|nos|nas|dans|pour|para|per|de|du|da|di|del|della|"
    r"des|dos|das|la|le|les|el|los|las|il|lo|o|os|as|l['’])\s*)*"
    r"(?P<name>[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?)\s*(?:\?|$)",
)
#: Capitalised words that name the programme's bodies and texts, not a place.
_BODIES = frozenset(
    (
        "conseil", "consejo", "consiglio", "conselho", "comité", "comitato", "congrès",
        "congreso", "congresso", "indice", "índice", "réseau", "red", "rete", "rede", "union",
        "unión", "unione", "união", "recommandation", "recomendación", "raccomandazione",
        "recomendação", "livre", "libro", "livro", "guide", "guía", "guida", "guia", "manuel",
        "manual", "manuale", "programme", "programa", "programma", "cdadi", "icc",
    )
)  # fmt: skip


_ENGLISH = {
    fold(name): english for english, names in _PLACES.items() for name in (*names.split(), english)
}


def english_place_name(word: str) -> str | None:
    """The English name of a place named `word` in French, Spanish, Italian or Portuguese
    ("Italie" -> "Italy"), or None."""
    return _ENGLISH.get(fold(word))


def follow_up_place(message: str, language: str) -> str | None:
    """The place a short follow-up in one of `PLACE_LANGUAGES` asks about ("¿y Valladolid?"
    -> "Valladolid"), or None for any other message."""
    if language not in PLACE_LANGUAGES:
        return None
    match = _FOLLOW_UP_PLACE.match(message)
    if not match or any(fold(w) in _BODIES for w in match.group("name").split()):
        return None
    return match.group("name")
