"""Errors are RFC 9457 problem+json everywhere."""


async def test_unknown_route_is_a_problem(client):
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["type"].endswith("/not_found")


async def test_malformed_body_is_422_with_the_fields(client):
    response = await client.post("/api/v1/auth/sign-in", json={"email": "not-an-email"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    fields = {tuple(error["loc"]) for error in body["errors"]}
    assert ("body", "email") in fields and ("body", "password") in fields


async def test_unknown_fields_are_refused_not_ignored(client):
    response = await client.post(
        "/api/v1/auth/sign-in", json={"email": "a@example.com", "password": "x", "role": "admin"}
    )
    assert response.status_code == 422


async def test_every_response_has_a_request_id(client):
    response = await client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "abc-123"
    fresh = await client.get("/healthz")
    assert len(fresh.headers["x-request-id"]) == 32


async def test_metrics_are_exposed_for_prometheus(client):
    await client.get("/healthz")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert "omni_http_requests_total" in response.text


async def test_a_body_over_the_size_cap_is_413_before_it_is_read(client, app, settings):
    cap = settings.max_request_bytes
    response = await client.post(
        "/api/v1/auth/sign-in",
        content=b"x",
        headers={"content-type": "application/json", "content-length": str(cap + 1)},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


async def test_a_chunked_body_is_cut_off_at_the_cap(client, settings):
    chunk = b"x" * (1024 * 1024)

    async def endless():  # type: ignore[no-untyped-def]
        for _ in range(settings.max_request_bytes // len(chunk) + 2):
            yield chunk

    response = await client.post(
        "/api/v1/auth/sign-in", content=endless(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
