"""REST routes under /api/v1/. Each domain module adds its own routes here."""

from django.urls import path, re_path, register_converter

from canvases.kinds import KINDS

from . import (
    canvases,
    clusters,
    exports,
    impact,
    jobs,
    miro,
    notifications,
    portfolio,
    programs,
    reports,
    review,
    submissions,
    tables,
    webhooks,
    workbooks,
)


class CanvasKindConverter:
    regex = "|".join(KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CanvasKindConverter, "canvaskind")

P = "programs/<slug:program>/"
S = f"{P}clusters/<slug:cluster>/submissions/"

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
    path(f"{P}periods/<int:year>/status", submissions.PeriodStatus.as_view(), name="period-status"),
    path(f"{S}", submissions.SubmissionList.as_view(), name="submission-list"),
    path(f"{S}<int:year>/", submissions.SubmissionDetail.as_view(), name="submission-detail"),
    path(f"{S}<int:year>/submit", submissions.SubmissionSubmit.as_view(), name="submission-submit"),
    path(
        f"{S}<int:year>/approve", submissions.SubmissionApprove.as_view(), name="submission-approve"
    ),
    path(f"{S}<int:year>/return", submissions.SubmissionReturn.as_view(), name="submission-return"),
    path(f"{S}<int:year>/reopen", submissions.SubmissionReopen.as_view(), name="submission-reopen"),
    path(
        f"{S}<int:year>/history", submissions.SubmissionHistory.as_view(), name="submission-history"
    ),
    path(
        f"{P}portfolio/funding-mix",
        portfolio.FundingMixView.as_view(),
        name="portfolio-funding-mix",
    ),
    path(
        f"{P}portfolio/funding-mix/trend",
        portfolio.FundingMixTrendView.as_view(),
        name="portfolio-funding-mix-trend",
    ),
    path(
        f"{P}portfolio/clusters",
        portfolio.PortfolioClustersView.as_view(),
        name="portfolio-clusters",
    ),
    path(f"{P}portfolio/costs", portfolio.PortfolioCostsView.as_view(), name="portfolio-costs"),
    path(
        f"{P}portfolio/public-reliance",
        portfolio.PublicRelianceView.as_view(),
        name="portfolio-public-reliance",
    ),
    path(f"{P}portfolio/value-impact", impact.ValueImpactView.as_view(), name="value-impact"),
    path(
        f"{P}portfolio/roadmap-progress",
        impact.RoadmapProgressView.as_view(),
        name="roadmap-progress",
    ),
    path(f"{P}portfolio/scenarios", impact.ScenarioView.as_view(), name="scenario-run"),
    path(f"{P}portfolio/scenarios/", impact.ScenarioList.as_view(), name="scenario-list"),
    path(
        f"{P}clusters/<slug:cluster>/roadmaps/", impact.RoadmapList.as_view(), name="roadmap-list"
    ),
    path(
        f"{P}clusters/<slug:cluster>/roadmaps/<slug:kpi>/",
        impact.RoadmapDetail.as_view(),
        name="roadmap-detail",
    ),
]

# Data in and out (issue 3): the facts CSV and the submission XLSX template.
urlpatterns += [
    path(f"{P}exports/facts.csv", exports.FactsExport.as_view(), name="facts-export"),
    path(f"{P}imports/facts", exports.FactsImport.as_view(), name="facts-import"),
    path(
        f"{P}clusters/<slug:cluster>/submissions/<int:year>/template.xlsx",
        workbooks.SubmissionTemplate.as_view(),
        name="submission-template-xlsx",
    ),
    path(
        f"{P}clusters/<slug:cluster>/submissions/<int:year>/upload.xlsx",
        workbooks.SubmissionUpload.as_view(),
        name="submission-upload-xlsx",
    ),
]

# Canvases (issue 9) and jobs.
C = f"{P}clusters/<slug:cluster>/canvases/"
K = f"{C}<canvaskind:kind>"
urlpatterns += [
    path(f"{K}.svg", canvases.CanvasSvg.as_view(), name="canvas-svg"),
    path(f"{K}.png", canvases.CanvasPng.as_view(), name="canvas-png"),
    path(f"{C}business-model-map/actual", canvases.MapActual.as_view(), name="canvas-map-actual"),
    path(
        f"{C}financing-model/actual",
        canvases.FinancingActual.as_view(),
        name="canvas-financing-actual",
    ),
    path(
        f"{C}evolution-map/compare",
        canvases.EvolutionCompare.as_view(),
        name="canvas-evolution-compare",
    ),
    path(f"{K}/", canvases.CanvasDetail.as_view(), name="canvas-detail"),
    path(f"{K}/alternatives/", canvases.CanvasAlternatives.as_view(), name="canvas-alternatives"),
    path(f"{K}/versions/", canvases.CanvasVersions.as_view(), name="canvas-versions"),
    path(
        f"{K}/versions/<int:version>/",
        canvases.CanvasVersionDetail.as_view(),
        name="canvas-version-detail",
    ),
    path(f"{K}/diff", canvases.CanvasDiff.as_view(), name="canvas-diff"),
    path(f"{K}/miro/export", miro.MiroExport.as_view(), name="canvas-miro-export"),
    path(f"{K}/miro/import", miro.MiroImport.as_view(), name="canvas-miro-import"),
    path(f"{P}integrations/miro/", miro.MiroIntegration.as_view(), name="miro-integration"),
    path(f"{P}jobs/<int:job>/", jobs.JobDetail.as_view(), name="job-detail"),
]

# Review (issue 12): field comments, the thread, warning rules, bulk review.
urlpatterns += [
    path(f"{S}<int:year>/comments", review.FieldCommentList.as_view(), name="field-comment-list"),
    path(
        f"{S}<int:year>/comments/<int:comment>",
        review.FieldCommentDetail.as_view(),
        name="field-comment-detail",
    ),
    path(f"{S}<int:year>/thread", review.ThreadList.as_view(), name="submission-thread"),
    path(f"{P}warning-rules/", review.WarningRuleList.as_view(), name="warning-rule-list"),
    path(
        f"{P}warning-rules/<slug:rule>/",
        review.WarningRuleDetail.as_view(),
        name="warning-rule-detail",
    ),
    path(f"{P}periods/<int:year>/approve", review.BulkApprove.as_view(), name="bulk-approve"),
    path(f"{P}periods/<int:year>/return", review.BulkReturn.as_view(), name="bulk-return"),
]

# A person's own mail preferences (not tenant-scoped).
urlpatterns += [
    path("me/notifications", notifications.MyMailPreferences.as_view(), name="my-notifications"),
]

# BI tables (issue 10): every table as CSV, JSON, XLSX and Parquet (facts.csv above wins).
urlpatterns += [
    re_path(
        r"^programs/(?P<program>[-a-zA-Z0-9_]+)/exports/(?P<table>[a-z-]+)\.(?P<fmt>csv|json|xlsx|parquet)$",
        tables.TableExport.as_view(),
        name="table-export",
    ),
]

# Webhooks (issue 10): endpoints, deliveries and their actions (programme admins).
W = f"{P}webhooks/<int:webhook>/"
urlpatterns += [
    path(f"{P}webhooks/", webhooks.WebhookList.as_view(), name="webhook-list"),
    path(W, webhooks.WebhookDetail.as_view(), name="webhook-detail"),
    path(f"{W}deliveries/", webhooks.WebhookDeliveries.as_view(), name="webhook-deliveries"),
    path(
        f"{W}deliveries/<int:delivery>/redeliver",
        webhooks.WebhookRedeliver.as_view(),
        name="webhook-redeliver",
    ),
    path(f"{W}ping", webhooks.WebhookPing.as_view(), name="webhook-ping"),
    path(f"{W}rotate-secret", webhooks.WebhookRotateSecret.as_view(), name="webhook-rotate-secret"),
]

# Annual reports (issue 11): generate (a job), read, share; shared links need no token.
R = f"{P}reports/<int:year>"
CR = f"{P}clusters/<slug:cluster>/reports/<int:year>"
urlpatterns += [
    path(f"{CR}/", reports.ClusterReportGenerate.as_view(), name="cluster-report-generate"),
    path(f"{CR}.html", reports.ClusterReportHtml.as_view(), name="cluster-report-html"),
    path(f"{CR}.pdf", reports.ClusterReportPdf.as_view(), name="cluster-report-pdf"),
    path(f"{CR}/share", reports.ClusterReportShares.as_view(), name="cluster-report-share"),
    path(
        f"{CR}/share/<int:share>",
        reports.ClusterReportShareDetail.as_view(),
        name="cluster-report-share-detail",
    ),
    path(f"{R}/", reports.ProgramReportGenerate.as_view(), name="program-report-generate"),
    path(f"{R}.html", reports.ProgramReportHtml.as_view(), name="program-report-html"),
    path(f"{R}.pdf", reports.ProgramReportPdf.as_view(), name="program-report-pdf"),
    path(f"{R}/share", reports.ProgramReportShares.as_view(), name="program-report-share"),
    path(
        f"{R}/share/<int:share>",
        reports.ProgramReportShareDetail.as_view(),
        name="program-report-share-detail",
    ),
    path(f"{R}/clusters", reports.ClustersReportGenerate.as_view(), name="program-reports-batch"),
    path(f"{R}/clusters.zip", reports.ClustersReportZip.as_view(), name="program-reports-zip"),
    path(
        "shared/reports/<str:token>.html",
        reports.SharedReportHtml.as_view(),
        name="shared-report-html",
    ),
    path(
        "shared/reports/<str:token>.pdf",
        reports.SharedReportPdf.as_view(),
        name="shared-report-pdf",
    ),
]
