"""The demo programme: DOMAIN.md's worked-example clusters (used by load_demo and tests)."""

from __future__ import annotations

from typing import Any

DEMO_PROGRAM = {
    "slug": "demo",
    "name": "Demo national cluster programme",
    "currency": "EUR",
    "country": "NO",
}

DEMO_CLUSTERS: list[dict[str, Any]] = [
    {
        "slug": "ocean-tech",
        "name": "Ocean Tech Cluster",
        "country": "NO",
        "region": "Vestland",
        "sector": "Ocean technology",
        "founded_year": 2012,
        "stage": "growth",
        "category": "transform",
    },
    {
        "slug": "evolution-cluster",
        "name": "Evolution Map Cluster",
        "country": "NO",
        "region": "Viken",
        "sector": "Digital services",
        "founded_year": 2015,
        "stage": "growth",
        "category": "build",
    },
    {
        "slug": "monterrey-aerocluster",
        "name": "Monterrey Aerocluster",
        "country": "MX",
        "region": "Nuevo León",
        "sector": "Aerospace",
        "founded_year": 2008,
        "stage": "growth",
        "category": "grow",
    },
    {
        "slug": "metaindustry4",
        "name": "MetaIndustry4",
        "country": "ES",
        "region": "Asturias",
        "sector": "Advanced manufacturing",
        "founded_year": 2013,
        "stage": "emerging",
        "category": "transform",
    },
    {
        "slug": "health-valley",
        "name": "Health Valley",
        "country": "NL",
        "region": "Gelderland",
        "sector": "Health",
        "founded_year": 2009,
        "stage": "supercluster",
        "category": "grow",
    },
    {
        "slug": "construction-slovenia",
        "name": "Construction Cluster of Slovenia",
        "country": "SI",
        "region": "Osrednjeslovenska",
        "sector": "Construction",
        "founded_year": 2004,
        "stage": "growth",
        "category": "transform",
    },
    {
        "slug": "queensland-robotics",
        "name": "Queensland Robotics Cluster",
        "country": "AU",
        "region": "Queensland",
        "sector": "Robotics",
        "founded_year": 2018,
        "stage": "emerging",
        "category": "build",
    },
    {
        "slug": "avaesen",
        "name": "Avaesen",
        "country": "ES",
        "region": "Valencia",
        "sector": "Energy and smart cities",
        "founded_year": 2006,
        "stage": "growth",
        "category": "transform",
    },
]


# Reporting periods opened for the demo programme (all closed but the current one).
DEMO_PERIOD_YEARS = list(range(2015, 2027))

# Fx rates into EUR: 1 unit of the currency = rate EUR. There is deliberately no AUD rate
# for 2021, so Queensland Robotics' 2021 submission shows up in the funding mix's `excluded`.
DEMO_FX_RATES: list[tuple[int, str, str]] = [
    (2020, "MXN", "0.0435"),
    (2021, "MXN", "0.0416"),
    (2022, "MXN", "0.0472"),
    (2020, "AUD", "0.6050"),
]

# Annual submissions built from DOMAIN.md's worked examples. Amounts are exact decimal
# strings in the submission's currency; `state` is where load_demo leaves them.
DEMO_SUBMISSIONS: list[dict[str, Any]] = [
    # Ocean tech cluster, 2021, its 10th year: 40 % national programme, 5 % city, 20 %
    # membership fees, 5 % member activities, 30 % EU projects; costs 65/10/25; 3 staff.
    {
        "cluster": "ocean-tech",
        "year": 2021,
        "currency": "EUR",
        "state": "approved",
        "staff_fte": "3",
        "funding": [
            ("national_cluster_programme", "400000.00"),
            ("local_government", "50000.00"),
            ("membership_fees", "200000.00"),
            ("member_activities", "50000.00"),
            ("eu_projects", "300000.00"),
        ],
        "costs": [("staff", "650000.00"), ("operations", "100000.00"), ("projects", "250000.00")],
        "kpis": [("members_total", "165"), ("members_capital", "9"), ("staff_fte", "3")],
    },
    {
        "cluster": "ocean-tech",
        "year": 2020,
        "currency": "EUR",
        "state": "approved",
        "staff_fte": "3",
        "funding": [
            ("national_cluster_programme", "420000.00"),
            ("local_government", "60000.00"),
            ("membership_fees", "170000.00"),
            ("member_activities", "40000.00"),
            ("eu_projects", "250000.00"),
        ],
        "costs": [("staff", "610000.00"), ("operations", "110000.00"), ("projects", "230000.00")],
        "kpis": [("members_total", "150"), ("members_capital", "7"), ("staff_fte", "3")],
    },
    # The evolution-map cluster: 2015 EUR 100k (60 % national programme, 40 % local
    # government; needs 125k), 2020 EUR 300k (40 % local government, 30 % fees, 30 %
    # member-funded projects; needs 350k), 2025 EUR 800k (50 % fees, 50 % member projects;
    # needs 850k). Set-up costs only in year one.
    {
        "cluster": "evolution-cluster",
        "year": 2015,
        "currency": "EUR",
        "state": "approved",
        "staff_fte": "1",
        "funding": [("national_cluster_programme", "60000.00"), ("local_government", "40000.00")],
        "costs": [("setup", "25000.00"), ("staff", "80000.00"), ("operations", "20000.00")],
        "kpis": [("members_total", "12")],
    },
    {
        "cluster": "evolution-cluster",
        "year": 2020,
        "currency": "EUR",
        "state": "approved",
        "staff_fte": "3",
        "funding": [
            ("local_government", "120000.00"),
            ("membership_fees", "90000.00"),
            ("member_funded_projects", "90000.00"),
        ],
        "costs": [("staff", "250000.00"), ("operations", "100000.00")],
        "kpis": [("members_total", "45")],
    },
    {
        "cluster": "evolution-cluster",
        "year": 2025,
        "currency": "EUR",
        "state": "approved",
        "staff_fte": "6",
        "funding": [("membership_fees", "400000.00"), ("member_funded_projects", "400000.00")],
        "costs": [("staff", "500000.00"), ("operations", "200000.00"), ("projects", "150000.00")],
        "kpis": [("members_total", "110")],
    },
    # Monterrey Aerocluster, in MXN: Nuevo León state about 40 % (only for projects, so
    # restricted), private about 50 % (memberships, events, training), projects about 10 %.
    {
        "cluster": "monterrey-aerocluster",
        "year": 2021,
        "currency": "MXN",
        "state": "approved",
        "staff_fte": "5",
        "funding": [
            ("regional_government", "4000000.00", {"restricted": True}),
            ("membership_fees", "2500000.00"),
            ("events_sponsorship", "1500000.00"),
            ("training", "1000000.00"),
            ("national_projects", "1000000.00"),
        ],
        "costs": [
            ("staff", "5200000.00"),
            ("operations", "1800000.00"),
            ("projects", "3000000.00"),
        ],
        "kpis": [("members_total", "50"), ("events", "24")],
    },
    # MetaIndustry4 (Asturias): about 25 % regional public, 40 % membership, 35 % projects;
    # costs 50 % staff, 50 % non-personal; 60 members.
    {
        "cluster": "metaindustry4",
        "year": 2021,
        "currency": "EUR",
        "state": "approved",
        "staff_fte": "4",
        "funding": [
            ("regional_government", "100000.00"),
            ("membership_fees", "160000.00"),
            ("eu_projects", "140000.00"),
        ],
        "costs": [("staff", "200000.00"), ("operations", "200000.00")],
        "kpis": [("members_total", "60")],
    },
    # Queensland Robotics: no membership fee; members hold shares paying a dividend. In AUD
    # with no 2021 rate: it must appear in `excluded`, never be dropped silently.
    {
        "cluster": "queensland-robotics",
        "year": 2021,
        "currency": "AUD",
        "state": "approved",
        "staff_fte": "2",
        "funding": [
            ("regional_government", "150000.00"),
            ("member_shares", "90000.00"),
            ("fundraising_fees", "30000.00"),
            ("national_projects", "60000.00"),
        ],
        "costs": [("staff", "200000.00"), ("operations", "90000.00")],
        "kpis": [("members_total", "40"), ("capital_raised", "1200000")],
    },
    # Health Valley: public/private moving from 90/10 towards 40/60.
    {
        "cluster": "health-valley",
        "year": 2021,
        "currency": "EUR",
        "state": "submitted",
        "staff_fte": "12",
        "funding": [
            ("regional_government", "800000.00"),
            ("membership_fees", "900000.00"),
            ("service_fees", "300000.00"),
        ],
        "costs": [("staff", "1400000.00"), ("operations", "500000.00")],
        "kpis": [("members_total", "250")],
    },
    # Avaesen mobilised EUR 49M of public funds for city challenges in 2020.
    {
        "cluster": "avaesen",
        "year": 2020,
        "currency": "EUR",
        "state": "approved",
        "staff_fte": "8",
        "funding": [
            ("regional_government", "300000.00"),
            ("membership_fees", "350000.00"),
            ("eu_projects", "450000.00"),
        ],
        "costs": [("staff", "600000.00"), ("operations", "200000.00"), ("projects", "300000.00")],
        "kpis": [("public_funds_mobilised", "49000000"), ("members_total", "120")],
    },
]
