"""Write the figures of tests/bench/results/{streaming,app,memory}.json into the README.

    python -m tests.bench.report
"""

from __future__ import annotations

import json
import re

from tests.bench.common import REPO, RESULTS

START, END = "<!-- bench:figures -->", "<!-- /bench:figures -->"


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def render() -> str:
    streaming, app, memory = _load("streaming"), _load("app"), _load("memory")
    lines: list[str] = []
    if streaming.get("latency"):
        when = streaming["machine"]["when"][:10]
        lines += [
            f"Stop to feedback (FLAC saved, transcript finished, key points scored, attempt in SQLite), "
            f"streaming fed at {streaming['pace']:g}x real time; {streaming['machine']['cpus']} cores, {when}. Goal: <= 1.0 s at 120 s.",
            "",
            "| answer | streaming | left at Stop | batch |",
            "| --- | --- | --- | --- |",
        ]
        for row in streaming["latency"]:
            lines.append(f"| {row['answer_s']} s | {row['streaming_stop_to_feedback_s']:.2f} s | {row['streaming_tail_s']:.1f} s of audio "
                         f"| {row['batch_stop_to_feedback_s']:.2f} s |")
        lines.append("")
    if streaming.get("wer"):
        w = streaming["wer"]
        lines += [
            f"Word error rate on the {w['clips']} human speech clips of shared/eval/speech ({w['audio_s']:g} s), "
            f"normalised with {w['normaliser']}: batch clip by clip **{w['batch_per_clip_wer']:.1%}**; the clips "
            f"joined into one answer: batch **{w['batch_joined_wer']:.1%}**, streaming **{w['streaming_joined_wer']:.1%}** "
            "(goal: streaming at most 1 point above batch).",
            "",
        ]
    if streaming.get("jargon"):
        j = streaming["jargon"]
        lines += [
            f"Glossary terms recognised in {len(j['questions'])} spoken reference answers ({j['prompt']['terms']} mentions):",
            "",
            "| prompt | glossary correction | recall |",
            "| --- | --- | --- |",
            f"| none | no | {j['no_prompt']['recall']:.0%} |",
            f"| question + terms | no | {j['prompt']['recall']:.0%} |",
            f"| none | yes | {j['no_prompt_corrected']['recall']:.0%} |",
            f"| question + terms | yes | {j['prompt_corrected']['recall']:.0%} |",
            "",
        ]
    if app.get("launch"):
        launch, stall = app["launch"], app.get("gui_stall", {})
        lines += [
            f"Launch to an interactive window: **{launch['interactive_median_s']:.2f} s** (median; first launch, which "
            f"creates the database: {launch.get('first_launch_interactive_median_s', float('nan')):.2f} s), to the speech "
            f"model ready: {launch['model_ready_median_s']:.2f} s. Goal: <= 1.0 s.",
            "",
        ]
        if stall:
            lines += [
                f"Longest GUI-thread stall (5 ms timer on the event loop) while recording a {stall['answer_s']:g} s answer "
                f"in real time with streaming transcription: **{stall['longest_stall_recording_ms']:.1f} ms** (99th percentile "
                f"{stall['p99_stall_recording_ms']:.1f} ms); while processing after Stop: {stall['longest_stall_processing_ms']:.1f} ms; "
                f"Stop to the feedback page: {stall['stop_to_feedback_s']:.2f} s. Goal: < 50 ms.",
                "",
            ]
    if memory.get("transcribing"):
        t, r = memory["transcribing"], memory.get("long_recording", {})
        lines += [
            f"Peak RSS while transcribing and scoring a 120 s answer: **{t['peak_rss_mb']:.0f} MB** (models loaded: "
            f"{t['rss_models_loaded_mb']:.0f} MB). Goal: <= 600 MB.",
            "",
        ]
        if r:
            lines += [
                f"A {r['recorded_minutes']:g}-minute recording with streaming transcription (fed at {r['pace']:g}x real time): "
                f"RSS {r['rss_first_tenth_max_mb']:.0f} MB at most in the first tenth, {r['rss_last_tenth_max_mb']:.0f} MB in the "
                f"last tenth, {r['rss_max_mb']:.0f} MB at most; {r['stream_chunks']} chunks"
                f"{', stream spilled to disk' if r['stream_spilled'] else ''}; the audio ({r['part_file_mb']:g} MB) is on disk.",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    readme = REPO / "README.md"
    text = readme.read_text()
    block = f"{START}\n{render()}{END}"
    text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    readme.write_text(text)
    print(render())


if __name__ == "__main__":
    main()
