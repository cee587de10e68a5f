"""The one list of reporting verbs, as a pattern every rule shares.

Seven rules used to carry seven slightly different verb lists (sources, report dates,
"X said it struck", the clause a count belongs to, summary sentences that lean on an
earlier source...), so a verb added to one was missing from the others. The words live
in `summarizer/lexicons/reporting_verbs.txt`; this module only turns them into a
regular-expression alternation (longest first, multi-word verbs with flexible spaces).
"""

from __future__ import annotations

import re

from summarizer.lexicons import words


def _alternation(entries: tuple[str, ...]) -> str:
    ordered = sorted(set(entries), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in ordered) + ")"


#: Any reporting verb, as a non-capturing group (no word boundaries: callers add them).
REPORTING = _alternation(words("reporting_verbs"))
