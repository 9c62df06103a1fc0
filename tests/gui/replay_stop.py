"""Child process of test_feedback_replay: stop the app's ReplayPlayer mid-playback while another thread
that needs Python's interpreter lock must run before the stop can return, as Qt's audio renderer does
when it is deleted inside QMediaPlayer.stop(). Prints "stopped" if the stop returned; a stop that keeps
the lock never does (the test kills this process).

    python -m tests.gui.replay_stop FILE
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Slot  # noqa: E402
from PySide6.QtMultimedia import QMediaPlayer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.audio.files import load_audio  # noqa: E402
from app.gui.widgets.replay_player import ReplayPlayer  # noqa: E402


class OtherThread(QObject):
    """Lives on its own Qt thread; its slot is Python, so running it takes the interpreter lock."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    @Slot()
    def told(self) -> None:
        self.calls += 1


def main() -> int:
    path = Path(sys.argv[1])
    app = QApplication([])
    replay = ReplayPlayer()
    replay.set_recording(path, len(load_audio(path)) / 16000, [])
    thread = QThread()
    other = OtherThread()
    other.moveToThread(thread)
    thread.start()
    replay.toggle_play()
    deadline = time.monotonic() + 10
    while not replay.playing and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    if not replay.playing:
        print("never played", file=sys.stderr)
        return 2
    player = replay.player
    assert player is not None
    # Emitted inside stop(); the stop waits until the other thread has run the Python slot.
    player.playbackStateChanged.connect(other.told, Qt.ConnectionType.BlockingQueuedConnection)
    replay.stop()
    print("stopped", other.calls, player.playbackState() == QMediaPlayer.PlaybackState.StoppedState, flush=True)
    thread.quit()
    thread.wait(5000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
