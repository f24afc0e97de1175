"""The Django admin: programme staff see only the programmes they administer."""

from __future__ import annotations

from tests.factories import UserFactory
from tests.givens import UNAUTHENTICATED_GRAPHQL, problem


def test_programme_staff_see_only_their_clusters(client, staff_of_a):
    client.force_login(staff_of_a)

    page = client.get("/admin/clusters/cluster/").content.decode()

    assert "Alpha One" in page and "Alpha Two" in page
    assert "Beta One" not in page


def test_another_programmes_cluster_is_not_reachable(client, staff_of_a, cast):
    client.force_login(staff_of_a)

    response = client.get(f"/admin/clusters/cluster/{cast.b1.pk}/change/")

    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert "Beta One" not in client.get(response["Location"]).content.decode()


def test_programme_staff_cannot_add_clusters_outside_the_api(client, staff_of_a):
    client.force_login(staff_of_a)

    response = client.get("/admin/clusters/cluster/add/")

    assert response.status_code == 403
    assert response.json() == problem(403, "You may not do this.")


def test_a_superuser_sees_every_programme(client, cast):
    client.force_login(UserFactory.create(username="root", is_staff=True, is_superuser=True))

    page = client.get("/admin/clusters/cluster/").content.decode()

    assert "Alpha One" in page and "Beta One" in page


def test_programme_staff_cannot_make_a_token_site_wide(client, staff_of_a, cast):
    client.force_login(staff_of_a)
    token = cast.admin_a.token
    url = f"/admin/clusters/apitoken/{token.pk}/change/"

    response = client.post(
        url,
        {
            "name": "renamed",
            "is_site_staff": "on",
            "role": "program_admin",
            "expires_at_0": "",
            "expires_at_1": "",
            "revoked_at_0": "",
            "revoked_at_1": "",
        },
    )

    token.refresh_from_db()
    assert response.status_code == 302
    assert (token.name, token.is_site_staff, token.program_id) == ("renamed", False, cast.prog_a.pk)


def test_programme_staff_cannot_edit_domain_data_in_the_admin(client, staff_of_a, cast):
    client.force_login(staff_of_a)

    response = client.post(f"/admin/clusters/cluster/{cast.a1.pk}/change/", {"name": "Hacked"})

    assert response.status_code == 403
    assert cast.a1.__class__.objects.for_program(cast.prog_a).get(pk=cast.a1.pk).name == "Alpha One"


def test_an_is_staff_session_does_not_cross_tenants_in_graphql(client, staff_of_a):
    client.force_login(staff_of_a)

    response = client.post(
        "/graphql/", {"query": "{ programs { slug } }"}, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_GRAPHQL


def test_even_a_superuser_changes_fx_rates_through_the_api_only(client, cast):
    # An fx rate changed here would skip validation and the figures' recomputation.
    from decimal import Decimal

    from clusters.models import FxRate

    rate = FxRate.objects.create(
        program=cast.prog_a, year=2021, currency="MXN", rate=Decimal("0.04")
    )
    client.force_login(UserFactory.create(username="root", is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/clusters/fxrate/{rate.pk}/change/",
        {"year": 2021, "currency": "MXN", "rate": "0.05"},
    )

    rate.refresh_from_db()
    assert response.status_code == 403
    assert rate.rate == Decimal("0.04")
    assert client.get("/admin/clusters/fxrate/add/").status_code == 403
