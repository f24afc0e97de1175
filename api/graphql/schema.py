"""The GraphQL schema: one Query and one Mutation merged from the per-domain modules."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from django.conf import settings
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from . import canvases, clusters, impact, reports, review, submissions, webhooks
from .errors import DomainErrors, is_expected, log_errors

Query = merge_types(
    "Query", (clusters.Query, impact.Query, canvases.Query, webhooks.Query, reports.Query)
)
Mutation = merge_types(
    "Mutation",
    (
        clusters.Mutation,
        impact.Mutation,
        submissions.Mutation,
        canvases.Mutation,
        review.Mutation,
        webhooks.Mutation,
        reports.Mutation,
    ),
)

extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
    DjangoOptimizerExtension,
    DomainErrors,
    lambda: QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH),
    lambda: MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES),
    lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
    lambda: MaskErrors(should_mask_error=lambda error: not is_expected(error)),
]
if not settings.DEBUG:
    extensions.append(DisableIntrospection)


class ClusterbaseSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        log_errors(errors)


schema = ClusterbaseSchema(query=Query, mutation=Mutation, extensions=extensions)
