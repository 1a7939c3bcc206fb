"""Logs: one JSON object a line (LOG_FORMAT=json) with the request id and the user id of the request
being answered, so the lines of one request can be found across servers.

The request id comes from the proxy's X-Request-ID (nginx `$request_id`) when it is a plain token,
else is made here; it is sent back in the response's X-Request-ID."""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

_request: ContextVar = ContextVar("request", default=None)
_request_id: ContextVar[str] = ContextVar("request_id", default="")
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if SAFE_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = (_request.set(request), _request_id.set(request_id))
        try:
            response = self.get_response(request)
        finally:
            _request.reset(tokens[0])
            _request_id.reset(tokens[1])
        response["X-Request-ID"] = request_id
        return response


def _user_id(request) -> int | None:
    """The user only if the request has already loaded it: logging never queries the database."""
    if request is None:
        return None
    lazy = request.__dict__.get("user")
    if lazy is None:
        return None
    from django.utils.functional import empty

    wrapped = getattr(lazy, "_wrapped", lazy)
    if wrapped is None or wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.user_id = _user_id(_request.get())
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
