"""HTML reports come from Jinja2 templates under resources/templates with autoescaping: text the
person wrote (a pack's question, a note, a bookmark, a mock's title) cannot become markup.

Real packs read from YAML, a real SQLite history, the real templates found through resource_path.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from app.core.packs import Pack, load_pack_text
from app.core.paths import resource_path
from app.core.review import export
from app.core.review.progress import question_series
from app.db.history import History
from tests.core.test_review_seeding import DEMO, T0, save

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _value in attrs]


def _parsed(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def hostile_pack() -> Pack:
    text = DEMO.read_text(encoding="utf-8").replace(
        "text: Describe your experience with SHAP and LIME.",
        f'text: "Describe SHAP {SCRIPT} and LIME <img src=x onerror=alert(1)>."',
    )
    return load_pack_text(text, "hostile.yaml")


def test_text_the_person_wrote_is_escaped_in_every_html_report(history: History) -> None:
    pack = hostile_pack()
    question = pack.question("shap-and-lime")
    assert SCRIPT in question.text
    first = save(history, pack, question, T0, duration_s=40.0, covered=[True, False, True])
    second = save(history, pack, question, T0 + timedelta(days=1), duration_s=50.0, covered=[True, True, True])
    history.set_note(first, f"Note {SCRIPT} & more")
    history.add_bookmark(first, 3.0, f"mark {SCRIPT}")
    details = [history.get_attempt(first), history.get_attempt(second)]
    summaries = history.attempt_summaries(question_id=question.id)
    progress = question_series(history.progress_points(pack_id=pack.id, question_id=question.id))
    pages = {
        "attempt": export.attempt_html(details[0]),
        "mock": export.mock_html(details, f"Mock {SCRIPT}"),
        "question": export.question_html(question, f"Pack {SCRIPT}", summaries, progress),
    }
    for name, page in pages.items():
        parsed = _parsed(page)
        assert "script" not in parsed.tags and "img" not in parsed.tags, name
        assert "onerror" not in parsed.attributes, name
        assert ESCAPED in page, name
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, name
    assert f"Note {ESCAPED} &amp; more" in pages["attempt"] and f"mark {ESCAPED}" in pages["attempt"]
    assert f"<h1>Mock {ESCAPED}</h1>" in pages["mock"] and f"Pack {ESCAPED}" in pages["question"]


def test_the_templates_are_found_where_the_bundle_keeps_resources() -> None:
    """resource_path finds them in a checkout, a wheel (app/resources) or the PyInstaller bundle,
    which all carry the whole resources/ folder (pyproject force-include, packaging/rehearse.spec)."""
    folder = resource_path("templates", "reports")
    assert {p.name for p in folder.iterdir()} >= {
        "page.html.j2",
        "parts.html.j2",
        "attempt.html.j2",
        "mock.html.j2",
        "question.html.j2",
        "report.css",
    }
    assert export._templates().loader is not None
    assert export._templates().autoescape is True
