"""A local fake of Miro's REST API v2 (the calls the canvases use), for tests.

A real HTTP server on 127.0.0.1, port 0 (the system picks one), in a thread. It checks
every request against the documented shapes and answers 400 when one is wrong, which the
tests then see as a failed job: the bearer token; the paths; bulk bodies of 1 to 20 items,
all-or-nothing; item bodies (``data``, ``position`` with a centre origin, a sticky's
``geometry`` with a width or a height but not both, a shape's width and height) and, for
items in a frame, positions inside the frame (Miro's ``parent_top_left``); cursor paging
with ``limit`` 10 to 50. Tests inject answers (a 429 with ``Retry-After``, a 500) with
``fail``. ``requests`` records what was asked.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

STICKY_COLOURS = {
    "gray", "light_yellow", "yellow", "orange", "light_green", "green", "dark_green", "cyan",
    "light_pink", "pink", "violet", "red", "light_blue", "blue", "dark_blue", "black",
}  # fmt: skip
BULK_TYPES = {"shape", "sticky_note"}


class Invalid(Exception):
    pass


@dataclass
class Injected:
    method: str
    pattern: re.Pattern[str]
    status: int
    headers: dict[str, str]
    times: int  # -1: every time
    skip: int = 0  # let this many matching calls through first


@dataclass
class FakeMiro:
    token: str
    boards: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    injected: list[Injected] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(3458764500000000001))
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The client's sleeps, when a test records them here instead of sleeping.
    waits: list[float] = field(default_factory=list)

    def add_board(self, board_id: str) -> None:
        self.boards[board_id] = {}

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        times: int = 1,
        skip: int = 0,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.injected.append(
            Injected(method, re.compile(path_regex), status, headers or {}, times, skip)
        )

    def items_of(self, board_id: str, item_type: str | None = None) -> list[dict[str, Any]]:
        return [
            i for i in self.boards[board_id].values() if item_type is None or i["type"] == item_type
        ]

    def add_sticky(
        self,
        board_id: str,
        *,
        text: str,
        x: float,
        y: float,
        parent: str | None,
        colour: str = "light_yellow",
    ) -> str:
        item_id = str(next(self._ids))
        self.boards[board_id][item_id] = {
            "id": item_id,
            "type": "sticky_note",
            "data": {"content": f"<p>{text}</p>", "shape": "square"},
            "style": {"fillColor": colour},
            "position": {
                "x": x,
                "y": y,
                "origin": "center",
                "relativeTo": "parent_top_left" if parent else "canvas_center",
            },
            "geometry": {"width": 100, "height": 100},
            **({"parent": {"id": parent}} if parent else {}),
        }
        return item_id

    # --- checks ---------------------------------------------------------------------------

    def _check_item(
        self, board: dict[str, Any], item: Any, item_type: str, *, partial: bool = False
    ) -> None:
        if not isinstance(item, dict):
            raise Invalid("an item is an object")
        allowed = {"type", "data", "style", "position", "geometry", "parent"}
        if set(item) - allowed:
            raise Invalid(f"unknown item fields {sorted(set(item) - allowed)}")
        data = item.get("data")
        if not partial or data is not None:
            if not isinstance(data, dict) or not isinstance(data.get("content"), str):
                raise Invalid("data.content is required text")
        style = item.get("style") or {}
        if item_type == "sticky_note":
            if style.get("fillColor") not in STICKY_COLOURS:
                raise Invalid(f"sticky fillColor {style.get('fillColor')!r} is not a Miro colour")
            if data is not None and data.get("shape") not in ("square", "rectangle"):
                raise Invalid("sticky shape is square or rectangle")
        pos = item.get("position")
        if not partial or pos is not None:
            if not isinstance(pos, dict) or not all(
                isinstance(pos.get(a), int | float) for a in "xy"
            ):
                raise Invalid("position.x and position.y are numbers")
            if pos.get("origin", "center") != "center":
                raise Invalid("position.origin is center")
        geo = item.get("geometry") or {}
        if item_type == "sticky_note" and "width" in geo and "height" in geo:
            raise Invalid("a sticky note takes a width or a height, not both")
        if item_type == "shape" and not partial and not ("width" in geo and "height" in geo):
            raise Invalid("a shape needs geometry.width and geometry.height")
        parent = (item.get("parent") or {}).get("id")
        if parent is not None:
            frame = board.get(str(parent))
            if frame is None or frame["type"] != "frame":
                raise Invalid(f"parent {parent} is not a frame of the board")
            if pos is not None:
                fw, fh = frame["geometry"]["width"], frame["geometry"]["height"]
                if not (0 <= pos["x"] <= fw and 0 <= pos["y"] <= fh):
                    raise Invalid(f"position {pos} lies outside the frame ({fw} x {fh})")

    def _stored(self, item: dict[str, Any], item_type: str, item_id: str) -> dict[str, Any]:
        out = {"id": item_id, "type": item_type, **{k: v for k, v in item.items() if k != "type"}}
        if "position" in out:
            out["position"] = {
                **out["position"],
                "origin": "center",
                "relativeTo": "parent_top_left" if out.get("parent") else "canvas_center",
            }
        return out

    # --- the API --------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        for inj in self.injected:
            if inj.times != 0 and inj.method == method and inj.pattern.search(path):
                if inj.skip:
                    inj.skip -= 1
                    continue
                if inj.times > 0:
                    inj.times -= 1
                return (
                    inj.status,
                    inj.headers,
                    {"status": inj.status, "message": "injected", "type": "error"},
                )
        match = re.fullmatch(r"/v2/boards/([^/]+)(/.*)?", path)
        if match is None:
            return 404, {}, {"message": "no such path"}
        board_id, rest = match.group(1), match.group(2) or ""
        board = self.boards.get(board_id)
        if board is None:
            return 404, {}, {"status": 404, "message": "Board not found", "type": "error"}
        try:
            return self._route(method, board_id, board, rest, query, body)
        except Invalid as exc:
            return 400, {}, {"status": 400, "message": str(exc), "type": "error"}

    def _route(self, method, board_id, board, rest, query, body):
        if method == "GET" and rest == "":
            return (
                200,
                {},
                {
                    "id": board_id,
                    "type": "board",
                    "name": "Workshop",
                    "viewLink": f"https://miro.com/app/board/{board_id}/",
                },
            )
        if method == "POST" and rest == "/frames":
            if not isinstance(body, dict) or (body.get("data") or {}).get("format") != "custom":
                raise Invalid("a frame needs data.format custom")
            geo = body.get("geometry") or {}
            if not (geo.get("width", 0) > 0 and geo.get("height", 0) > 0):
                raise Invalid("a frame needs a width and a height")
            item_id = str(next(self._ids))
            board[item_id] = self._stored(body, "frame", item_id)
            return 201, {}, board[item_id]
        if method == "POST" and rest == "/items/bulk":
            if not isinstance(body, list) or not 1 <= len(body) <= 20:
                raise Invalid("a bulk call takes a list of 1 to 20 items")
            for item in body:
                if item.get("type") not in BULK_TYPES:
                    raise Invalid(f"bulk item type {item.get('type')!r}")
                self._check_item(board, item, item["type"])
            created = []
            for item in body:  # all checked first: all-or-nothing
                item_id = str(next(self._ids))
                board[item_id] = self._stored(item, item["type"], item_id)
                created.append(board[item_id])
            return 201, {}, {"data": created, "type": "bulk-list"}
        m = re.fullmatch(r"/(frames|shapes|sticky_notes)/([^/]+)", rest)
        if m:
            collection, item_id = m.groups()
            item_type = {"frames": "frame", "shapes": "shape", "sticky_notes": "sticky_note"}[
                collection
            ]
            item = board.get(item_id)
            if item is None or item["type"] != item_type:
                return 404, {}, {"status": 404, "message": "Item not found", "type": "error"}
            if method == "GET":
                return 200, {}, item
            if method == "DELETE":
                del board[item_id]
                return 204, {}, None
            if method == "PATCH":
                if item_type != "frame":
                    self._check_item(board, body, item_type, partial=True)
                board[item_id] = {**item, **self._stored(body, item_type, item_id)}
                return 200, {}, board[item_id]
        if method == "GET" and rest == "/items":
            limit = int(query.get("limit", ["10"])[0])
            if not 10 <= limit <= 50:
                raise Invalid("limit is 10 to 50")
            wanted = query.get("type", [None])[0]
            items = [i for i in board.values() if wanted is None or i["type"] == wanted]
            start = int(query.get("cursor", ["0"])[0])
            page = items[start : start + limit]
            following = start + limit
            answer = {
                "data": page,
                "total": len(items),
                "size": len(page),
                "limit": limit,
                "type": "cursor-list",
            }
            if following < len(items):
                answer["cursor"] = str(following)
            return 200, {"X-RateLimit-Limit": "100000", "X-RateLimit-Remaining": "99000"}, answer
        return 404, {}, {"message": f"no route {method} {rest}"}


def serve(fake: FakeMiro) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _go(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            status: int
            headers: dict[str, str]
            answer: Any
            with fake.lock:
                fake.requests.append((self.command, parts.path, body))
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    status, headers, answer = (
                        401,
                        {},
                        {"status": 401, "message": "bad token", "type": "error"},
                    )
                elif raw and self.headers.get("Content-Type") != "application/json":
                    status, headers, answer = 415, {}, {"message": "send JSON"}
                else:
                    status, headers, answer = fake.handle(
                        self.command, parts.path, parse_qs(parts.query), body
                    )
            payload = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_DELETE = _go

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


if __name__ == "__main__":  # try the Miro jobs without Miro: python -m tests.fake_miro TOKEN BOARD
    import sys
    import time

    fake = FakeMiro(token=sys.argv[1] if len(sys.argv) > 1 else "dev-token")
    fake.add_board(sys.argv[2] if len(sys.argv) > 2 else "demo-board")
    server, base = serve(fake)
    print(f"Fake Miro at {base} (token {fake.token!r}, board {list(fake.boards)[0]!r})", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
