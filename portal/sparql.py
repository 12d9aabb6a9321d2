"""Placeholder blueprint for the sparql concern; filled by its own issue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sparql", __name__)
