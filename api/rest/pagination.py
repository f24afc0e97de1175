"""Page-number pagination that says what is wrong with a bad `page` or `page_size`."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def _positive(self, request: Any, name: str, maximum: int | None = None) -> None:
        raw = request.query_params.get(name)
        if raw is None:
            return
        limit = f" between 1 and {maximum}" if maximum else " of 1 or more"
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (maximum is not None and value > maximum):
            raise serializers.ValidationError(
                {name: [f"Must be a whole number{limit}."]}, code="invalid"
            )

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self._positive(request, self.page_query_param)
        self._positive(request, self.page_size_query_param, self.max_page_size)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
            elif param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return params
