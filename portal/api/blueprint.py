"""The `api` blueprint (/api/v1): its routes, and what every API response shares.

Responses are never stored by caches (`Cache-Control: no-store`: they depend on who asks); bodies are read up
to API_MAX_BODY_BYTES (413 past it); errors are problem+json (`errors`); each request's register connection
is closed at its end (portal/web/storage.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from portal.api import errors, openapi, records

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
errors.init_blueprint(bp)
bp.add_url_rule("/openapi.json", view_func=openapi.openapi_json, methods=["GET"])
bp.add_url_rule("/records", view_func=records.list_records, methods=["GET"])
bp.add_url_rule("/records", view_func=records.create_record, methods=["POST"])
bp.add_url_rule("/records/<key>", view_func=records.get_record, methods=["GET"])
bp.add_url_rule("/records/<key>", view_func=records.update_record, methods=["PUT"])
bp.add_url_rule("/records/<key>/history", view_func=records.record_history, methods=["GET"])
bp.add_url_rule("/records/<key>/<any(" + ", ".join(f"'{a}'" for a in openapi.TRANSITIONS) + "):action>",
                view_func=records.transition, methods=["POST"])


@bp.before_request
def _limit_body() -> None:
    request.max_content_length = int(current_app.config["API_MAX_BODY_BYTES"])


@bp.after_app_request
def _no_store(response: Response) -> Response:
    """Every response under /api/v1, routing errors (404, 405) too, is private to its caller."""
    if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
        response.headers["Cache-Control"] = "no-store"
    return response
