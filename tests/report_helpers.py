"""Shared givens for the report tests: the demo programme with tokens, report URLs, and
generating a report through the API with its job run (eager Celery, after the commit)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.core.management import call_command
from rest_framework.test import APIClient

from clusters.models import Cluster, Job, Program, Role
from clusters.services.tokens import token_create


@dataclass
class Caller:
    raw: str

    def client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.raw}")
        return client


@dataclass
class Demo:
    program: Program
    admin: Caller
    analyst: Caller
    editor: Caller  # holds ocean-tech

    def cluster(self, slug: str) -> Cluster:
        return Cluster.objects.for_program(self.program).get(slug=slug)


def load_demo(capture: Any) -> Demo:
    """``load_demo`` (every app's demo data, figures recomputed after commit) and one token
    per role; ``capture`` is pytest-django's ``django_capture_on_commit_callbacks``."""
    with capture(execute=True):
        call_command("load_demo", "--no-tokens", stdout=io.StringIO())
    program = Program.objects.get(slug="demo")

    def caller(role: str, clusters: list[str]) -> Caller:
        _token, raw = token_create(
            name=f"test {role}", role=role, program=program, cluster_slugs=clusters
        )
        return Caller(raw)

    return Demo(
        program,
        caller(Role.PROGRAM_ADMIN, []),
        caller(Role.PROGRAM_ANALYST, []),
        caller(Role.CLUSTER_EDITOR, ["ocean-tech"]),
    )


def cluster_url(program: str, cluster: str, year: int, tail: str = "/") -> str:
    return f"/api/v1/programs/{program}/clusters/{cluster}/reports/{year}{tail}"


def program_url(program: str, year: int, tail: str = "/") -> str:
    return f"/api/v1/programs/{program}/reports/{year}{tail}"


def generate(caller: Caller, url: str, capture: Any, lang: str | None = None) -> tuple[Any, Any]:
    """POST the generation and run the queued job; answers the 202 and the finished job."""
    with capture(execute=True):
        response = caller.client().post(url + (f"?lang={lang}" if lang else ""))
    assert response.status_code == 202, response.content[:500]
    job = Job.objects.unscoped().get(pk=response.json()["id"])
    return response, job


def read(caller: Caller | None, url: str) -> Any:
    client = caller.client() if caller is not None else APIClient()
    response: Any = client.get(url)
    if getattr(response, "streaming", False):
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


class _Page(HTMLParser):
    """The parts of a report page the tests look at: its text, references and ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.svgs: list[dict[str, str | None]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("src", "href", "xlink:href", "data"):
            if found.get(name):
                self.refs.append((tag, str(found[name])))
        if tag == "svg":
            self.svgs.append(found)
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def page(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def text_of(html: str) -> str:
    """The page's visible text with runs of white space (non-breaking included) as one
    space: what a reader sees."""
    return re.sub(r"[\s\u00a0]+", " ", " ".join(page(html).text)).strip()


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = _clean("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(_clean("".join(self._cell)))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _clean(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", text).strip()


def tables(html: str) -> dict[str, list[list[str]]]:
    """Every table with a caption, by caption: its rows of cell texts (header included)."""
    parsed = _Tables()
    parsed.feed(html)
    return {t["caption"]: t["rows"] for t in parsed.tables if t["caption"]}


def all_rows(html: str) -> list[list[str]]:
    """The rows of every table, in order."""
    parsed = _Tables()
    parsed.feed(html)
    return [row for t in parsed.tables for row in t["rows"]]
