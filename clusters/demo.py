"""The demo programme: DOMAIN.md's worked-example clusters (used by load_demo and tests)."""

from __future__ import annotations

from typing import Any

DEMO_PROGRAM = {"slug": "demo", "name": "Demo national cluster programme", "currency": "EUR", "country": "NO"}

DEMO_CLUSTERS: list[dict[str, Any]] = [
    {"slug": "ocean-tech", "name": "Ocean Tech Cluster", "country": "NO", "region": "Vestland",
     "sector": "Ocean technology", "founded_year": 2012, "stage": "growth", "category": "transform"},
    {"slug": "evolution-cluster", "name": "Evolution Map Cluster", "country": "NO", "region": "Viken",
     "sector": "Digital services", "founded_year": 2015, "stage": "growth", "category": "build"},
    {"slug": "monterrey-aerocluster", "name": "Monterrey Aerocluster", "country": "MX",
     "region": "Nuevo León", "sector": "Aerospace", "founded_year": 2008, "stage": "growth",
     "category": "grow"},
    {"slug": "metaindustry4", "name": "MetaIndustry4", "country": "ES", "region": "Asturias",
     "sector": "Advanced manufacturing", "founded_year": 2013, "stage": "emerging",
     "category": "transform"},
    {"slug": "health-valley", "name": "Health Valley", "country": "NL", "region": "Gelderland",
     "sector": "Health", "founded_year": 2009, "stage": "supercluster", "category": "grow"},
    {"slug": "construction-slovenia", "name": "Construction Cluster of Slovenia", "country": "SI",
     "region": "Osrednjeslovenska", "sector": "Construction", "founded_year": 2004,
     "stage": "growth", "category": "transform"},
    {"slug": "queensland-robotics", "name": "Queensland Robotics Cluster", "country": "AU",
     "region": "Queensland", "sector": "Robotics", "founded_year": 2018, "stage": "emerging",
     "category": "build"},
    {"slug": "avaesen", "name": "Avaesen", "country": "ES", "region": "Valencia",
     "sector": "Energy and smart cities", "founded_year": 2006, "stage": "growth",
     "category": "transform"},
]
