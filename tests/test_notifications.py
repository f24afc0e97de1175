"""People are told: who gets which mail on each move, in the programme's language, after
commit only; reminders and late notices on a frozen clock; opt-out; the daily digest;
a person's own preferences."""

from __future__ import annotations

import datetime as dt

import polib
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import translation

from clusters import hooks
from clusters.models import Membership, Program, Role, Submission
from clusters.services.tokens import token_create
from clusters.services.workflow import submission_submit
from notifications.delivery import digests_send
from notifications.models import MailPreference, Notice
from notifications.tasks import send_digests, send_period_notices
from tests.givens import open_period, sub_url
from tests.review_helpers import doc, write

pytestmark = pytest.mark.django_db

ADMIN, EDITOR, OTHER_EDITOR, ANALYST, ADMIN_B = (
    "admin@a.example",
    "editor@a1.example",
    "editor@a2.example",
    "analyst@a.example",
    "admin@b.example",
)


def _person(email, program, role, clusters=()):
    user = get_user_model().objects.create(username=email, email=email)
    membership = Membership.objects.create(user=user, program=program, role=role)
    membership.clusters.set(clusters)
    return user


@pytest.fixture
def people(cast):
    """People with mail in both programmes (the cast's tokens have none)."""
    return {
        ADMIN: _person(ADMIN, cast.prog_a, Role.PROGRAM_ADMIN),
        EDITOR: _person(EDITOR, cast.prog_a, Role.CLUSTER_EDITOR, [cast.a1]),
        OTHER_EDITOR: _person(OTHER_EDITOR, cast.prog_a, Role.CLUSTER_EDITOR, [cast.a2]),
        ANALYST: _person(ANALYST, cast.prog_a, Role.PROGRAM_ANALYST),
        ADMIN_B: _person(ADMIN_B, cast.prog_b, Role.PROGRAM_ADMIN),
    }


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the Celery task, eager in tests) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _sent():
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def _move(cast, commit, move, data=None):
    with commit():
        response = cast.admin_a.client().post(sub_url(suffix=move), data, format="json")
    assert response.status_code == 200, response.content


# --- who gets what on each move -----------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "move", "data", "subject"),
    [
        ("draft", "submit", None, "Alpha One submitted its 2021 report"),
        ("submitted", "approve", None, "The 2021 report of Alpha One is approved"),
        (
            "submitted",
            "return",
            {"comment": "Fix."},
            "The 2021 report of Alpha One was returned for changes",
        ),
        ("approved", "reopen", None, "The 2021 report of Alpha One was reopened"),
    ],
)
def test_each_move_mails_the_clusters_editors_and_the_admins(
    cast, people, commit, state, move, data, subject
):
    write(cast.a1, 2021, doc(), state=state)

    _move(cast, commit, move, data)

    full = f"[Programme prog-a] {subject}"
    assert _sent() == [(ADMIN, full), (EDITOR, full)]


def test_the_return_mail_carries_the_comment_and_the_field_comments(cast, people, commit):
    write(cast.a1, 2021, doc(), state="submitted")

    _move(
        cast,
        commit,
        "return",
        {
            "comment": "Two things.",
            "fields": [{"field": "funding.membership_fees.amount", "comment": "Too high."}],
        },
    )

    body = next(m.body for m in mail.outbox if m.to == [EDITOR])
    assert body == (
        "The 2021 report of Alpha One was returned for changes.\n"
        "\n"
        "What to fix:\n"
        "Two things.\n"
        "\n"
        "Comments on fields:\n"
        "- funding.membership_fees.amount: Too high.\n"
        "\n"
        "Open it: http://127.0.0.1:8000/api/v1/programs/prog-a/clusters/a1/submissions/2021/\n"
        "\n"
        "-- \n"
        "Choose which mails you get: http://127.0.0.1:8000/api/v1/me/notifications\n"
    )


def test_a_thread_comment_by_an_editor_mails_the_admins(cast, people, commit):
    write(cast.a1, 2021, doc(), state="submitted")

    with commit():
        cast.editor_a1.client().post(
            sub_url(suffix="thread"), {"comment": "Is EU money public?"}, format="json"
        )

    assert _sent() == [
        (ADMIN, "[Programme prog-a] token:editor_a1 commented on the 2021 report of Alpha One")
    ]
    assert "Is EU money public?" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("es", "[Programme prog-a] El informe de 2021 de Alpha One está aprobado"),
        ("nb", "[Programme prog-a] Rapporten for 2021 fra Alpha One er godkjent"),
    ],
)
def test_the_mail_is_in_the_programmes_language(cast, people, commit, language, subject):
    Program.objects.filter(pk=cast.prog_a.pk).update(language=language)
    write(cast.a1, 2021, doc(), state="submitted")

    _move(cast, commit, "approve")

    assert {m.subject for m in mail.outbox} == {subject}


def test_an_opted_out_kind_is_not_sent_to_that_person(cast, people, commit):
    MailPreference.objects.create(user=people[EDITOR], opted_out=["approved"])
    write(cast.a1, 2021, doc(), state="submitted")

    _move(cast, commit, "approve")

    assert [to for to, _ in _sent()] == [ADMIN]


def test_nothing_is_sent_when_the_transaction_rolls_back(cast, people, commit):
    write(cast.a1, 2021, doc(), state="draft")

    with commit(), pytest.raises(RuntimeError):
        with transaction.atomic():
            submission_submit(access=cast.admin_a.access(cast.prog_a), cluster=cast.a1, year=2021)
            raise RuntimeError("something after the move failed")

    assert mail.outbox == []
    assert not Notice.objects.for_program(cast.prog_a).exists()
    assert Submission.objects.for_program(cast.prog_a).get().state == "draft"


def test_nothing_is_sent_before_the_commit(cast, people):
    write(cast.a1, 2021, doc(), state="draft")

    cast.admin_a.client().post(sub_url(suffix="submit"))

    assert mail.outbox == []
    assert Notice.objects.for_program(cast.prog_a).get().dispatched_at is None


def test_delivering_a_notice_twice_sends_it_once(cast, people, commit):
    from notifications.tasks import deliver_notice

    write(cast.a1, 2021, doc(), state="submitted")
    _move(cast, commit, "approve")

    deliver_notice(notice_id=Notice.objects.for_program(cast.prog_a).get().pk)

    assert len(mail.outbox) == 2


# --- the daily digest -----------------------------------------------------------------------


def test_an_admin_who_prefers_the_digest_gets_one_mail_a_day(cast, people, commit):
    MailPreference.objects.create(user=people[ADMIN], digest=True)
    write(cast.a1, 2021, doc(), state="submitted")
    write(cast.a2, 2021, doc(), state="submitted")
    _move(cast, commit, "approve")
    with commit():
        cast.admin_a.client().post(sub_url(cluster="a2", suffix="approve"))
    assert ADMIN not in [to for to, _ in _sent()]
    mail.outbox.clear()

    with time_machine.travel(dt.datetime(2026, 5, 4, 7, tzinfo=dt.UTC)):
        sent = send_digests()

    assert sent == 1
    assert _sent() == [(ADMIN, "[Programme prog-a] Daily digest of 2026-05-04: 2 events")]
    assert mail.outbox[0].body.splitlines()[2:4] == [
        "- The 2021 report of Alpha One is approved",
        "- The 2021 report of Alpha Two is approved",
    ]
    assert digests_send() == 0  # a second run sends nothing again


# --- reminders and late notices on a frozen clock ----------------------------------------


def _period_closing(cast, closes_on):
    write(cast.a1, 2021, doc(), state="draft")
    write(cast.a2, 2021, doc(), state="submitted")
    open_period(cast.prog_a, 2021, opens_on=dt.date(2026, 1, 1), closes_on=closes_on)


def test_a_reminder_goes_seven_days_before_the_close_to_editors_who_have_not_submitted(
    cast, people, commit
):
    _period_closing(cast, dt.date(2026, 3, 31))

    with time_machine.travel(dt.datetime(2026, 3, 24, 6, tzinfo=dt.UTC)), commit():
        send_period_notices()

    assert _sent() == [(EDITOR, "[Programme prog-a] 7 days left for the 2021 report of Alpha One")]
    assert "closes on 2026-03-31. The report of Alpha One is draft" in mail.outbox[0].body


def test_no_reminder_on_a_day_that_is_not_a_reminder_day(cast, people, commit):
    _period_closing(cast, dt.date(2026, 3, 31))

    with time_machine.travel(dt.datetime(2026, 3, 25, 6, tzinfo=dt.UTC)), commit():
        send_period_notices()

    assert mail.outbox == []


def test_the_reminder_is_sent_once_however_often_the_task_runs(cast, people, commit):
    _period_closing(cast, dt.date(2026, 3, 31))

    with time_machine.travel(dt.datetime(2026, 3, 30, 6, tzinfo=dt.UTC)), commit():
        send_period_notices()
        send_period_notices()

    assert _sent() == [(EDITOR, "[Programme prog-a] 1 day left for the 2021 report of Alpha One")]


def test_a_late_cluster_gets_one_late_notice_to_its_editors_and_the_admins(cast, people, commit):
    _period_closing(cast, dt.date(2026, 3, 31))

    with time_machine.travel(dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC)), commit():
        send_period_notices()
    with time_machine.travel(dt.datetime(2026, 4, 2, 6, tzinfo=dt.UTC)), commit():
        send_period_notices()

    subject = "[Programme prog-a] The 2021 report of Alpha One is late"
    assert _sent() == [(ADMIN, subject), (EDITOR, subject)]


def test_reminders_and_late_notices_are_hook_events_for_webhooks(cast, people, commit):
    seen: list[hooks.Event] = []
    hooks.register(hooks.PERIOD_LATE, seen.append)
    try:
        _period_closing(cast, dt.date(2026, 3, 31))
        with time_machine.travel(dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC)), commit():
            send_period_notices()
    finally:
        hooks._HOOKS[hooks.PERIOD_LATE].remove(seen.append)

    assert [(e.kind, e.program_id, e.years, e.data) for e in seen] == [
        (
            "period_late",
            cast.prog_a.pk,
            (2021,),
            {"cluster": "a1", "year": 2021, "state": "draft", "closes_on": "2026-03-31"},
        )
    ]


def test_an_opted_out_editor_gets_no_reminder(cast, people, commit):
    MailPreference.objects.create(user=people[EDITOR], opted_out=["reminder"])
    _period_closing(cast, dt.date(2026, 3, 31))

    with time_machine.travel(dt.datetime(2026, 3, 24, 6, tzinfo=dt.UTC)), commit():
        send_period_notices()

    assert mail.outbox == []


# --- a person's own preferences -------------------------------------------------------------


def _token_of(user, program):
    token, raw = token_create(name="mine", role=Role.PROGRAM_ADMIN, program=program, user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_person_reads_and_changes_their_own_preferences(cast, people, client):
    auth = _token_of(people[ADMIN], cast.prog_a)

    changed = client.put(
        "/api/v1/me/notifications",
        {"opted_out": ["reminder", "late"], "digest": True},
        content_type="application/json",
        **auth,
    )
    read = client.get("/api/v1/me/notifications", **auth)

    assert changed.status_code == 200
    assert {k: read.json()[k] for k in ("email", "opted_out", "digest")} == {
        "email": ADMIN,
        "opted_out": ["reminder", "late"],
        "digest": True,
    }


def test_an_unknown_kind_is_a_400(cast, people, client):
    response = client.put(
        "/api/v1/me/notifications",
        {"opted_out": ["spam"]},
        content_type="application/json",
        **_token_of(people[ADMIN], cast.prog_a),
    )

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("opted_out.0", "invalid_choice")
    ]


def test_a_token_without_a_person_has_no_preferences(cast):
    response = cast.admin_a.client().get("/api/v1/me/notifications")

    assert response.status_code == 403


# --- the catalogues -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es", "nb"])
def test_the_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo says what the .po says (run `make messages` after editing it)."""
    po = polib.pofile(f"notifications/locale/{language}/LC_MESSAGES/django.po")
    with translation.override(language):
        for entry in po:
            if entry.msgid_plural:
                assert (
                    translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                    == (entry.msgstr_plural[1])
                )
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr
