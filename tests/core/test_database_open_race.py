"""Several processes opening a new data folder's database at the same moment (the window and a
`rehearse history` run started together) all get a working database, and none calls it corrupt."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

OPEN = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from app.db.engine import open_database
    start = float(sys.argv[2])
    while time.time() < start:  # all processes open at once
        pass
    open_database(Path(sys.argv[1])).dispose()
""")


def test_processes_opening_a_new_database_together_all_succeed(tmp_path: Path) -> None:
    import time

    repo = Path(__file__).resolve().parents[2]
    for round_ in range(5):
        path = tmp_path / f"round{round_}" / "rehearse.sqlite3"
        start = time.time() + 2.0
        children = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN, str(path), str(start)],
                cwd=repo,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        results = [(child.wait(timeout=120), child.stderr.read() if child.stderr else "") for child in children]
        assert [code for code, _ in results] == [0] * 8, [err for code, err in results if code]
        assert not list(path.parent.glob("*.bak")), "a fresh database needs no backup"
