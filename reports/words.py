"""The words of the reports that are not in the templates: the names of categories, stages,
states and kinds, the catalogue's funding sources and default KPIs, in the active language.

Everything goes through Django's translation machinery (``gettext_lazy``: resolved when the
report is rendered inside ``translation.override(language)``). Catalogue sources and
default KPIs are translated only while the programme keeps their catalogue name: a name a
programme chose is its own text and is shown as written.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from clusters.catalogue import DEFAULT_KPIS, FUNDING_SOURCES

FUNDING_CATEGORIES = {"public": _("Public"), "private": _("Private"), "project": _("Project")}
COST_CATEGORIES = {
    "setup": _("Set-up"),
    "staff": _("Staff"),
    "operations": _("Operations"),
    "projects": _("Projects"),
}
STAGES = {
    "baby": _("Baby (early network)"),
    "emerging": _("Emerging"),
    "growth": _("Growth"),
    "supercluster": _("Supercluster"),
}
CLUSTER_CATEGORIES = {
    "grow": _("Grow an existing industry"),
    "transform": _("Transform an industry"),
    "build": _("Build a new industry"),
}
KPI_KINDS = {
    "activity": _("Activity"),
    "output": _("Output"),
    "outcome": _("Outcome"),
    "impact": _("Impact"),
}
SUBMISSION_STATES = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned for changes"),
    "approved": _("Approved"),
    "missing": _("Not started"),
}
PROGRESS = {
    "on_track": _("On track"),
    "behind": _("Behind"),
    "no_actual": _("Not reported"),
    "before_baseline": _("Before the baseline"),
}
DIRECTIONS = {
    "towards_private": _("Moving towards private funding"),
    "towards_public": _("Moving towards public funding"),
    "stuck": _("Stuck above the threshold"),
    "stable": _("Stable"),
    "insufficient_data": _("Too few years to tell"),
}
STRESS = {"low": _("Low"), "medium": _("Medium"), "high": _("High")}
WARNING_RULES = {
    "funding_change": _("Total funding changed much from last year"),
    "costs_over_funding": _("Costs above funding"),
    "kpi_outlier": _("A KPI far outside its history"),
    "source_disappeared": _("A funding source of last year is gone"),
    "public_share": _("Public share above the programme's threshold"),
    "required_kpis": _("A KPI the programme requires is missing"),
}
BLOCKS = {
    "members": _("Members"),
    "funding_partners": _("Funding partners"),
    "member_relationships": _("Member relationships"),
    "channels": _("Channels"),
    "value_proposition": _("Value proposition"),
    "key_activities": _("Key activities"),
    "key_resources": _("Key resources"),
    "key_stakeholders": _("Key stakeholders"),
    "ecosystems_and_partner_clusters": _("Ecosystems & partner clusters"),
    "public_funding": _("Public funding"),
    "private_funding": _("Private funding"),
    "project_funding": _("Project funding"),
    "cost_structure": _("Cost structure"),
    "value_impact": _("Value impact"),
}
CANVAS_TITLES = {
    "business-model-map": _("Cluster Business Model Map"),
    "evolution-map": _("Cluster Business Model Evolution Map"),
    "business-model-canvas": _("Cluster Business Model Canvas"),
}

# The catalogue's English names, each marked for translation (the catalogue itself is
# data: clusters/catalogue.py).
SOURCE_NAMES = {
    "national_cluster_programme": _("National cluster programme"),
    "national_government": _("Other national government / ministry funding"),
    "regional_government": _("Regional / state government"),
    "local_government": _("Local government / municipality"),
    "international_public": _(
        "International public financing (EU, World Bank, UN, IDB, GIZ, JICA)"
    ),
    "public_accelerator": _("Publicly funded accelerator / incubator programme"),
    "employment_subsidies": _("Employment and wage subsidies"),
    "chamber_of_commerce": _("Chamber of commerce funding"),
    "membership_fees": _("Membership fees"),
    "member_funded_projects": _("Member-funded projects"),
    "member_activities": _("Programmes and member activities"),
    "events_sponsorship": _("Events and sponsorship"),
    "training": _("Training programmes"),
    "market_intelligence": _("Market reports and business intelligence"),
    "export_programmes": _("Go-to-market and export programmes"),
    "scaleup_programmes": _("Startup and scale-up programme fees"),
    "fundraising_fees": _("Fees on capital raised (typically 2.5 to 10 %)"),
    "ipo_fast_track": _("Fast-track to IPO programmes"),
    "equity_returns": _("Equity and venture fund returns"),
    "member_shares": _("Member share programme"),
    "facility_rent": _("Office, workshop and lab rent"),
    "digital_platform": _("Digital platform subscriptions"),
    "service_fees": _("Services and consulting fees"),
    "open_innovation_fees": _("Open innovation and scouting fees"),
    "project_commissions": _("Commissions on collaborative projects"),
    "corporate_partnerships": _("Corporate partnerships"),
    "eu_projects": _("EU project funding (Horizon Europe, Interreg, ...)"),
    "national_projects": _("National project funding (research council, innovation agency)"),
    "regional_projects": _("Regional and local project funding"),
    "international_projects": _("Other international project funding"),
}
KPI_NAMES = {
    "members_total": _("Members (all helices)"),
    "members_industry": _("Members: industry"),
    "members_academia": _("Members: academia"),
    "members_government": _("Members: government"),
    "members_entrepreneurs": _("Members: entrepreneurs (startups, scale-ups)"),
    "members_capital": _("Members: capital (angels, VCs, investors)"),
    "rd_projects": _("R&D projects started"),
    "jobs_created": _("Jobs created"),
    "startups_created": _("Startups created"),
    "member_revenue": _("Member revenue"),
    "exports": _("Member exports"),
    "public_funds_mobilised": _("Public funds mobilised"),
    "capital_raised": _("Capital raised"),
    "events": _("Events held"),
    "participants": _("Event participants"),
    "staff_fte": _("Cluster staff"),
    "global_market_share": _("Global market share"),
    "gdp_share": _("Share of regional GDP"),
}
_CATALOGUE_SOURCES = {code: name for code, name, _category in FUNDING_SOURCES}
_CATALOGUE_KPIS = {row[0]: row[1] for row in DEFAULT_KPIS}


def source_name(code: str, name: str) -> str:
    """A funding source's name in the active language (a programme's own name as written)."""
    if _CATALOGUE_SOURCES.get(code) == name and code in SOURCE_NAMES:
        return str(SOURCE_NAMES[code])
    return name


def kpi_name(code: str, name: str) -> str:
    """A KPI's name in the active language (a programme's own name as written)."""
    if _CATALOGUE_KPIS.get(code) == name and code in KPI_NAMES:
        return str(KPI_NAMES[code])
    return name


def word(table: dict[str, Any], key: str | None) -> str:
    """``table[key]`` in the active language; an unknown key as it is, None as a dash."""
    if key is None:
        return "—"
    value = table.get(key)
    return str(value) if value is not None else key
