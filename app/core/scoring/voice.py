"""How the voice sounded: pitch variation (monotone or lively), loudness at sentence ends (trailing
off), and speaking rate across the answer (rushing at the end, slowing down).

Pitch and loudness come from Praat (praat-parselmouth), the standard tool of speech science; this
module only reads its contours. Pitch is tracked in the speaker's range, found in two passes (De
Looze & Hirst: 60-600 Hz, then 0.75 x Q25 to 1.5 x Q75): in one wide range Praat jumped an octave
on 3-8 % of the voiced frames of some human readers, inflating variation. Only the first segment
pays for both passes; later ones use the range of the voice before them.

Praat on a 2-minute answer takes about 400 ms, too long for Stop, so `VoiceTracker` analyses the
recording in 5-second segments while it is being recorded and only the last segment is left at Stop. Judgements are relative to the speaker: loudness against their
own level in the same answer, pitch variation and pace against their own earlier answers once
there are `BASELINE_AFTER` of them.

The thresholds were set on espeak-ng (flat 0.4 st, lively 2.2 st) and then checked on the human
readers in tests/data/eval/speech (FLEURS, LibriVox, JFK): pitch variation 1.6-3.9 st (median 2.4)
on the 17 prose clips with a second of voice, none monotone (a card list read flat: 1.05 st,
flagged); one sentence end in 19 at 6 dB or more (the clips are too short to trail off twice); a
LibriVox reader over 27 s (five clips joined) is called rushing, x1.35 in syllables per minute:
the first two thirds hold three joins between clips and the last third one, each a pause under the
1 s that is left out, so pace there is diluted (x1.14 in words). The pitch and loudness thresholds
stay; the flattest prose reader is 1.3 times the monotone line (tests/core/test_voice.py).
Pace is counted in syllables (vowel groups, app/core/transcribe/glossary.py), not words: at one
espeak rate an answer that opens on long words read 1.17 times faster at the end in words.
"""

from __future__ import annotations

import logging
import statistics
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.transcribe.glossary import syllables
from app.core.transcribe.transcript import Word

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
FRAME_S = 0.01  # Praat's analysis step
SEGMENT_S = 5.0  # analysed while recording, one segment at a time
CONTEXT_S = 0.1  # audio either side of a segment so its edge frames see whole pitch periods
PITCH_FLOOR_HZ = 75.0  # intensity's window (and the floor before there was a speaker's range)
PITCH_CEILING_HZ = 600.0
FIRST_PASS_FLOOR_HZ = 60.0  # two-pass pitch (De Looze & Hirst): a wide first pass, 60-600 Hz, ...
RANGE_FLOOR_OF_Q25 = 0.75  # ... then the speaker's range: 0.75 x its 25th percentile ...
RANGE_CEILING_OF_Q75 = 1.5  # ... to 1.5 x its 75th percentile
RANGE_FLOOR_LIMITS_HZ = (60.0, 250.0)
RANGE_CEILING_LIMITS_HZ = (150.0, 600.0)
RANGE_MIN_VOICED = 50  # voiced frames (0.5 s) before a range is trusted
STRIP_STEP_S = 0.1  # the contour kept with the attempt, for the strip under the transcript

VARIATION_WINDOW_S = 5.0  # pitch variation is measured inside windows, so a slow drift is not "variation"
MONOTONE_BELOW_ST = 1.2  # before a baseline: a median within-window pitch SD below this sounds flat
BASELINE_AFTER = 3  # earlier answers with voice figures before the speaker's own baseline is used
MONOTONE_OF_BASELINE = 0.6  # with a baseline: flat when variation falls below 60 % of the speaker's usual
TRAILING_DROP_DB = (
    6.0  # a sentence end (median of its last voiced 0.6 s) this far below the speaker's level in the answer trails off
)
SENTENCE_END_S = 0.6  # how much of a sentence's end is compared
TRAILING_SHARE = 0.25  # "trails off" once at least a quarter of the sentence ends do (and at least 2)
RUSHING_RATIO = 1.25  # last third's syllables per minute against the first two thirds
SLOWING_RATIO = 0.8
RATE_MIN_WORDS = 30
RATE_MIN_SPAN_S = 20.0


@dataclass
class VoiceTrack:
    """Pitch (Hz, 0 where unvoiced) and intensity (dB) every FRAME_S from the start of the recording."""

    f0_hz: np.ndarray
    level_db: np.ndarray

    @property
    def times(self) -> np.ndarray:
        return (np.arange(self.f0_hz.shape[0]) + 0.5) * FRAME_S

    @classmethod
    def join(cls, parts: Iterable[VoiceTrack]) -> VoiceTrack:
        parts = list(parts)
        if not parts:
            return cls(np.zeros(0), np.zeros(0))
        return cls(np.concatenate([p.f0_hz for p in parts]), np.concatenate([p.level_db for p in parts]))


def speaker_range(voiced_hz: np.ndarray) -> tuple[float, float] | None:
    """The pitch range for Praat's second pass from voiced frames (De Looze & Hirst): 0.75 x the 25th
    to 1.5 x the 75th percentile, within sane limits; None with under RANGE_MIN_VOICED frames."""
    voiced = voiced_hz[voiced_hz > 0]
    if voiced.shape[0] < RANGE_MIN_VOICED:
        return None
    q25, q75 = np.percentile(voiced, [25, 75])
    return (
        float(np.clip(RANGE_FLOOR_OF_Q25 * q25, *RANGE_FLOOR_LIMITS_HZ)),
        float(np.clip(RANGE_CEILING_OF_Q75 * q75, *RANGE_CEILING_LIMITS_HZ)),
    )


def _pitch(sound: Any, times: np.ndarray, floor_hz: float, ceiling_hz: float) -> np.ndarray:
    """Praat's pitch (Hz, 0 unvoiced) at `times`."""
    f0 = np.zeros(times.shape[0])
    pitch = sound.to_pitch(time_step=FRAME_S, pitch_floor=floor_hz, pitch_ceiling=ceiling_hz)
    hz = pitch.selected_array["frequency"]
    index = np.rint((times - pitch.x1) / pitch.dx).astype(int)
    inside = (index >= 0) & (index < hz.shape[0])
    f0[inside] = hz[index[inside]]
    return f0


def analyse_segment(
    audio: np.ndarray, start: int, end: int, context_before: int = 0, pitch_range: tuple[float, float] | None = None
) -> VoiceTrack:
    """Praat pitch and intensity for frames [start, end) of the recording; `audio` begins
    `context_before` samples before `start` (and may run past `end`) so the edges are measured whole.

    Pitch is tracked in `pitch_range` (the speaker's, from earlier segments); without one, in two
    passes: 60-600 Hz, then the range `speaker_range` finds in that (Praat's octave jumps, a male
    voice read at 300-600 Hz or a female one at 90, fall outside it)."""
    import parselmouth

    first = int(round(start / SAMPLE_RATE / FRAME_S))
    last = int(round(end / SAMPLE_RATE / FRAME_S))
    times = (np.arange(first, last) + 0.5) * FRAME_S
    f0 = np.zeros(times.shape[0])
    level = np.full(times.shape[0], np.nan)
    offset_s = (start - context_before) / SAMPLE_RATE
    if audio.shape[0] < int(0.05 * SAMPLE_RATE) or times.shape[0] == 0:
        return VoiceTrack(f0, np.nan_to_num(level, nan=0.0))
    sound = parselmouth.Sound(np.asarray(audio, dtype=np.float64), sampling_frequency=SAMPLE_RATE, start_time=offset_s)
    try:
        if pitch_range is None:
            f0 = _pitch(sound, times, FIRST_PASS_FLOOR_HZ, PITCH_CEILING_HZ)
            pitch_range = speaker_range(f0)
        if pitch_range is not None:
            f0 = _pitch(sound, times, *pitch_range)
    except parselmouth.PraatError:  # too short for a pitch window: no pitch here
        log.debug("no pitch for a %.2f s segment", audio.shape[0] / SAMPLE_RATE, exc_info=True)
    try:
        intensity = sound.to_intensity(minimum_pitch=PITCH_FLOOR_HZ, time_step=FRAME_S, subtract_mean=True)
        level = np.interp(times, intensity.xs(), intensity.values[0], left=np.nan, right=np.nan)
    except parselmouth.PraatError:
        log.debug("no intensity for a %.2f s segment", audio.shape[0] / SAMPLE_RATE, exc_info=True)
    floor = np.nanmin(level) if np.isfinite(level).any() else 0.0
    return VoiceTrack(f0, np.where(np.isfinite(level), level, floor))


class _Segments:
    """Measures one answer's segments in order, each in the pitch range of the voice measured
    before it (the first in two passes), so only the first segment pays for a second pass."""

    def __init__(self) -> None:
        self._voiced: list[np.ndarray] = []

    def measure(self, audio: np.ndarray, start: int, end: int, context_before: int) -> VoiceTrack:
        heard = np.concatenate(self._voiced) if self._voiced else np.zeros(0)
        track = analyse_segment(audio, start, end, context_before, speaker_range(heard))
        self._voiced.append(track.f0_hz[track.f0_hz > 0])
        return track


def warm_up() -> None:
    """Import Praat and measure a second of noise once, off the GUI thread at start-up: the first
    import holds Python's interpreter lock for about 100 ms, which would freeze the window that long
    if the tracker's thread paid for it during the first answer."""
    noise = np.random.default_rng(0).normal(0, 0.01, SAMPLE_RATE).astype(np.float32)
    voice_track(noise)


def voice_track(audio: np.ndarray) -> VoiceTrack:
    """The whole recording (the command line, recovery, an answer recorded without a tracker), cut
    into the same segments as `VoiceTracker`, so a file and a live recording measure alike."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    segment, context = int(SEGMENT_S * SAMPLE_RATE), int(CONTEXT_S * SAMPLE_RATE)
    segments, start = _Segments(), 0
    parts: list[VoiceTrack] = []
    while True:
        end = start + segment if start + segment + context <= audio.shape[0] else audio.shape[0]
        if end <= start and parts:
            break
        lo = max(0, start - context)
        parts.append(segments.measure(audio[lo : end + context], start, end, start - lo))
        start = end
        if end == audio.shape[0]:
            break
    return VoiceTrack.join(parts)


class VoiceTracker:
    """Analyses the recording while it is made: `feed` (the recorder's writer thread) only appends;
    each finished 5 s segment is measured on a worker thread; `finish()` measures the rest."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._blocks: list[np.ndarray] = []
        self._buffer_start = 0  # recording frame of the first buffered sample
        self._buffered = 0
        self._next = 0  # first frame not yet handed to a segment
        self._futures: list[Future[VoiceTrack]] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehearse-voice")  # one: segments in order
        self._segments = _Segments()
        self._closed = False

    def feed(self, block: np.ndarray) -> None:
        with self._lock:
            if self._closed:
                return
            self._blocks.append(np.asarray(block, dtype=np.float32).reshape(-1))
            self._buffered += self._blocks[-1].shape[0]
            segment, context = int(SEGMENT_S * SAMPLE_RATE), int(CONTEXT_S * SAMPLE_RATE)
            while self._buffer_start + self._buffered >= self._next + segment + context:
                self._submit(self._next + segment)

    def _submit(self, end: int) -> None:
        """Hand frames [self._next, end) to the worker (lock held) and drop audio no longer needed."""
        audio = np.concatenate(self._blocks) if len(self._blocks) != 1 else self._blocks[0]
        context = int(CONTEXT_S * SAMPLE_RATE)
        lo = max(self._buffer_start, self._next - context)
        piece = audio[lo - self._buffer_start : end + context - self._buffer_start].copy()
        self._futures.append(self._pool.submit(self._segments.measure, piece, self._next, end, self._next - lo))
        self._next = end
        keep_from = max(self._buffer_start, end - context)
        self._blocks = [audio[keep_from - self._buffer_start :]]
        self._buffered = self._blocks[0].shape[0]
        self._buffer_start = keep_from

    def finish(self) -> VoiceTrack:
        """Measure what is left and return the whole answer's track (waits for the worker)."""
        with self._lock:
            self._closed = True
            total = self._buffer_start + self._buffered
            if total > self._next:
                self._submit(total)
            futures = list(self._futures)
        try:
            return VoiceTrack.join(f.result() for f in futures)
        finally:
            self._pool.shutdown(wait=False)

    @property
    def fed_seconds(self) -> float:
        with self._lock:
            return (self._buffer_start + self._buffered) / SAMPLE_RATE

    def close(self) -> None:
        """Abandon (the answer was cancelled)."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)


# -- figures ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Baseline:
    """The speaker's usual figures, from their earlier answers (medians)."""

    answers: int
    pitch_variation_st: float | None = None
    words_per_minute: float | None = None

    @property
    def ready(self) -> bool:
        return self.answers >= BASELINE_AFTER

    @classmethod
    def from_deliveries(cls, deliveries: Iterable[Mapping[str, Any]]) -> Baseline:
        """From stored delivery dicts (newest first or any order); those without voice figures are skipped."""
        variation, pace = [], []
        for data in deliveries:
            voice = data.get("voice") or {}
            if voice.get("pitch_variation_st") is not None:
                variation.append(float(voice["pitch_variation_st"]))
                if data.get("words_per_minute"):
                    pace.append(float(data["words_per_minute"]))
        return cls(
            len(variation),
            statistics.median(variation) if variation else None,
            statistics.median(pace) if pace else None,
        )


@dataclass(frozen=True)
class SentenceEnd:
    word: int  # index of the sentence's last word
    end_s: float
    drop_db: float  # below the speaker's level in this answer

    @property
    def trailing(self) -> bool:
        return self.drop_db >= TRAILING_DROP_DB


@dataclass
class Voice:
    """The voice figures of one answer (None where too little was voiced to say)."""

    pitch_median_hz: float | None = None
    pitch_range_st: float | None = None
    pitch_variation_st: float | None = None
    monotone_below_st: float = MONOTONE_BELOW_ST
    level_db: float | None = None
    sentence_ends: list[SentenceEnd] = field(default_factory=list)
    rate_start_wpm: float | None = None  # first two thirds of the speech
    rate_end_wpm: float | None = None  # last third
    # Syllables per minute in the same parts: the pace trend is read from these, since words per
    # minute changes with word length alone (an answer that opens on "interpretability" and ends on
    # short words read 17 % faster at the end at one steady espeak rate). None for older answers.
    rate_start_spm: float | None = None
    rate_end_spm: float | None = None
    baseline_answers: int = 0
    usual_variation_st: float | None = None
    usual_wpm: float | None = None
    contour_pitch_hz: list[int] = field(default_factory=list)  # every STRIP_STEP_S, 0 unvoiced
    contour_level_db: list[float] = field(default_factory=list)

    @property
    def monotone(self) -> bool | None:
        if self.pitch_variation_st is None:
            return None
        return self.pitch_variation_st < self.monotone_below_st

    @property
    def trailing_count(self) -> int:
        return sum(e.trailing for e in self.sentence_ends)

    @property
    def trails_off(self) -> bool:
        ends = len(self.sentence_ends)
        return ends > 0 and self.trailing_count >= 2 and self.trailing_count / ends >= TRAILING_SHARE

    @property
    def rate_change(self) -> float | None:
        start, end = self.rate_start_spm, self.rate_end_spm
        if start is None or end is None:  # an answer stored before syllables were counted
            start, end = self.rate_start_wpm, self.rate_end_wpm
        if not start or end is None:
            return None
        return end / start

    @property
    def rate_trend(self) -> str | None:
        change = self.rate_change
        if change is None:
            return None
        return (
            "rushing at the end" if change >= RUSHING_RATIO else "slowing down" if change <= SLOWING_RATIO else "steady"
        )

    def to_dict(self) -> dict[str, Any]:
        def r(value: float | None, digits: int = 2) -> float | None:
            return None if value is None else round(float(value), digits)

        return {
            "pitch_median_hz": r(self.pitch_median_hz, 1),
            "pitch_range_st": r(self.pitch_range_st),
            "pitch_variation_st": r(self.pitch_variation_st),
            "monotone_below_st": r(self.monotone_below_st),
            "monotone": self.monotone,
            "level_db": r(self.level_db, 1),
            "sentence_ends": [
                {"word": e.word, "end_s": r(e.end_s), "drop_db": r(e.drop_db, 1)} for e in self.sentence_ends
            ],
            "trailing_count": self.trailing_count,
            "trails_off": self.trails_off,
            "rate_start_wpm": r(self.rate_start_wpm, 1),
            "rate_end_wpm": r(self.rate_end_wpm, 1),
            "rate_start_spm": r(self.rate_start_spm, 1),
            "rate_end_spm": r(self.rate_end_spm, 1),
            "rate_change": r(self.rate_change, 3),
            "rate_trend": self.rate_trend,
            "baseline_answers": self.baseline_answers,
            "usual_variation_st": r(self.usual_variation_st),
            "usual_wpm": r(self.usual_wpm, 1),
            "contour": {"step_s": STRIP_STEP_S, "pitch_hz": self.contour_pitch_hz, "level_db": self.contour_level_db},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Voice:
        contour = data.get("contour") or {}
        return cls(
            pitch_median_hz=data.get("pitch_median_hz"),
            pitch_range_st=data.get("pitch_range_st"),
            pitch_variation_st=data.get("pitch_variation_st"),
            monotone_below_st=data.get("monotone_below_st", MONOTONE_BELOW_ST),
            level_db=data.get("level_db"),
            sentence_ends=[SentenceEnd(e["word"], e["end_s"], e["drop_db"]) for e in data.get("sentence_ends", [])],
            rate_start_wpm=data.get("rate_start_wpm"),
            rate_end_wpm=data.get("rate_end_wpm"),
            rate_start_spm=data.get("rate_start_spm"),
            rate_end_spm=data.get("rate_end_spm"),
            baseline_answers=data.get("baseline_answers", 0),
            usual_variation_st=data.get("usual_variation_st"),
            usual_wpm=data.get("usual_wpm"),
            contour_pitch_hz=list(contour.get("pitch_hz", [])),
            contour_level_db=list(contour.get("level_db", [])),
        )


def sentences(words: Sequence[Word]) -> list[tuple[int, int]]:
    """Word ranges [start, end) ending at ., ? or ! (and the last word)."""
    out, start = [], 0
    for i, word in enumerate(words):
        if word.text.rstrip().endswith((".", "?", "!")) or i == len(words) - 1:
            out.append((start, i + 1))
            start = i + 1
    return out


def _pitch_variation(f0: np.ndarray, median_hz: float) -> float:
    """Median over VARIATION_WINDOW_S windows of the SD of voiced pitch in semitones."""
    per = int(VARIATION_WINDOW_S / FRAME_S)
    sds = []
    for lo in range(0, f0.shape[0], per):
        piece = f0[lo : lo + per]
        voiced = piece[piece > 0]
        if voiced.shape[0] >= 50:  # half a second of voice
            sds.append(float(np.std(12 * np.log2(voiced / median_hz))))
    if not sds:
        voiced = f0[f0 > 0]
        return float(np.std(12 * np.log2(voiced / median_hz)))
    return float(np.median(sds))


def _frames(start_s: float, end_s: float, n: int) -> slice:
    return slice(max(0, int(start_s / FRAME_S)), min(n, int(np.ceil(end_s / FRAME_S))))


def _voice_stops(voiced: np.ndarray, search: slice) -> int | None:
    """Where the voice stops around a sentence's last word: the start of the longest unvoiced run
    (at least 0.15 s) there. Whisper's word times drift by a few tenths of a second, often into
    the next sentence; the pause itself does not."""
    piece = voiced[search]
    best, best_len, run_start = None, int(0.15 / FRAME_S) - 1, None
    for i, on in enumerate(np.append(piece, True)):
        if not on and run_start is None:
            run_start = i
        elif on and run_start is not None:
            if i - run_start > best_len and run_start > 0:
                best, best_len = run_start, i - run_start
            run_start = None
    return None if best is None else search.start + best


def _sentence_ends(track: VoiceTrack, words: Sequence[Word]) -> tuple[float, list[SentenceEnd]]:
    """The speaker's level and the loudness of each sentence's last SENTENCE_END_S of voice against it.

    The level is the median of the voiced frames outside the sentence ends, so a speaker who fades
    every sentence is measured against the body of their sentences, not against the fades. Word end
    times run on into the following silence, so an end is found from Praat's voicing: the last
    voiced frame near the sentence's last word, and the voiced frames just before it."""
    n = track.level_db.shape[0]
    voiced = track.f0_hz > 0
    body = voiced.copy()
    ends: list[tuple[int, float, float]] = []
    for start, end in sentences(words):
        last = words[end - 1]
        region = _frames(words[start].start, last.end + 0.4, n)
        on = np.flatnonzero(voiced[region])
        if on.shape[0] == 0:
            continue
        stop = (
            _voice_stops(voiced, _frames(max(words[start].start, last.end - 0.8), last.end + 0.4, n))
            or region.start + int(on[-1]) + 1
        )
        lo = max(region.start, stop - int(SENTENCE_END_S / FRAME_S))
        body[lo:stop] = False
        frames = voiced[lo:stop]
        if end - start >= 3 and on.shape[0] >= 20 and frames.sum() >= 5:
            ends.append((end - 1, last.end, float(np.median(track.level_db[lo:stop][frames]))))
    level = float(np.median(track.level_db[body if body.sum() >= 50 else voiced]))
    return level, [SentenceEnd(word, end_s, level - end_db) for word, end_s, end_db in ends]


def _rate_parts(words: Sequence[Word], count: Callable[[Word], int]) -> tuple[float | None, float | None]:
    """Units (`count` of each word) per minute in the first two thirds of the speech and in the
    last third (pauses over 1 s left out)."""
    if len(words) < RATE_MIN_WORDS or words[-1].end - words[0].start < RATE_MIN_SPAN_S:
        return None, None
    split = words[0].start + (words[-1].end - words[0].start) * 2 / 3

    def rate(part: Sequence[Word]) -> float | None:
        if len(part) < 5:
            return None
        span = part[-1].end - part[0].start
        span -= sum(max(0.0, b.start - a.end - 1.0) for a, b in zip(part, part[1:]))
        return sum(map(count, part)) / (span / 60) if span > 1 else None

    return rate([w for w in words if w.start < split]), rate([w for w in words if w.start >= split])


def measure_voice(track: VoiceTrack, words: Sequence[Word], baseline: Baseline | None = None) -> Voice:
    """The voice figures of one answer from its Praat track and its timed words."""
    voice = Voice()
    if baseline is not None and baseline.ready:
        voice.baseline_answers = baseline.answers
        voice.usual_variation_st, voice.usual_wpm = baseline.pitch_variation_st, baseline.words_per_minute
        if baseline.pitch_variation_st:
            voice.monotone_below_st = float(np.clip(MONOTONE_OF_BASELINE * baseline.pitch_variation_st, 0.8, 2.0))
    voice.rate_start_wpm, voice.rate_end_wpm = _rate_parts(words, lambda w: 1)
    voice.rate_start_spm, voice.rate_end_spm = _rate_parts(words, lambda w: syllables(w.text))
    f0, level = track.f0_hz, track.level_db
    voiced = f0[f0 > 0]
    if voiced.shape[0] >= int(1.0 / FRAME_S):
        median = float(np.median(voiced))
        semitones = 12 * np.log2(voiced / median)
        voice.pitch_median_hz = median
        voice.pitch_range_st = float(np.percentile(semitones, 90) - np.percentile(semitones, 10))
        voice.pitch_variation_st = _pitch_variation(f0, median)
        voice.level_db, voice.sentence_ends = _sentence_ends(track, words)
    voice.contour_pitch_hz, voice.contour_level_db = _contour(f0, level)
    return voice


def _contour(f0: np.ndarray, level: np.ndarray) -> tuple[list[int], list[float]]:
    """Pitch (median of the voiced frames, 0 when under half are voiced) and loudness (loudest frame)
    every STRIP_STEP_S, for the strip."""
    step = int(round(STRIP_STEP_S / FRAME_S))
    rows = -(-f0.shape[0] // step)
    if rows == 0:
        return [], []
    pad = rows * step - f0.shape[0]
    hz = np.pad(f0, (0, pad)).reshape(rows, step)
    db = np.pad(level, (0, pad), constant_values=-np.inf).reshape(rows, step)
    voiced = np.where(hz > 0, hz, np.nan)
    counts = (hz > 0).sum(axis=1)
    sizes = np.full(rows, step)
    sizes[-1] = step - pad
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-unvoiced rows: NaN, replaced by 0 below
            medians = np.nanmedian(voiced, axis=1)
    pitch = np.where(counts * 2 >= sizes, np.rint(np.nan_to_num(medians)), 0).astype(int)
    loud = np.round(np.maximum(0.0, db.max(axis=1)), 1)
    return pitch.tolist(), loud.tolist()


__all__ = [
    "Baseline",
    "SentenceEnd",
    "Voice",
    "VoiceTrack",
    "VoiceTracker",
    "analyse_segment",
    "measure_voice",
    "sentences",
    "speaker_range",
    "voice_track",
]
