"""Two writers meeting a pack the history has not seen yet: a practice session started on the
database lane while the first answer is saved on the transcription lane. Both create the pack's
row (and the answers their question's row); neither may fail on the other's insert.

Real threads on a real SQLite file, started together by a barrier, over many fresh packs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.core.packs import Pack, load_pack_text
from app.db.history import History
from tests.core.test_review_seeding import DEMO, T0, save

ROUNDS = 25


def _together(*writes: Callable[[], object]) -> list[BaseException]:
    """Run the writes on their own threads, released at the same moment; the errors they raised."""
    barrier = threading.Barrier(len(writes))
    errors: list[BaseException] = []

    def run(write: Callable[[], object]) -> None:
        barrier.wait()
        try:
            write()
        except BaseException as exc:  # noqa: BLE001  (collected and reported by the test)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def _first_writes(history: History, pack: Pack) -> list[BaseException]:
    question = pack.question("shap-and-lime")
    return _together(
        lambda: history.start_session(pack, "mock"),
        lambda: save(history, pack, question, T0, duration_s=30.0, covered=[True, False, True]),
        lambda: save(history, pack, question, T0, duration_s=40.0, covered=[True, True, True]),
    )


def test_concurrent_first_writes_of_a_pack_both_succeed(history: History) -> None:
    text = DEMO.read_text(encoding="utf-8")
    for n in range(ROUNDS):
        pack = load_pack_text(text.replace("id: demo", f"id: race-{n}", 1), f"race-{n}.yaml")
        errors = _first_writes(history, pack)
        assert not errors, errors[0]
    assert history.count_attempts() == 2 * ROUNDS
