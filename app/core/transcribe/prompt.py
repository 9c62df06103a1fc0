"""The initial prompt that steers Whisper toward the question's vocabulary.

Measured here: without it tiny.en wrote "Shep" and "line" for SHAP and LIME; with the question
and the glossary in the prompt it wrote both right. A short disfluent preface makes Whisper keep
"um" and "uh", which it otherwise drops, and which the delivery feedback needs.
"""

from __future__ import annotations

from collections.abc import Iterable

DISFLUENT_PREFACE = "Umm, let me think, like, hmm... Okay, so, uh, here is my answer."
# Whisper keeps the last 223 tokens of a prompt; ~4 characters a token leaves room for this.
MAX_PROMPT_CHARS = 800
MAX_CONTEXT_CHARS = 240


def rank_terms(glossary: Iterable[str], *texts: str | None) -> list[str]:
    """Glossary terms that occur in the given texts first (they matter most), then the rest."""
    haystack = " ".join(t for t in texts if t).lower()
    terms = list(dict.fromkeys(t.strip() for t in glossary if t and t.strip()))
    return sorted(terms, key=lambda t: t.lower() not in haystack)


def build_initial_prompt(
    question_text: str | None,
    glossary: Iterable[str] = (),
    reference_answer: str | None = None,
    context: str = "",
) -> str:
    """Preface + question + glossary terms (+ the answer so far, for a later chunk of a long answer).

    Trimmed so that the question, the likeliest terms and the most recent context survive.
    """
    parts = [DISFLUENT_PREFACE]
    if question_text:
        parts.append(f"Question: {question_text.strip()}")
    context = context.strip()[-MAX_CONTEXT_CHARS:]
    budget = MAX_PROMPT_CHARS - (len(context) + 1 if context else 0)
    terms = rank_terms(glossary, question_text, reference_answer)
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
