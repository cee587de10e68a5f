"""Small, general word lists: countries, demonyms, regions, words that are never places.

Kept deliberately generic (world countries and their adjectives, not the
places of any one story); site names such as bases or towns are found by
pattern in `places.py`, not listed here.
"""

from __future__ import annotations

from summarizer.offline.text import word_list

COUNTRIES = frozenset(
    word_list(
        "Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan "
        "Bahrain Bangladesh Belarus Belgium Bolivia Bosnia Brazil Bulgaria Burkina Faso "
        "Burundi Cambodia Cameroon Canada Chad Chile China Colombia Congo Croatia Cuba Cyprus "
        "Czechia Denmark Djibouti Ecuador Egypt Eritrea Estonia Ethiopia Finland France "
        "Georgia Germany Ghana Greece Guatemala Guinea Haiti Honduras Hungary India Indonesia "
        "Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Kosovo Kuwait "
        "Kyrgyzstan Laos Latvia Lebanon Libya Lithuania Mali Mauritania Mexico Moldova "
        "Mongolia Montenegro Morocco Mozambique Myanmar Nepal Netherlands Nicaragua Niger "
        "Nigeria Norway Oman Pakistan Palestine Panama Paraguay Peru Philippines Poland "
        "Portugal Qatar Romania Russia Rwanda Serbia Somalia Spain Sudan Sweden Switzerland "
        "Syria Taiwan Tajikistan Tanzania Thailand Tunisia Turkey Türkiye Turkmenistan Uganda "
        "Ukraine Uruguay Uzbekistan Venezuela Vietnam Yemen Zambia Zimbabwe"
    )
) | frozenset(
    [
        "El Salvador",
        "Costa Rica",
        "Dominican Republic",
        "North Korea",
        "South Korea",
        "South Sudan",
        "Saudi Arabia",
        "Sri Lanka",
        "Sierra Leone",
        "United States",
        "United Kingdom",
        "United Arab Emirates",
        "Central African Republic",
        "Ivory Coast",
        "New Zealand",
        "South Africa",
        "Burkina Faso",
    ]
)

#: Regions that are not countries but are named like places ("the Gaza Strip").
REGIONS = frozenset(
    [
        "Gaza Strip",
        "Gaza",
        "West Bank",
        "Kurdistan",
        "Golan Heights",
        "Sinai",
        "Donbas",
        "Crimea",
        "Middle East",
        "Persian Gulf",
        "Red Sea",
        "Black Sea",
        "Levant",
        "Balkans",
    ]
)

#: Demonyms and the country each implies ("the eastern Syrian governorate" -> Syria).
DEMONYMS = {
    "Syrian": "Syria",
    "Iraqi": "Iraq",
    "Iranian": "Iran",
    "Israeli": "Israel",
    "Lebanese": "Lebanon",
    "Turkish": "Turkey",
    "Russian": "Russia",
    "Ukrainian": "Ukraine",
    "Yemeni": "Yemen",
    "Jordanian": "Jordan",
    "Egyptian": "Egypt",
    "Saudi": "Saudi Arabia",
    "Afghan": "Afghanistan",
    "Pakistani": "Pakistan",
    "Palestinian": "Palestine",
    "Libyan": "Libya",
    "Sudanese": "Sudan",
    "Somali": "Somalia",
    "Malian": "Mali",
    "Nigerian": "Nigeria",
    "Colombian": "Colombia",
    "Peruvian": "Peru",
    "Salvadoran": "El Salvador",
    "Guatemalan": "Guatemala",
    "Honduran": "Honduras",
    "Nicaraguan": "Nicaragua",
    "Mexican": "Mexico",
    "Chinese": "China",
    "American": "United States",
    "US": "United States",
    "U.S.": "United States",
    "British": "United Kingdom",
    "French": "France",
    "German": "Germany",
    "Kurdish": "",
    "Qatari": "Qatar",
    "Emirati": "United Arab Emirates",
    "Bahraini": "Bahrain",
    "Kuwaiti": "Kuwait",
}

#: Capitalised words that start or make up names but are never places.
NOT_PLACES = frozenset(
    word_list(
        "January February March April May June July August September October November "
        "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Telegram Twitter "
        "Facebook Instagram YouTube WhatsApp X The A An This That These Those It Its He She "
        "They We I Our Their His Her Resistance Coalition Forces Army Brigades Hezbollah "
        "Hamas Washington Pentagon Al Mayadeen Operation President Prime Minister Secretary "
        "Deputy Assistant Commander General Gen Maj Col Sheikh Mr Mrs Dr Read Related Support "
        "Subscribe US U.S. UN NATO ISIS SDF IRI State Department English Arabic Spanish "
        "Islamic International American Americans"
    )
)
