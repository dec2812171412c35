"""English names of places an officer may name in French, Spanish, Italian or Portuguese.

A follow-up such as "et à Lyon ?" or "¿y Valladolid?" asks the same about another place, and
the passages found must speak of that place for it to be answered. The corpus is English, so
a place the question names in its own language ("et en Italie ?", "¿y la de Marruecos?",
"e a Fiume?") is looked for under its English name too. Countries of the Council of Europe
and the others the documents name, and the cities whose names these languages translate.
"""

from __future__ import annotations

import unicodedata

#: The languages whose place names are listed.
PLACE_LANGUAGES = frozenset({"fr", "es", "it", "pt"})

#: English name: its names in French, Spanish, Italian and Portuguese (accents optional).
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
    "Netherlands": "Pays-Bas Países Bajos Paesi Bassi Países Baixos Olanda Holanda Hollande",
    "Norway": "Norvège Noruega Norvegia",
    "Poland": "Pologne Polonia Polónia Polônia",
    "Portugal": "Portogallo",
    "Romania": "Roumanie Rumania Roménia Romênia",
    "Serbia": "Serbie Sérvia",
    "Slovakia": "Slovaquie Eslovaquia Slovacchia Eslováquia",
    "Slovenia": "Slovénie Eslovenia Eslovénia",
    "Spain": "Espagne España Spagna Espanha",
    "Sweden": "Suède Suecia Svezia Suécia",
    "Switzerland": "Suisse Suiza Svizzera Suíça",
    "Tunisia": "Tunisie Túnez Tunísia",
    "Turkey": "Turquie Turquía Turchia Turquia",
    "Ukraine": "Ucrania Ucraina Ucrânia",
    "United Kingdom": "Royaume-Uni Reino Unido Regno Unito Angleterre Inglaterra Inghilterra",
    "Athens": "Athènes Atenas Atene",
    "Barcelona": "Barcelone Barcellona",
    "Bergen": "Berga",
    "Brussels": "Bruxelles Bruselas Bruxelas",
    "Cologne": "Colonia Colónia",
    "Copenhagen": "Copenhague Copenaghen Copenhaga",
    "Florence": "Firenze Florencia Florença",
    "Geneva": "Genève Ginebra Ginevra Genebra",
    "Genoa": "Gênes Génova Genova Gênova",
    "Lisbon": "Lisbonne Lisboa Lisbona",
    "London": "Londres Londra",
    "Milan": "Milano Milán Milão",
    "Munich": "Múnich Munique",
    "Naples": "Napoli Nápoles",
    "Rijeka": "Fiume",
    "Rome": "Roma",
    "Seville": "Séville Sevilla Siviglia Sevilha",
    "Strasbourg": "Estrasburgo Strasburgo",
    "The Hague": "La Haye La Haya L'Aia Haia",
    "Turin": "Torino Turín Turim",
    "Venice": "Venise Venecia Venezia Veneza",
    "Vienna": "Vienne Viena",
    "Warsaw": "Varsovie Varsovia Varsavia Varsóvia",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ENGLISH = {
    _fold(name): english for english, names in _PLACES.items() for name in (*names.split(), english)
}


def english_place_name(word: str) -> str | None:
    """The English name of a place named `word` in French, Spanish, Italian or Portuguese
    ("Italie" -> "Italy"), or None."""
    return _ENGLISH.get(_fold(word))
