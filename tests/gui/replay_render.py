"""Child process of test_replay_speed: play a file through the app's ReplayPlayer at a speed into the
default audio output (the test's PulseAudio null sink, recorded from its monitor), then exit.

    python -m tests.gui.replay_render FILE SPEED [--pitch-not-kept]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtMultimedia import QMediaPlayer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.audio.files import load_audio  # noqa: E402
from app.gui.widgets.replay_player import ReplayPlayer  # noqa: E402


def main() -> int:
    path, speed = Path(sys.argv[1]), float(sys.argv[2])
    app = QApplication([])
    replay = ReplayPlayer()
    replay.set_recording(path, len(load_audio(path)) / 16000, [])
    replay.set_speed(speed)
    player = replay._ensure_player()
    if "--pitch-not-kept" in sys.argv:  # the control: what the test must be able to tell apart
        player.setPitchCompensation(False)
    print(f"rate {player.playbackRate()} pitch kept {player.pitchCompensation()}", flush=True)
    player.mediaStatusChanged.connect(
        lambda status: status == QMediaPlayer.MediaStatus.EndOfMedia and QTimer.singleShot(300, app.quit)
    )
    replay.message.connect(lambda text: (print(text, file=sys.stderr), app.exit(1)))
    replay.toggle_play()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
