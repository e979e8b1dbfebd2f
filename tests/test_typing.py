"""The counting engine and the pure rule modules type-check under ``mypy --strict``.

The files are listed in pyproject.toml ([tool.mypy]); the Django modules are not among them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent


def test_the_pure_modules_pass_mypy_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the configured files are relative to the project root
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    assert status == 0, out + err
    assert "Success: no issues found in" in out
