"""Boilerplate cues for plain-text lines, in several languages.

Plain-text dumps lose the markup that HTML extractors rely on (link density,
`<nav>`, `<footer>`), so the text classifier falls back on what the words of a
template line say. The cues are grouped by the reason a line is dropped, so
every drop can be explained. They are deliberately phrase-level (not single
words) for long lines, because a body sentence may mention "copyright" or
"comments" in passing; short lines get the broader lists.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

#: Bullet markers that browsers and text renderers put in front of list items.
BULLET = re.compile(r"^[•·▪◦‣►▸●○■□–—*+\-]\s*")

#: Headers that open a block of links to other pages ("Related News", "Most Read"...).
#: A whole short line must match (an optional trailing colon is allowed).
SECTION_HEADER = re.compile(
    r"^(?:"
    r"related(?: news| articles?| stories| posts?| content| topics| coverage| links| reading)?"
    r"|more (?:on this(?: topic| story)?|from [\w .'-]{1,30}|stories|news|in [\w .'-]{1,30}"
    r"|to read|like this)"
    r"|most (?:read|popular|viewed|shared|recent|commented)(?: \w+)?"
    r"|read next|what to read next|up next|next up|keep reading|further reading|also read|read also"
    r"|recommended(?: for you| stories| articles| reading)?|trending(?: now| stories| topics)?"
    r"|popular(?: now| posts| stories| articles)?|you may (?:also )?like|you might (?:also )?like"
    r"|(?:latest|top) (?:news|stories|headlines|articles)|latest|editor'?s picks?|in other news"
    r"|breaking(?: news)?|news ?feed|live updates|tags|topics|filed under|categories|coverage"
    r"|última hora|dernière minute|eilmeldung|عاجل|etiquetas|mots-clés|schlagworte|وسوم"
    r"|sponsored(?: content| stories)?|around the web|from the web|promoted(?: stories)?"
    r"|advertisement|featured|explore further"
    r"|lire aussi|à lire aussi|sur le même sujet|les plus lus|articles? liés?"
    r"|leer más|lee también|(?:también )?te puede interesar|noticias relacionadas|lo más leído"
    r"|(?:notas|contenidos?|artículos|noticias) relacionad[oa]s|relacionad[oa]s|más noticias"
    r"|mehr zum thema|weitere artikel|das könnte sie auch interessieren|meistgelesen"
    r"|ذات صلة|اقرأ أيضا|اقرأ أيضاً|الأكثر قراءة|أخبار ذات صلة|مواضيع ذات صلة"
    r")\s*:?$",
    _I,
)

#: Markers of a reader-comment section: everything after them (once the body has
#: been seen) is comments, whose bodies look like prose and cannot be told apart
#: line by line. Strong markers only occur where comments start; weak ones are
#: also buttons that can sit near the top of a page.
COMMENTS_STRONG = re.compile(
    r"^(?:\d+ (?:comments?|responses?|replies)|comments? \(\d+\)|no comments:?|post a comment"
    r"|notify of|leave a (?:reply|comment)|view (?:all )?comments"
    r"|join the (?:discussion|conversation)"
    r"|comments are closed|would love your thoughts.*|\d+ thoughts on .*)\s*:?$",
    _I,
)
COMMENTS = re.compile(
    rf"{COMMENTS_STRONG.pattern}|^(?:comments?|add (?:a|your) comment|show comments|reader comments"
    r"|write a comment|discussion|commentaires?|comentarios?|kommentare|التعليقات|تعليقات)\s*:?$",
    _I,
)

#: Phrases that mark a line as template whatever its length: appeals, legal text,
#: share/follow/subscribe prompts. Matched against the lowercased line (IGNORECASE
#: alternations are several times slower).
STRONG = re.compile(
    r"all rights reserved|tous droits réservés|todos los derechos reservados"
    r"|alle rechte vorbehalten"
    r"|جميع الحقوق محفوظة|copyrighted material|©|\(c\) \d{4}|copyright \d{4}|disclaimer:"
    r"|click here|click the share button|subscribe to (?:our|the)|follow us on|sign up for"
    r"|share (?:this|the) (?:article|story|post)|repost and share|our newsletter|daily newsletter"
    r"|this (?:site|website) uses cookies|we use cookies|privacy policy|terms of (?:use|service)"
    r"|donation drive|please (?:donate|support)|support (?:our|independent) journalism"
    r"|become a (?:patron|member|supporter)|media inquiries|sole responsibility of the author"
    r"|note to readers|fair use|available in desktop version|translate website button"
    r"|original source of this article"
    r"|reproduction (?:interdite|prohibida)|اشترك في|تابعونا|comments are moderated"
    r"|email address(?:es)? will not be published|e-mail-adresse wird nicht veröffentlicht"
    r"|para comentar debes|subscribe now|already a subscriber|log in for (?:immediate )?access"
    r"|hazte miembro|suscríbete|download the \w+ apps?"
    r"|support (?:local|quality) (?:news|journalism)"
    r"|rely on your support|letter to the editor via|we want to hear what you think"
    r"|log in to|sign in to|iniciar sesión|inicia sesión|connectez-vous"
    r"|follow [\w .@'’]{1,30} on (?:twitter|facebook|instagram|telegram|linkedin|tiktok|youtube)"
    r"|(?:canal|channel) (?:de|on) (?:telegram|whatsapp|youtube)|message on whatsapp",
)

#: The STRONG hits that are legal marks: template wherever they stand in a line.
LEGAL_MARK = re.compile(
    r"all rights reserved|tous droits réservés|todos los derechos reservados"
    r"|alle rechte vorbehalten|جميع الحقوق محفوظة|copyrighted material|©|\(c\) \d{4}"
    r"|copyright \d{4}|disclaimer:|reproduction (?:interdite|prohibida)"
    r"|email address(?:es)? will not be published|e-mail-adresse wird nicht veröffentlicht"
    r"|comments are moderated"
)

#: Words that make a SHORT line (a few words) template: buttons, menus, widgets (lowercased line).
SHORT_TEMPLATE = re.compile(
    r"\b(?:share|shares|tweet|email|print|subscribe|subscription|newsletter|follow|login|log in"
    r"|sign in|sign up|register|donate|donation|support us|advertisement|advertising|sponsored"
    r"|cookie|cookies|privacy|terms|contact us|about us|careers|sitemap|rss|podcasts?|menu"
    r"|search|skip to|back to top|download the app|app store|google play|whatsapp|telegram"
    r"|facebook|twitter|instagram|linkedin|youtube|reddit|pinterest|copy link|comments?|reply"
    r"|newest|oldest|most voted|inline feedbacks|guest|load more|show more|see all|view all"
    r"|read more|continue reading|watch|listen|partager|compartir|teilen|suscríbete|abonnez"
    r"|مشاركة|اشترك|شارك)\b",
)

#: "Support SouthFront", "Support Global Research": a donation button naming the outlet.
SUPPORT_BUTTON = re.compile(r"^(?:support|donate to|help) (?P<name>[\w .'-]{2,40})$", _I)

#: Links to other articles inside or after the body.
READ_MORE = re.compile(
    r"^(?:read more|read also|also read|see also|related|more|recommended|watch|listen"
    r"|lire aussi|à lire|voir aussi|leer más|lee también|lea(?: también| más)?|vea también"
    r"|mira|mire"
    r"|te puede interesar|mehr dazu|lesen sie auch|siehe auch|auch interessant"
    r"|اقرأ أيضا|اقرأ أيضاً|اقرأ المزيد)\s*[:>»|-]",
    _I,
)

#: A bare "read more" link closing a teaser of another article.
MORE_LINK = re.compile(
    r"^(?:read more|continue reading|read full (?:article|story)|more|full story|weiterlesen"
    r"|lire la suite|leer más|seguir leyendo|المزيد|اقرأ المزيد)\s*(?:[»›>…→]|\.\.\.)$",
    _I,
)

#: "Featured image is from ...", "Photo: ...", "Image credit: ...".
CAPTION_PREFIX = re.compile(
    r"^(?:(?:featured image|photo|image|picture|pictured|credit|image credit|photo credit"
    r"|illustration|source image|photograph|foto|فوتو|صورة)\b\s*(?:is from|by|:|credit|©)"
    r"|(?:an? )?(?:file|undated|handout|archive) (?:photo|picture|image)\b)",
    _I,
)

#: The parenthetical credit a caption ends with: "(AP)", "(Reuters/John Doe)", "(Social media)".
CAPTION_CREDIT = re.compile(
    r"\((?:[^()]{0,80}\b(?:AP|AFP|Reuters|Getty|EPA|Anadolu|Xinhua|photo|image|illustrat\w*|file"
    r"|credit|courtesy|social media|video|screenshot|screengrab|handout|via|pool|twitter|x|telegram"
    r"|media|press|agency)\b[^()]{0,80})\)\.?$",
    _I,
)
CREDIT_TAIL = re.compile(r"[.!?]\s*\([^()]*\w\s+\w[^()]*\)\.?$")

#: "4 Min Read", "5 minute read", "Reading time: 3 minutes".
READING_TIME = re.compile(
    r"^(?:\d+\s*(?:min|mins|minutes?)\s*(?:read|reading)?|(?:\d+\s*)?minutes? read|reading time:?.*"
    r"|\d+\s*min\.? (?:de )?lectura|lecture \d+ min|\d+ دقائق)$",
    _I,
)

#: Counters: "2 Shares", "12 comments", "1.2K views", vote tallies.
COUNTER = re.compile(
    r"^[\d.,]+\s*[kKmM]?\s*(?:shares?|comments?|views?|likes?|reads?|replies|votes?|reactions?"
    r"|retweets?|followers?)?$",
    _I,
)

#: Donation tiers and prices on their own: "2,500 $", "$ 10", "€5".
MONEY = re.compile(r"^(?:[$€£¥]\s*[\d.,]+|[\d.,]+\s*[$€£¥]|[\d.,]+\s*(?:usd|eur|gbp))$", _I)

#: Author lines: "By Jane Doe", "Author: ...", "Articles by: ...".
BYLINE = re.compile(
    r"^(?:by|written by|words by|posted by|author|authors|articles by|story by"
    r"|par|por|von|بقلم|كتب)\s*:?\s+(?P<name>\S.{0,80})$",
    _I,
)
#: An author's bio closing the article: "Jane Doe is a senior writer for X, covering ...".
AUTHOR_BIO = re.compile(
    r"^(?:(?:[A-Z][\w'’.-]+ ){1,3}(?:is|was|writes|covers|reports)\b"
    r"|[Tt]he author is\b|[Aa]bout the author)"
    r".{0,200}\b(?:writer|reporter|editor|correspondent|professor|author|journalist|columnist"
    r"|contributor|fellow|analyst|researcher|covering|writes about)\b",
)

#: The agency sign-off that closes a wire story: part of the article, not furniture.
SIGNOFF = re.compile(
    r"^(?:\(?(?:additional )?reporting by|writing by|editing by|compiled by)\b", _I
)
SOURCE = re.compile(r"^(?:source|via|from|fuente|quelle|المصدر)\s*:\s*(?P<name>\S.{0,60})$", _I)

#: Stray escapes left by scrapers at the end of a line ('prisoners."\').
TRAILING_ESCAPE = re.compile(r"(?<=[\w.!?\"'”’)\]])\\+$")
