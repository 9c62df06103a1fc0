"""Rehearse: practise interview answers out loud, fully offline."""

import os

# Before any library loads: onnxruntime's telemetry off (it ships Microsoft's 1DS event client) and
# huggingface_hub (under faster-whisper) never fetching a model. A value set by the person is kept.
# The frozen bundle sets the same two in its runtime hook (packaging/pyinstaller/pyi_rth_offline.py).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

__version__ = "0.1.0"
APP_NAME = "Rehearse"
APP_ID = "io.github.rehearse.Rehearse"
