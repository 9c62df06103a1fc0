"""Preferences persist; the answer clock turns amber then red and stops at the hard limit; window state is kept."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app.core.practice import AnswerClock, Mode, Zone, format_seconds, order_questions
from app.gui.settings import AppSettings
from tests.gui.conftest import screenshot


def test_clock_zones_and_hard_limit() -> None:
    clock = AnswerClock(target_s=60, hard_limit_factor=2.0)
    assert [clock.zone(s) for s in (0, 50, 51, 60, 60.5, 119)] == [
        Zone.NORMAL,
        Zone.NORMAL,
        Zone.NEAR,
        Zone.NEAR,
        Zone.OVER,
        Zone.OVER,
    ]
    assert clock.hard_limit_s == 120 and clock.remaining_to_limit(100) == 20
    assert format_seconds(0) == "0:00" and format_seconds(125.4) == "2:05"


def test_question_order_modes() -> None:
    from pathlib import Path

    from app.core.packs import load_pack

    pack = load_pack(Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml")
    assert [q.id for q in order_questions(pack, Mode.IN_ORDER)] == ["shap-and-lime", "tell-me"]
    assert [q.id for q in order_questions(pack, Mode.CATEGORY, "general")] == ["tell-me"]
    shuffled = {tuple(q.id for q in order_questions(pack, Mode.SHUFFLED, seed=s)) for s in range(20)}
    assert len(shuffled) == 2


def test_the_clock_label_changes_colour_with_the_zone(window, qtbot) -> None:
    from pathlib import Path

    window.import_pack_file(Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml")
    window.start_page.start_button.click()
    window.controller.cancel()
    page = window.practice_page
    target = window.controller.clock().target_s
    for elapsed, zone in ((1.0, Zone.NORMAL), (target * 0.9, Zone.NEAR), (target + 1, Zone.OVER)):
        page._on_answer_tick(elapsed, zone.value)
        assert page.clock.property("zone") == zone.value
        assert page.clock.text() == format_seconds(elapsed)
    assert "#cf222e" in page.clock.styleSheet()


def test_preferences_dialog_persists_choices(qtbot, qsettings, tmp_path) -> None:
    from app.gui.application import make_application
    from app.gui.settings_dialog import SettingsDialog

    make_application([])
    settings = AppSettings(qsettings)
    dialog = SettingsDialog(settings, tmp_path / "data", tts_available=False)
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.device.itemData(i) for i in range(dialog.device.count())]
    assert "" in names and "fakemic" in names, names
    dialog.device.setCurrentIndex(names.index("fakemic"))
    dialog.model_other.setChecked(True)
    dialog.model_path.setText("/opt/models/whisper-small")
    dialog.prep.setValue(15)
    dialog.answer.setValue(75)
    dialog.limit.setValue(3.0)
    assert not dialog.read_aloud.isEnabled(), "no voice: reading aloud is offered only where it works"
    screenshot(dialog, "8-preferences")
    dialog.accept()

    again = AppSettings(QSettings(qsettings.fileName(), QSettings.Format.IniFormat))
    assert again.input_device == "fakemic"
    assert again.model == "/opt/models/whisper-small"
    assert (again.prep_seconds, again.answer_seconds, again.hard_limit_factor) == (15, 75, 3.0)
    assert again.data_dir is None, "an unchanged data folder is not pinned in the settings"


def test_microphone_test_meter_moves(qtbot, qsettings, tmp_path, pulse_mic, spoken) -> None:
    from app.gui.application import make_application
    from app.gui.settings_dialog import SettingsDialog

    make_application([])
    dialog = SettingsDialog(AppSettings(qsettings), tmp_path, tts_available=False)
    qtbot.addWidget(dialog)
    dialog.device.setCurrentIndex(dialog.device.findData(pulse_mic.device))
    dialog.test_button.setChecked(True)
    assert dialog.meter.peak_db <= -60
    # The test recording starts on the audio lane: speak once it listens (a busy machine takes a while).
    qtbot.waitUntil(dialog._meter_timer.isActive, timeout=10000)
    pulse_mic.play(spoken("Testing the microphone level."))
    qtbot.waitUntil(lambda: dialog.meter.peak_db > -40, timeout=5000)
    dialog.reject()
    assert dialog._test is None


def test_window_geometry_is_remembered(window, qsettings) -> None:
    window.resize(900, 650)
    window.close()
    geometry, _state = AppSettings(QSettings(qsettings.fileName(), QSettings.Format.IniFormat)).window_state()
    assert geometry is not None and len(bytes(geometry)) > 0


def test_broken_settings_values_fall_back_to_defaults(qsettings) -> None:
    qsettings.setValue("practice/hard_limit_factor", "lots")
    qsettings.setValue("practice/prep_seconds", "soon")
    settings = AppSettings(qsettings)
    assert settings.hard_limit_factor == 2.0 and settings.prep_seconds == 0
