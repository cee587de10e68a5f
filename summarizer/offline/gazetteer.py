"""Small, general word lists: countries, demonyms, regions, words that are never places.

Kept deliberately generic (world countries and their adjectives, not the
places of any one story); site names such as bases or towns are found by
pattern in `places.py`, not listed here. The lists are data files in
`summarizer/lexicons/` (countries, regions, demonyms, not_places).
"""

from __future__ import annotations

from summarizer.lexicons import table, words

COUNTRIES = frozenset(words("countries"))

#: Regions that are not countries but are named like places ("the Gaza Strip").
REGIONS = frozenset(words("regions"))

#: Demonyms and the country each implies ("the eastern Syrian governorate" -> Syria).
DEMONYMS = {k: ("" if v == "-" else v) for k, v in table("demonyms").items()}

#: Capitalised words that start or make up names but are never places.
NOT_PLACES = frozenset(words("not_places"))
