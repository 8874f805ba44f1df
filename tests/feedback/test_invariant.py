"""The invariant of public input: whatever the service accepts, `stdhub feedback pull` files
so that the next validate and build pass, and the published text is the accepted text.

Comments go through the real service (uvicorn, its real form and token), the real store,
the real `stdhub feedback pull`, `validate_all` and `build_all` (MkDocs). Hypothesis picks
any Unicode for every field and any target; a build is expensive, so every example's
comments are kept and built once at the end.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections import Counter
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner
from fb_helpers import form_fields, running, w004_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdhub.build import build_all
from stdhub.cli import cli
from stdhub.feedback import form, service, store
from stdhub.feedback.dispositions import FOLDER
from stdhub.feedback.pull import PART_BYTES
from stdhub.feedback.targets import GENERAL_TITLES
from stdhub.site.render import lines
from stdhub.validate import validate_all
from stdhub.yamlsource import MAX_BYTES

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
TODAY = "2026-11-28"
STD = "HNMZ/T 0001-2024"  # in tests/cases/W004, with clause 1

# characters that broke YAML, its readers or the file's header before
AWKWARD = [
    "\x85", "\u2028", "\u2029", "\ufeff", "\x7f", "\x9b", "\u202e", "\u200b", "\ufffe",
    "\uffff", "\U0001f600", "\xa0", "\t", "\n", "\r\n", "\r", ": null", "null", "~", "---",
    "...", "# ", "- ", "? ", "|", ">", "'", '"', "\\", "&a", "*a", "!!str", "%YAML", "@", "`",
    "{{ 7*7 }}", "<b>", "&amp;", "**粗**", "[x](javascript:alert(1))", "中文", " ",
]  # fmt: skip


def text(min_size: int = 0, max_size: int = 60) -> st.SearchStrategy[str]:
    """Any Unicode (no lone surrogates: a browser cannot send them), awkward pieces mixed in."""
    piece = st.one_of(st.characters(codec="utf-8"), st.sampled_from(AWKWARD))
    return st.lists(piece, min_size=min_size, max_size=max_size).map("".join)


anything = text()
targets = st.one_of(
    st.fixed_dictionaries({"id": st.just(STD), "anchor": st.one_of(st.just("clause-1"), anything)}),
    st.fixed_dictionaries({"id": st.sampled_from(["网站", "开放数据", "ZC-001", "CL-XB"])}),
    st.fixed_dictionaries({"id": anything, "anchor": anything}),  # anything at all
)
comments = st.lists(
    st.tuples(
        targets,
        st.fixed_dictionaries({"title": anything, "version": anything, "url": anything}),
        text(min_size=1, max_size=300),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("invariant")
    w004_project(root)
    return root


def accepted_text(text: str) -> str:
    """The documented normalisation (`form.clean`): CR LF to LF, other controls out,
    white space at both ends stripped."""
    return form.clean(text, multiline=True).strip()


def filed(project: Path) -> list[dict]:
    """Every comment of every feedback file, read as the loader reads them."""
    out = []
    for path in sorted((project / FOLDER).glob("*.yaml")):
        assert path.stat().st_size <= PART_BYTES, path
        out += yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["comments"]
    return out


def test_whatever_the_service_accepts_is_filed_validated_built_and_published_as_accepted(
    project: Path,
) -> None:
    accepted: dict[str, str] = {}  # comment id -> its accepted text, over every example
    runner = CliRunner()
    with running(project, service.Limits.lifted()) as svc, httpx.Client(timeout=20) as client:

        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(comments)
        def one_pull(batch: list) -> None:
            mine = {}
            for target, more, text in batch:
                page = client.get(svc.base + "new", params={**target, **more})
                if page.status_code != 200:  # a link that is not ours (too long, personal data)
                    assert page.status_code == 400, page.text
                    continue
                fields = {**form_fields(page.text), "text": text}
                answer = client.post(svc.base + "new", data=fields)
                if answer.status_code == 200:
                    ident = re.search(r"c-[0-9a-f]{16}", answer.text)
                    assert ident is not None
                    mine[ident.group(0)] = accepted[ident.group(0)] = accepted_text(text)
                else:  # refused: empty, personal data, a duplicate; never a server error
                    assert answer.status_code in (400, 409), answer.text
            result = runner.invoke(cli, ["feedback", "pull", "--project", str(project)])
            assert result.exit_code == 0, result.output
            held = filed(project)
            counts = Counter(c["id"] for c in held)
            assert all(counts[i] == 1 for i in accepted)  # nothing lost, nothing doubled
            assert len(held) == len(accepted)
            texts = {c["id"]: c["text"] for c in held}
            assert {i: texts[i] for i in mine} == mine  # filed as accepted
            report = validate_all(project / "standards")
            assert report.ok, report.as_text()
            # only W015 (位置不存在: what staff see of a comment that named nothing real)
            assert {p.code for p in report.problems if p.file.startswith(FOLDER)} <= {"W015"}

        one_pull()
    assert accepted  # the examples were not all refused

    # staff answer everything; one build publishes every text as accepted
    for path in (project / FOLDER).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^  disposition:$", "  disposition: 已答复", text, flags=re.M)
        text = re.sub(r"^  reason:$", "  reason: 已收到，谢谢。", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        if data["about"] in GENERAL_TITLES:
            assert data["title"] == GENERAL_TITLES[data["about"]]  # from the project
    build_all(project, today=dt.date.fromisoformat(TODAY))
    pages = "".join(
        p.read_text(encoding="utf-8")
        for p in (project / "build" / "site" / "consultations").rglob("index.html")
    )
    for ident, text in accepted.items():
        row = pages.split(f'<tr id="{ident}">', 1)
        assert len(row) == 2, ident
        cell = row[1].split("</td>", 1)[0].split("</span><br>", 1)[1]
        assert cell == str(lines(text))  # the one escaping the page uses …
        assert html.unescape(cell.replace("<br>", "\n")) == text  # … and what a reader sees


def test_two_hundred_long_comments_on_one_target_stay_within_limits(tmp_path: Path) -> None:
    """180 comments of 2,000 characters made one 1.14 MB file (F002): now parts."""
    shutil.copytree(TESTS / "cases" / "W004" / "standards", tmp_path / "standards")
    with running(tmp_path, service.Limits.lifted()) as svc, httpx.Client(timeout=20) as client:
        for i in range(200):
            page = client.get(svc.base + "new", params={"id": "网站", "anchor": f"a-{i}"})
            body = f"{i:03d}" + "长意见\u2028" * 400
            fields = {**form_fields(page.text), "text": body[: service.Limits().max_text]}
            assert client.post(svc.base + "new", data=fields).status_code == 200
    result = CliRunner().invoke(cli, ["feedback", "pull", "--project", str(tmp_path)])
    assert result.exit_code == 0, result.output
    parts = sorted((tmp_path / FOLDER).glob("*.yaml"))
    assert len(parts) >= 2 and all(p.stat().st_size <= PART_BYTES < MAX_BYTES for p in parts)
    assert len(filed(tmp_path)) == 200
    report = validate_all(tmp_path / "standards")
    assert report.ok, report.as_text()
    assert not [p for p in report.problems if p.file.startswith(FOLDER)], report.as_text()
    conn = store.connect(tmp_path / store.DEFAULT_PATH)
    assert store.waiting(conn) == []
    conn.close()
