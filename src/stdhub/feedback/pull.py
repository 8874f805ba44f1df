"""`stdhub feedback pull`: new comments out of the store into the YAML files staff answer.

Each comment the store has not yet handed out (`store.waiting`) is appended to the file of
what it is about (`feedback/<slug>.yaml`, `dispositions.file_name`): its public part only
(id, received, about, version, title, anchor, text; never name, contact or the client's
hash), after the personal-data screen (`stdhub.personal.find_all`; the service refuses what
it finds, so this masks only what a later, stricter screen finds in older comments).

The invariant: whatever the service accepted, a pull files so that the next `stdhub
validate` and `stdhub build` pass, and the text published is the text accepted.

- Form values never become YAML text: each comment is written by YAML's serialiser
  (`entry_text`) and read back by the project's own loader before the file is touched; a
  value that would not read back the same is written double-quoted with escapes. The only
  normalisation is the form's (`form.clean`: CR LF to LF, other control characters
  removed, leading and trailing white space stripped).
- The file's header and its `title` come from the project (the standard's, dataset's or
  list's own title; `targets.GENERAL_TITLES`), never from a form.
- A comment about something the project does not have is filed on the whole of what it
  names, or on the site as a whole, with what the form named kept in `not_found`
  (`dispositions.NOT_FOUND`, 位置不存在): nobody can stop publishing by posting one.
- No file pull writes grows past `PART_BYTES`: the next comment starts the next part
  (`HNMZ-T-0206-2026.2.yaml`), well within the loader's limit (`yamlsource.MAX_BYTES`),
  leaving room for staff's answers.

Appending text leaves every byte already in the file — staff's dispositions, comments,
order — as it was; the result must read back as the old comments followed by the new, else
the file is not touched. Files are replaced atomically (a temporary file beside it, then
rename); a full disk leaves nothing behind. Only comments whose file was written are marked
pulled, so a failure loses nothing: the next pull takes them again (and skips any id a file
already holds).
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from stdhub.feedback import store
from stdhub.feedback.dispositions import FOLDER, Entry, file_name
from stdhub.feedback.targets import GENERAL_TITLES, SITE_WIDE, Targets, anchors, dataset_names
from stdhub.personal import KIND_NAMES, redact
from stdhub.problems import Report
from stdhub.standards.model import Catalogue
from stdhub.yamlsource import MAX_BYTES, parse

PART_BYTES = MAX_BYTES // 2
"""A part of a feedback file takes no more comments once it holds this many bytes: half the
loader's limit, the other half for staff's reasons and changes."""

HEADER = """\
# 公众意见及处理情况（stdhub feedback pull 生成，新意见追加在末尾）。
# 请为每条意见填写：disposition 处理结果（采纳 / 部分采纳 / 不采纳 / 已答复）、
# reason 理由、change 修改情况、answered 答复日期（YYYY-MM-DD）；理由和修改情况将公开发布。
# 不要修改意见的 id、received 和 text；不要在 comments 之后再写其他键。
# not_found（位置不存在）：意见表所指的位置在本项目中不存在，意见按整体意见归档。
"""
PUBLIC = ("id", "received", "about", "version", "title", "anchor", "not_found", "text")
ANSWER = ("disposition", "reason", "change", "answered")


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
    """Multi-line text as a literal block (`|-`), as people write it, when it reads back
    the same; an empty value (None) as nothing after the colon."""

    quote_all = False


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if getattr(dumper, "quote_all", False):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value and _block_safe(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Quoted(_Dumper):
    quote_all = True


def _map(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.MappingNode:
    """A mapping with plain keys (ours, never quoted) and values as `_str` writes them."""
    pairs = [
        (dumper.represent_scalar("tag:yaml.org,2002:str", k), dumper.represent_data(v))
        for k, v in data.items()
    ]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


for _cls in (_Dumper, _Quoted):
    _cls.add_representer(str, _str)
    _cls.add_representer(dict, _map)
    _cls.add_representer(type(None), lambda d, _: d.represent_scalar("tag:yaml.org,2002:null", ""))

# what a literal block keeps as written: printable, no YAML 1.1 line breaks but LF
_UNSAFE_IN_BLOCK = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


def _block_safe(value: str) -> bool:
    return not _UNSAFE_IN_BLOCK.search(value) and not value.endswith((" ", "\n"))


def _dump(values: dict[str, Any], dumper: type[yaml.SafeDumper]) -> str:
    return yaml.dump(
        [values], Dumper=dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )


def entry_values(comment: store.Comment, not_found: str = "") -> tuple[dict[str, Any], int]:
    """What a comment's entry holds (its public part, screened; empty answer fields), and how
    many personal numbers were masked."""
    masked = 0
    values: dict[str, Any] = {}
    for key in PUBLIC:
        value = not_found if key == "not_found" else getattr(comment, key)
        if key not in ("id", "received") and value:
            value, n = mask_personal(value)
            masked += n
        if value or key == "text":
            values[key] = value
    values.update(dict.fromkeys(ANSWER))
    return values, masked


def entry_text(values: dict[str, Any], indent: int = 0) -> str:
    """One entry as a YAML sequence item (at `indent` spaces), checked to read back as
    `values` with the project's loader: double-quoted with escapes where a plainer style
    would not."""
    for dumper in (_Dumper, _Quoted):
        text = _dump(values, dumper)
        pad = " " * indent
        text = "".join(pad + line if line.strip() else line for line in text.splitlines(True))
        source = parse("comments:\n" + text, Report(), Path(), "")
        if source is not None and source.data.get("comments") == [values]:
            return text
    raise PullError(f"意见 {values.get('id')} 无法写成 YAML 后原样读回")  # pragma: no cover


_ITEM = re.compile(r"^( *)- ", re.M)
_EMPTY = re.compile(r"^comments:[ \t]*(\[\s*\])?[ \t]*$", re.M)


def new_file(about: str, title: str) -> str:
    """The start of a feedback file (or of a later part) about `about`: header, keys."""
    head = {"about": about, **({"title": title} if title else {})}
    text = yaml.dump(head, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + text + "comments:\n"


def append(
    path: Path, about: str, title: str, entries: list[dict[str, Any]], *, limit: int = PART_BYTES
) -> list[dict[str, Any]]:
    """Append to `path` (created if missing) as many of `entries` (`entry_values`) as fit
    within `limit` bytes (at least one into a new file), skipping ids it holds already;
    return those not taken. Raises PullError, file untouched, when the file cannot be read
    as a feedback file, would not read back as old + new, or cannot be written."""
    shown = f"{FOLDER}/{path.name}"
    if path.exists():
        try:
            old_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PullError(f"{shown}: 无法读取（{exc}）") from None
        old = _comments(old_text, path, shown)
    else:
        old_text, old = new_file(about, title), []
    m = _ITEM.search(old_text[old_text.find("\ncomments:") + 1 :] if old else "")
    indent = len(m.group(1)) if m else 0
    text = _EMPTY.sub("comments:", old_text) if not old else old_text
    if not text.endswith("\n"):
        text += "\n"
    size = len(text.encode())
    added: list[dict[str, Any]] = []
    rest: list[dict[str, Any]] = []
    for values in entries:
        if rest:
            rest.append(values)
            continue
        item = entry_text(values, indent)
        grown = size + len(item.encode())
        if grown > limit and (old or added):
            rest.append(values)
            continue
        text, size = text + item, grown
        added.append(values)
    if not added:
        return rest
    structure = PullError(
        f"{shown}: 无法在末尾追加意见（comments 不是文件的最后一个键，或不是块状列表）；"
        "把 comments 移到文件末尾、每条意见写作 `- id: …` 后重新运行 stdhub feedback pull"
        "（新意见仍在意见库中）"
    )
    try:
        after = _comments(text, path, shown)
    except PullError:
        raise structure from None
    if [c.get("id") for c in after] != [*(c.get("id") for c in old), *(v["id"] for v in added)]:
        raise structure
    write_atomic(path, text)
    return rest


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` through a temporary file beside it; on any failure (a
    full disk) the temporary file is removed and PullError says what happened in Chinese."""
    shown = f"{FOLDER}/{path.name}"
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # staff's own files
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise PullError(f"{shown}: {disk_message(exc)}") from None


def disk_message(exc: OSError | sqlite3.Error) -> str:
    """A Chinese sentence for a failed write (a full disk first of all)."""
    full = isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    if full or "full" in str(exc):
        return (
            "磁盘已满，未能写入；腾出磁盘空间后重新运行 stdhub feedback pull（新意见仍在意见库中）"
        )
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"无法写入（{why}）；解决后重新运行 stdhub feedback pull（新意见仍在意见库中）"


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


def _held(path: Path) -> set[str]:
    """The comment ids a file holds (none if it cannot be read: `append` will say why)."""
    try:
        comments = _comments(path.read_text(encoding="utf-8"), path, "")
    except (OSError, UnicodeDecodeError, PullError):
        return set()
    return {str(c.get("id")) for c in comments if isinstance(c, dict)}


def pull(project: Path, store_path: Path, catalogue: Catalogue | None = None) -> Pulled:
    """Write every comment waiting in the store at `store_path` into `project/feedback/`
    and mark those written as pulled. `catalogue` (the project's, `stdhub.project`; None when
    it has no standards: every comment filed as named) says which file a comment goes in;
    an unknown target goes in the site-wide file."""
    result = Pulled()
    if not store_path.exists():
        return result
    try:
        conn = store.connect(store_path)
    except (sqlite3.Error, OSError) as exc:  # not a database, not ours, a full disk
        result.failed[str(store_path)] = f"{store_path}: 无法打开意见库（{exc}）"
        return result
    try:
        waiting = store.waiting(conn)
        if not waiting:
            return result
        targets = _targets(project, catalogue)
        groups: dict[str, list[tuple[store.Comment, str]]] = defaultdict(list)
        for c in waiting:
            subject, c, not_found = _file_of(targets, c)
            groups[subject].append((c, not_found))
        for subject, comments in groups.items():
            _pull_one(project, targets, subject, comments, result, conn)
    finally:
        conn.close()
    return result


def _pull_one(
    project: Path,
    targets: Targets | None,
    subject: str,
    comments: list[tuple[store.Comment, str]],
    result: Pulled,
    conn: sqlite3.Connection,
) -> None:
    """File one subject's comments into its parts, then mark them pulled."""
    part, held = 1, set()
    while (project / FOLDER / file_name(subject, part + 1)).exists():
        held |= _held(project / FOLDER / file_name(subject, part))
        part += 1
    path = project / FOLDER / file_name(subject, part)
    held |= _held(path)
    entries, masked = [], 0
    for c, not_found in comments:
        if c.id not in held:
            values, n = entry_values(c, not_found)
            entries.append(values)
            masked += n
    title = _title(project, targets, subject)
    while entries:
        try:
            rest = append(path, subject, title, entries)
        except PullError as exc:
            result.failed[f"{FOLDER}/{path.name}"] = str(exc)
            return
        if len(rest) < len(entries):
            shown = f"{FOLDER}/{path.name}"
            result.written[shown] = result.written.get(shown, 0) + len(entries) - len(rest)
        entries = rest
        if entries:
            part += 1
            path = project / FOLDER / file_name(subject, part)
    result.masked += masked
    try:
        store.mark_pulled(conn, [c.id for c, _ in comments])
    except sqlite3.Error as exc:  # written, not marked: the next pull skips what files hold
        result.failed["store"] = f"意见库：{disk_message(exc)}"


def _file_of(targets: Targets | None, c: store.Comment) -> tuple[str, store.Comment, str]:
    """The subject whose file takes `c`, the comment as filed, and what it named that the
    project does not have ("" when everything exists)."""
    if targets is None:
        return c.about.split("/", 1)[0] or SITE_WIDE, c, ""
    subject = targets.subject(c.about)
    if subject is None:  # a hand-made form address, a page since removed
        named = c.about + (f"#{c.anchor}" if c.anchor else "")
        return SITE_WIDE, replace(c, about=SITE_WIDE, anchor=""), named
    std = targets.cat.standards.get(c.about)
    if std is not None and c.anchor and c.anchor not in anchors(std):
        return subject, replace(c, anchor=""), c.anchor
    return subject, c, ""


def _targets(project: Path, catalogue: Catalogue | None) -> Targets | None:
    if catalogue is None:  # a project without standards/: every comment is filed as named
        return None
    return Targets(catalogue, dataset_names(project / "datasets"))


def _title(project: Path, targets: Targets | None, subject: str) -> str:
    """The title of what a file is about, from the project: never from a form."""
    if targets is None:
        return GENERAL_TITLES.get(subject, "")
    return targets.title(subject, project / "datasets")


def waiting_entries(project: Path) -> tuple[list[Entry], Report]:
    """Every comment of `project/feedback/` without a disposition, oldest first, and the
    problems found reading the files (a file that fails its schema is left out)."""
    from stdhub.feedback.dispositions import load_feedback

    report = Report()
    feedback = load_feedback(project, report)
    entries = [e for f in feedback.files.values() for e in f.waiting]
    return sorted(entries, key=lambda e: (e.received, e.id)), report
