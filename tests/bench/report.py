"""Write the figures of tests/bench/results/{streaming,app,memory,grading,history,fidelity}.json into the README.

python -m tests.bench.report
"""

from __future__ import annotations

import json
import re

from tests.bench.common import REPO, RESULTS

START, END = "<!-- bench:figures -->", "<!-- /bench:figures -->"
GRADING_START, GRADING_END = "<!-- bench:grading -->", "<!-- /bench:grading -->"
HISTORY_START, HISTORY_END = "<!-- bench:history -->", "<!-- /bench:history -->"
FIDELITY_START, FIDELITY_END = "<!-- bench:fidelity -->", "<!-- /bench:fidelity -->"
VOICE_START, VOICE_END = "<!-- bench:voice -->", "<!-- /bench:voice -->"
METHOD_NAMES = {
    "lexical": "lexical overlap (baseline)",
    "cosine": "MiniLM cosine, whole answer (baseline)",
    "spans": "MiniLM cosine, best span (Rehearse's first scorer)",
    "rehearse": "token recall, best window (Rehearse's second scorer)",
    "recall": "token recall, best window (Rehearse's second scorer)",
    "judge": "**entailment judge (Rehearse)**",
}
SLICES = (
    "all",
    "dev",
    "test",
    "technical",
    "behavioural",
    "points with cues",
    "points without cues",
    "long answers, dev",
    "long answers, test",
)


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
            "| answer | streaming | left at Stop | of which scoring | batch |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in streaming["latency"]:
            stages = row["streaming_stages_s"]
            scoring_ms = (
                (stages["done"] - stages["scoring"]) * 1000
                if "done" in stages and "scoring" in stages
                else float("nan")
            )
            lines.append(
                f"| {row['answer_s']} s | {row['streaming_stop_to_feedback_s']:.2f} s | {row['streaming_tail_s']:.1f} s of audio "
                f"| {scoring_ms:.0f} ms | {row['batch_stop_to_feedback_s']:.2f} s |"
            )
        lines.append("")
    sweep_run = _load("streaming_sweep")
    sweep = sweep_run.get("latency")
    when = sweep_run.get("machine", {}).get("when", "")
    if sweep:
        times = sorted(r["streaming_stop_to_feedback_s"] for r in sweep)
        tails = [r["streaming_tail_s"] for r in sweep]
        ahead = sum(r["streaming_used_speculative"] for r in sweep)
        deferred = sum(bool(r.get("streaming_chunks_deferred")) and r["streaming_used_speculative"] for r in sweep)
        lines += [
            f"Stop at {len(sweep)} points between {sweep[0]['answer_s']} and {sweep[-1]['answer_s']} s (where Stop falls against "
            f"the chunk being transcribed decides the wait): median **{times[len(times) // 2]:.2f} s**, slowest "
            f"**{times[-1]:.2f} s**; {ahead} of {len(sweep)} had nothing left (transcribed ahead in the last pause"
            + (
                f"; in {deferred} of them the window had filled in that pause and its chunk was left undecoded"
                if deferred
                else ""
            )
            + ")"
            + (f", the others up to {max(tails):.1f} s of audio." if ahead < len(sweep) else ".")
            + (f" Measured {when[:10]}." if when else ""),
            "",
        ]
    if streaming.get("wer"):
        w = streaming["wer"]
        lines += [
            f"Word error rate on the {w['clips']} human speech clips of tests/data/eval/speech ({w['audio_s']:g} s), "
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
            f"Peak RSS while transcribing and scoring a 120 s answer: **{t['peak_rss_mb']:.0f} MB** ("
            + (
                f"median of {t['runs']} fresh processes, largest {t['peak_rss_max_mb']:.0f} MB; "
                if t.get("runs")
                else ""
            )
            + f"models loaded: {t['rss_models_loaded_mb']:.0f} MB). Goal: <= 600 MB.",
            "",
        ]
        for four in (memory[k] for k in sorted(memory) if k.endswith("_judge_runs")):
            lines += [
                f"The same with {four['judge_runs']} pairs judged at once (as on a machine of four or more cores): "
                f"{four['peak_rss_mb']:.0f} MB (median of {four['runs']}, largest {four['peak_rss_max_mb']:.0f} MB).",
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


def render_grading() -> str:
    grading = _load("grading")
    if not grading.get("methods"):
        return "(run `python -m tests.bench.bench_grading`)\n"
    rows = grading["dataset"]["beetle_rows"]
    lines = [
        f"SemEval-2013 Task 7 Beetle, 2-way ({rows['train']} training, {rows['test_ua']} unseen-answer and "
        f"{rows['test_uq']} unseen-question rows); thresholds tuned on train only; STS 2015 answers-students "
        f"({grading['dataset']['sts_pairs']} pairs) for Spearman's rho; {grading['machine']['cpus']} cores, "
        f'{grading["machine"]["when"][:10]}. "spoken style": the test answers without case or punctuation, '
        "with fillers and false starts.",
        "",
        "| method | UA acc | UA macro-F1 | UQ acc | UQ macro-F1 | UA / UQ macro-F1, spoken style | STS rho |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, m in grading["methods"].items():
        lines.append(
            f"| {METHOD_NAMES.get(name, name)} | {m['test_ua']['accuracy']:.3f} | {m['test_ua']['macro_f1']:.3f} | "
            f"{m['test_uq']['accuracy']:.3f} | {m['test_uq']['macro_f1']:.3f} | "
            f"{m['test_ua_spoken_style']['macro_f1']:.3f} / {m['test_uq_spoken_style']['macro_f1']:.3f} | {m['sts_spearman']:.3f} |"
        )
    majority = grading["majority_class"]
    lines += [
        "",
        f'Always answering "not covered": UA accuracy {majority["test_ua"]["accuracy"]:.3f}, '
        f"UQ {majority['test_uq']['accuracy']:.3f}.",
        "",
    ]
    for key, title in (
        ("in_domain", "as written"),
        ("in_domain_spoken", "spoken by espeak-ng and transcribed by tiny.en"),
    ):
        block = grading.get(key)
        if not block:
            continue
        lines += [
            f"In-domain set (tests/data/eval/grading/interview), dev and test splits, answers {title}: "
            f"{block['pairs']} (answer, key point) pairs labelled before any model saw them, {block['covered_share']:.0%} "
            'covered; each scorer at the threshold the app uses. Goal: agreement >= 0.90 with false "covered" <= 5 %.'
            + (
                ' "Long answers": a separate slice of 140-200-word answers that make most points and leave one or '
                "two out (`long_answers.jsonl`), not counted in the other rows."
                if any("long answers, dev" in m for m in block["methods"].values())
                else ""
            ),
            "",
            "| method | slice | pairs | agreement | false covered (of all / of not covered) | covered marked missed |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, m in block["methods"].items():
            for label in (label for label in SLICES if label in m):  # results from before a slice existed lack it
                r = m[label]
                lines.append(
                    f"| {METHOD_NAMES.get(name, name)} | {label} | {r['pairs']} | {r['agreement']:.3f} | "
                    f"{r['false_covered']:.1%} / {r['false_covered_of_not_covered']:.1%} | {r['missed_covered']:.1%} |"
                )
        lines.append("")
    off = grading.get("off_question")
    if off:
        lines += [
            "Each dev and test answer against the key points of another question (none of them made, so every tick "
            'is a false "covered"): '
            + "; ".join(
                f"{METHOD_NAMES.get(name, name)} {r['false_covered']:.1%} of {r['pairs']} pairs"
                for name, r in off.items()
            )
            + ". Goal (the in-domain one): <= 5 %.",
            "",
        ]
    speed = grading.get("speed")
    if speed and "judge_cold_ms" in speed:
        lines += [
            f"Judging a {speed['answer_words']}-word answer (about 2 minutes) against {speed['key_points']} key points "
            "with the entailment judge at Stop: "
            + (
                f"**{speed['judge_at_stop_after_pause_ms']:.0f} ms** (median of 7, slowest "
                f"{speed['judge_at_stop_after_pause_max_ms']:.0f} ms) when the person paused before Stop (the pause's "
                "speculative pass handed every word over); "
                if "judge_at_stop_after_pause_ms" in speed
                else ""
            )
            + f"**{speed['judge_at_stop_after_warm_ms']:.0f} ms** (slowest "
            f"{speed['judge_at_stop_after_warm_max_ms']:.0f} ms) when Stop came mid-sentence and the last "
            f"{speed.get('words_left_at_stop', '?')} words were new"
            + (
                f" ({speed['judge_points_made']} of the {speed['key_points']} points made before them, "
                f"{speed.get('judge_points_settled', speed['judge_points_made'])} of them beyond any personal "
                f"threshold, so not read again; when no point was made before, every point reads the new words: "
                f"{speed['judge_at_stop_unmade_ms']:.0f} ms, slowest {speed['judge_at_stop_unmade_max_ms']:.0f} ms)"
                if "judge_at_stop_unmade_ms" in speed
                else ""
            )
            + f"; {speed['judge_cold_ms']:.0f} ms from nothing (the CLI). "
            f"Token recall alone: {speed['rehearse_at_stop_after_warm_ms']:.0f} ms at Stop, {speed['rehearse_cold_ms']:.0f} ms "
            "from nothing. Goals: <= 100 ms at Stop, <= 1.5 s from nothing.",
            "",
        ]
    elif speed:
        lines += [
            f"Judging a {speed['answer_words']}-word answer (about 2 minutes) against {speed['key_points']} key points: "
            f"**{speed['rehearse_at_stop_after_warm_ms']:.0f} ms** (median of 7, slowest "
            f"{speed['rehearse_at_stop_after_warm_max_ms']:.0f} ms) at Stop, when streaming transcription has handed all but "
            f"the last chunk ({speed.get('words_left_at_stop', '?')} words) over while recording; "
            f"{speed['rehearse_cold_ms']:.0f} ms from nothing (the CLI, batch mode); the first scorer took "
            f"{speed['spans_cold_ms']:.0f} ms. Goal: < 50 ms.",
            "",
        ]
    if grading.get("calibration"):
        lines += [
            "Personal thresholds, simulated: a person corrects the app on N answers to half of Beetle's training "
            "questions; agreement with that person on the other half, default threshold vs calibrated "
            '(mean of 20 draws; "adopted": how often the guard let the personal threshold in):',
            "",
            "| person | N | adopted | threshold | agreement, default | agreement, calibrated |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in grading["calibration"]:
            lines.append(
                f"| {row['person']} | {row['reviewed_points']} | {row['adopted_share']:.0%} | {row['mean_threshold']:.3f} | "
                f"{row['agreement_default']:.3f} | {row['agreement_calibrated']:.3f} |"
            )
    return "\n".join(lines).rstrip() + "\n"


def render_history() -> str:
    h = _load("history")
    if not h.get("history_view_open"):
        return "(run `python -m tests.bench.bench_history`)\n"
    machine = h["machine"]
    runs = h["history_view_open"]["runs"]

    def row(label: str, key: str) -> str:
        unchanged, changed = h[key], h.get(f"{key}_after_change")
        after = f"{changed['median_ms']:.0f} ms / {changed['max_ms']:.0f} ms" if changed else "-"
        return f"| {label} | {unchanged['median_ms']:.0f} ms / {unchanged['max_ms']:.0f} ms | {after} |"

    lines = [
        f"{h['attempts']:,} attempts ({h['questions']} questions, a {h['database_mb']:.0f} MB database); "
        f"{machine['cpus']} cores, Python {machine['python']}, load average {machine['load_average_1min_at_start']:g} "
        f'at the start; {h["measured_at"][:10]}. Median / slowest of {runs} opens each. "Unchanged": back to a view '
        'with nothing saved since the last visit; "after a change": a note was saved just before (a real commit), so '
        "the view reads the database again. Goal: < 300 ms.",
        "",
        "| view | unchanged | after a change |",
        "| --- | --- | --- |",
        row(f"History: {h['history_view_rows']:,} rows in the table", "history_view_open"),
        row(
            f"Progress for one question ({h['charts_points_one_question']} answers), with the pack summary",
            "charts_open_one_question",
        ),
        row(
            f"Progress for a pack, daily averages ({h['charts_points_pack_daily_with_summary']} days), with the pack summary",
            "charts_open_pack_daily_with_summary",
        ),
        row(f"Progress over all packs ({h['charts_points_all_packs_daily']} days)", "charts_open_all_packs_daily"),
        f"| History sorted by another column (in memory) | {h['history_view_sort_by_coverage']['median_ms']:.0f} ms / "
        f"{h['history_view_sort_by_coverage']['max_ms']:.0f} ms | |",
        "",
        f"First opens of a session: History {h['history_view_first_open_ms']:.0f} ms (the page is made then), Progress "
        f"{h['charts_first_open_ms']:.0f} ms (its page was prepared when the speech model became ready: pyqtgraph "
        f"imported on the pool and the page built, {h['charts_warm_up_at_model_ready_ms']:.0f} ms in all). The reads "
        f"alone, from the database: every attempt's figures {h['attempt_summaries']['median_ms']:.0f} ms, the charts' "
        f"figures {h['progress_points']['median_ms']:.0f} ms, the start page's per-question figures "
        f"{h['question_stats_one_pack']['median_ms']:.0f} ms; through the ORM with transcripts "
        f"(`History.list_attempts`) {h['list_attempts']['median_ms'] / 1000:.1f} s.",
    ]
    return "\n".join(lines).rstrip() + "\n"


def render_fidelity() -> str:
    """tests/bench/results/fidelity.json as a table of figures against the issue's goals, met or not."""
    f = _load("fidelity")
    if not f.get("summary"):
        return "(run `python -m tests.bench.bench_fidelity`)\n"
    s, machine = f["summary"], f["machine"]
    idle, busy = s["idle"], s["busy"]
    filler_sets = s.get("filler_sets") or {"fillers": s["fillers"]}

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{100 * x:.1f}%"

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    both = (idle, busy)
    better = (s["plain_synthetic_wer_median"] - max(r["synthetic_wer_median"] for r in both)) * 100
    human_ok = s["plain_human_wer"] is None or all(
        r["human_wer_median"] is None or r["human_wer_median"] <= s["plain_human_wer"] for r in both
    )
    rows = [
        (
            "WER, synthetic answers: median / worst",
            f"{pct(idle['synthetic_wer_median'])} / {pct(idle['synthetic_wer_worst'])}",
            f"{pct(busy['synthetic_wer_median'])} / {pct(busy['synthetic_wer_worst'])}",
            f"plain tiny.en {pct(s['plain_synthetic_wer_median'])} / {pct(s['plain_synthetic_wer_worst'])}; 2 points below",
            met(better >= 2.0),
        ),
        (
            "WER, human clips joined",
            pct(idle["human_wer_median"]),
            pct(busy["human_wer_median"]),
            f"plain tiny.en, clip by clip, {pct(s['plain_human_wer'])}; no worse",
            met(human_ok),
        ),
        (
            "words lost in wordless stretches (stretches, unmarked)",
            f"{idle['words_lost']} ({idle['stretches_lost']}, {idle['stretches_unmarked']})",
            f"{busy['words_lost']} ({busy['stretches_lost']}, {busy['stretches_unmarked']})",
            "none unmarked",
            met(idle["stretches_unmarked"] + busy["stretches_unmarked"] == 0),
        ),
        (
            "invented pauses",
            str(idle["invented_pauses"]),
            str(busy["invented_pauses"]),
            "0",
            met(idle["invented_pauses"] + busy["invented_pauses"] == 0),
        ),
        (
            "correct words changed by the jargon aids (of all fixes)",
            f"{idle['changed_correct_words']} ({idle['corrections']})",
            f"{busy['changed_correct_words']} ({busy['corrections']})",
            "0",
            met(idle["changed_correct_words"] + busy["changed_correct_words"] == 0),
        ),
        ("the real 2.5 s pause reported", idle["real_pauses_reported"], busy["real_pauses_reported"], "", ""),
        (
            "time added at Stop: median / worst",
            f"{idle['stop_s_median']:.2f} s / {idle['stop_s_worst']:.2f} s",
            f"{busy['stop_s_median']:.2f} s / {busy['stop_s_worst']:.2f} s",
            "",
            "",
        ),
    ]
    lines = [
        f"Fidelity through the app's streaming path (fed at {f['pace']:g}x real time), {idle['runs']} runs idle and "
        f"{busy['runs']} with a busy-loop process on one core; {machine['cpus']} cores, {machine['when'][:10]}. Synthetic "
        "answers: the ML pack's reference answers in espeak-ng voices at 140-190 wpm, 0.6 s between sentences and one "
        "2.5 s pause; WER with Whisper's English normaliser. Fed faster than real time the worker falls behind, so the "
        "time at Stop here is far above real use (streaming at 1x: the table above).",
        "",
        "| figure | idle | busy core | goal | |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
        *(
            f'| filler recall / precision, {name} ({fill["fillers_spoken"]} "um"/"uh" spoken, 3+ voices; '
            f"{fill.get('possible_fillers', '-')} possible fillers apart) | "
            f"{fill['recall']:.2f} / {fill['precision']:.2f} | | >= 0.9 / >= 0.95 | "
            f"{met((fill['recall'] or 0) >= 0.9 and (fill['precision'] or 0) >= 0.95)} |"
            for name, fill in filler_sets.items()
        ),
    ]
    return "\n".join(lines).rstrip() + "\n"


def render_voice() -> str:
    """tests/bench/results/voice.json: the time the voice, hedge and shape figures add at Stop."""
    v = _load("voice")
    if not v:
        return "Not measured yet: `python -m tests.bench.bench_voice`.\n"
    m = v["machine"]
    met = "met" if v["added_at_stop_max_ms"] <= v["goal_ms"] else "**not met**"
    return (
        f"A {v['answer_s']} s spoken answer ({v['words']} words), Stop at {len(v['stops'])} points of the last "
        f"{v['segment_s']:.0f} s segment, {v['repeats']} times each; {m['cpus']} cores, load average "
        f"{v.get('load_average', '?')}, {m['when'][:10]}.\n\n"
        "| figure | time |\n| --- | --- |\n"
        f"| added at Stop: median / slowest (goal <= {v['goal_ms']} ms: {met}) | **{v['added_at_stop_median_ms']:.0f} ms** / "
        f"{v['added_at_stop_max_ms']:.0f} ms |\n"
        f"| of which Praat on the last segment (tracker finish), median | {v['finish_median_ms']:.0f} ms |\n"
        f"| of which voice figures from the track, median | {v['figures_median_ms']:.0f} ms |\n"
        f"| of which hedges, over-used words and shape, median | {v['language_shape_median_ms']:.1f} ms |\n"
        f"| while recording: Praat per {v['segment_s']:.0f} s segment (its own thread) | {v['segment_ms_median']:.0f} ms |\n"
        f"| while recording: the recorder's writer thread per block (feed), slowest | {v['feed_ms_per_block_max']:.3f} ms |\n"
        f"| Praat on the whole recording at Stop, for comparison | {v['whole_recording_at_stop_median_ms']:.0f} ms |\n"
    )


def _replace(text: str, start: str, end: str, body: str) -> str:
    block = f"{start}\n{body}{end}"
    return re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, flags=re.S)


def main() -> None:
    readme = REPO / "README.md"
    text = _replace(readme.read_text(), START, END, render())
    text = _replace(text, GRADING_START, GRADING_END, render_grading())
    text = _replace(text, HISTORY_START, HISTORY_END, render_history())
    text = _replace(text, FIDELITY_START, FIDELITY_END, render_fidelity())
    text = _replace(text, VOICE_START, VOICE_END, render_voice())
    readme.write_text(text)
    print(render())
    print(render_grading())
    print(render_history())
    print(render_fidelity())
    print(render_voice())


if __name__ == "__main__":
    main()
