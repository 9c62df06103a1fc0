"""The Qt-free core: packs, audio, transcription, scoring. The CLI, GUI and tests all sit on it."""
