"""Lint and type checks as part of the test suite, so the README's test command (and CI) runs them.

Both run as real subprocesses with the configuration in pyproject.toml; a failure shows their output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = _run("ruff", "check", "--no-cache", "app", "tests", "training")
    assert done.returncode == 0, f"ruff check failed:\n{done.stdout}{done.stderr}"


def test_the_code_is_formatted() -> None:
    done = _run("ruff", "format", "--check", "--no-cache", "app", "tests", "training")
    assert done.returncode == 0, (
        f"ruff format would change files (run `ruff format app tests training`):\n{done.stdout}{done.stderr}"
    )


def test_mypy_finds_nothing() -> None:
    # strict on app.core and app.services, check_untyped_defs elsewhere: [tool.mypy] in pyproject.toml
    done = _run("mypy")
    assert done.returncode == 0, f"mypy failed:\n{done.stdout}{done.stderr}"
