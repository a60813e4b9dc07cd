"""The OpenAPI document names every operation and every schema once, and describes the errors sent."""

import json
import types
import typing

import pytest
from pydantic import BaseModel

from config.api import api

pytestmark = pytest.mark.django_db


def _operations():
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                yield path, operation


def _models(annotation, seen):
    """Every pydantic model reachable from ``annotation`` (fields, lists, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models(arg, seen)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            _models(arg, seen)


def test_operation_ids_are_unique():
    schema = api.get_openapi_schema()
    ids = [op["operationId"] for methods in schema["paths"].values() for op in methods.values()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_no_two_schemas_share_a_name():
    """ninja files schemas by class name: two classes of one name make one operation document the other's."""
    seen: set[type] = set()
    for _path, operation in _operations():
        for model in operation.response_models.values():
            _models(model, seen)
        for model in operation.models:
            _models(model, seen)
    by_name: dict[str, set[str]] = {}
    for model in seen:
        if model.__module__.startswith("ninja."):  # ninja's own wrappers (Input, response)
            continue
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: paths for name, paths in by_name.items() if len(paths) > 1}
    assert not clashes


def test_the_matrix_endpoints_document_their_own_schemas():
    schema = api.get_openapi_schema()
    ref = schema["paths"]["/api/v1/matrix"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    analytics = (schema["paths"]["/api/v1/analytics/matrix"]["get"]["responses"]["200"]["content"]
                 ["application/json"]["schema"]["$ref"])
    assert ref != analytics
    assert "links" in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert "cells" in schema["components"]["schemas"][analytics.rsplit("/", 1)[1]]["properties"]


def test_every_operation_documents_its_errors_as_the_one_error_body():
    schema = api.get_openapi_schema()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["properties"]["detail"]["type"] == "string"
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            assert "default" in op["responses"], (method, path)
            if op.get("parameters") or op.get("requestBody"):
                assert "422" in op["responses"], (method, path)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/api/v1/classify", {"text": 5}),
    ("get", "/api/v1/sdgs/abc", None),
    ("get", "/api/v1/organisations?limit=x", None),
])
def test_a_422_sends_detail_as_a_string_and_errors_by_field(client, method, path, body):
    response = (client.post(path, json.dumps(body), content_type="application/json") if method == "post"
                else client.get(path))
    assert response.status_code == 422
    data = response.json()
    assert isinstance(data["detail"], str) and data["errors"]
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in data["errors"].values())
    field = next(iter(data["errors"]))
    assert field in data["detail"] and field.split(".")[0] in {"body", "path", "query"}


@pytest.mark.parametrize("path", [
    "/api/v1/organisations?offset=99999999999999999999999",
    "/api/v1/organisations?limit=99999999999999999999999",
    "/api/v1/organisations?offset=9223372036854775808",
    "/api/v1/indicators/IT.NET.USER.ZS/observations?offset=99999999999999999999999",
    "/api/v1/initiatives?limit=99999999999999999999999",
])
def test_offset_and_limit_beyond_64_bits_are_a_422_not_a_500(client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert "offset" in response.json()["detail"] or "limit" in response.json()["detail"]
