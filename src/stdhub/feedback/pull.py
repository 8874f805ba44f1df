"""`stdhub feedback pull`: new comments out of the store into the YAML files staff answer.

Each comment the store has not yet handed out (`store.waiting`) is appended, as text, to the
file of what it is about (`feedback/<slug>.yaml`, `dispositions.file_name`): its public part
only (id, received, about, version, title, anchor, text; never name, contact or the client's
hash), personal numbers in any field masked first (`mask_personal`). Appending text leaves
every byte already in the file — staff's dispositions, comments, order — as it was; the
result is parsed again and must hold the old comments followed by the new, else the file is
not touched. Only comments whose file was written are marked pulled, so a failure loses
nothing: the next pull takes them again (and skips any id a file already holds).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from stdhub.feedback import store
from stdhub.feedback.dispositions import (
    FOLDER,
    GENERAL,
    Entry,
    Targets,
    dataset_names,
    file_name,
)
from stdhub.personal.recognize import KIND_NAMES, redact
from stdhub.problems import Report
from stdhub.standards.model import Catalogue
from stdhub.yamlsource import parse

SITE_WIDE = GENERAL[1]  # 网站: comments on the site as a whole

HEADER = """\
# 公众对 {about}{title} 的意见及处理情况（stdhub feedback pull 生成，新意见追加在末尾）。
# 请为每条意见填写：disposition 处理结果（采纳 / 部分采纳 / 不采纳 / 已答复）、
# reason 理由、change 修改情况、answered 答复日期（YYYY-MM-DD）；理由和修改情况将公开发布。
# 不要修改意见的 id、received 和 text；不要在 comments 之后再写其他键。
"""


class PullError(Exception):
    """A feedback file that cannot take new comments safely (its message says which and why)."""


@dataclass
class Pulled:
    """What one pull did: comments written per file, and files that could not be written."""

    written: dict[str, int] = field(default_factory=dict)  # file (relative) -> comments added
    masked: int = 0  # comments whose text had personal data masked
    failed: dict[str, str] = field(default_factory=dict)  # file -> why

    @property
    def total(self) -> int:
        return sum(self.written.values())


def mask_personal(text: str) -> tuple[str, int]:
    """`text` with every personal number the screen finds replaced by `〔已隐去手机号码〕`
    (its kind), and how many were replaced. A text with none comes back unchanged; one with
    some keeps the rest as written (`personal.redact`)."""
    return redact(text, lambda hit: f"〔已隐去{KIND_NAMES[hit.kind]}〕")


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block (`|-`), as people write it."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def entry_text(comment: store.Comment, indent: int = 0) -> tuple[str, int]:
    """One comment as a YAML sequence item (at `indent` spaces), with empty disposition
    fields for staff to fill; and how many personal numbers were masked."""
    masked = 0
    values: dict[str, Any] = {}
    for key in ("id", "received", "about", "version", "title", "anchor", "text"):
        value = getattr(comment, key)
        if key in ("about", "version", "title", "anchor", "text") and value:
            value, n = mask_personal(value)
            masked += n
        if value or key == "text":
            values[key] = value
    values.update(disposition=None, reason=None, change=None, answered=None)
    text = yaml.dump(
        [values], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )
    text = text.replace(": null\n", ":\n")
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True)), masked


_ITEM = re.compile(r"^( *)- ", re.M)
_EMPTY = re.compile(r"^comments:[ \t]*(\[\s*\])?[ \t]*$", re.M)


def append(path: Path, about: str, title: str, comments: list[store.Comment]) -> tuple[int, int]:
    """Append to `path` (created if missing) the comments it does not hold yet. Returns
    (comments added, personal numbers masked). Raises PullError, file untouched, when the
    file cannot be read as a feedback file or would not read back as old + new."""
    shown = f"{FOLDER}/{path.name}"
    if path.exists():
        try:
            old_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PullError(f"{shown}: 无法读取（{exc}）") from None
        old = _comments(old_text, path, shown)
    else:
        old_text = HEADER.format(about=about, title=f"《{title}》" if title else "")
        old_text += yaml.dump(
            {"about": about, **({"title": title} if title else {})},
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        old_text += "comments:\n"
        old = []
    held = {c.get("id") for c in old if isinstance(c, dict)}
    new = [c for c in comments if c.id not in held]
    if not new:
        return 0, 0
    m = _ITEM.search(old_text[old_text.find("\ncomments:") + 1 :] if old else "")
    indent = len(m.group(1)) if m else 0
    text = _EMPTY.sub("comments:", old_text) if not old else old_text
    if not text.endswith("\n"):
        text += "\n"
    masked = 0
    for c in new:
        item, n = entry_text(c, indent)
        text += item
        masked += n
    structure = PullError(
        f"{shown}: 无法在末尾追加意见（comments 不是文件的最后一个键，或不是块状列表）；"
        "把 comments 移到文件末尾、每条意见写作 `- id: …` 后重新运行 stdhub feedback pull"
        "（新意见仍在意见库中）"
    )
    try:
        after = _comments(text, path, shown)
    except PullError:
        raise structure from None
    if [c.get("id") for c in after] != [*(c.get("id") for c in old), *(c.id for c in new)]:
        raise structure
    tmp = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return len(new), masked


def _comments(text: str, path: Path, shown: str) -> list[Any]:
    report = Report()
    source = parse(text, report, path, shown)
    if source is None or not isinstance(source.data, dict):
        why = report.problems[0].format() if report.problems else f"{shown}: 顶层应是映射"
        raise PullError(f"{why}；改正后重新运行 stdhub feedback pull（新意见仍在意见库中）")
    comments = source.data.get("comments") or []
    if not isinstance(comments, list):
        raise PullError(f"{shown}: comments 应是列表；改正后重新运行 stdhub feedback pull")
    return comments


def pull(project: Path, store_path: Path, catalogue: Catalogue | None = None) -> Pulled:
    """Write every comment waiting in the store at `store_path` into `project/feedback/`
    and mark those written as pulled. `catalogue` (default: loaded from `project/standards`)
    says which file a comment goes in; an unknown target goes in the file of its own id."""
    result = Pulled()
    if not store_path.exists():
        return result
    conn = store.connect(store_path)
    try:
        waiting = store.waiting(conn)
        if not waiting:
            return result
        targets = _targets(project, catalogue)
        groups: dict[str, list[store.Comment]] = defaultdict(list)
        for c in waiting:
            subject = targets.subject(c.about) if targets else None
            if targets and subject is None:  # see `_unknown`
                c, subject = _unknown(c), SITE_WIDE
            groups[subject or c.about.split("/", 1)[0] or "unknown"].append(c)
        for subject, comments in groups.items():
            path = project / FOLDER / file_name(subject)
            title = _title(targets, subject, comments)
            try:
                added, masked = append(path, subject, title, comments)
            except PullError as exc:
                result.failed[f"{FOLDER}/{path.name}"] = str(exc)
                continue
            result.masked += masked
            if added:
                result.written[f"{FOLDER}/{path.name}"] = added
            store.mark_pulled(conn, [c.id for c in comments])
    finally:
        conn.close()
    return result


def _unknown(c: store.Comment) -> store.Comment:
    """A comment about something the project does not have (a hand-made form address, a
    page since removed) joins the site-wide comments, the address it named kept in its
    title: filed where validate accepts it, so nobody can stop publishing by posting one."""
    title = f"{c.title}（所指对象不存在：{c.about}）" if c.title else f"所指对象不存在：{c.about}"
    return replace(c, about=SITE_WIDE, anchor="", title=title)


def _targets(project: Path, catalogue: Catalogue | None) -> Targets | None:
    if catalogue is None:
        root = project / "standards"
        if not root.is_dir():
            return None
        from stdhub.standards.loader import load_catalogue

        catalogue, _ = load_catalogue(root, base=project)
    return Targets(catalogue, dataset_names(project))


def _title(targets: Targets | None, subject: str, comments: list[store.Comment]) -> str:
    cat = targets.cat if targets else None
    if cat is not None:
        for table in (cat.standards, cat.code_lists, cat.lists):
            if subject in table:
                return str(table[subject].title)
    same = [c.title for c in comments if c.about == subject and c.title]
    return same[0] if same else ""


def waiting_entries(project: Path) -> tuple[list[Entry], Report]:
    """Every comment of `project/feedback/` without a disposition, oldest first, and the
    problems found reading the files (a file that fails its schema is left out)."""
    from stdhub.feedback.dispositions import load_feedback

    report = Report()
    feedback = load_feedback(project, report)
    entries = [e for f in feedback.files.values() for e in f.waiting]
    return sorted(entries, key=lambda e: (e.received, e.id)), report
