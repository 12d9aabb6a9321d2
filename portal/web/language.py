"""The reader's language: from ?lang=, then Accept-Language, then the portal default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, request


@dataclass(frozen=True)
class Picked:
    """A text in the best available language; `fallback` is true when it is not the asked language."""

    text: str
    language: str
    fallback: bool


def offered_languages() -> list[str]:
    """Languages the portal offers, default first."""
    return [code.strip() for code in str(current_app.config["LANGUAGES"]).split(",") if code.strip()]


def choose_language() -> str:
    """The language to show: ?lang=xx if offered, else the best Accept-Language match, else the default."""
    offered = offered_languages()
    asked = request.args.get("lang", "")
    if asked in offered:
        return asked
    return request.accept_languages.best_match(offered) or offered[0]


def pick_text(texts: Mapping[str, str], language: str) -> Picked:
    """The text in `language`, else in the portal default, else in any language (marked as a fallback)."""
    if language in texts:
        return Picked(texts[language], language, False)
    for candidate in [*offered_languages(), "", *sorted(texts)]:
        if candidate in texts:
            return Picked(texts[candidate], candidate, True)
    return Picked("", language, True)
