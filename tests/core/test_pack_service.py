"""The pack use cases without a window: the editor's text fields round-trip, imports and saves stay
inside the person's pack folder, and a broken file is refused with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.packs import PackError, PackLibrary, load_pack, load_pack_text
from app.core.packs.draft import draft_yaml, question_draft
from app.core.paths import builtin_packs_dir
from app.services.packs import PackService

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"


@pytest.fixture
def packs(tmp_path: Path) -> PackService:
    folder = tmp_path / "packs"
    return PackService(PackLibrary(builtin_packs_dir(), folder), folder)


def test_the_editors_fields_round_trip_every_question() -> None:
    pack = load_pack(DEMO)
    head = {
        "id": pack.id,
        "title": pack.title,
        "description": pack.description or "",
        "glossary": ", ".join(pack.glossary),
    }
    again = load_pack_text(draft_yaml(head, [question_draft(q) for q in pack.questions]), "draft")
    assert [q.key_points for q in again.questions] == [q.key_points for q in pack.questions]
    assert [q.follow_ups for q in again.questions] == [q.follow_ups for q in pack.questions]
    assert [q.reference_answer for q in again.questions] == [q.reference_answer for q in pack.questions]


def test_import_copies_into_the_folder_and_says_when_it_replaces(packs: PackService, tmp_path: Path) -> None:
    planned = packs.prepare_import(DEMO)
    assert planned.destination == packs.folder / f"{planned.pack.id}.yaml" and not planned.replaces
    installed = packs.install(planned, DEMO)
    assert installed.read_text() == DEMO.read_text()
    assert any(s.path == installed for s in packs.scan())
    assert packs.prepare_import(DEMO).replaces  # a second import of the same id asks first
    assert not packs.prepare_import(installed).replaces  # the file itself is not "another" pack


def test_a_broken_pack_or_an_unsafe_id_is_refused_and_nothing_is_written(packs: PackService, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(DEMO.read_text().replace("answer_seconds: 45", "answer_seconds: soon", 1))
    with pytest.raises(PackError, match=r"broken\.yaml:\d+: .*answer_seconds"):
        packs.prepare_import(broken)
    escaping = tmp_path / "escaping.yaml"
    escaping.write_text(DEMO.read_text().replace("id: demo", "id: ../../outside", 1))
    with pytest.raises((PackError, ValueError)):
        packs.prepare_import(escaping)
    assert not packs.folder.exists() or list(packs.folder.iterdir()) == []


def test_save_writes_the_text_and_moves_a_pack_whose_id_changed(packs: PackService) -> None:
    text = DEMO.read_text()
    first = packs.save(text, packs.place(load_pack_text(text, "form")))
    renamed_text = text.replace("id: demo", "id: renamed", 1)
    renamed = packs.place(load_pack_text(renamed_text, "form"), first)
    second = packs.save(renamed_text.rstrip("\n"), renamed, old=first)
    assert second.name == "renamed.yaml" and second.read_text().endswith("\n")
    assert not first.exists()  # the old file went with the id


def test_check_reports_what_rehearse_check_would(packs: PackService) -> None:
    pack, issues = packs.check(DEMO.read_text().replace("title:", "titel:", 1), "mine.yaml")
    assert pack is not None and [(i.line, i.field, i.severity) for i in issues] == [(3, "titel", "warning")]
    pack, issues = packs.check(DEMO.read_text().replace("answer_seconds: 45", "answer_seconds: soon"), "mine.yaml")
    assert pack is None and [(i.line, i.field) for i in issues if i.severity == "error"] == [
        (10, "questions[0].answer_seconds")
    ]
