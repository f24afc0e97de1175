from .jobs import Job, JobState
from .reference import (
    CostCategory,
    FundingCategory,
    FundingSource,
    FxRate,
    KpiAggregation,
    KpiDefinition,
    KpiKind,
    PeriodState,
    ReportingPeriod,
)
from .registry import Category, Cluster, ClusterStatus, Stage
from .review import FieldComment, ThreadMessage, WarningRule, WarningRuleKind
from .scoping import TenantManager, TenantModel, TenantQuerySet, UnscopedQueryError
from .submissions import (
    CostLine,
    FundingLine,
    KpiValue,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from .tenancy import ApiToken, Language, Membership, Program, Role, hash_token, new_token_secret

__all__ = [
    "ApiToken",
    "Category",
    "Cluster",
    "ClusterStatus",
    "CostCategory",
    "CostLine",
    "FundingCategory",
    "FundingLine",
    "FundingSource",
    "FieldComment",
    "FxRate",
    "Job",
    "JobState",
    "KpiAggregation",
    "KpiDefinition",
    "KpiKind",
    "KpiValue",
    "Language",
    "Membership",
    "PeriodState",
    "Program",
    "ReportingPeriod",
    "Role",
    "Stage",
    "Submission",
    "SubmissionEvent",
    "SubmissionState",
    "TenantManager",
    "TenantModel",
    "TenantQuerySet",
    "ThreadMessage",
    "UnscopedQueryError",
    "WarningRule",
    "WarningRuleKind",
    "hash_token",
    "new_token_secret",
]
