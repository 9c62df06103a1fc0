"""Running core work off the GUI thread and getting results back by signals.

A core function takes `progress(stage, fraction)` and a `cancel` event; `Job` runs it on the
global QThreadPool (or a named lane) and emits `finished(result)`, `failed(message)` or
`progress(stage, fraction)` back on the GUI thread (queued across threads by Qt).

Lanes keep kinds of work from waiting behind each other: the recorder's start and stop never
queue behind a 13 s batch transcription, and a history read never waits for a model load. Within
a lane jobs run one at a time, in the order started.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance

log = logging.getLogger(__name__)

AUDIO = "audio"  # recorder and microphone-test start/stop: short, and the person is waiting on them
TRANSCRIPTION = "transcription"  # model loads, batch transcription and scoring of an answer
DATABASE = "database"  # history reads and writes, in the order made


class JobSignals(QObject):
    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False, **kwargs: Any) -> None:
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.with_progress = with_progress
        self.cancel = threading.Event()
        self.signals = JobSignals()
        self.done = threading.Event()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            if self.with_progress:
                self.kwargs.setdefault("progress", lambda stage, fraction: self.signals.progress.emit(stage, fraction))
                self.kwargs.setdefault("cancel", self.cancel)
            result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # report to the GUI; never let a worker die silently
            message = str(exc) or type(exc).__name__
            log.exception(
                "Job %s failed", getattr(self.fn, "__qualname__", self.fn)
            )  # the log file keeps the traceback
            self.done.set()
            self.signals.failed.emit(message)
            return
        self.done.set()
        self.signals.finished.emit(result)


class JobRunner(QObject):
    """Keeps jobs alive until they end, and can wait for all of them at shutdown."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._lanes: dict[str, QThreadPool] = {}
        self._jobs: set[Job] = set()
        self._latest: dict[str, Job] = {}  # key -> the newest job started with it (GUI thread only)

    def lane(self, name: str) -> QThreadPool:
        """A pool of one thread: jobs started in the same lane run one after another, in order
        (two quick corrections of the same answer must reach the database in the order made)."""
        if name not in self._lanes:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            self._lanes[name] = pool
        return self._lanes[name]

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[str], object] | None = None,
        on_progress: Callable[[str, float], object] | SignalInstance | None = None,
        lane: str | None = None,
        key: str | None = None,
        **kwargs: Any,
    ) -> Job:
        """Run `fn(*args, **kwargs)` off the GUI thread; `lane` names the one-thread pool to queue
        it in (None: the shared pool). `key`: the latest request wins. A job started with a key
        that a newer job has taken since reports nothing (its result would be stale: a page now
        showing something else); only the newest job of each key calls back."""
        job = Job(fn, *args, with_progress=on_progress is not None, **kwargs)
        if key is None:
            if on_done:
                job.signals.finished.connect(on_done)
            if on_error:
                job.signals.failed.connect(on_error)
            if on_progress:
                job.signals.progress.connect(on_progress)
        else:
            self._latest[key] = job
            job.signals.finished.connect(lambda result, j=job: self._if_latest(key, j, on_done, result))
            job.signals.failed.connect(lambda message, j=job: self._if_latest(key, j, on_error, message))
            if on_progress:
                report = on_progress.emit if isinstance(on_progress, SignalInstance) else on_progress
                job.signals.progress.connect(
                    lambda stage, fraction, j=job: self._latest.get(key) is j and report(stage, fraction)
                )
        job.signals.finished.connect(lambda _=None, j=job: self._jobs.discard(j))
        job.signals.failed.connect(lambda _=None, j=job: self._jobs.discard(j))
        self._jobs.add(job)
        (self.lane(lane) if lane else self.pool).start(job)
        return job

    def drop(self, key: str) -> None:
        """The job pending under `key`, if any, will report nothing (an answer was found another way)."""
        self._latest.pop(key, None)

    def _if_latest(self, key: str, job: Job, deliver: Callable[[Any], object] | None, value: object) -> None:
        """Hand a keyed job's result or error on, unless a newer job took its key (then drop it)."""
        if self._latest.get(key) is not job:
            log.debug("dropped the result of a superseded %r job", key)
            return
        del self._latest[key]
        if deliver is not None:
            deliver(value)

    @property
    def busy(self) -> bool:
        return any(not j.done.is_set() for j in self._jobs)

    def shutdown(self, timeout_ms: int = 15000) -> bool:
        for job in self._jobs:
            job.cancel.set()
        lanes_done = all(pool.waitForDone(timeout_ms) for pool in self._lanes.values())
        return self.pool.waitForDone(timeout_ms) and lanes_done
