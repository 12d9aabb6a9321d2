"""Every portal setting is documented in README.md."""

from __future__ import annotations

from pathlib import Path

from portal.web.config import Defaults

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    settings = [name for name in vars(Defaults) if name.isupper()]
    missing = [name for name in settings if f"`{name}`" not in README]
    assert not missing, f"README.md does not document: {missing}"


def test_readme_gives_the_two_commands() -> None:
    assert "pip install . && nqdb serve" in README
    assert "bash scripts/test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test" in ci
