"""Reading questions aloud with Qt's text-to-speech, where this computer really has a voice.

Qt lists an engine for every plug-in file it ships, even one whose system library is missing
(speechd without libspeechd), so a listed engine proves nothing: the probe makes the engine, and
only one that reaches Ready with at least one voice counts. The probe runs once per process, when
first needed (Preferences opening, or the first question to read): making an engine is quick when
it fails and is needed to read anyway. The probed engine is the one that reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

log = logging.getLogger(__name__)

NO_ENGINE = "No text-to-speech voice is installed on this computer (Qt found no speech engine)."


@dataclass(frozen=True)
class VoiceCheck:
    engine: str | None  # the engine that reads, when one works
    problem: str | None = None  # why questions cannot be read aloud, in words for the person

    @property
    def available(self) -> bool:
        return self.problem is None


def probe_voice(engines: list[str] | None = None, parent: QObject | None = None) -> tuple[Any, VoiceCheck]:
    """(a ready QTextToSpeech or None, what was found). `engines`: which to try, by default every
    engine Qt lists except its test engine 'mock'."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:
        return None, VoiceCheck(
            None, f"Reading aloud needs Qt's text-to-speech module, which could not be loaded ({exc})."
        )
    names = [e for e in QTextToSpeech.availableEngines() if e != "mock"] if engines is None else engines
    if not names:
        return None, VoiceCheck(None, NO_ENGINE)
    problems = []
    for name in names:
        speech = QTextToSpeech(name, parent)
        if speech.state() == QTextToSpeech.State.Error:
            problems.append(f"the {name} engine could not start: {speech.errorString() or 'no reason given'}")
        elif not speech.availableVoices():
            problems.append(f"the {name} engine has no voices")
        else:
            return speech, VoiceCheck(name)
        speech.deleteLater()
    return None, VoiceCheck(None, f"No text-to-speech voice is available on this computer ({'; '.join(problems)}).")


_probed: tuple[Any, VoiceCheck] | None = None


def system_voice() -> tuple[Any, VoiceCheck]:
    """The probe of this computer's engines, made once per process (the engine lives as long as the app)."""
    global _probed
    if _probed is None:
        _probed = probe_voice(parent=QCoreApplication.instance())
        if not _probed[1].available:
            log.info("questions cannot be read aloud: %s", _probed[1].problem)
    return _probed


class QuestionReader(QObject):
    """Says a question when reading aloud is on; a failure is told once (`failed`) and logged."""

    failed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, probe: Callable[[], tuple[Any, VoiceCheck]] = system_voice
    ) -> None:
        super().__init__(parent)
        self._probe = probe
        self.speech: Any = None
        self._told = False

    def check(self) -> VoiceCheck:
        speech, check = self._probe()
        if speech is not None and speech is not self.speech:
            self.speech = speech
            speech.errorOccurred.connect(lambda _reason, text: self._fail(f"the voice stopped with an error: {text}"))
        return check

    def say(self, text: str) -> None:
        check = self.check()
        if not check.available:
            self._fail(check.problem or NO_ENGINE)
            return
        self.speech.stop()  # the previous question, if it is still being read
        self.speech.say(text)

    def _fail(self, problem: str) -> None:
        if not self._told:  # once is enough: the same reason would come with every question
            self._told = True
            log.warning("reading a question aloud failed: %s", problem)
            self.failed.emit(f"Questions are not read aloud: {problem[0].lower() + problem[1:]}")
