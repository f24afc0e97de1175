"""The mails' words, through Django's translation machinery, in the programme's language.

Catalogues: ``notifications/locale/{en,es,nb}/LC_MESSAGES/django.po`` (the compiled
``.mo`` files are committed, so no gettext tools are needed to install or run).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from .models import Kind


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def _state(state: str) -> str:
    return {
        "draft": _("draft"),
        "submitted": _("submitted"),
        "returned": _("returned"),
        "approved": _("approved"),
        "missing": _("not started"),
    }.get(state, state)


def line(kind: str, ctx: dict[str, Any]) -> str:
    """One sentence saying what happened (a subject, and a line of a digest)."""
    if kind == Kind.SUBMITTED:
        return _("%(cluster)s submitted its %(year)s report") % ctx
    if kind == Kind.APPROVED:
        return _("The %(year)s report of %(cluster)s is approved") % ctx
    if kind == Kind.RETURNED:
        return _("The %(year)s report of %(cluster)s was returned for changes") % ctx
    if kind == Kind.REOPENED:
        return _("The %(year)s report of %(cluster)s was reopened") % ctx
    if kind == Kind.COMMENTED:
        return _("%(author)s commented on the %(year)s report of %(cluster)s") % ctx
    if kind == Kind.REMINDER:
        return (
            ngettext(
                "%(days)s day left for the %(year)s report of %(cluster)s",
                "%(days)s days left for the %(year)s report of %(cluster)s",
                ctx["days"],
            )
            % ctx
        )
    return _("The %(year)s report of %(cluster)s is late") % ctx


def _details(kind: str, ctx: dict[str, Any]) -> list[str]:
    if kind == Kind.SUBMITTED:
        return [_("It is waiting for the programme's review.")]
    if kind == Kind.APPROVED:
        return [_("It now counts in the programme's figures.")]
    if kind == Kind.RETURNED:
        out = [_("What to fix:"), ctx["comment"]]
        if ctx["fields"]:
            out += ["", _("Comments on fields:")]
            out += [f"- {f['field']}: {f['comment']}" for f in ctx["fields"]]
        return out
    if kind == Kind.REOPENED:
        return [_("It is a draft again: it can be changed and submitted anew.")]
    if kind == Kind.COMMENTED:
        return [_("%(author)s wrote:") % ctx, ctx["comment"]]
    if kind == Kind.REMINDER:
        return [
            _(
                "The %(year)s reporting period closes on %(closes_on)s. The report of "
                "%(cluster)s is %(state)s; please submit it before then."
            )
            % ctx
        ]
    return [
        _(
            "The %(year)s reporting period closed on %(closes_on)s and the report of "
            "%(cluster)s is %(state)s, not submitted."
        )
        % ctx
    ]


def _context(program: Any, cluster_name: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "program": program.name,
        "cluster": cluster_name,
        "year": data.get("year", ""),
        "comment": data.get("comment", ""),
        "fields": data.get("fields") or [],
        "author": data.get("author", ""),
        "days": data.get("days", 0),
        "closes_on": data.get("closes_on", ""),
        "state": _state(data.get("state", "")),
    }


def _footer(url: str, preferences_url: str) -> list[str]:
    return [
        "",
        _("Open it: %(url)s") % {"url": url},
        "",
        "-- ",
        _("Choose which mails you get: %(url)s") % {"url": preferences_url},
    ]


def render(
    kind: str,
    *,
    program: Any,
    cluster_name: str,
    data: dict[str, Any],
    url: str,
    preferences_url: str,
) -> Mail:
    """The mail about one notice, in the programme's language."""
    with override(program.language):
        ctx = _context(program, cluster_name, data)
        subject = f"[{program.name}] {line(kind, ctx)}"
        body = [line(kind, ctx) + ".", "", *_details(kind, ctx), *_footer(url, preferences_url)]
        return Mail(subject, "\n".join(body) + "\n")


def render_digest(
    *,
    program: Any,
    day: dt.date,
    items: list[tuple[str, str, dict[str, Any]]],
    preferences_url: str,
) -> Mail:
    """One mail listing ``items`` (kind, cluster name, data), in the programme's language."""
    with override(program.language):
        count = len(items)
        subject = f"[{program.name}] " + (
            ngettext(
                "Daily digest of %(day)s: %(count)s event",
                "Daily digest of %(day)s: %(count)s events",
                count,
            )
            % {"day": day.isoformat(), "count": count}
        )
        lines = [f"- {line(kind, _context(program, name, data))}" for kind, name, data in items]
        body = [
            _("What happened in %(program)s since the last digest:") % {"program": program.name},
            "",
            *lines,
            "",
            "-- ",
            _("Choose which mails you get: %(url)s") % {"url": preferences_url},
        ]
        return Mail(subject, "\n".join(body) + "\n")
