"""HTTP semantics of API reads: cache validators (ETag / If-None-Match, Last-Modified) and CORS.

* Every successful ``GET``/``HEAD`` under ``/api/`` gets an ``ETag`` (a hash of the body) unless the
  endpoint set one; a request whose ``If-None-Match`` (or ``If-Modified-Since``, for an endpoint that
  sets ``Last-Modified``) matches is answered ``304 Not Modified`` with no body.
* Reads are public, so any origin may make them (``Access-Control-Allow-Origin: *``, without
  credentials: a browser sends no cookie cross-origin); a preflight ``OPTIONS`` for a read is answered
  here. Writes are not opened to other origins: they keep the same-origin rules (CSRF or a token).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe

__all__ = ["ApiReadMiddleware", "API_PREFIX"]

API_PREFIX = "/api/"
READ_METHODS = {"GET", "HEAD"}
EXPOSED = "ETag, Last-Modified, Retry-After, Content-Length"


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED
    return response


class ApiReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if (request.method == "OPTIONS" and "HTTP_ORIGIN" in request.META
                and request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "").upper() in READ_METHODS):
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Authorization, If-None-Match, If-Modified-Since, Accept"
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        response = self.get_response(request)
        if request.method not in READ_METHODS:
            return response
        _cors(response)
        if response.status_code != 200 or response.streaming:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        last_modified = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
        conditional = get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified,
                                               response=response)
        if conditional is not response:
            _cors(conditional)
        return conditional
