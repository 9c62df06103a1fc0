"""Words Whisper wrote from its prompt, not from the audio: a prompt echo at the end of a chunk is dropped.

The disfluent preface that makes Whisper keep "um" and "uh" also lets it run on past the end of
the speech, repeating the prompt or the chunk's own words: "... data scientists. Uh, uh, uh,",
"... calculator. So, uh," or "... calculator. To be fair, umm, I did two points, umm" (words the
chunk had said already). Seen on the filler tuning set: such words had probabilities of 0.00-0.13
(or no duration at all), and less than 0.15 s of voiced audio followed the last word that was
heard, the tail of that word. Each was a false filler in the feedback.

It also writes a closing phrase of its own over the last fraction of a second ("... than expected.
Yeah. And then, uh, we'll see you in the next one.", every word placed at the same instant).

A trailing run of words, each placed nowhere (no duration) or unsure and only repeating the prompt
or the chunk's earlier words, is dropped when the audio after the last other word has less than
MIN_OWN_SOUND_S of voice: a real "um" at the end of a chunk is 0.3-0.6 s of voice and stays,
however unsure Whisper was.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np

from app.core.audio.files import SAMPLE_RATE
from app.core.transcribe.transcript import Word

log = logging.getLogger(__name__)

UNSURE_P = 0.15  # below this a word is unsure
UNSURE_SHORT_P = 0.5  # ... or below this, with (almost) no duration: Whisper placed it nowhere
SHORT_S = 0.05
MIN_OWN_SOUND_S = 0.2  # voiced time after the last heard word that a trailing word could have come from
FRAME_S = 0.02
VOICED_OF_MEDIAN = 0.1  # a frame is voiced above this share of the chunk's median level of sound


def bare_word(text: str) -> str:
    return re.sub(r"[^a-z0-9']", "", text.lower())


def _unsure(word: Word) -> bool:
    return word.probability < UNSURE_P or placed_nowhere(word)


def _nowhere(word: Word) -> bool:
    """Whisper gave the word (almost) no time: text it wrote, not sound it aligned."""
    return word.end - word.start < SHORT_S


def placed_nowhere(word: Word) -> bool:
    """No time and no confidence: written from the prompt (a real filler Whisper times short it is
    still sure of, p 0.99 seen)."""
    return _nowhere(word) and word.probability < UNSURE_SHORT_P


def voiced_seconds(audio: np.ndarray, start_s: float, end_s: float) -> float:
    """How much of audio[start_s:end_s] is voiced: 20 ms frames louder than a tenth of the chunk's
    median sound level (frames of near-silence left out of that median)."""
    n = audio.shape[0] // int(FRAME_S * SAMPLE_RATE)
    if n == 0:
        return 0.0
    frames = audio[: n * int(FRAME_S * SAMPLE_RATE)].reshape(n, -1)
    rms = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1))
    sound = rms[rms > 0.01 * float(rms.max() or 1.0)]
    if not sound.size:
        return 0.0
    threshold = VOICED_OF_MEDIAN * float(np.median(sound))
    lo, hi = max(0, int(start_s / FRAME_S)), max(0, int(np.ceil(end_s / FRAME_S)))
    return float((rms[lo:hi] > threshold).sum() * FRAME_S)


def drop_prompt_echo(words: Sequence[Word], prompt: str, audio: np.ndarray, offset_s: float = 0.0) -> list[Word]:
    """`words` of one chunk (times include `offset_s`) without a trailing echo of `prompt` or of the
    chunk's own earlier words that has no sound of its own in `audio`."""
    out = list(words)
    known = {bare_word(t) for t in prompt.split()}
    cut = len(out)
    while cut > 0:
        word = out[cut - 1]
        earlier = {bare_word(w.text) for w in out[: cut - 1]}
        if not (_nowhere(word) or (_unsure(word) and bare_word(word.text) in known | earlier)):
            break
        cut -= 1
    if cut == len(out) or (cut == len(out) - 1 and out[-1].probability >= UNSURE_SHORT_P):
        return out  # nothing trailing, or one confident last word Whisper timed short: kept
    after = out[cut - 1].end - offset_s if cut else 0.0
    own_sound = voiced_seconds(audio, after, audio.shape[0] / SAMPLE_RATE)
    if own_sound >= MIN_OWN_SOUND_S:
        return out
    log.info(
        "dropped %d words at the end of the chunk at %.1f s that repeat the prompt over %.2f s of sound (%s)",
        len(out) - cut,
        offset_s,
        own_sound,
        " ".join(w.text for w in out[cut:]),
    )
    return out[:cut]
