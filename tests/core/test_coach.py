"""The coach's advice over constructed analyses: each rule, their order, no words, all good, example trimming."""

from __future__ import annotations

from app.core.analysis import AnswerAnalysis
from app.core.coach import advice, is_ready, mock_verdict, plain_point
from app.core.scoring.delivery import Delivery, Filler, Pause, analyse_delivery
from app.core.scoring.keypoints import PointResult
from app.core.transcribe.transcript import Transcript, Word

POINTS = (
    "SHAP attributes a prediction to features with Shapley values",
    "LIME fits a local surrogate model, such as a sparse linear model, around one prediction",
    "LIME explanations can be unstable across runs",
    "Checks explanations with a sanity test (e.g. randomising the weights)",
)


def make(
    covered=(True, True, True, True),
    duration=40.0,
    target=45.0,
    wpm=140.0,
    start=0.6,
    fillers=0,
    pauses=(),
    words=True,
    overrides=None,
) -> AnswerAnalysis:
    """An analysis with exactly the measurements a test names; the rest is unremarkable."""
    said = [Word(f"w{i}", start + i * 0.4, start + i * 0.4 + 0.3) for i in range(60)] if words else []
    delivery = Delivery(
        duration_s=duration,
        target_s=target,
        speech_start_s=start if words else None,
        speech_end_s=said[-1].end if said else None,
        word_count=len(said),
        words_per_minute=wpm if words else None,
        fillers=[Filler("um" if i % 3 else "you know", 2.0 + i, 2.3 + i, i) for i in range(fillers)],
        long_pauses=[Pause(s, e, 0) for s, e in pauses],  # (start, end)
    )
    points = [PointResult(text, c, 0.7 if c else 0.3, 0.55) for text, c in zip(POINTS, covered)]
    for i, value in (overrides or {}).items():
        points[i].override = value
    transcript = Transcript(said, said, duration)
    return AnswerAnalysis("demo", "shap-and-lime", transcript, delivery, points, "test")


def test_all_good_says_so_briefly_and_suggests_the_next_step() -> None:
    a = advice(make())
    assert a.tone == "good" and a.kinds == ()
    assert a.headline == "Strong answer: all 4 key points, on target length, a clear delivery."
    assert len(a.actions) == 1 and "Next step" in a.actions[0] and "Ctrl+N" in a.actions[0]


def test_most_points_missed_names_the_first_missed_points_without_their_examples() -> None:
    a = advice(make(covered=(True, False, False, False), duration=14.0))
    assert a.kinds[:2] == ("content", "short")
    assert a.headline == "You covered 1 of 4 key points and stopped at 31% of the 0:45 target."
    assert a.actions[0] == (
        "Make the points “LIME fits a local surrogate model around one prediction” and "
        "“LIME explanations can be unstable across runs” (1 more in the checklist)."
    )
    assert "such as" not in a.actions[0]
    assert a.actions[1].startswith("Speak for about 30 s more (aim for 0:45)")
    assert a.tone == "bad"


def test_far_off_length_comes_before_a_single_missed_point() -> None:
    a = advice(make(covered=(True, True, True, False), duration=90.0))
    assert a.kinds == ("long", "content")
    assert a.headline == "You ran 100% over the 0:45 target and covered 3 of 4 key points."
    assert a.actions[0].startswith("Cut about 45 s (aim for 0:45)")
    assert a.actions[1] == "Make the point “Checks explanations with a sanity test”."


def test_a_length_inside_the_band_is_not_remarked_on() -> None:
    assert "short" not in advice(make(duration=45 * 0.61)).kinds
    assert "long" not in advice(make(duration=45 * 1.09)).kinds
    assert advice(make(duration=200.0, target=None)).kinds == ()


def test_one_missed_point_alone_says_the_rest_was_on_track() -> None:
    a = advice(make(covered=(True, False, True, True)))
    assert a.kinds == ("content",) and a.tone == "warn"
    assert a.headline == "You covered 3 of 4 key points; the rest was on track."
    assert a.actions == ("Make the point “LIME fits a local surrogate model around one prediction”.",)


def test_the_persons_correction_counts() -> None:
    assert advice(make(covered=(True, False, True, True), overrides={1: True})).kinds == ()
    assert advice(make(overrides={0: False})).kinds == ("content",)


def test_fillers_then_pauses_then_start_then_pace() -> None:
    a = advice(make(fillers=6, pauses=((10.0, 13.0), (20.0, 22.5)), start=7.0, wpm=200.0))
    assert a.kinds == ("fillers", "pauses", "start", "pace")
    assert a.headline == "You used 6 filler words (9 a minute) and paused for over 2 s 2 times (longest 3.0 s)."
    assert a.actions[0].startswith("Replace “um” and “you know” with a short silent pause")
    assert len(a.actions) == 2
    assert advice(make(start=7.0, wpm=200.0)).kinds == ("start", "pace")
    slow = advice(make(wpm=80.0))
    assert (
        slow.headline == "You spoke at 80 words a minute; the rest was on track."
        and "Pick up the pace" in slow.actions[0]
    )
    assert "Slow down" in advice(make(wpm=200.0)).actions[0]


def test_thresholds_keep_small_things_quiet() -> None:
    assert advice(make(fillers=2)).kinds == ()  # two fillers are no pattern
    assert advice(make(pauses=((10.0, 12.5),))).kinds == ()  # one ordinary long pause
    assert advice(make(pauses=((10.0, 15.0),))).kinds == ("pauses",)  # one very long one
    assert advice(make(start=4.9, wpm=175.0)).kinds == ()  # inside the margins


def test_no_words_gets_advice_about_the_recording_not_the_content() -> None:
    a = advice(make(covered=(False,) * 4, words=False, duration=16.0))
    assert a.kinds == ("recording",) and a.tone == "bad"
    assert a.headline == "No words were recognised in the 0:16 recording, so the answer could not be judged."
    assert "microphone" in a.actions[0]
    assert not any("key point" in t or "Make the point" in t for t in (a.headline, *a.actions))
    short = advice(make(covered=(False,) * 4, words=False, duration=0.4))
    assert short.headline.startswith("The recording lasted only 0.4 s")


def test_a_model_failure_is_not_blamed_on_the_microphone() -> None:
    """Saved "untranscribed" (the model failed): the recording is kept and the model is what to check."""
    failed = make(covered=(False,) * 4, words=False, duration=10.0)
    failed.scorer = "none"  # what save_recording_as_attempt stores when transcription fails
    a = advice(failed)
    assert a.kinds == ("untranscribed",)
    assert a.headline == "Your 0:10 answer could not be transcribed, so it could not be judged; the recording is kept."
    assert "speech model" in a.actions[0] and "microphone" not in a.actions[0]
    v = mock_verdict([make(), failed])
    assert (
        v.actions[0]
        == "Question 2 could not be transcribed (the recordings are kept): check the speech model in Preferences (Ctrl+,)."
    )


def test_advice_from_a_real_delivery_measurement() -> None:
    """The rules read the same Delivery that analyse_delivery measures from words."""
    words = [Word("Um,", 6.0, 6.3)] + [Word(f"w{i}", 6.5 + i * 0.5, 6.9 + i * 0.5) for i in range(20)]
    a = make()
    a.delivery = analyse_delivery(words, 20.0, 45.0)
    result = advice(a)
    assert result.kinds == ("short", "start")
    assert result.headline == "You stopped at 44% of the 0:45 target and took 6 s to say the first word."


def test_plain_point_trims_optional_examples() -> None:
    assert plain_point("Uses an analogy, such as a credit officer weighing evidence") == "Uses an analogy"
    assert plain_point("Names a metric, e.g. accuracy, and its baseline") == "Names a metric and its baseline"
    assert plain_point("Gives a failure (for example a churn model) and its cause") == "Gives a failure and its cause"
    assert plain_point("Checks stability e.g. across seeds.") == "Checks stability"
    # "such as" without a comma may carry the claim itself: left alone.
    assert plain_point("Regulations such as GDPR expect reasons") == "Regulations such as GDPR expect reasons"


def test_mock_verdict_counts_ready_answers_and_picks_the_commonest_fixes() -> None:
    answers = [
        make(),  # ready
        make(covered=(True, False, False, False), duration=12.0),  # content, short
        make(covered=(True, True, True, False), duration=15.0, fillers=5),  # short, content, fillers
        make(duration=46.0),  # ready
    ]
    assert [is_ready(a) for a in answers] == [True, False, False, True]
    v = mock_verdict(answers)
    assert v.headline == "Ready on 2 of 4 questions; not yet on questions 2 and 3."
    assert v.kinds == ("content", "short") and v.tone == "warn"
    assert v.actions[0] == (
        "Key points: 4 missed in questions 2 and 3. Start with question 2: make the points "
        "“LIME fits a local surrogate model around one prediction” and “LIME explanations can be unstable across runs”."
    )
    assert (
        v.actions[1]
        == "2 of 4 answers stopped well short of the target: give each answer an example and what came of it."
    )


def test_mock_verdict_all_ready_and_untranscribed_and_empty() -> None:
    good = mock_verdict([make(), make()])
    assert good.headline == "Ready on all 2 questions." and good.tone == "good" and "Next step" in good.actions[0]
    silent = mock_verdict([make(), make(words=False, covered=(False,) * 4)])
    assert silent.headline == "Ready on 1 of 2 questions; not yet on question 2."
    assert silent.kinds == ("recording",) and silent.actions[0].startswith("Question 2 had no words recognised")
    assert mock_verdict([]).headline == "No answers were recorded."
    none = mock_verdict([make(duration=10.0), make(covered=(False,) * 4)])
    assert none.headline == "Not ready yet on any of the 2 questions." and none.tone == "bad"


def test_a_story_missing_its_result_is_named_with_what_to_add() -> None:
    from app.core.scoring.star import PARTS, StarCheck

    answer = make()
    answer.star = [
        StarCheck(p.name, p.name != "result", 0.9 if p.name != "result" else 0.2, 0.5, p.missing) for p in PARTS
    ]
    a = advice(answer)
    assert a.kinds == ("story",)
    assert a.headline == "You told a story with no result; the rest was on track."
    assert a.actions == ("No result: what changed because of what you did?",)
    answer.star = [StarCheck(p.name, True, 0.9, 0.5, p.missing) for p in PARTS]
    assert advice(answer).kinds == ()
