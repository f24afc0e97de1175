"""Database logins for BI tools that read the PostgreSQL ``reporting`` schema.

Each row maps a database role to the one programme whose rows its views show
(``bi.reporting``); ``create_bi_login`` writes it. The role itself lives in PostgreSQL.
"""

from __future__ import annotations

from django.db import models


class BiLogin(models.Model):
    program = models.ForeignKey("clusters.Program", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=63, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role"]

    def __str__(self) -> str:
        return self.role
