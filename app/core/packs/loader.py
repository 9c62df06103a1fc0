"""Read a pack file into a `Pack`, or fail with every problem located to file, line and field.

PyYAML composes the document into nodes that remember their line; we walk those nodes
against the schema instead of `safe_load`'s plain dicts, so each error can say where it is.
Scalars are still built by `SafeConstructor`: the same types `yaml.safe_load` would give.
Aliases are references to one node, so a "billion laughs" file stays small here, and the
walk only descends where the schema expects, with a cap on the number of issues reported.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from app.core.packs.model import (
    DEFAULT_ANSWER_SECONDS,
    DEFAULT_PREP_SECONDS,
    STAR_PARTS,
    FollowUp,
    KeyPoint,
    Pack,
    PackError,
    PackIssue,
    Question,
)

MAX_PACK_BYTES = 2 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
MAX_ISSUES = 50
MAX_QUESTIONS = 2_000
MAX_KEY_POINTS = 20
MAX_DEPTH = 64  # a pack nests four or five levels; far deeper is an attack on the parser's stack
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

PACK_KEYS = {"id", "title", "language", "description", "glossary", "defaults", "questions", "version", "author"}
QUESTION_KEYS = {
    "id",
    "text",
    "category",
    "prep_seconds",
    "answer_seconds",
    "reference_answer",
    "key_points",
    "glossary",
    "tags",
    "follow_ups",
}
FOLLOW_UP_KEYS = {"ask", "about", "key_points"}
MAX_FOLLOW_UPS = 10
KEY_POINT_KEYS = {"point", "cues", "examples"}
DEFAULT_KEYS = {"prep_seconds", "answer_seconds"}
_TIME_LIMITS = {"prep_seconds": (0, 600), "answer_seconds": (5, 3600)}
MAX_EXAMPLES = 10
# An example written into the claim ("..., such as a credit officer") makes the judge require it.
_EXAMPLE_IN_CLAIM = re.compile(r"(?<!\w)(such as|e\.g\.|eg\.|for example|for instance)(?!\w)", re.IGNORECASE)


class _TooManyIssues(Exception):
    pass


class _Reader:
    """Schema checks over YAML nodes that record located issues instead of raising."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.issues: list[PackIssue] = []
        self._constructor = SafeConstructor()

    # -- reporting -------------------------------------------------------------------------
    def error(self, node: Node | None, field: str, message: str) -> None:
        self._add(node, field, message, "error")

    def warn(self, node: Node | None, field: str, message: str) -> None:
        self._add(node, field, message, "warning")

    def _add(self, node: Node | None, field: str, message: str, severity: Literal["error", "warning"]) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.issues.append(PackIssue(self.label, line, field, message, severity))
        if sum(i.severity == "error" for i in self.issues) >= MAX_ISSUES:
            raise _TooManyIssues

    # -- typed access ------------------------------------------------------------------------
    def mapping(self, node: Node, field: str, known: set[str] | None = None) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.error(node, field or "(top level)", f"must be a mapping of keys to values, not {_kind(node)}")
            return None
        result: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str):
                self.error(key_node, field or "(top level)", f"keys must be text, not {key!r}")
                continue
            where = f"{field}.{key}" if field else key
            if key in result:
                self.error(key_node, where, "appears twice")
                continue
            if known is not None and key not in known:
                hint = _suggest(key, known)
                self.warn(key_node, where, f"unknown key, ignored{hint}")
                continue
            result[key] = (key_node, value_node)
        return result

    def scalar(self, node: Node) -> Any:
        if not isinstance(node, ScalarNode):
            return _NOT_SCALAR
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            return node.value

    def text(self, node: Node, field: str, *, required_nonempty: bool = True) -> str | None:
        value = self.scalar(node)
        if not isinstance(value, str):
            if value is None and not required_nonempty:
                return None
            shown = _kind(node) if value is _NOT_SCALAR else f"{type(value).__name__} {value!r}"[:60]
            self.error(node, field, f"must be text, not {shown} (quote it if it is meant as text)")
            return None
        value = value.strip()
        if required_nonempty and not value:
            self.error(node, field, "must not be empty")
            return None
        if len(value) > MAX_TEXT_CHARS:
            self.error(node, field, f"is {len(value):,} characters long; the limit is {MAX_TEXT_CHARS:,}")
            return None
        return value

    def identifier(self, node: Node, field: str) -> str | None:
        value = self.text(node, field)
        if value is not None and not _ID_PATTERN.match(value):
            self.error(node, field, f"'{value[:40]}' is not a valid id: use letters, digits, '-', '_' or '.' (max 64)")
            return None
        return value

    def seconds(self, node: Node, field: str, name: str) -> int | None:
        value = self.scalar(node)
        low, high = _TIME_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(node, field, f"must be a whole number of seconds, not {_describe(node, value)}")
            return None
        if not low <= value <= high:
            self.error(node, field, f"must be between {low} and {high} seconds, not {value}")
            return None
        return value

    def sequence(self, node: Node, field: str, *, nonempty: bool, limit: int) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            shown = _describe(node, self.scalar(node))
            self.error(node, field, f"must be a {'non-empty ' if nonempty else ''}list, not {shown}")
            return None
        if nonempty and not node.value:
            self.error(node, field, "must be a non-empty list")
            return None
        if len(node.value) > limit:
            self.error(node, field, f"has {len(node.value):,} items; the limit is {limit:,}")
            return None
        return list(node.value)

    def text_list(self, node: Node, field: str, limit: int = 500) -> tuple[str, ...]:
        items = self.sequence(node, field, nonempty=False, limit=limit)
        if items is None:
            return ()
        values = (self.text(item, f"{field}[{i}]") for i, item in enumerate(items))
        return tuple(dict.fromkeys(v for v in values if v))


_NOT_SCALAR = object()


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "a single value"


def _describe(node: Node, value: Any = _NOT_SCALAR) -> str:
    if not isinstance(node, ScalarNode):
        return _kind(node)
    if value is _NOT_SCALAR:
        value = node.value
    return f"{type(value).__name__} {value!r}"[:60]


def _codepoint(character: str | int) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"U+{code:04X}"


def _suggest(key: str, known: set[str]) -> str:
    from rapidfuzz import process

    match = process.extractOne(key, sorted(known), score_cutoff=75)
    return f" (did you mean '{match[0]}'?)" if match else ""


# -- schema ------------------------------------------------------------------------------------


def _read_key_point(r: _Reader, node: Node, field: str) -> KeyPoint | None:
    if isinstance(node, ScalarNode):
        text = r.text(node, field)
        _warn_example_in_claim(r, node, field, text)
        return KeyPoint(text) if text else None
    fields = r.mapping(node, field, KEY_POINT_KEYS)
    if fields is None:
        return None
    if "point" not in fields:
        r.error(node, f"{field}.point", "is required (the claim the answer should make)")
        return None
    text = r.text(fields["point"][1], f"{field}.point")
    cues = r.text_list(fields["cues"][1], f"{field}.cues", limit=30) if "cues" in fields else ()
    examples = (
        r.text_list(fields["examples"][1], f"{field}.examples", limit=MAX_EXAMPLES) if "examples" in fields else ()
    )
    _warn_example_in_claim(r, fields["point"][1], f"{field}.point", text)
    return KeyPoint(text, cues, examples) if text else None


def _warn_example_in_claim(r: _Reader, node: Node, field: str, text: str | None) -> None:
    """The judge checks every word of the claim, so an example inside it becomes a requirement."""
    match = _EXAMPLE_IN_CLAIM.search(text or "")
    if match:
        r.warn(
            node,
            field,
            f"'{match.group(1)} ...' puts an example inside the claim, so the judge would require it; "
            "move it to 'examples:' (a list beside 'point:')",
        )


def _read_follow_up(r: _Reader, node: Node, field: str, point_count: int) -> FollowUp | None:
    """A follow-up: a plain question, or a mapping with `ask`, `about` (a key point's number, 1 for
    the first, or a STAR part) and optional `key_points` its answer should make."""
    if isinstance(node, ScalarNode):
        text = r.text(node, field)
        return FollowUp(text) if text else None
    fields = r.mapping(node, field, FOLLOW_UP_KEYS)
    if fields is None:
        return None
    if "ask" not in fields:
        r.error(node, f"{field}.ask", "is required (the follow-up question)")
        return None
    text = r.text(fields["ask"][1], f"{field}.ask")
    about: int | str | None = None
    if "about" in fields:
        about_node = fields["about"][1]
        value = r.scalar(about_node)
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= point_count:
            about = value - 1
        elif isinstance(value, str) and value.strip().lower() in STAR_PARTS:
            about = value.strip().lower()
        else:
            r.error(
                about_node,
                f"{field}.about",
                f"must be a key point number (1-{point_count}) or one of "
                f"{', '.join(STAR_PARTS)}, not {_describe(about_node, value)}",
            )
            return None
    points: list[KeyPoint] = []
    if "key_points" in fields:
        items = r.sequence(fields["key_points"][1], f"{field}.key_points", nonempty=True, limit=MAX_KEY_POINTS)
        for i, item in enumerate(items or []):
            point = _read_key_point(r, item, f"{field}.key_points[{i}]")
            if point is not None:
                points.append(point)
        if not points:
            return None
    if isinstance(about, str) and not points:
        r.error(
            node, f"{field}.key_points", f"is required for a follow-up about the {about}: what should its answer say?"
        )
        return None
    return FollowUp(text, about, tuple(points)) if text else None


def _read_question(r: _Reader, node: Node, field: str, defaults: dict[str, int]) -> Question | None:
    fields = r.mapping(node, field, QUESTION_KEYS)
    if fields is None:
        return None
    ok = True
    for required in ("id", "text", "key_points"):
        if required not in fields:
            r.error(node, f"{field}.{required}", "is required")
            ok = False
    qid = r.identifier(fields["id"][1], f"{field}.id") if "id" in fields else None
    text = r.text(fields["text"][1], f"{field}.text") if "text" in fields else None
    key_points: list[KeyPoint] = []
    if "key_points" in fields:
        items = r.sequence(fields["key_points"][1], f"{field}.key_points", nonempty=True, limit=MAX_KEY_POINTS)
        for i, item in enumerate(items or []):
            key_point = _read_key_point(r, item, f"{field}.key_points[{i}]")
            if key_point is None:
                ok = False
            else:
                key_points.append(key_point)
        ok = ok and bool(items)
    times = dict(defaults)
    for name in ("prep_seconds", "answer_seconds"):
        if name in fields:
            value = r.seconds(fields[name][1], f"{field}.{name}", name)
            ok = ok and value is not None
            if value is not None:
                times[name] = value
    category = r.text(fields["category"][1], f"{field}.category") if "category" in fields else None
    reference = None
    if "reference_answer" in fields:
        reference = r.text(fields["reference_answer"][1], f"{field}.reference_answer", required_nonempty=False)
    glossary = r.text_list(fields["glossary"][1], f"{field}.glossary") if "glossary" in fields else ()
    follow_ups: list[FollowUp] = []
    if "follow_ups" in fields:
        items = r.sequence(fields["follow_ups"][1], f"{field}.follow_ups", nonempty=False, limit=MAX_FOLLOW_UPS)
        for i, item in enumerate(items or []):
            follow_up = _read_follow_up(r, item, f"{field}.follow_ups[{i}]", len(key_points))
            if follow_up is None:
                ok = False
            else:
                follow_ups.append(follow_up)
    if not (ok and qid and text):
        return None
    return Question(
        id=qid,
        text=text,
        key_points=tuple(key_points),
        category=category.lower() if category else None,
        prep_seconds=times["prep_seconds"],
        answer_seconds=times["answer_seconds"],
        reference_answer=reference or None,
        glossary=glossary,
        follow_ups=tuple(follow_ups),
    )


def _read_pack(r: _Reader, root: Node | None, source: Path | None) -> Pack | None:
    if root is None:
        r.error(None, "", "the file is empty; a pack needs at least 'id' and 'questions'")
        return None
    fields = r.mapping(root, "", PACK_KEYS)
    if fields is None:
        return None
    for required in ("id", "questions"):
        if required not in fields:
            r.error(root, required, "is required")
    pack_id = r.identifier(fields["id"][1], "id") if "id" in fields else None
    title = r.text(fields["title"][1], "title") if "title" in fields else None
    language = r.text(fields["language"][1], "language") if "language" in fields else "en"
    description = None
    if "description" in fields:
        description = r.text(fields["description"][1], "description", required_nonempty=False)
    glossary = r.text_list(fields["glossary"][1], "glossary") if "glossary" in fields else ()
    defaults = {"prep_seconds": DEFAULT_PREP_SECONDS, "answer_seconds": DEFAULT_ANSWER_SECONDS}
    if "defaults" in fields:
        for name, (_, value_node) in (r.mapping(fields["defaults"][1], "defaults", DEFAULT_KEYS) or {}).items():
            value = r.seconds(value_node, f"defaults.{name}", name)
            if value is not None:
                defaults[name] = value
    questions: list[Question] = []
    if "questions" in fields:
        items = r.sequence(fields["questions"][1], "questions", nonempty=True, limit=MAX_QUESTIONS)
        seen: dict[str, int] = {}
        for i, item in enumerate(items or []):
            question = _read_question(r, item, f"questions[{i}]", defaults)
            if question is None:
                continue
            if question.id in seen:
                r.error(
                    item, f"questions[{i}].id", f"'{question.id}' is already used by questions[{seen[question.id]}]"
                )
                continue
            seen[question.id] = i
            questions.append(question)
    if any(i.severity == "error" for i in r.issues) or not pack_id:
        return None
    return Pack(
        id=pack_id,
        title=title or pack_id,
        questions=tuple(questions),
        language=language or "en",
        description=description,
        glossary=glossary,
        source=source,
        warnings=tuple(i for i in r.issues if i.severity == "warning"),
    )


def _compose(text: str) -> yaml.Node | None:
    """The document's nodes (with their lines), composed by libyaml where PyYAML has it: 20x faster
    than the pure-Python composer (the start page loads every pack at launch). libyaml composes
    recursively in C, where a deep nesting would overflow the stack, so the depth is checked first
    on the stream of events, which is flat."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise RecursionError
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.compose(text, Loader=loader)


def load_pack_text(text: str, label: str = "<pack>", source: Path | None = None) -> Pack:
    """Parse pack YAML held in memory (the pack editor validates as the person types)."""
    reader = _Reader(label)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PACK_BYTES:
        raise PackError(
            [PackIssue(label, None, "", f"is larger than the {MAX_PACK_BYTES // 1024 // 1024} MB limit for a pack")]
        )
    try:
        root = _compose(text)
        pack = _read_pack(reader, root, source)
    except _TooManyIssues:
        reader.issues.append(PackIssue(label, None, "", f"stopped after {MAX_ISSUES} errors"))
        pack = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        reader.issues.append(PackIssue(label, line, "", f"not valid YAML: {problem}"))
        pack = None
    except ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        reader.issues.append(
            PackIssue(label, line, "", f"not valid YAML: control character {_codepoint(exc.character)} is not allowed")
        )
        pack = None
    except yaml.YAMLError as exc:
        reader.issues.append(PackIssue(label, None, "", f"not valid YAML: {exc}"))
        pack = None
    except RecursionError:
        reader.issues.append(PackIssue(label, None, "", "nested too deeply to be a question pack"))
        pack = None
    if pack is None:
        if not any(i.severity == "error" for i in reader.issues):
            reader.error(None, "", "could not be read as a pack")
        raise PackError(sorted(reader.issues, key=lambda i: i.line or 0))
    return pack


def load_pack(path: str | Path) -> Pack:
    """Load and validate one pack file. Raises PackError naming file, line and field."""
    path = Path(path)
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackError(
                [
                    PackIssue(
                        label,
                        None,
                        "",
                        f"is {size / 1024 / 1024:.1f} MB; a pack may be at most {MAX_PACK_BYTES // 1024 // 1024} MB",
                    )
                ]
            )
        raw = path.read_bytes()
    except PackError:
        raise
    except OSError as exc:
        raise PackError([PackIssue(label, None, "", f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PackError(
            [
                PackIssue(
                    label,
                    line,
                    "",
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
                )
            ]
        ) from None
    return load_pack_text(text, label, source=path)
