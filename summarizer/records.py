"""The typed records: the single source of schema truth.

These pydantic models are the output contract of every backend and the schema
sent to LLMs: their field descriptions are part of the prompt, so they are
written for a model to read. The design borrows from the event-data standards
analysts already use (ACLED event types and precision codes, UCDP GED
low/best/high estimates, PLOVER flags for drills, threats and denials).

Two invariants other tools rely on:
- every `Evidence` satisfies `article.text[start:end] == quote`, where
  `article.text` is the cleaned body the extraction saw (carried in every
  `ArticleResult`);
- every non-null fact carries evidence; what cannot be grounded is dropped and
  listed in `Provenance.dropped`, never shipped silently.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "2.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


# --------------------------------------------------------------------------- enums


class EventType(StrEnum):
    """What kind of event happened. Pick the most specific value:

    - attack: a direct assault by people with firearms, blades or fists (shooting, stabbing,
      raid, ambush, an assault on a base or a person) that is not one of the kinds below;
    - air_or_drone_strike: a strike from aircraft, helicopters or drones;
    - shelling_or_missile: artillery, mortar, rocket or missile fire;
    - bombing: a remote explosive, roadside bomb/IED, landmine, car bomb, suicide bomb or grenade;
    - armed_clash: armed groups or forces fighting each other;
    - abduction: kidnapping, hostage-taking or forced disappearance;
    - arson_or_destruction: arson, looting, demolition or other destruction of property;
    - protest: a demonstration, march, sit-in or strike by people voicing a demand;
    - riot: a violent demonstration or a mob attacking people or property;
    - interception: air defences shooting down or jamming drones, rockets or missiles;
    - military_exercise: a drill or exercise (status simulated);
    - deployment_or_reinforcement: troops, ships or equipment moved, sent or reinforced;
    - arrest_or_capture: people arrested, detained or captured;
    - threat_or_statement: a threat, warning or declared intent, not an act;
    - other: none of these.
    """

    attack = "attack"
    air_or_drone_strike = "air_or_drone_strike"
    shelling_or_missile = "shelling_or_missile"
    bombing = "bombing"
    armed_clash = "armed_clash"
    abduction = "abduction"
    arson_or_destruction = "arson_or_destruction"
    protest = "protest"
    riot = "riot"
    interception = "interception"
    military_exercise = "military_exercise"
    deployment_or_reinforcement = "deployment_or_reinforcement"
    arrest_or_capture = "arrest_or_capture"
    threat_or_statement = "threat_or_statement"
    other = "other"


class AcledEventType(StrEnum):
    """ACLED's event types, with ACLED's exact labels (filled in by the tool)."""

    battles = "Battles"
    explosions_remote_violence = "Explosions/Remote violence"
    violence_against_civilians = "Violence against civilians"
    protests = "Protests"
    riots = "Riots"
    strategic_developments = "Strategic developments"


class AcledSubEventType(StrEnum):
    """ACLED's sub-event types, with ACLED's exact labels (filled in by the tool)."""

    armed_clash = "Armed clash"
    government_regains_territory = "Government regains territory"
    non_state_actor_overtakes_territory = "Non-state actor overtakes territory"
    chemical_weapon = "Chemical weapon"
    air_drone_strike = "Air/drone strike"
    suicide_bomb = "Suicide bomb"
    shelling_artillery_missile_attack = "Shelling/artillery/missile attack"
    remote_explosive_landmine_ied = "Remote explosive/landmine/IED"
    grenade = "Grenade"
    sexual_violence = "Sexual violence"
    attack = "Attack"
    abduction_forced_disappearance = "Abduction/forced disappearance"
    peaceful_protest = "Peaceful protest"
    protest_with_intervention = "Protest with intervention"
    excessive_force_against_protesters = "Excessive force against protesters"
    violent_demonstration = "Violent demonstration"
    mob_violence = "Mob violence"
    agreement = "Agreement"
    arrests = "Arrests"
    change_to_group_activity = "Change to group/activity"
    disrupted_weapons_use = "Disrupted weapons use"
    headquarters_or_base_established = "Headquarters or base established"
    looting_property_destruction = "Looting/property destruction"
    non_violent_transfer_of_territory = "Non-violent transfer of territory"
    other = "Other"


class EventStatus(StrEnum):
    """How real the event is, as the article presents it (PLOVER-style flags)."""

    occurred = "occurred"
    claimed = "claimed"
    threatened = "threatened"
    planned = "planned"
    simulated = "simulated"
    denied = "denied"


class DatePrecision(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"
    range = "range"


class Alignment(StrEnum):
    """How a quote was found in the article text."""

    exact = "exact"
    normalized = "normalized"
    fuzzy = "fuzzy"


class ActorKind(StrEnum):
    state_military = "state_military"
    coalition = "coalition"
    non_state_armed_group = "non_state_armed_group"
    government_or_official = "government_or_official"
    civilians = "civilians"
    media = "media"
    other = "other"


class SourceKind(StrEnum):
    """Who a claim comes from."""

    named_official = "named_official"
    anonymous_official = "anonymous_official"
    anonymous_sources = "anonymous_sources"
    group_statement = "group_statement"
    government = "government"
    media_outlet = "media_outlet"
    other = "other"


class QuantityQualifier(StrEnum):
    exact = "exact"
    at_least = "at_least"
    more_than = "more_than"
    about = "about"
    at_most = "at_most"
    several = "several"


# --------------------------------------------------------------------------- evidence


class Evidence(_Model):
    """A verbatim span of the article that supports a value."""

    quote: str = Field(
        description=(
            "Copy the supporting words from the article exactly, character for character: "
            "no paraphrase, no ellipsis, no added words. "
            "Keep it short (one clause to one sentence)."
        ),
        min_length=1,
    )
    start: int = Field(
        default=-1,
        description="Character offset of the quote in the article text. Filled in by the tool; "
        "you may leave it at -1.",
    )
    end: int = Field(
        default=-1,
        description="Character offset just past the quote in the article text. Filled in by the "
        "tool; you may leave it at -1.",
    )
    alignment: Alignment = Field(
        default=Alignment.exact,
        description="How the quote was located in the text. Filled in by the tool.",
    )


EvidenceList = Annotated[
    list[Evidence],
    Field(
        min_length=1, description="At least one verbatim quote from the article supporting this."
    ),
]


# --------------------------------------------------------------------------- parts of a record


class EventDate(_Model):
    """When the event happened, resolved against the article's publication date."""

    value: str = Field(
        description="ISO 8601 date (YYYY-MM-DD, or YYYY-MM for month precision, YYYY for year). "
        "For a range, the start date."
    )
    end: str | None = Field(
        default=None, description="ISO 8601 end date when the text gives a range, else null."
    )
    precision: DatePrecision = Field(
        description="day, week, month, year, or range ('since October 18' is a range)."
    )
    text: str = Field(
        description="The date words exactly as written ('Friday', 'since October 18')."
    )
    evidence: EvidenceList


class Location(_Model):
    """A place where the event happened, as the article names it."""

    name: str = Field(
        description="The place name exactly as written ('Kharab al-Jir', 'al-Hasakah')."
    )
    kind: str = Field(
        default="place",
        description="What the place is: base, airport, town, city, province, countryside, "
        "crossing, oil_field, embassy, country, region or place.",
    )
    admin_region: str | None = Field(
        default=None,
        description="Province or governorate the place is in, only when the text says so.",
    )
    country: str | None = Field(
        default=None, description="Country the place is in, only when the text says so."
    )
    geo_precision: int = Field(
        ge=1,
        le=3,
        description="ACLED geo-precision: 1 = the exact town, base or site; 2 = a district or "
        "area near a named place; 3 = only a province, region or country.",
    )
    evidence: EvidenceList


class Actor(_Model):
    """A party to the event: who acted or who was acted on."""

    name: str = Field(description="The actor exactly as written ('US occupation forces').")
    neutral_name: str = Field(
        description="A neutral English name without loaded words ('US forces', 'Islamic "
        "Resistance in Iraq'). Same as name when name is already neutral."
    )
    kind: ActorKind = Field(default=ActorKind.other, description="What sort of actor this is.")
    evidence: EvidenceList


class Means(_Model):
    """A weapon or means used or involved (drone, rocket, helicopter, live ammunition...)."""

    name: str = Field(description="The weapon or means exactly as written.")
    category: str = Field(
        description="One of: drone, rocket, missile, artillery, aircraft, helicopter, "
        "armoured_vehicle, firearm, live_ammunition, explosive, grenade, suicide_bomb, "
        "air_defense, laser, other."
    )
    evidence: EvidenceList


class CasualtyCount(_Model):
    """A conservative count of people killed or of people injured (never both mixed)."""

    low: int | None = Field(default=None, ge=0, description="Lowest figure the text supports.")
    best: int | None = Field(
        default=None, ge=0, description="Most likely figure the text supports, or null."
    )
    high: int | None = Field(default=None, ge=0, description="Highest figure the text supports.")
    who: str | None = Field(default=None, description="Who was hit, as written ('US soldiers').")
    text: str = Field(description="The casualty words as written ('at least 70 US soldiers').")
    evidence: EvidenceList


class Casualties(_Model):
    killed: CasualtyCount | None = Field(default=None, description="People killed, or null.")
    injured: CasualtyCount | None = Field(default=None, description="People injured, or null.")
    none_reported: bool = Field(
        default=False, description="True only when the text says there were no casualties."
    )


class Quantity(_Model):
    """An aggregate count the article gives, with what it counts and over what scope."""

    value: int = Field(
        ge=0,
        description="The number (word numbers such as 'three' as digits). For a range "
        "('between 10 and 15 attacks') the low end.",
    )
    high: int | None = Field(
        default=None,
        ge=0,
        description="The high end of a range ('between 10 and 15 attacks' -> 15), else null.",
    )
    qualifier: QuantityQualifier = Field(
        default=QuantityQualifier.exact,
        description="exact, at_least ('at least 70'), more_than ('more than 15'), about "
        "('about 85'), at_most, or several (a vague count; value is then the lower bound).",
    )
    unit: str = Field(
        description="What is counted ('attacks', 'batches of weapons', 'operations')."
    )
    scope: str | None = Field(
        default=None,
        description="Where/when the count applies, as written ('on US bases in Syria since "
        "October 18'), or null.",
    )
    text: str = Field(description="The count exactly as written ('about 85 times').")
    evidence: EvidenceList

    @model_validator(mode="after")
    def _range_in_order(self) -> Quantity:
        if self.high is not None and self.high < self.value:
            raise ValueError(f"high ({self.high}) must be at least value ({self.value})")
        return self


class Attribution(_Model):
    """Who says so: the source of a claim, as the article attributes it."""

    source: str = Field(description="The source as written ('Informed sources', 'Al-Akhbar').")
    kind: SourceKind = Field(description="What sort of source it is.")
    via: str | None = Field(
        default=None,
        description="The outlet or channel the claim reached the article through "
        "('told Al Mayadeen', 'in a statement on Telegram'), or null.",
    )
    evidence: EvidenceList


class IncidentRecord(_Model):
    """One event the article reports: typed, dated, placed, attributed and grounded."""

    event_type: EventType = Field(description="The kind of event (see the list of kinds).")
    acled_event_type: AcledEventType = Field(
        default=AcledEventType.strategic_developments,
        description="ACLED event type. Filled in by the tool from event_type, means, targets "
        "and casualties; leave it out.",
    )
    acled_sub_event_type: AcledSubEventType = Field(
        default=AcledSubEventType.other,
        description="ACLED sub-event type. Filled in by the tool; leave it out.",
    )
    status: EventStatus = Field(
        description="occurred (reported as fact), claimed (only a party's claim), threatened, "
        "planned (announced for the future), simulated (a drill or exercise), or denied."
    )
    description: str = Field(
        description="One neutral sentence saying what happened, in your own plain words, without "
        "loaded terms ('occupation', 'terrorist', 'martyr') and without new facts."
    )
    operation_name: str | None = Field(
        default=None,
        description="The operation's name exactly as written ('Operation Blue Arrow'), only when "
        "the event's own evidence quotes name it; else null.",
    )
    date: EventDate | None = Field(default=None, description="When it happened, or null.")
    locations: list[Location] = Field(default_factory=list, description="Where it happened.")
    initiators: list[Actor] = Field(default_factory=list, description="Who carried it out.")
    targets: list[Actor] = Field(default_factory=list, description="Who or what was targeted.")
    means: list[Means] = Field(default_factory=list, description="Weapons or means involved.")
    casualties: Casualties = Field(
        default_factory=Casualties, description="People killed and injured, kept separate."
    )
    quantities: list[Quantity] = Field(
        default_factory=list, description="Counts of attacks, batches, exercises, troops..."
    )
    attribution: list[Attribution] = Field(
        default_factory=list, description="Who the article says reported or claimed it."
    )
    evidence: EvidenceList = Field(
        description="The sentence(s) of the article that report this event, quoted verbatim."
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_given_acled(cls, data: Any) -> Any:
        """The ACLED fields are derived, never taken from input (a model's guess or old JSON)."""
        if isinstance(data, dict) and any(k.startswith("acled_") for k in data):
            data = {k: v for k, v in data.items() if not k.startswith("acled_")}
        return data

    @model_validator(mode="after")
    def _derive_acled(self) -> IncidentRecord:
        """(Re)compute the ACLED fields by the deterministic mapping in `summarizer.acled`."""
        from summarizer.acled import acled_types  # the mapping imports these models

        self.acled_event_type, self.acled_sub_event_type = acled_types(self)
        return self


class Extraction(_Model):
    """Everything the extraction step returns for one article."""

    incidents: list[IncidentRecord] = Field(
        default_factory=list,
        description="Every distinct event the article reports, in article order. An empty list "
        "when the article reports none.",
    )


# --------------------------------------------------------------------------- summary


class KeyClaim(_Model):
    claim: str = Field(description="One claim from the article in neutral words.")
    attributed_to: str | None = Field(
        description="Who makes the claim, as the article attributes it; null only when the "
        "article states it in its own voice."
    )
    evidence: EvidenceList


class LoadedTerm(_Model):
    term: str = Field(description="A loaded or partisan term exactly as it appears in the article.")
    neutral: str = Field(description="A neutral alternative ('occupation forces' -> 'forces').")
    in_quotation: bool = Field(
        default=False,
        description="True when the term sits inside quotation marks: it is then attributed, "
        "never rewritten.",
    )
    evidence: EvidenceList


class SummarySentence(_Model):
    """One neutral sentence of the summary, with the article quotes it rests on."""

    text: str = Field(
        description="One neutral sentence. Claims stay claims: say who says so ('according to "
        "sources cited by ...'). Every name, number and place in it must appear in its evidence "
        "quotes. No loaded terms outside attributed quotes.",
        min_length=1,
    )
    evidence: EvidenceList = Field(
        description="The article sentence(s) this sentence rests on, quoted verbatim."
    )


class NeutralSummary(_Model):
    """A neutral, attributed summary of the article."""

    headline: SummarySentence | None = Field(
        default=None,
        description="A neutral headline: one sentence of at most 15 words, with its evidence; "
        "null when no headline can be grounded.",
    )
    sentences: list[SummarySentence] = Field(
        default_factory=list,
        description="Two to four neutral sentences summarising the article, each with the "
        "quotes it rests on.",
    )
    key_claims: list[KeyClaim] = Field(
        default_factory=list, description="The article's main claims, each with its source."
    )
    loaded_terms: list[LoadedTerm] = Field(
        default_factory=list, description="Loaded terms the article uses, with neutral wording."
    )

    @property
    def text(self) -> str:
        """The summary sentences joined, for display (not a field)."""
        return " ".join(s.text for s in self.sentences)


# --------------------------------------------------------------------------- article and result


class CleaningStats(_Model):
    method: str = Field(description="'text' for plain-text input, 'html' for HTML input.")
    raw_chars: int = Field(ge=0)
    clean_chars: int = Field(ge=0)
    lines_kept: int = Field(default=0, ge=0)
    lines_dropped: int = Field(default=0, ge=0)


class Article(_Model):
    """A cleaned article: the body the extraction sees, plus metadata found on the page."""

    text: str = Field(description="The cleaned article body; evidence offsets index into it.")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = Field(
        default=None, description="Publication date or datetime, ISO 8601, when found."
    )
    byline: str | None = None
    language: str | None = None
    doc_id: str = Field(
        description="sha256 (hex) of the raw input bytes as read (text input: its UTF-8 "
        "encoding): a stable identity for resume and duplicate links. Filled in by cleaning; an "
        "Article built straight from text without it gets the hash of that text."
    )
    source: str | None = Field(
        default=None, description="The input path as given, or '-' for stdin."
    )
    offset_map: list[tuple[int, int, int]] = Field(
        default_factory=list,
        description="Segments (clean_start, raw_start, length): "
        "text[clean_start:clean_start+length] came from raw[raw_start:raw_start+length] "
        "of the decoded input.",
    )
    stats: CleaningStats | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_doc_id(cls, data: Any) -> Any:
        """Text given directly is its own raw input: hash it when no doc_id was given."""
        if isinstance(data, dict) and not data.get("doc_id") and isinstance(data.get("text"), str):
            data = {**data, "doc_id": doc_id_of(data["text"])}
        return data


def doc_id_of(raw: bytes | str) -> str:
    """The stable identity of an input: sha256 hex of its bytes (a str as UTF-8)."""
    return hashlib.sha256(raw.encode("utf-8") if isinstance(raw, str) else raw).hexdigest()


class Dropped(_Model):
    """A value removed from the result (ungrounded, invalid), where it was and why."""

    path: str = Field(
        description="Where in the result it was ('incidents[2].casualties.killed', "
        "'summary.sentences[1]')."
    )
    reason: str = Field(description="Why it was dropped, in one line.")
    value: str | None = Field(default=None, description="Short text of what was dropped.")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class DuplicateLink(_Model):
    """This article repeats another one (a repost or near-duplicate)."""

    doc_id: str = Field(description="doc_id of the article this one duplicates.")
    similarity: float = Field(ge=0.0, le=1.0, description="How similar the two texts are (0-1).")
    method: str = Field(description="How it was detected ('exact', 'minhash').")


class Provenance(_Model):
    """Where a result came from, so it can be trusted, reproduced and costed."""

    backend: str = Field(description="offline, openai, replay or llamacpp.")
    model: str
    prompt_version: str
    schema_version: str = SCHEMA_VERSION
    cache_hit: bool = False
    server: str | None = Field(default=None, description="Host of the LLM server, never a key.")
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = Field(default=None, description="Estimated cost, when priced.")
    latency_s: float = 0.0
    validation_retries: int = 0
    transport_retries: int = 0
    dropped: list[Dropped] = Field(
        default_factory=list,
        description="Values removed because their evidence was not found in the text or they "
        "failed validation: each with its path, reason and a short text of the value.",
    )
    notes: list[str] = Field(default_factory=list)


class ArticleResult(_Model):
    """The full answer for one article: metadata, cleaned text, incidents, summary, provenance."""

    schema_version: str = SCHEMA_VERSION
    article: Article
    incidents: list[IncidentRecord]
    summary: NeutralSummary
    provenance: Provenance
    duplicate_of: DuplicateLink | None = Field(
        default=None, description="The article this one repeats, when it is a repost; else null."
    )


#: Models exported as JSON Schema files under `schemas/`.
TOP_LEVEL_MODELS: tuple[type[BaseModel], ...] = (
    ArticleResult,
    IncidentRecord,
    NeutralSummary,
    Article,
    Extraction,
)


# --------------------------------------------------------------------------- comparison
# How several outlets tell the same story (`summarizer compare`). Appended here so the
# schema stays in one module; exported as schemas/Comparison.json.


class LinkKind(StrEnum):
    """Why two articles are grouped into one story."""

    repost = "repost"  # near-duplicate text (the same article on another site)
    same_events = "same_events"  # incidents matched on date, place, type and actors
    same_story = "same_story"  # no incidents to match: shared names and key words


class CellStatus(StrEnum):
    """How one outlet's value for a fact compares with the other outlets'."""

    agree = "agree"
    differ = "differ"
    only_in_one = "only_in_one"
    different_scope = "different_scope"  # counts over different places or periods
    absent = "absent"  # this outlet does not give the fact


class EvidenceRef(_Model):
    """A span of one article's cleaned text: `text[start:end] == quote` in article `doc_id`."""

    doc_id: str
    start: int
    end: int
    quote: str
    field: str | None = Field(default=None, description="The fact this span backs.")


class ComparedArticle(_Model):
    """One input of a comparison: which article, which outlet, which story it landed in."""

    doc_id: str
    label: str = Field(description="Display name: the outlet, else the source file.")
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    story: str = Field(description="Id of the story group the article belongs to.")
    repost_of: str | None = Field(
        default=None, description="doc_id of the article this one reposts, if any."
    )


class StoryLink(_Model):
    """Why two articles were put in one story, and how strongly."""

    a: str = Field(description="doc_id of the earlier article.")
    b: str = Field(description="doc_id of the later article.")
    kind: LinkKind
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)


class FactCell(_Model):
    """One outlet's value for one fact of a matched incident, with its evidence."""

    doc_id: str
    outlet: str
    value: str | None = None
    scope: str | None = Field(default=None, description="Where/when a count applies, as written.")
    status: CellStatus
    evidence: list[EvidenceRef] = Field(default_factory=list)


class FactRow(_Model):
    """One fact (date, place, actors, a count...) across the outlets that report the incident."""

    fact: str
    status: CellStatus
    cells: list[FactCell]
    note: str | None = None


class IncidentRef(_Model):
    doc_id: str
    index: int = Field(description="Position of the incident in that article's result.")


class MatchedIncident(_Model):
    """An incident as the outlets report it: one member per outlet that reports it."""

    id: str
    event_type: EventType
    description: str
    date: str | None = None
    members: list[IncidentRef]
    score: float = Field(default=1.0, description="Match score of the members (1 when alone).")
    rows: list[FactRow] = Field(default_factory=list)


class ActorLabels(_Model):
    """The words each outlet uses for one actor ('US occupation forces' vs 'US forces')."""

    actor: str = Field(description="Neutral name of the actor.")
    labels: dict[str, list[str]] = Field(description="doc_id -> labels as written.")


class TermUse(_Model):
    """A loaded or strongly polar word an outlet uses, how often, and where."""

    term: str
    neutral: str | None = None
    lexicon: str = Field(description="'domain' (framing lexicon) or 'valence' (vader).")
    category: str
    count: int = 1
    in_quotation: bool = False
    evidence: list[EvidenceRef] = Field(default_factory=list)


class OutletFraming(_Model):
    """How one outlet frames the story: loaded words, polarity, sourcing, quoting."""

    doc_id: str
    outlet: str
    words: int
    loaded_terms: list[TermUse] = Field(default_factory=list)
    loaded_per_100_words: float
    polarity_strength: float = Field(description="Mean absolute vader valence per word.")
    sources_named: int = 0
    sources_anonymous: int = 0
    anonymous_share: float | None = None
    claims: int = 0
    unattributed_share: float | None = Field(
        default=None, description="Share of the outlet's claims with no attribution."
    )
    quoted_share: float = Field(description="Share of sentences that quote someone.")
    paraphrase_share: float = Field(description="Share of attributed sentences with no quote.")


class ConsensusSentence(_Model):
    """One sentence of the consensus account, with the outlets that support it."""

    text: str
    outlets: list[str] = Field(description="Labels of the outlets that support the sentence.")
    doc_ids: list[str] = Field(default_factory=list)
    disagreement: bool = Field(default=False, description="True when it names a disagreement.")
    evidence: list[EvidenceRef] = Field(default_factory=list)


class ConsensusSummary(_Model):
    """A neutral account of a story across outlets: who supports what, where they differ."""

    headline: str | None = None
    sentences: list[ConsensusSentence] = Field(default_factory=list)
    dropped: list[str] = Field(
        default_factory=list, description="Sentences removed because the records do not back them."
    )
    method: str = Field(description="'rules' (offline merge of the fact matrix) or 'llm'.")
    backend: str
    model: str
    prompt_version: str


class StoryGroup(_Model):
    """Articles about the same story: links, matched incidents, framing, consensus."""

    id: str
    doc_ids: list[str]
    links: list[StoryLink] = Field(default_factory=list)
    incidents: list[MatchedIncident] = Field(default_factory=list)
    actor_labels: list[ActorLabels] = Field(default_factory=list)
    framing: list[OutletFraming] = Field(default_factory=list)
    consensus: ConsensusSummary | None = None


class Comparison(_Model):
    """How several outlets tell the same stories, side by side, with evidence."""

    schema_version: str = SCHEMA_VERSION
    articles: list[ComparedArticle]
    groups: list[StoryGroup]
    candidate_pairs: int = Field(
        default=0, description="Article pairs scored for grouping (blocking keeps it far below n²)."
    )
    notes: list[str] = Field(default_factory=list)


class DraftSentence(_Model):
    """A consensus sentence as the model writes it."""

    text: str = Field(
        description="One neutral sentence. Every fact in it must be in the records of the "
        "outlets you cite. Name disagreements explicitly: 'Outlet A reports 85 attacks in "
        "Syria since 18 October; Outlet B reports 118 in Syria and Iraq since 17 October.'"
    )
    outlets: list[str] = Field(
        min_length=1, description="The outlet labels, exactly as given, that support it."
    )
    disagreement: bool = Field(
        default=False, description="True when the sentence states that outlets differ."
    )


class ConsensusDraft(_Model):
    """What the consensus step returns: a neutral multi-outlet account."""

    headline: str = Field(description="A neutral headline of at most 15 words.")
    sentences: list[DraftSentence] = Field(
        min_length=1,
        description="Two to six sentences, facts reported by several outlets first.",
    )


TOP_LEVEL_MODELS = (*TOP_LEVEL_MODELS, Comparison)
