"""Time added at Stop by the voice, hedge and shape figures (issue 18) for a 2-minute answer.

    .venv/bin/python -m tests.bench.bench_voice     # about a minute; writes tests/bench/results/voice.json
    .venv/bin/python -m tests.bench.report          # puts its figures into README.md

While recording, VoiceTracker measures each finished 5 s segment with Praat on its own thread, so
at Stop only the last segment (0-5 s of audio) is left. This measures, on a spoken 2-minute answer
stopped at several points of a segment: the tracker's finish, the figures from the track and the
words (voice, hedges, shape), and for comparison Praat on the whole recording at Stop. Goal:
<= 50 ms added at Stop.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from tests.bench.common import SAMPLE_RATE, git_revision, load_model, spoken_answer, write_result

BLOCK = 1024  # frames per recorder block, as PortAudio delivers them
STOPS_S = (118.0, 119.2, 120.4, 121.6, 122.8)  # where Stop falls against the 5 s segments
REPEATS = 3


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> None:
    from app.core.packs import load_pack
    from app.core.paths import builtin_packs_dir
    from app.core.scoring.hedges import find_hedges, overused_words
    from app.core.scoring.recall import TokenRecallScorer
    from app.core.scoring.shape import answer_shape
    from app.core.scoring.voice import SEGMENT_S, VoiceTracker, measure_voice, voice_track

    audio, _text = spoken_answer(130.0)  # speech through every Stop below (it ends in ~1 s of silence)
    transcriber = load_model()
    words = transcriber.transcribe(audio).words
    question = load_pack(builtin_packs_dir() / "ml-interpretability.yaml").question("what-is-interpretability")
    key_points = TokenRecallScorer().score(question.key_points, words)
    voice_track(audio[: SAMPLE_RATE * 5])  # Praat loaded once, as it is after the first answer

    runs = []
    segment_ms: list[float] = []
    for stop_s in STOPS_S:
        answer = audio[: int(stop_s * SAMPLE_RATE)]
        these = [w for w in words if w.end <= stop_s]
        for _ in range(REPEATS):
            tracker = VoiceTracker()
            fed = time.perf_counter()
            for lo in range(0, answer.shape[0], BLOCK):
                tracker.feed(answer[lo : lo + BLOCK])
            feeding = time.perf_counter() - fed
            for future in list(tracker._futures):  # in real time each 5 s segment is done ~15 ms after it ends
                future.result()
            started = time.perf_counter()
            track = tracker.finish()
            finished = time.perf_counter()
            voice = measure_voice(track, these)
            measured = time.perf_counter()
            find_hedges(these)
            overused_words(these)
            answer_shape(these, key_points)
            done = time.perf_counter()
            runs.append(
                {
                    "stop_s": stop_s,
                    "tail_s": round(stop_s % SEGMENT_S, 2),
                    "finish_ms": ms(finished - started),
                    "figures_ms": ms(measured - finished),
                    "language_shape_ms": ms(done - measured),
                    "added_ms": ms(done - started),
                    "feed_ms_per_block": round(feeding / (answer.shape[0] / BLOCK) * 1000, 4),
                    "pitch_variation_st": round(voice.pitch_variation_st or 0, 2),
                }
            )
        segment = np.asarray(audio[: int(SEGMENT_S * SAMPLE_RATE)])
        started = time.perf_counter()
        from app.core.scoring.voice import analyse_segment

        analyse_segment(segment, 0, segment.shape[0])
        segment_ms.append(ms(time.perf_counter() - started))

    whole = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        track = voice_track(audio[: int(120 * SAMPLE_RATE)])
        measure_voice(track, [w for w in words if w.end <= 120])
        whole.append(ms(time.perf_counter() - started))

    added = [r["added_ms"] for r in runs]
    result = {
        "revision": git_revision(),
        "load_average": round(os.getloadavg()[0], 2),
        "answer_s": 120,
        "words": len([w for w in words if w.end <= 120]),
        "stops": list(STOPS_S),
        "repeats": REPEATS,
        "added_at_stop_median_ms": statistics.median(added),
        "added_at_stop_max_ms": max(added),
        "finish_median_ms": statistics.median(r["finish_ms"] for r in runs),
        "figures_median_ms": statistics.median(r["figures_ms"] for r in runs),
        "language_shape_median_ms": statistics.median(r["language_shape_ms"] for r in runs),
        "segment_ms_median": statistics.median(segment_ms),
        "segment_s": SEGMENT_S,
        "feed_ms_per_block_max": max(r["feed_ms_per_block"] for r in runs),
        "whole_recording_at_stop_median_ms": statistics.median(whole),
        "goal_ms": 50,
        "runs": runs,
    }
    path = write_result("voice", result)
    print(
        f"added at Stop: median {result['added_at_stop_median_ms']} ms, slowest {result['added_at_stop_max_ms']} ms "
        f"(whole recording at Stop: {result['whole_recording_at_stop_median_ms']} ms) -> {path}"
    )


if __name__ == "__main__":
    main()
