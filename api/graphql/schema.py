"""The GraphQL schema: one Query and one Mutation merged from the per-domain modules."""

from __future__ import annotations

import strawberry
from django.conf import settings
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from . import clusters, impact, submissions
from .errors import is_expected

Query = merge_types("Query", (clusters.Query, impact.Query))
Mutation = merge_types("Mutation", (clusters.Mutation, impact.Mutation, submissions.Mutation))

extensions = [
    DjangoOptimizerExtension,
    lambda: QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH),
    lambda: MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES),
    lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
    lambda: MaskErrors(should_mask_error=lambda error: not is_expected(error)),
]
if not settings.DEBUG:
    extensions.append(DisableIntrospection)

schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions)
