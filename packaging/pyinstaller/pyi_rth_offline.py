"""Runtime hook: keep the bundled libraries off the network, before any of them loads.

onnxruntime (1.2x+ on Linux) carries Microsoft's 1DS telemetry: sessions (ours for MiniLM, and
faster-whisper's Silero VAD) can look up and post to mobile.events.data.microsoft.com, and keep
an event cache in ~/.cache/Microsoft. ORT_DISABLE_TELEMETRY=1 switches that off (checked with
strace in packaging/smoke.sh). HF_HUB_OFFLINE=1: huggingface_hub (under faster-whisper) must
never try to fetch a model. A value the person set themselves is left alone.
"""

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
