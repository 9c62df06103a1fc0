"""Preferences in QSettings, behind typed properties with sensible defaults."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from app.core.practice import DEFAULT_HARD_LIMIT_FACTOR
from app.core.practice_times import clamp_hard_limit

T = TypeVar("T")


class Key(str, enum.Enum):
    INPUT_DEVICE = "audio/input_device"
    MODEL = "transcription/model"
    PREP_SECONDS = "practice/prep_seconds"  # 0: the pack's time
    ANSWER_SECONDS = "practice/answer_seconds"  # 0: the pack's time
    HARD_LIMIT_FACTOR = "practice/hard_limit_factor"
    READ_ALOUD = "practice/read_aloud"
    LIVE_CAPTIONS = "practice/live_captions"
    DATA_DIR = "storage/data_dir"
    LAST_PACK = "state/last_pack"
    LAST_MODE = "state/last_mode"
    WEAKEST_ORDER = "practice/weakest_order"  # weak-first or unseen-first (app.core.review.scheduler.Order)
    MOCK_COUNT = "practice/mock_count"
    REPLAY_SPEED = "replay/speed"
    GEOMETRY = "window/geometry"
    WINDOW_STATE = "window/state"


class AppSettings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or QSettings()

    def _get(self, key: Key, default: T, kind: Callable[[Any], T]) -> T:
        value = self.q.value(key.value, default)
        if value is None:
            return default
        try:
            return kind(value)
        except (TypeError, ValueError):
            return default

    def _get_bool(self, key: Key, default: bool) -> bool:
        """QSettings gives back 'true'/'false' strings from its INI files, real booleans otherwise."""
        value = self.q.value(key.value, default)
        if value is None:
            return default
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")

    def _set(self, key: Key, value: object) -> None:
        if value is None or value == "":
            self.q.remove(key.value)
        else:
            self.q.setValue(key.value, value)

    @property
    def input_device(self) -> str | None:
        return self._get(Key.INPUT_DEVICE, "", str) or None

    @input_device.setter
    def input_device(self, value: str | None) -> None:
        self._set(Key.INPUT_DEVICE, value)

    @property
    def model(self) -> str:
        return self._get(Key.MODEL, "tiny.en", str) or "tiny.en"

    @model.setter
    def model(self, value: str) -> None:
        self._set(Key.MODEL, value)

    @property
    def prep_seconds(self) -> int:
        return self._get(Key.PREP_SECONDS, 0, int)

    @prep_seconds.setter
    def prep_seconds(self, value: int) -> None:
        self._set(Key.PREP_SECONDS, int(value))

    @property
    def answer_seconds(self) -> int:
        return self._get(Key.ANSWER_SECONDS, 0, int)

    @answer_seconds.setter
    def answer_seconds(self, value: int) -> None:
        self._set(Key.ANSWER_SECONDS, int(value))

    @property
    def hard_limit_factor(self) -> float:
        value = self._get(Key.HARD_LIMIT_FACTOR, DEFAULT_HARD_LIMIT_FACTOR, float)
        return clamp_hard_limit(value) if 1.0 <= value <= 10.0 else DEFAULT_HARD_LIMIT_FACTOR

    @hard_limit_factor.setter
    def hard_limit_factor(self, value: float) -> None:
        self._set(Key.HARD_LIMIT_FACTOR, float(value))

    @property
    def read_aloud(self) -> bool:
        return self._get_bool(Key.READ_ALOUD, False)

    @read_aloud.setter
    def read_aloud(self, value: bool) -> None:
        self._set(Key.READ_ALOUD, bool(value))

    @property
    def live_captions(self) -> bool:
        return self._get_bool(Key.LIVE_CAPTIONS, False)

    @live_captions.setter
    def live_captions(self, value: bool) -> None:
        self._set(Key.LIVE_CAPTIONS, bool(value))

    @property
    def data_dir(self) -> str | None:
        return self._get(Key.DATA_DIR, "", str) or None

    @data_dir.setter
    def data_dir(self, value: str | None) -> None:
        self._set(Key.DATA_DIR, value)

    @property
    def last_pack(self) -> str | None:
        return self._get(Key.LAST_PACK, "", str) or None

    @last_pack.setter
    def last_pack(self, value: str | None) -> None:
        self._set(Key.LAST_PACK, value)

    @property
    def last_mode(self) -> str | None:
        return self._get(Key.LAST_MODE, "", str) or None

    @last_mode.setter
    def last_mode(self, value: str | None) -> None:
        self._set(Key.LAST_MODE, value)

    @property
    def weakest_order(self) -> str:
        """Weakest-first rounds: weak answers before unseen questions (the default) or unseen first."""
        value = self._get(Key.WEAKEST_ORDER, "weak-first", str)
        return value if value in ("weak-first", "unseen-first") else "weak-first"

    @weakest_order.setter
    def weakest_order(self, value: str) -> None:
        self._set(Key.WEAKEST_ORDER, value)

    @property
    def mock_count(self) -> int:
        """Questions in a mock interview, as last chosen (clamped to a pack's size where it is used)."""
        value = self._get(Key.MOCK_COUNT, 5, int)
        return value if value >= 1 else 5

    @mock_count.setter
    def mock_count(self, value: int) -> None:
        self._set(Key.MOCK_COUNT, int(value))

    @property
    def replay_speed(self) -> float:
        """Replay speed as last chosen (0.75x to 1.5x); anything else stored reads as normal speed."""
        value = self._get(Key.REPLAY_SPEED, 1.0, float)
        return value if 0.75 <= value <= 1.5 else 1.0

    @replay_speed.setter
    def replay_speed(self, value: float) -> None:
        self._set(Key.REPLAY_SPEED, float(value))

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.q.value(Key.GEOMETRY.value), self.q.value(Key.WINDOW_STATE.value)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.q.setValue(Key.GEOMETRY.value, geometry)
        self.q.setValue(Key.WINDOW_STATE.value, state)

    def sync(self) -> None:
        self.q.sync()
