"""Judging an answer: which key points it covered (semantic), and how it was delivered (timing)."""

from app.core.scoring.delivery import Delivery, analyse_delivery
from app.core.scoring.keypoints import EmbeddingScorer, KeyPointScorer, LexicalScorer, PointResult
from app.core.scoring.recall import TokenRecallScorer

__all__ = [
    "Delivery",
    "EmbeddingScorer",
    "KeyPointScorer",
    "LexicalScorer",
    "PointResult",
    "TokenRecallScorer",
    "analyse_delivery",
]
