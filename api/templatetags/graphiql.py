"""``{% graphiql_scripts %}`` and ``{% graphiql_styles %}``: the local, integrity-checked
GraphiQL bundles of api/graphql/ide_assets.json, for api/templates/graphql/graphiql.html."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join

from api.graphql.ide import assets

register = template.Library()


@register.simple_tag
def graphiql_styles() -> str:
    return format_html_join(
        "\n",
        '<link rel="stylesheet" href="{}" integrity="{}">',
        ((static(a.static_path), a.sri) for a in assets() if a.path.endswith(".css")),
    )


@register.simple_tag
def graphiql_scripts() -> str:
    return format_html_join(
        "\n",
        '<script src="{}" integrity="{}"></script>',
        ((static(a.static_path), a.sri) for a in assets() if a.path.endswith(".js")),
    )
