"""Placeholder blueprint for the dumps concern; filled by its own issue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dumps", __name__)
