"""Input level for a meter: RMS smoothed over ~300 ms, peak with hold and decay (as Friture does)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SILENCE_DB = -90.0


def to_db(value: float) -> float:
    return 20.0 * math.log10(value) if value > 1e-9 else SILENCE_DB


@dataclass
class Level:
    rms_db: float = SILENCE_DB
    peak_db: float = SILENCE_DB
    clipping: bool = False


class LevelMeter:
    """Feed float blocks in [-1, 1]; read a smoothed level. Thread-safe enough for one writer, many readers."""

    def __init__(
        self, samplerate: int, rms_window_s: float = 0.3, peak_hold_s: float = 1.0, decay_db_s: float = 20.0
    ) -> None:
        self.samplerate = samplerate
        self.rms_window_s = rms_window_s
        self.peak_hold_s = peak_hold_s
        self.decay_db_s = decay_db_s
        self._mean_square = 0.0
        self._peak_db = SILENCE_DB
        self._since_peak_s = 0.0
        self._clipping = False
        self.level = Level()

    def feed(self, block: np.ndarray) -> Level:
        if block.size == 0:
            return self.level
        seconds = block.shape[0] / self.samplerate
        alpha = min(1.0, seconds / self.rms_window_s)
        self._mean_square += alpha * (float(np.mean(np.square(block, dtype=np.float64))) - self._mean_square)
        block_peak = float(np.max(np.abs(block)))
        block_peak_db = to_db(block_peak)
        if block_peak_db >= self._peak_db:
            self._peak_db, self._since_peak_s = block_peak_db, 0.0
        else:
            self._since_peak_s += seconds
            if self._since_peak_s > self.peak_hold_s:
                self._peak_db = max(block_peak_db, self._peak_db - self.decay_db_s * seconds)
        self._clipping = block_peak >= 0.999
        self.level = Level(to_db(math.sqrt(self._mean_square)), self._peak_db, self._clipping)
        return self.level
