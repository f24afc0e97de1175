def test_schema_is_public(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/programs/{program}/clusters/" in response.content
