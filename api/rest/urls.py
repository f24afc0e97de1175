"""REST routes under /api/v1/. Each domain module adds its own routes here."""

from django.urls import path

from . import clusters, portfolio, programs

P = "programs/<slug:program>/"

urlpatterns = [
    path("programs/", programs.ProgramList.as_view(), name="program-list"),
    path(P, programs.ProgramDetail.as_view(), name="program-detail"),
    path(f"{P}clusters/", clusters.ClusterList.as_view(), name="cluster-list"),
    path(f"{P}clusters/<slug:cluster>/", clusters.ClusterDetail.as_view(), name="cluster-detail"),
    path(f"{P}funding-sources/", programs.FundingSourceList.as_view(), name="funding-source-list"),
    path(f"{P}kpis/", programs.KpiList.as_view(), name="kpi-list"),
    path(f"{P}periods/", programs.PeriodList.as_view(), name="period-list"),
    path(f"{P}periods/<int:year>/", programs.PeriodDetail.as_view(), name="period-detail"),
    path(f"{P}fx-rates/", programs.FxRateList.as_view(), name="fx-rate-list"),
    path(f"{P}portfolio/funding-mix", portfolio.FundingMixView.as_view(), name="portfolio-funding-mix"),
    path(f"{P}portfolio/funding-mix/trend", portfolio.FundingMixTrendView.as_view(), name="portfolio-funding-mix-trend"),
    path(f"{P}portfolio/clusters", portfolio.PortfolioClustersView.as_view(), name="portfolio-clusters"),
    path(f"{P}portfolio/costs", portfolio.PortfolioCostsView.as_view(), name="portfolio-costs"),
    path(f"{P}portfolio/public-reliance", portfolio.PublicRelianceView.as_view(), name="portfolio-public-reliance"),
]
