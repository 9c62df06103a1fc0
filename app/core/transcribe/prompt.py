"""The initial prompt that steers Whisper toward the question's vocabulary.

Measured here: without it tiny.en wrote "Shep" and "line" for SHAP and LIME; with the question
and the glossary in the prompt it wrote both right. A short disfluent preface makes Whisper keep
"um" and "uh", which it otherwise drops, and which the delivery feedback needs.

Only MAX_TERMS glossary terms go in, those used by the question and its reference answer first: a prompt filled with the whole glossary made tiny.en skip entire 30-second
windows of long answers (mean WER 0.15 -> 0.13 on ten spoken reference answers, worst case
0.38 -> 0.20, and more glossary terms recognised). Near misses of the other terms are still
fixed afterwards by the glossary corrector.

Once the person has been heard to say "um" or "uh", the preface is a denser one
(HESITANT_PREFACE): on the filler tuning set (tests/data/eval/fillers_dev) it kept 82 of 84
spoken fillers where the plain preface kept 68. It is not the preface for everyone: on the clean
read speech of the human clips it cost words (WER 7.0% -> 7.6%) and added "Mm." at clip ends.
Until then the answer's first chunk is decoded with both, and the denser reading is kept only if
it hears a filler (fidelity.hear_chunk), so a fluent answer keeps the plain preface's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DISFLUENT_PREFACE = "Umm, let me think, like, hmm... Okay, so, uh, here is my answer."
HESITANT_PREFACE = "Um, so, uh, I think, um, the answer is, uh, this. Uh, well, um, okay."
HESITATIONS = frozenset({"um", "umm", "ummm", "uh", "uhh", "uhm", "er", "erm"})
# Whisper keeps the last 223 tokens of a prompt; ~4 characters a token leaves room for this.
MAX_PROMPT_CHARS = 800
MAX_CONTEXT_CHARS = 240
MAX_TERMS = 12


def rank_terms(glossary: Iterable[str], *texts: str | None) -> list[str]:
    """Glossary terms that occur in the given texts first (they matter most), then the rest.

    Whole words only ("AI" is not used by a text because it says "explains"), except an acronym of
    three letters or more inside a compound, written as such: "KernelSHAP" uses SHAP."""
    joined = " ".join(t for t in texts if t)
    haystack = joined.lower()
    terms = list(dict.fromkeys(t.strip() for t in glossary if t and t.strip()))

    def used(term: str) -> bool:
        if len(term) >= 3 and term.isupper() and term in joined:
            return True
        return re.search(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", haystack) is not None

    return sorted(terms, key=lambda t: not used(t))


def prompt_terms(glossary: Iterable[str], question_text: str | None, reference_answer: str | None) -> list[str]:
    """The terms worth priming, at most MAX_TERMS: those the question or its reference answer use first."""
    return rank_terms(glossary, question_text, reference_answer)[:MAX_TERMS]


def hesitant(words: Iterable[str]) -> bool:
    """Whether these words hold an "um" or "uh" (the person hesitates out loud)."""
    return any(re.sub(r"[^a-z]", "", w.lower()) in HESITATIONS for w in words)


def hesitant_prompt(prompt: str) -> str | None:
    """The same prompt with the denser preface, or None if it has the plain one (or none)."""
    if not prompt.startswith(DISFLUENT_PREFACE):
        return None
    return (HESITANT_PREFACE + prompt[len(DISFLUENT_PREFACE) :])[-MAX_PROMPT_CHARS:]


def build_initial_prompt(
    question_text: str | None,
    glossary: Iterable[str] = (),
    reference_answer: str | None = None,
    context: str = "",
) -> str:
    """Preface + question + glossary terms (+ the answer so far, for a later chunk of a long answer).

    Trimmed so that the question, the likeliest terms and the most recent context survive. The
    preface is the denser one once the answer so far holds an "um" or "uh".
    """
    parts = [HESITANT_PREFACE if hesitant(context.split()) else DISFLUENT_PREFACE]
    if question_text:
        parts.append(f"Question: {question_text.strip()}")
    context = context.strip()[-MAX_CONTEXT_CHARS:]
    budget = MAX_PROMPT_CHARS - (len(context) + 1 if context else 0)
    terms = prompt_terms(glossary, question_text, reference_answer)
    prompt = " ".join(parts)
    chosen: list[str] = []
    for term in terms:
        candidate = f"{prompt} Terms: {', '.join([*chosen, term])}."
        if len(candidate) > budget:
            break
        chosen.append(term)
    if chosen:
        prompt = f"{prompt} Terms: {', '.join(chosen)}."
    if context:
        prompt = f"{prompt[-budget:]} {context}"
    return prompt[-MAX_PROMPT_CHARS:]
