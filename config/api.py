"""The JSON API at /api/v1/ (django-ninja).

Each app registers the ``router`` of its ``api.py`` from its ``AppConfig.ready()``
(``registry.add_api_router``). This module is imported by ``config/urls.py`` and by
``manage.py export_openapi``, both after every app is ready; read earlier, the registry raises.

Every error answers the one body of ``wsis.api.errors.ErrorOut``; the schema documents it as each
operation's ``default`` response and as the 422 of each operation that reads input.
"""

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from wsis.api.errors import PROBLEM_CONTENT_TYPE, ErrorOut, problem, validation_error_body
from wsis.api.parser import FORBIDDEN_MESSAGE, CheckedParser, ForbiddenCharacters
from wsis.core.registry import registry

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


class WsisAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        """Every answer of 400 and above is an RFC 9457 problem document (``application/problem+json``)."""
        code = temporal_response.status_code if temporal_response else status
        if code and code >= 400 and isinstance(data, dict) and "detail" in data:
            data = problem(data, status=code, path=request.path)
            response = super().create_response(request, data, status=status, temporal_response=temporal_response)
            response["Content-Type"] = PROBLEM_CONTENT_TYPE
            return response
        return super().create_response(request, data, status=status, temporal_response=temporal_response)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        for path in schema["paths"].values():
            for operation in path.values():
                # Status codes as the strings OpenAPI (and JSON) use, beside "default".
                responses = operation["responses"] = {str(k): v for k, v in operation.get("responses", {}).items()}
                error = {"content": {PROBLEM_CONTENT_TYPE: {"schema": ERROR_REF}}}
                for code, response in responses.items():  # errors an operation declares itself: problem+json too
                    content = response.get("content", {})
                    if code[0] in "45" and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault("422", {"description": "The request is not valid.", **error})
                if operation.get("security"):
                    responses.setdefault("401", {"description": "Authentication is needed.", **error})
                responses.setdefault("default", {"description": "An error.", **error})
        return schema


api = WsisAPI(
    title="WSIS Implementation Platform API",
    version="1",
    description=(
        "Open data of the WSIS Implementation Platform: the WSIS action lines, the SDGs, the WSIS–SDG "
        "Matrix, countries and groups, the stocktaking registry of ICT initiatives and its analytics. "
        "Read endpoints are public; writes need an API token with the write scope "
        "(`Authorization: Bearer …`) or a signed-in session (with the CSRF token). "
        "Every error answers an RFC 9457 problem document (`application/problem+json`): "
        "`{\"type\": \"about:blank\", \"title\": \"Not Found\", \"status\": 404, \"detail\": \"…\", "
        "\"instance\": \"/api/v1/…\", \"errors\": {\"field\": [\"…\"]}}`. "
        "Reads send `ETag` (answer `If-None-Match` with 304) and allow any origin (CORS); large lists "
        "(initiatives, indicator observations) page with `cursor`/`next_cursor`."
    ),
    urls_namespace="api",
    parser=CheckedParser(),
)


@api.exception_handler(ValidationError)
def validation_error_response(request, exc: ValidationError):
    return api.create_response(request, validation_error_body(exc.errors), status=422)


def _forbidden_characters_response(request, exc: ForbiddenCharacters):
    errors = {field: [FORBIDDEN_MESSAGE] for field in exc.fields}
    if exc.location == "query":
        return api.create_response(request, {"detail": f"Invalid parameter: {', '.join(exc.fields)}.",
                                             "errors": errors}, status=400)
    return api.create_response(request, {"detail": f"The request is not valid: {', '.join(exc.fields)}.",
                                         "errors": errors}, status=422)


api.add_exception_handler(ForbiddenCharacters, _forbidden_characters_response)


@api.exception_handler(HttpError)
def http_error_response(request, exc: HttpError):
    # ninja wraps whatever the body parser raises in "400 Cannot parse request body".
    if isinstance(exc.__cause__, ForbiddenCharacters):
        return _forbidden_characters_response(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


for router in registry.api_routers():
    api.add_router("", router)
