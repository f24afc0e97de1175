"""Reference data seeded into every new programme (DOMAIN.md)."""

from __future__ import annotations

from .models import CostCategory, FundingCategory, KpiAggregation, KpiKind

PUBLIC, PRIVATE, PROJECT = FundingCategory.PUBLIC, FundingCategory.PRIVATE, FundingCategory.PROJECT

FUNDING_SOURCES: list[tuple[str, str, str]] = [
    ("national_cluster_programme", "National cluster programme", PUBLIC),
    ("national_government", "Other national government / ministry funding", PUBLIC),
    ("regional_government", "Regional / state government", PUBLIC),
    ("local_government", "Local government / municipality", PUBLIC),
    (
        "international_public",
        "International public financing (EU, World Bank, UN, IDB, GIZ, JICA)",
        PUBLIC,
    ),
    ("public_accelerator", "Publicly funded accelerator / incubator programme", PUBLIC),
    ("employment_subsidies", "Employment and wage subsidies", PUBLIC),
    ("chamber_of_commerce", "Chamber of commerce funding", PUBLIC),
    ("membership_fees", "Membership fees", PRIVATE),
    ("member_funded_projects", "Member-funded projects", PRIVATE),
    ("member_activities", "Programmes and member activities", PRIVATE),
    ("events_sponsorship", "Events and sponsorship", PRIVATE),
    ("training", "Training programmes", PRIVATE),
    ("market_intelligence", "Market reports and business intelligence", PRIVATE),
    ("export_programmes", "Go-to-market and export programmes", PRIVATE),
    ("scaleup_programmes", "Startup and scale-up programme fees", PRIVATE),
    ("fundraising_fees", "Fees on capital raised (typically 2.5 to 10 %)", PRIVATE),
    ("ipo_fast_track", "Fast-track to IPO programmes", PRIVATE),
    ("equity_returns", "Equity and venture fund returns", PRIVATE),
    ("member_shares", "Member share programme", PRIVATE),
    ("facility_rent", "Office, workshop and lab rent", PRIVATE),
    ("digital_platform", "Digital platform subscriptions", PRIVATE),
    ("service_fees", "Services and consulting fees", PRIVATE),
    ("open_innovation_fees", "Open innovation and scouting fees", PRIVATE),
    ("project_commissions", "Commissions on collaborative projects", PRIVATE),
    ("corporate_partnerships", "Corporate partnerships", PRIVATE),
    ("eu_projects", "EU project funding (Horizon Europe, Interreg, ...)", PROJECT),
    (
        "national_projects",
        "National project funding (research council, innovation agency)",
        PROJECT,
    ),
    ("regional_projects", "Regional and local project funding", PROJECT),
    ("international_projects", "Other international project funding", PROJECT),
]

ACT, OUT, OUTC, IMP = KpiKind.ACTIVITY, KpiKind.OUTPUT, KpiKind.OUTCOME, KpiKind.IMPACT
SUM, MEAN = KpiAggregation.SUM, KpiAggregation.MEAN

# (code, name, unit, kind, aggregation)
DEFAULT_KPIS: list[tuple[str, str, str, str, str]] = [
    ("members_total", "Members (all helices)", "members", OUT, SUM),
    ("members_industry", "Members: industry", "members", OUT, SUM),
    ("members_academia", "Members: academia", "members", OUT, SUM),
    ("members_government", "Members: government", "members", OUT, SUM),
    ("members_entrepreneurs", "Members: entrepreneurs (startups, scale-ups)", "members", OUT, SUM),
    ("members_capital", "Members: capital (angels, VCs, investors)", "members", OUT, SUM),
    ("rd_projects", "R&D projects started", "projects", OUT, SUM),
    ("jobs_created", "Jobs created", "jobs", OUTC, SUM),
    ("startups_created", "Startups created", "startups", OUTC, SUM),
    ("member_revenue", "Member revenue", "currency", OUTC, SUM),
    ("exports", "Member exports", "currency", OUTC, SUM),
    ("public_funds_mobilised", "Public funds mobilised", "currency", OUTC, SUM),
    ("capital_raised", "Capital raised", "currency", OUTC, SUM),
    ("events", "Events held", "events", ACT, SUM),
    ("participants", "Event participants", "people", ACT, SUM),
    ("staff_fte", "Cluster staff", "FTE", ACT, SUM),
    ("global_market_share", "Global market share", "share", IMP, MEAN),
    ("gdp_share", "Share of regional GDP", "share", IMP, MEAN),
]

COST_CATEGORIES = [c.value for c in CostCategory]
