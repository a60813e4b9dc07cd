"""API reads and errors (issue 20): RFC 9457 problem documents, ETag / If-None-Match, CORS for public reads."""

import pytest

pytestmark = pytest.mark.django_db


def test_errors_are_problem_documents(client):
    response = client.get("/api/v1/sdgs/99")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank" and body["title"] == "Not Found" and body["status"] == 404
    assert body["instance"] == "/api/v1/sdgs/99" and isinstance(body["detail"], str)


def test_validation_errors_are_problem_documents_with_errors_by_field(client):
    response = client.get("/api/v1/organisations?limit=x")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["title"]
    assert "query.limit" in body["errors"]


def test_the_schema_documents_errors_as_problem_json():
    from config.api import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            for status, response in op["responses"].items():
                content = response.get("content", {})
                if status.startswith(("4", "5")) or status == "default":
                    assert "application/problem+json" in content, (method, path, status)
                    assert "application/json" not in content, (method, path, status)


def test_reads_send_an_etag_and_answer_if_none_match_with_304(client):
    first = client.get("/api/v1/sdgs")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/api/v1/sdgs", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    other = client.get("/api/v1/sdgs", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_public_reads_allow_any_origin_and_writes_do_not(client):
    response = client.get("/api/v1/action-lines", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/action-lines", HTTP_ORIGIN="https://elsewhere.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"] and "POST" not in preflight["Access-Control-Allow-Methods"]
    write = client.options("/api/v1/initiatives", HTTP_ORIGIN="https://elsewhere.example",
                           HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "Access-Control-Allow-Origin" not in write


def test_an_initiative_sends_last_modified_and_answers_if_modified_since(client):
    from wsis.stocktaking.models import Initiative
    from wsis.stocktaking.tests.factories import make_initiative

    initiative = make_initiative(state=Initiative.State.PUBLISHED)
    first = client.get(f"/api/v1/initiatives/{initiative.pk}")
    assert first.status_code == 200 and first["Last-Modified"]
    again = client.get(f"/api/v1/initiatives/{initiative.pk}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
