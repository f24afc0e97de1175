"""Reports over REST: generated as jobs (202 with Location), stored, served, replaced when
generated again, one zip for every cluster; who may generate and read which."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from clusters.models import Job, JobState
from reports.models import StoredReport
from tests.report_helpers import cluster_url, generate, load_demo, program_url, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return load_demo(django_capture_on_commit_callbacks)


OCEAN = cluster_url("demo", "ocean-tech", 2021)


def test_generating_answers_202_with_the_job_and_its_location(
    demo, django_capture_on_commit_callbacks
):
    response, job = generate(demo.editor, OCEAN, django_capture_on_commit_callbacks)

    body = response.json()
    assert response["Location"] == f"/api/v1/programs/demo/jobs/{body['id']}/"
    assert (body["kind"], body["state"], body["cluster"]) == (
        "report.cluster",
        "queued",
        "ocean-tech",
    )
    done = read(demo.editor, response["Location"]).json()
    assert (done["state"], done["progress"], done["error"]) == ("succeeded", 1.0, None)
    assert (
        done["result"]["html"]
        == "/api/v1/programs/demo/clusters/ocean-tech/reports/2021.html?lang=en"
    )
    assert (
        done["result"]["pdf"]
        == "/api/v1/programs/demo/clusters/ocean-tech/reports/2021.pdf?lang=en"
    )
    assert (done["result"]["year"], done["result"]["language"], done["result"]["pages"]) == (
        2021,
        "en",
        8,
    )


def test_the_stored_report_is_served_as_html_and_pdf(demo, django_capture_on_commit_callbacks):
    generate(demo.admin, OCEAN, django_capture_on_commit_callbacks)

    html = read(demo.analyst, cluster_url("demo", "ocean-tech", 2021, ".html"))
    pdf = read(demo.editor, cluster_url("demo", "ocean-tech", 2021, ".pdf"))

    assert (html.status_code, html["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert (
        html["Content-Security-Policy"]
        == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    assert html["Content-Language"] == "en"
    assert b"<title>Annual report 2021: Ocean Tech Cluster</title>" in html.body
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf["Content-Disposition"] == 'inline; filename="ocean-tech-2021-en.pdf"'
    assert pdf.body.startswith(b"%PDF-1.7")


def test_nothing_is_served_before_it_is_generated(demo):
    response = read(demo.admin, cluster_url("demo", "ocean-tech", 2021, ".pdf"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "No 2021 annual report of 'ocean-tech' in 'en' has been generated yet; POST to its "
        "reports/2021/ URL (with ?lang=) to generate it."
    )


def test_each_language_is_its_own_variant(demo, django_capture_on_commit_callbacks):
    generate(demo.admin, OCEAN, django_capture_on_commit_callbacks, lang="nb")

    default = read(demo.admin, cluster_url("demo", "ocean-tech", 2021, ".html"))
    norwegian = read(demo.admin, cluster_url("demo", "ocean-tech", 2021, ".html?lang=nb"))

    assert default.status_code == 404  # the programme's language is en; only nb exists
    assert (norwegian.status_code, norwegian["Content-Language"]) == (200, "nb")
    assert b'<html lang="nb">' in norwegian.body


def test_the_programme_language_is_the_default(demo, django_capture_on_commit_callbacks):
    demo.program.language = "es"
    demo.program.save(update_fields=["language"])

    _, job = generate(demo.admin, OCEAN, django_capture_on_commit_callbacks)

    assert job.result["language"] == "es"
    assert read(demo.admin, cluster_url("demo", "ocean-tech", 2021, ".html")).status_code == 200


@pytest.mark.parametrize(
    ("query", "field", "code", "message"),
    [
        ("?lang=de", "lang", "invalid_choice", "'de' is not one of en, es, nb."),
        ("?lang=<x>", "lang", "invalid_choice", "'<x>' is not one of en, es, nb."),
    ],
)
def test_a_bad_language_is_a_400(demo, query, field, code, message):
    for url in (OCEAN + query, cluster_url("demo", "ocean-tech", 2021, ".pdf" + query)):
        method = "post" if url.startswith(OCEAN) else "get"
        response = getattr(demo.admin.client(), method)(url)

        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": field, "code": code, "message": message}]


def test_a_year_out_of_range_is_a_400_and_queues_nothing(demo):
    response = demo.admin.client().post(cluster_url("demo", "ocean-tech", 1850))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "year",
            "code": "out_of_range",
            "message": "1850 is not a year between 1900 and 2200.",
        }
    ]
    assert not StoredReport.objects.unscoped().exists()


def test_a_body_with_fields_is_refused(demo):
    response = demo.admin.client().post(OCEAN, {"lang": "es"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "lang",
            "code": "unknown_field",
            "message": "'lang' is not a field of a report request.",
        }
    ]


def test_generating_again_replaces_the_stored_files(demo, django_capture_on_commit_callbacks):
    _, first = generate(demo.admin, OCEAN, django_capture_on_commit_callbacks)
    before = StoredReport.objects.unscoped().get().files
    ocean = demo.cluster("ocean-tech")
    ocean.name = "Ocean Tech Cluster Norway"
    ocean.save(update_fields=["name", "updated_at"])

    _, second = generate(demo.admin, OCEAN, django_capture_on_commit_callbacks)

    after = StoredReport.objects.unscoped().get()
    assert after.job_id == second.pk != first.pk
    assert after.files["pdf"]["name"] != before["pdf"]["name"]
    assert not default_storage.exists(before["pdf"]["name"])
    assert not default_storage.exists(before["html"]["name"])
    assert default_storage.exists(after.files["pdf"]["name"])
    html = read(demo.admin, cluster_url("demo", "ocean-tech", 2021, ".html"))
    assert b"Annual report 2021: Ocean Tech Cluster Norway" in html.body


def test_the_same_data_gives_the_same_files(demo, django_capture_on_commit_callbacks):
    generate(demo.admin, OCEAN, django_capture_on_commit_callbacks)
    before = StoredReport.objects.unscoped().get().files

    generate(demo.admin, OCEAN, django_capture_on_commit_callbacks)

    after = StoredReport.objects.unscoped().get().files
    assert after == before  # same names, sizes and SHA-256: byte-identical HTML and PDF
    assert default_storage.exists(after["pdf"]["name"])


def test_the_programme_report_is_generated_and_served(demo, django_capture_on_commit_callbacks):
    response, job = generate(
        demo.admin, program_url("demo", 2021), django_capture_on_commit_callbacks
    )

    assert (response.json()["kind"], response.json()["cluster"]) == ("report.program", None)
    assert job.state == JobState.SUCCEEDED
    assert job.result["pdf"] == "/api/v1/programs/demo/reports/2021.pdf?lang=en"
    pdf = read(demo.analyst, program_url("demo", 2021, ".pdf"))
    assert (pdf.status_code, pdf["Content-Disposition"]) == (
        200,
        'inline; filename="demo-2021-en.pdf"',
    )


def test_roles(demo):
    """Generating is a write: admins every report, editors their cluster's; analysts read."""
    statuses = {
        "analyst generates a cluster report": demo.analyst.client().post(OCEAN).status_code,
        "editor generates the programme report": demo.editor.client()
        .post(program_url("demo", 2021))
        .status_code,
        "analyst generates the programme report": demo.analyst.client()
        .post(program_url("demo", 2021))
        .status_code,
        "editor generates all clusters": demo.editor.client()
        .post(program_url("demo", 2021, "/clusters"))
        .status_code,
        "editor reads the programme report": demo.editor.client()
        .get(program_url("demo", 2021, ".pdf"))
        .status_code,
        "editor generates an unheld cluster's": demo.editor.client()
        .post(cluster_url("demo", "metaindustry4", 2021))
        .status_code,
    }

    assert statuses == {
        "analyst generates a cluster report": 403,
        "editor generates the programme report": 403,
        "analyst generates the programme report": 403,
        "editor generates all clusters": 403,
        "editor reads the programme report": 403,
        "editor generates an unheld cluster's": 404,
    }


def test_every_cluster_in_one_zip(demo, django_capture_on_commit_callbacks, settings):
    response, job = generate(
        demo.admin, program_url("demo", 2021, "/clusters"), django_capture_on_commit_callbacks
    )

    assert (response.json()["kind"], job.state) == ("report.clusters", JobState.SUCCEEDED)
    assert job.result["zip"] == "/api/v1/programs/demo/reports/2021/clusters.zip?lang=en"
    archive = read(demo.analyst, program_url("demo", 2021, "/clusters.zip"))
    assert archive["Content-Disposition"] == 'attachment; filename="demo-2021-clusters-en.zip"'
    names = zipfile.ZipFile(io.BytesIO(archive.body)).namelist()
    slugs = job.result["clusters"]
    assert slugs == [
        "avaesen",
        "construction-slovenia",
        "evolution-cluster",
        "health-valley",
        "metaindustry4",
        "monterrey-aerocluster",
        "ocean-tech",
        "queensland-robotics",
    ]
    assert names == [f"{slug}-2021-en.{fmt}" for slug in slugs for fmt in ("pdf", "html")]
    # each cluster's own report is stored (and served) too
    assert read(demo.editor, cluster_url("demo", "ocean-tech", 2021, ".pdf")).status_code == 200


def test_a_job_whose_cluster_is_gone_fails_and_says_why(demo, django_capture_on_commit_callbacks):
    from clusters.access import system_access
    from clusters.services.registry import cluster_delete
    from reports.tasks import generate_report

    response = demo.admin.client().post(OCEAN)  # queued: the commit never ran it
    cluster_delete(
        access=system_access(demo.program, label="t"), cluster=demo.cluster("ocean-tech")
    )

    generate_report(demo.program.pk, response.json()["id"])

    job = Job.objects.unscoped().get(pk=response.json()["id"])  # its cluster hides it now
    assert (job.state, job.error) == (
        "failed",
        "The cluster was removed before its report could be generated.",
    )
