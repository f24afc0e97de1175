"""The eight kinds of canvas and their fixed vocabularies (block codes, states, levels)."""

from __future__ import annotations

BUSINESS_MODEL_MAP = "business-model-map"
EVOLUTION_MAP = "evolution-map"
BUSINESS_MODEL_CANVAS = "business-model-canvas"
FINANCING_MODEL = "financing-model"
VALUE_IMPACT_ROADMAP = "value-impact-roadmap"
VALUE_TRIANGLE = "value-triangle"
STRATEGY = "strategy"
SELF_ASSESSMENT = "self-assessment"

KINDS: tuple[str, ...] = (
    BUSINESS_MODEL_MAP,
    EVOLUTION_MAP,
    BUSINESS_MODEL_CANVAS,
    FINANCING_MODEL,
    VALUE_IMPACT_ROADMAP,
    VALUE_TRIANGLE,
    STRATEGY,
    SELF_ASSESSMENT,
)

TITLES = {
    BUSINESS_MODEL_MAP: "Cluster Business Model Map",
    EVOLUTION_MAP: "Cluster Business Model Evolution Map",
    BUSINESS_MODEL_CANVAS: "Cluster Business Model Canvas",
    FINANCING_MODEL: "Cluster Financing Model",
    VALUE_IMPACT_ROADMAP: "Cluster Value Impact Roadmap",
    VALUE_TRIANGLE: "Cluster Value Triangle",
    STRATEGY: "Cluster Strategy",
    SELF_ASSESSMENT: "Business Model Management: Self-Assessment",
}

# The 14 building blocks of the Cluster Business Model Canvas, in reading order.
BLOCKS: tuple[str, ...] = (
    "members",
    "funding_partners",
    "member_relationships",
    "channels",
    "value_proposition",
    "key_activities",
    "key_resources",
    "key_stakeholders",
    "ecosystems_and_partner_clusters",
    "public_funding",
    "private_funding",
    "project_funding",
    "cost_structure",
    "value_impact",
)
BLOCK_TITLES = {
    "members": "Members",
    "funding_partners": "Funding partners",
    "member_relationships": "Member relationships",
    "channels": "Channels",
    "value_proposition": "Value proposition",
    "key_activities": "Key activities",
    "key_resources": "Key resources",
    "key_stakeholders": "Key stakeholders",
    "ecosystems_and_partner_clusters": "Ecosystems & partner clusters",
    "public_funding": "Public funding",
    "private_funding": "Private funding",
    "project_funding": "Project funding",
    "cost_structure": "Cost structure",
    "value_impact": "Value impact",
}

AS_IS, TO_BE = "as_is", "to_be"
NOTE_STATES = (AS_IS, TO_BE)
STRESS_LEVELS = ("low", "medium", "high")
ASSESSMENT_AREAS = ("understand", "map", "optimize", "evolve", "compete")
TRIANGLE_SIDES = (
    "ambition_and_strategy",
    "structure_and_governance",
    "business_model_and_financing",
)
TRIANGLE_TITLES = {
    "ambition_and_strategy": "Ambition & strategy",
    "structure_and_governance": "Structure & governance",
    "business_model_and_financing": "Business model & financing",
}
STRATEGY_TEXTS = ("ambition", "value_impact", "roadmap")
MAX_FOCUS_AREAS = 5
MAX_STAGES = 20
MAX_NOTES_PER_BLOCK = 50

# The current canvas of a kind; other names are scenarios shown beside it.
CURRENT = "current"

# Keys a response adds beside the body: a client may send them back, they are ignored.
READ_ONLY_KEYS = frozenset(
    {"kind", "cluster", "alternative", "version", "created_by", "created_at", "age", "currency"}
)
