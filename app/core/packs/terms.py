"""Technical terms found in a pack's own texts, so jargon help does not depend on a hand-written list.

A pack's glossary lacked 'model-agnostic', and tiny.en wrote "Model elastic" in an answer to the
pack's own question about model-agnostic methods. The texts the pack author wrote (questions, key
points, cues, examples, reference answers) already name the terms; what marks one in running
English is its shape: an acronym (SHAP, GDPR), inner capitals (KernelSHAP, PyTorch), a hyphenated
compound (model-agnostic, t-SNE, Grad-CAM), or a capitalised name inside a sentence (Adebayo).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
# Capitalised words that start many phrases without being terms.
_NUMBERS = frozenset(
    {
        "zero",
        "four",
        "five",
        "nine",
        "eleven",
        "twelve",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "half",
        "third",
        "quarter",
    }
)
_COMMON = frozenset({"I", "I'm", "I'd", "English", "First", "Second", "Third", "Fourth", "Finally"})


def _is_term(token: str, sentence_start: bool) -> bool:
    if len(token) < 2 or token in _COMMON:
        return False
    if "-" in token:
        parts = token.split("-")
        if any(sum(c.isupper() for c in p) >= 2 for p in parts):
            return True  # t-SNE, Grad-CAM, SHAP-based
        # Compounds of content words ("model-agnostic"), not of particles or numbers ("hands-on", "two-week").
        return all(len(p) >= 4 and p.isalpha() and p.lower() not in _NUMBERS for p in parts)
    if sum(c.isupper() for c in token) >= 2:
        return True  # acronym or inner capitals: SHAP, GDPR, KernelSHAP, PyTorch
    return token[0].isupper() and not sentence_start and len(token) >= 4  # a name inside a sentence: Adebayo


def technical_terms(texts: Iterable[str | None]) -> list[str]:
    """Term-shaped words in `texts`, in order of first appearance, without repeats (case-insensitive)."""
    present = [t for t in texts if t]
    lower = {w for t in present for w in re.findall(r"\b[a-z][a-z-]*\b", t)}
    seen: dict[str, str] = {}
    for text in present:
        for line in text.splitlines():
            start = 0
            for match in _TOKEN.finditer(line):
                sentence_start = not line[: match.start()].strip() or bool(
                    _SENTENCE_END.search(line[start : match.start()])
                )
                token = match.group(0)
                start = match.end()
                if _is_term(token, sentence_start) and not (token.istitle() and token.lower() in lower):
                    # a capitalised word the pack also writes in lower case is an ordinary word ("AI Fairness 360")
                    if sentence_start and not any(c.isupper() for c in token[1:]):
                        token = token[0].lower() + token[1:]  # "Model-agnostic methods ..." names model-agnostic
                    seen.setdefault(token.lower(), token)
    return list(seen.values())
