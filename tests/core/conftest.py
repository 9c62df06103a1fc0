"""Fixtures the review tests share: the demo pack and a History on an empty data folder.

Here rather than imported from test_review_seeding, so pytest finds them by name without
re-imported fixture names shadowing each other in every module that uses them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.packs import Pack, load_pack
from app.core.paths import DataDir
from app.db.history import History
from tests.core.test_review_seeding import DEMO


@pytest.fixture
def demo() -> Pack:
    return load_pack(DEMO)


@pytest.fixture
def history(data_dir: DataDir) -> Iterator[History]:
    h = History.open(data_dir)
    yield h
    h.close()
