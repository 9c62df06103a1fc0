"""Everything the app creates in the data folder is private: files 0600, folders 0700.

The umask is set to the usual 022 here, so a file or folder made without care shows as 0644/0755.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from app.core.analysis import judge_transcript
from app.core.audio.files import write_recording
from app.core.packs import load_pack
from app.core.paths import DataDir
from app.core.transcribe.transcript import Transcript, Word
from app.db.history import History

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo-pack.yaml"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_shm_and_recording_folders_are_private(data_dir: DataDir, scorer) -> None:
    now = datetime.now()
    audio = write_recording(np.zeros(1600, np.float32), data_dir.recordings / f"{now:%Y}" / f"{now:%m}" / "answer.flac")
    history = History.open(data_dir)
    try:
        pack = load_pack(DEMO)
        question = pack.question("shap-and-lime")
        words = [Word("SHAP", 0.0, 0.3, 0.9)]
        analysis = judge_transcript(pack, question, Transcript(words, words, 1.0), scorer)
        history.save_attempt(pack, question, analysis, audio)
        database = data_dir.database
        wal, shm = database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")
        assert wal.exists() and shm.exists(), "WAL mode keeps both while the history is open"
        assert {p.name: oct(mode(p)) for p in (database, wal, shm)} == {p.name: "0o600" for p in (database, wal, shm)}
        assert mode(audio) == 0o600
        folders = {
            str(Path(d).relative_to(data_dir.root)): oct(mode(Path(d))) for d, _dirs, _files in os.walk(data_dir.root)
        }
        # The recordings' <year>/<month> folders included (app.core.audio.files.private_parents).
        assert folders == {name: "0o700" for name in folders}, folders
        assert f"recordings/{now:%Y}/{now:%m}" in folders
    finally:
        history.close()


def test_files_left_readable_by_an_older_version_are_tightened(data_dir: DataDir) -> None:
    History.open(data_dir).close()
    database = data_dir.database
    backup = database.with_name(database.name + ".before-0002.bak")
    backup.write_bytes(database.read_bytes())
    wal = database.with_name(database.name + "-wal")
    wal.write_bytes(b"")
    for path in (database, backup, wal):
        os.chmod(path, 0o644)
    History.open(data_dir).close()
    assert [oct(mode(p)) for p in (database, backup) if p.exists()] == ["0o600", "0o600"]
    assert not wal.exists() or mode(wal) == 0o600


def test_the_rehearse_command_writes_private_files(tmp_path: Path) -> None:
    """The umask is set at the entry point: reports, settings and logs are the person's own too."""
    import subprocess
    import sys

    report = tmp_path / "packs.json"
    code = (
        "import sys; from app.cli import main; from app.core.packs.writer import write_text_atomically; "
        "main(['packs']); write_text_atomically('x', __import__('pathlib').Path(sys.argv[1]))"
    )
    env = {**os.environ, "REHEARSE_DATA_DIR": str(tmp_path / "data")}
    subprocess.run(
        [sys.executable, "-c", code, str(report)],
        check=True,
        env=env,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert oct(mode(report)) == "0o600"


def test_exported_reports_are_private_even_over_an_older_readable_file(tmp_path: Path) -> None:
    """The GUI's Export buttons and `rehearse export FILE` both go through reports.save."""
    from app.core.review.reports import save

    report = tmp_path / "answer.html"
    report.write_text("older export")
    os.chmod(report, 0o644)
    (tmp_path / "answer.html.tmp").write_text("left by a crash")  # O_CREAT keeps a leftover's mode
    os.chmod(tmp_path / "answer.html.tmp", 0o644)
    save("<p>my answer</p>", report)
    assert report.read_text() == "<p>my answer</p>"
    assert oct(mode(report)) == "0o600"
    fresh = tmp_path / "new.md"
    save("# answer", fresh)
    assert oct(mode(fresh)) == "0o600"
