"""The clients of `make load` (started by benchmarks/load.py): locust, as a library.

Usage: python -m benchmarks.load_clients PLAN_JSON BASE_URL USERS WRITERS SECONDS THINK

Analysts (USERS - WRITERS of them, each with its own token) read; programme offices
(WRITERS, each with its own cluster's editor token and an admin token) take their cluster's
submission of the plan's write year through PUT, submit, approve and reopen, over and
over. The first 15 s warm up and are not counted. Prints one JSON line: per request kind and for reads, writes and the total, the
count, rate, p50/p95/p99 (ms) and errors.
"""

from __future__ import annotations

import itertools
import json
import random
import sys

import gevent
from locust import FastHttpUser, between, task
from locust.env import Environment
from locust.stats import StatsEntry

PLAN: dict = json.load(open(sys.argv[1]))
HOST = sys.argv[2]
USERS, WRITERS, SECONDS = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
THINK = tuple(float(x) for x in sys.argv[6].split("-"))
WARMUP = 15
P = PLAN["program"]
_readers = itertools.cycle(PLAN["readers"])
_writers = iter(PLAN["writers"])

GRAPHQL = (
    '{ program(slug: "%s") { name clusters(stage: "growth") { slug name } '
    "fundingMix(year: %d) { total meanHhi byCategory { public { amount share } } } } }"
)
WRITE_KINDS = ("PUT submission", "POST submit", "POST approve", "POST reopen")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Analyst(FastHttpUser):
    host = HOST
    weight = 1
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.headers = _bearer(next(_readers))

    def _year(self) -> int:
        return random.choice(PLAN["years"])

    @task(4)
    def registry(self) -> None:
        stage = random.choice(["baby", "emerging", "growth", "supercluster"])
        self.client.get(
            f"/api/v1/programs/{P}/clusters/?stage={stage}&ordering=name",
            headers=self.headers,
            name="GET registry",
        )

    @task(2)
    def cluster(self) -> None:
        slug = random.choice(PLAN["clusters"])
        self.client.get(
            f"/api/v1/programs/{P}/clusters/{slug}/", headers=self.headers, name="GET cluster"
        )

    @task(4)
    def funding_mix(self) -> None:
        self.client.get(
            f"/api/v1/programs/{P}/portfolio/funding-mix?year={self._year()}",
            headers=self.headers,
            name="GET funding-mix",
        )

    @task(1)
    def trend(self) -> None:
        years = PLAN["years"]
        self.client.get(
            f"/api/v1/programs/{P}/portfolio/funding-mix/trend?from={years[0]}&to={years[-1]}",
            headers=self.headers,
            name="GET funding-mix trend",
        )

    @task(1)
    def export(self) -> None:
        self.client.get(
            f"/api/v1/programs/{P}/exports/facts.csv?year={self._year()}",
            headers=self.headers,
            name="GET facts.csv",
        )

    @task(2)
    def graphql(self) -> None:
        with self.client.post(
            "/graphql/",
            json={"query": GRAPHQL % (P, self._year())},
            headers=self.headers,
            name="POST graphql",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and response.json().get("errors"):
                response.failure(f"GraphQL errors: {response.json()['errors'][:1]}")


class ProgrammeOffice(FastHttpUser):
    host = HOST
    fixed_count = WRITERS
    wait_time = between(*THINK)

    def on_start(self) -> None:
        slot = next(_writers)
        self.editor, self.admin = _bearer(slot["editor"]), _bearer(slot["admin"])
        self.url = (
            f"/api/v1/programs/{P}/clusters/{slot['cluster']}/submissions/{PLAN['write_year']}"
        )
        self.round = 0

    @task
    def cycle(self) -> None:
        self.round += 1
        body = {
            "currency": "EUR",
            "funding": [
                {"source": "national_cluster_programme", "amount": f"{400000 + self.round}.00"},
                {"source": "membership_fees", "amount": "200000.00"},
                {"source": "eu_projects", "amount": "150000.00"},
            ],
            "costs": [{"category": "staff", "amount": "450000.00"}],
            "kpis": [{"code": "members_total", "value": "165"}],
        }
        steps = (
            ("PUT submission", "put", self.url + "/", self.editor, body),
            ("POST submit", "post", self.url + "/submit", self.editor, None),
            ("POST approve", "post", self.url + "/approve", self.admin, None),
            ("POST reopen", "post", self.url + "/reopen", self.admin, None),
        )
        for name, method, url, headers, payload in steps:
            response = getattr(self.client, method)(url, json=payload, headers=headers, name=name)
            if response.status_code >= 400:
                self._back_to_draft()  # the failure is counted; the next cycle starts clean
                return
            gevent.sleep(random.uniform(*THINK))

    def _back_to_draft(self) -> None:
        state = self.client.get(self.url + "/", headers=self.admin, name="(recovery)").json()
        moves = {"submitted": ["approve", "reopen"], "approved": ["reopen"]}
        for move in moves.get(state.get("state"), []):
            self.client.post(f"{self.url}/{move}", headers=self.admin, name="(recovery)")


def _row(name: str, entry: StatsEntry, seconds: float) -> dict:
    return {
        "name": name,
        "requests": entry.num_requests,
        "rps": entry.num_requests / seconds,
        "p50": entry.get_response_time_percentile(0.50) or 0,
        "p95": entry.get_response_time_percentile(0.95) or 0,
        "p99": entry.get_response_time_percentile(0.99) or 0,
        "errors": entry.num_failures,
    }


def main() -> None:
    env = Environment(user_classes=[Analyst, ProgrammeOffice])
    runner = env.create_local_runner()
    runner.start(USERS, spawn_rate=USERS)
    # Warm-up: every process has loaded its code paths and opened its connections before
    # anything is measured.
    gevent.sleep(WARMUP)
    env.stats.reset_all()
    gevent.spawn_later(SECONDS, runner.quit)
    runner.greenlet.join()
    entries = sorted(env.stats.entries.values(), key=lambda e: e.name)
    reads = StatsEntry(env.stats, "reads (all)", "")
    writes = StatsEntry(env.stats, "writes (all)", "")
    for entry in entries:
        (writes if entry.name in WRITE_KINDS else reads).extend(entry)
    result = {
        "kinds": [_row(e.name, e, SECONDS) for e in entries],
        "reads": _row("reads (all)", reads, SECONDS),
        "writes": _row("writes (all)", writes, SECONDS),
        "total": _row("total", env.stats.total, SECONDS),
        "errors": [
            f"{e.occurrences} x {e.method} {e.name}: {e.error}" for e in env.stats.errors.values()
        ],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
