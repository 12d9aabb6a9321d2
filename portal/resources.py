"""Placeholder blueprint for the resources concern; filled by its own issue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resources", __name__)
