"""Searching every transcript from History: how long the filtered read takes over 10,000 attempts.

Run on its own:  python -m tests.bench.bench_search  [--attempts N] [--repeat R]
Writes tests/bench/results/search.json. The database is seeded as bench_history seeds it (made-up
transcripts of ~20 common words, so a word of them is in nearly every answer; a word that is in
none costs the same scan). Each read follows a commit, so it goes to the database, not the cache.
This decides LIKE against an FTS5 index (a migration): LIKE is kept while this stays well under
the ~100 ms a person notices after typing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.bench.bench_history import _commit, _timed, seed, write_figures

RESULTS = Path(__file__).resolve().parent / "results" / "search.json"
QUERIES = {
    "no_filter": None,
    "common_word": "shapley",  # in most of the made-up answers
    "two_words": "shapley improved",
    "absent_word": "xylophone",  # in none: the whole scan, no rows to build
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from app.core.packs import PackLibrary
    from app.core.paths import DataDir, builtin_packs_dir
    from app.services.workspace import Workspace

    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="rehearse-bench-") as tmp:
        data_dir = DataDir(Path(tmp) / "data").create()
        workspace = Workspace(data_dir)
        history = workspace.history
        packs = PackLibrary(builtin_packs_dir()).packs()
        count = seed(history, packs, args.attempts)
        figures: dict[str, Any] = {"attempts": count, "database_mb": round(data_dir.database.stat().st_size / 1e6, 1)}
        for name, text in QUERIES.items():
            rows = len(history.attempt_summaries(text=text))
            figures[name] = {
                "query": text,
                "rows": rows,
                **_timed(lambda t=text: history.attempt_summaries(text=t), args.repeat, lambda: _commit(history)),
            }
        workspace.close()
    write_figures(figures, args.output, load_before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
