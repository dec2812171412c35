"""City names folded for matching: what people type against what the data spells.

A module of its own because both the city data (scoring.cities) and the check of official
imports (scoring.official_scores) match names, and neither should import the other for it.
"""

from __future__ import annotations

import re
import unicodedata

#: Phrases around a city's name that people type but the data does not use.
_NAME_NOISE = re.compile(r"^(the )?(city|municipality|town|ville|commune|municipalite) (of|de|d) ")


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and "City of" folded away, for matching typed names."""
    decomposed = unicodedata.normalize("NFKD", name.split(",")[0])
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[^a-z0-9]+", " ", plain.replace("ß", "ss").replace("ł", "l")).strip()
    return _NAME_NOISE.sub("", plain)
