"""Miro both ways, against a local fake Miro server (tests/fake_miro.py) that checks every
request against the documented shapes. No test waits: the client's sleep is a recorder."""

from __future__ import annotations

import math

import pytest

from canvases.miro import sync
from canvases.models import CanvasVersion, MiroConnection
from tests.canvas_helpers import bodies, url
from tests.fake_miro import FakeMiro, serve

pytestmark = pytest.mark.django_db
TOKEN = "miro-secret-token-123"
BOARD = "uXjVOD6LSME="


@pytest.fixture
def miro(cast, settings, monkeypatch):
    fake = FakeMiro(token=TOKEN)
    fake.add_board(BOARD)
    server, base = serve(fake)
    settings.MIRO_API_URL = base
    monkeypatch.setattr(sync, "sleep", fake.waits.append)
    put = cast.admin_a.client().put(
        "/api/v1/programs/prog-a/integrations/miro/", {"access_token": TOKEN}, format="json"
    )
    assert put.json() == {"configured": True}
    yield fake
    server.shutdown()
    server.server_close()


def _canvas(cast, body=None):
    body = body or bodies()["business-model-canvas"]
    body["blocks"]["members"].append({"text": "<script>alert(1)</script> & co", "state": "to_be"})
    response = cast.editor_a1.client().put(
        url("prog-a", "a1", "business-model-canvas/"), body, format="json"
    )
    assert response.status_code == 201
    return response.json()


def _run(cast, member, action, capture, board=BOARD, kind="business-model-canvas"):
    with capture(execute=True):
        response = member.client().post(
            url("prog-a", "a1", f"{kind}/miro/{action}"), {"board_id": board}, format="json"
        )
    assert response.status_code == 202, response.content
    job = member.client().get(response["Location"])
    assert job.status_code == 200
    return response, job.json()


def _notes(view):
    return {
        code: [(n["text"], n["state"]) for n in notes] for code, notes in view["blocks"].items()
    }


def test_export_then_import_gives_the_same_notes(cast, miro, django_capture_on_commit_callbacks):
    before = _canvas(cast)
    note_count = sum(len(n) for n in before["blocks"].values())

    response, exported = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)
    # someone moves nothing and imports it back
    _, imported = _run(cast, cast.editor_a1, "import", django_capture_on_commit_callbacks)
    after = cast.editor_a1.client().get(url("prog-a", "a1", "business-model-canvas/")).json()

    assert response["Location"] == f"/api/v1/programs/prog-a/jobs/{response.json()['id']}/"
    assert exported["state"] == "succeeded" and exported["progress"] == 1.0
    assert exported["result"]["board_url"] == f"https://miro.com/app/board/{BOARD}/"
    assert exported["result"]["created"] == 14 + note_count
    assert len(miro.items_of(BOARD, "frame")) == 1
    assert len(miro.items_of(BOARD, "shape")) == 14
    assert len(miro.items_of(BOARD, "sticky_note")) == note_count
    bulk = [body for method, path, body in miro.requests if path.endswith("/items/bulk")]
    assert len(bulk) == math.ceil((14 + note_count) / 20) and all(len(b) <= 20 for b in bulk)
    assert imported["state"] == "succeeded"
    assert imported["result"]["imported"] == note_count and imported["result"]["unplaced"] == []
    assert _notes(after) == _notes(before)
    assert after["version"] == before["version"]  # the same notes: no new version


def test_a_second_export_updates_the_same_items(cast, miro, django_capture_on_commit_callbacks):
    body = bodies()["business-model-canvas"]
    _canvas(cast, body)
    _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)
    ids = {i["id"] for i in miro.items_of(BOARD)}
    body = bodies()["business-model-canvas"]
    body["blocks"]["members"][0]["text"] = "170 members"
    body["blocks"]["channels"] = body["blocks"]["channels"][:1]
    cast.editor_a1.client().put(url("prog-a", "a1", "business-model-canvas/"), body, format="json")
    miro.requests.clear()

    _, job = _run(cast, cast.admin_a, "export", django_capture_on_commit_callbacks)

    assert job["state"] == "succeeded"
    assert (job["result"]["created"], job["result"]["deleted"]) == (0, 2)
    assert {i["id"] for i in miro.items_of(BOARD)} <= ids
    assert not any(path.endswith("/items/bulk") for _, path, _ in miro.requests)
    patched = [b for m, p, b in miro.requests if m == "PATCH" and "/sticky_notes/" in p]
    assert any("170 members" in b["data"]["content"] for b in patched)


def test_a_429_with_retry_after_is_waited_out(cast, miro, django_capture_on_commit_callbacks):
    _canvas(cast)
    miro.fail("POST", r"/items/bulk$", 429, headers={"Retry-After": "7"})

    _, job = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)

    assert job["state"] == "succeeded"
    assert 7.0 in miro.waits
    assert len(miro.items_of(BOARD, "shape")) == 14  # nothing lost, nothing doubled


def test_transient_failures_are_retried_with_backoff(
    cast, miro, django_capture_on_commit_callbacks
):
    _canvas(cast)
    miro.fail("GET", r"^/v2/boards/[^/]+$", 503, times=2)

    _, job = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)

    assert job["state"] == "succeeded"
    assert miro.waits[:2] == [0.5, 1.0]


def test_an_export_failing_midway_ends_failed_and_the_next_one_finishes_it(
    cast, miro, django_capture_on_commit_callbacks
):
    _canvas(cast)
    miro.fail("POST", r"/items/bulk$", 500, times=-1, skip=1)

    _, failed = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)
    created_first = len(miro.items_of(BOARD)) - 1
    miro.injected.clear()
    _, finished = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)

    assert failed["state"] == "failed"
    assert (
        failed["error"]
        == "Miro: Miro answered 500 to POST /v2/boards/uXjVOD6LSME=/items/bulk 6 times."
    )
    assert created_first == 20
    assert finished["state"] == "succeeded"
    assert finished["result"]["updated"] == 20  # the first 20 items were remembered, not copied
    assert len(miro.items_of(BOARD, "frame")) == 1


def test_an_import_failing_midway_leaves_a_clear_error_and_the_canvas_unchanged(
    cast, miro, django_capture_on_commit_callbacks
):
    before = _canvas(cast)
    _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)
    for item in miro.items_of(BOARD, "sticky_note"):
        item["data"]["content"] = "<p>changed on the board</p>"
    for i in range(60):  # enough stickies for a second page
        miro.add_sticky(BOARD, text=f"idea {i}", x=-3000 - i, y=0, parent=None)
    miro.fail("GET", r"/items$", 500, times=-1, skip=1)  # the first page reads, the second fails

    _, job = _run(cast, cast.editor_a1, "import", django_capture_on_commit_callbacks)
    after = cast.editor_a1.client().get(url("prog-a", "a1", "business-model-canvas/")).json()

    assert job["state"] == "failed"
    assert job["error"] == "Miro: Miro answered 500 to GET /v2/boards/uXjVOD6LSME=/items 6 times."
    assert after == before
    assert CanvasVersion.objects.for_program(cast.prog_a).count() == 1


def test_an_unknown_board_fails_the_job_and_changes_nothing(
    cast, miro, django_capture_on_commit_callbacks
):
    before = _canvas(cast)

    _, job = _run(cast, cast.editor_a1, "import", django_capture_on_commit_callbacks, board="nope")

    assert job["state"] == "failed"
    assert job["error"].startswith("Miro: the board 'nope' or an item on it was not found")
    assert (
        cast.editor_a1.client().get(url("prog-a", "a1", "business-model-canvas/")).json() == before
    )


def test_stickies_outside_every_block_are_reported_not_placed(
    cast, miro, django_capture_on_commit_callbacks
):
    _canvas(cast)
    _, exported = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)
    frame = exported["result"]["frame_id"]
    # one added in the members block (to-be: orange), one in the frame's margin, one off the frame
    miro.add_sticky(BOARD, text="New: 20 startups", x=1400, y=400, parent=frame, colour="orange")
    margin = miro.add_sticky(BOARD, text="Parking lot", x=10, y=10, parent=frame)
    outside = miro.add_sticky(BOARD, text="Someone else's idea", x=-5000, y=-5000, parent=None)

    _, job = _run(cast, cast.editor_a1, "import", django_capture_on_commit_callbacks)
    after = cast.editor_a1.client().get(url("prog-a", "a1", "business-model-canvas/")).json()

    assert job["state"] == "succeeded"
    assert job["result"]["unplaced"] == sorted(
        [
            {"text": "Parking lot", "item_id": margin},
            {"text": "Someone else's idea", "item_id": outside},
        ],
        key=lambda u: u["item_id"],
    )
    assert {"text": "New: 20 startups", "state": "to_be"} in after["blocks"]["members"]
    assert after["version"] == 2


def test_the_token_is_stored_encrypted_and_never_shown(
    cast, miro, django_capture_on_commit_callbacks
):
    _canvas(cast)
    _, job = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)
    stored = MiroConnection.objects.for_program(cast.prog_a).get().token_encrypted

    shown = cast.admin_a.client().get("/api/v1/programs/prog-a/integrations/miro/")

    assert TOKEN not in stored
    assert shown.json() == {"configured": True}
    assert TOKEN not in str(job)


def test_who_may_export_and_what_a_missing_token_answers(cast, django_capture_on_commit_callbacks):
    _canvas(cast)
    analyst = cast.analyst_a.client().post(
        url("prog-a", "a1", "business-model-canvas/miro/export"), {"board_id": BOARD}, format="json"
    )
    unconfigured = cast.editor_a1.client().post(
        url("prog-a", "a1", "business-model-canvas/miro/export"), {"board_id": BOARD}, format="json"
    )
    bad_board = cast.editor_a1.client().post(
        url("prog-a", "a1", "business-model-canvas/miro/export"),
        {"board_id": "a/b", "x": 1},
        format="json",
    )
    map_import = cast.editor_a1.client().post(
        url("prog-a", "a1", "business-model-map/miro/import"), {"board_id": BOARD}, format="json"
    )

    assert analyst.status_code == 403
    assert unconfigured.status_code == 409
    assert unconfigured.json()["code"] == "miro_not_configured"
    assert [(e["field"], e["code"]) for e in bad_board.json()["errors"]] == [
        ("x", "unknown_field"),
        ("board_id", "invalid"),
    ]
    assert [(e["field"], e["code"]) for e in map_import.json()["errors"]] == [
        ("kind", "import_not_supported")
    ]


def test_an_exhausted_rate_limit_pauses_the_next_call_until_its_reset():
    import httpx

    from canvases.miro.client import MiroClient

    answers = iter(
        [
            httpx.Response(
                200,
                json={"id": "b"},
                headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1005"},
            ),
            httpx.Response(200, json={"id": "b"}),
        ]
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return next(answers)

    waits: list[float] = []
    client = MiroClient(
        token="t0k", base_url="http://miro.test", sleep=waits.append, clock=lambda: 1000.0,
        transport=httpx.MockTransport(handler),
    )  # fmt: skip

    client.get_board("b")
    client.get_board("b")

    assert waits == [5.0]
    assert seen == ["Bearer t0k", "Bearer t0k"]


@pytest.mark.parametrize("retry_after", ["²", "soon"])
def test_a_429_with_an_unreadable_retry_after_falls_back_to_backoff(
    cast, miro, django_capture_on_commit_callbacks, retry_after
):
    _canvas(cast)
    miro.fail("POST", r"/items/bulk$", 429, headers={"Retry-After": retry_after})

    _, job = _run(cast, cast.editor_a1, "export", django_capture_on_commit_callbacks)

    assert job["state"] == "succeeded"
    assert miro.waits == [1.0]
