"""`stdhub feedback pull` and `stdhub feedback list`: comments out of the real store into
the YAML files staff answer, public part only, personal data masked, staff edits kept."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from stdhub.cli import cli
from stdhub.feedback import store
from stdhub.feedback.pull import mask_personal, pull
from stdhub.feedback.targets import GENERAL_TITLES
from stdhub.personal import find_all
from stdhub.validate import validate_all

TESTS = Path(__file__).resolve().parents[1]
VALID = TESTS / "cases" / "W004"  # a standard in force whose consultation closed in 2023
# the failing inputs found by trying the product, copied into the repository (README there)
FIXTURE_CASES = TESTS / "fixtures" / "cases"
STD = "HNMZ/T 0001-2024"
FILE = "feedback/HNMZ-T-0001-2024.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The W004 tree, a dataset folder and a store with comments on each kind of target."""
    shutil.copytree(VALID / "standards", tmp_path / "standards")
    data = tmp_path / "datasets" / "dibao-monthly"
    data.mkdir(parents=True)
    (data / "datapackage.yaml").write_text("name: dibao-monthly\nresources: []\n")
    return tmp_path


def _store(project: Path):
    return store.connect(project / store.DEFAULT_PATH)


def _pull(project: Path, *args: str):
    return CliRunner().invoke(cli, ["feedback", "pull", "--project", str(project), *args])


def test_pull_writes_public_part_per_target_and_marks_pulled(project: Path) -> None:
    conn = _store(project)
    on_clause = store.add(
        conn,
        about=STD,
        version="2024",
        title="示例管理标准",
        anchor="clause-1",
        page="http://x/standards/HNMZ-T-0001-2024/",
        text="第 1 章的适用范围\n写得不够清楚。",
        name="张某某",
        contact="zhang@example.org",
        client="hash-of-address",
        received="2026-11-20T01:00:00Z",
    )
    on_table = store.add(
        conn,
        about="dibao-monthly/monthly/17",
        title="低保月报 · 月度表 · 第 17 条",
        text="这一行的人数和上月差别很大，请核实。",
        received="2026-11-21T02:00:00Z",
    )
    on_item = store.add(conn, about="ZC-001", title="示例条例", text="条例已修订，请更新。")
    result = _pull(project)
    assert result.exit_code == 0, result.output
    assert "feedback/HNMZ-T-0001-2024.yaml: 新增意见 1 条" in result.output

    std_file = (project / FILE).read_text(encoding="utf-8")
    for private in ("张某某", "zhang@example.org", "hash-of-address", "http://x/"):
        assert private not in std_file
    data = yaml.safe_load(std_file)
    assert data["about"] == STD and data["title"] == "示例管理标准"
    [entry] = data["comments"]
    assert entry["id"] == on_clause.id and entry["received"] == "2026-11-20T01:00:00Z"
    assert entry["anchor"] == "clause-1" and entry["version"] == "2024"
    assert entry["text"] == "第 1 章的适用范围\n写得不够清楚。"
    assert entry["disposition"] is None and "reason" in entry and "change" in entry
    # a dataset's table or row goes to the dataset's file, a list item to its list's
    data_file = yaml.safe_load((project / "feedback/dibao-monthly.yaml").read_text())
    assert [c["id"] for c in data_file["comments"]] == [on_table.id]
    assert data_file["comments"][0]["about"] == "dibao-monthly/monthly/17"
    list_file = yaml.safe_load((project / "feedback/policies.yaml").read_text())
    assert [c["id"] for c in list_file["comments"]] == [on_item.id]

    assert store.waiting(conn) == []
    again = _pull(project)
    assert again.exit_code == 0 and "没有新意见" in again.output
    # what pull wrote passes validate (schema, targets, no personal data)
    report = validate_all(project / "standards")
    assert not [p for p in report.problems if p.file.startswith("feedback/")], report.as_text()


def test_staff_edits_survive_a_second_pull(project: Path) -> None:
    conn = _store(project)
    first = store.add(
        conn, about=STD, anchor="clause-1", text="意见一", received="2026-11-01T00:00:00Z"
    )
    assert _pull(project).exit_code == 0
    path = project / FILE
    text = path.read_text(encoding="utf-8")
    # staff answer it, with a comment line of their own
    edited = text.replace(
        "  disposition:\n  reason:\n  change:\n",
        "  # 经 11 月 25 日标准化工作组会议研究\n"
        "  disposition: 不采纳\n  reason: 适用范围已在第 1 章写明。\n  change:\n",
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    second = store.add(conn, about=STD, text="意见二\n第二行", received="2026-11-26T00:00:00Z")
    result = _pull(project)
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(edited)  # every byte staff wrote, in place
    comments = yaml.safe_load(after)["comments"]
    assert [c["id"] for c in comments] == [first.id, second.id]
    assert comments[0]["disposition"] == "不采纳"
    assert comments[1]["text"] == "意见二\n第二行"


def test_indented_list_is_appended_at_its_indentation(project: Path) -> None:
    conn = _store(project)
    path = project / FILE
    path.parent.mkdir()
    path.write_text(
        f"about: {STD}\ncomments:\n  - id: c-00000000000000a1\n"
        "    received: '2026-11-01T00:00:00Z'\n"
        f"    about: {STD}\n    text: 旧意见\n",
        encoding="utf-8",
    )
    new = store.add(conn, about=STD, text="新意见")
    assert _pull(project).exit_code == 0
    ids = [c["id"] for c in yaml.safe_load(path.read_text())["comments"]]
    assert ids == ["c-00000000000000a1", new.id]


def test_a_file_that_cannot_take_comments_is_left_alone_and_nothing_is_lost(
    project: Path,
) -> None:
    conn = _store(project)
    path = project / FILE
    path.parent.mkdir()
    broken = f"about: {STD}\ncomments:\n- id: c-00000000000000a1\n  received: '2026-11-01T00:00:00Z'\n  about: {STD}\n  text: 旧\ntitle: 写在 comments 之后\n"
    path.write_text(broken, encoding="utf-8")
    stuck = store.add(conn, about=STD, text="等待的意见")
    other = store.add(conn, about="dibao-monthly", text="数据集的意见")
    result = _pull(project)
    assert result.exit_code == 1
    assert "feedback/HNMZ-T-0001-2024.yaml" in result.output and "comments" in result.output
    assert "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == broken
    assert [c.id for c in store.waiting(conn)] == [stuck.id]  # still in the store
    assert other.id in (project / "feedback/dibao-monthly.yaml").read_text()


def test_a_comment_already_written_is_not_written_twice(project: Path) -> None:
    """A pull that wrote the file but died before marking: the next one does not duplicate."""
    conn = _store(project)
    c = store.add(conn, about=STD, text="只写一次")
    assert _pull(project).exit_code == 0
    conn.execute("UPDATE comments SET pulled = NULL")
    assert _pull(project).exit_code == 0
    assert (project / FILE).read_text().count(c.id) == 1
    assert store.waiting(conn) == []


def test_personal_data_is_masked_before_it_is_written(project: Path) -> None:
    """Every spelling of the shared case `personal-id-formats` (old 15-digit IDs, spaces,
    hyphens, full-width digits and Ｘ, mobiles) is masked in the comment text."""
    notes = FIXTURE_CASES / "personal-id-formats" / "datasets" / "bh-pfmt" / "data" / "notes.csv"
    with notes.open(encoding="utf-8") as f:
        remarks = [row["remark"] for row in csv.DictReader(f)]
    assert remarks and all(find_all(r) for r in remarks)
    conn = _store(project)
    for i, remark in enumerate(remarks):
        store.add(
            conn,
            about=STD,
            text=f"意见：{remark}，请核实",
            received=f"2026-11-0{1 + i % 9}T00:00:00Z",
        )
    result = _pull(project)
    assert result.exit_code == 0 and "已隐去个人信息" in result.output
    written = (project / FILE).read_text(encoding="utf-8")
    assert find_all(written) == []
    assert written.count("〔已隐去") >= len(remarks)
    report = validate_all(project / "standards")
    assert not [p for p in report.problems if p.code.startswith("P")], report.as_text()


def test_mask_leaves_clean_text_as_it_is() -> None:
    text = "服务热线 0731-85270514-8476，第 5.4 条的 30 日太短。"
    assert mask_personal(text) == (text, 0)
    masked, n = mask_personal("我的电话 138 1234 5678，身份证 430103199003071230")
    assert n == 2 and "〔已隐去手机号码〕" in masked and "〔已隐去公民身份号码〕" in masked


def test_list_shows_waiting_oldest_first(project: Path) -> None:
    conn = _store(project)
    late = store.add(conn, about=STD, text="后来的意见", received="2026-11-20T00:00:00Z")
    early = store.add(
        conn, about="dibao-monthly", text="早来的意见", received="2026-10-01T00:00:00Z"
    )
    answered = store.add(conn, about=STD, text="已答复的意见", received="2026-09-01T00:00:00Z")
    assert _pull(project).exit_code == 0
    path = project / FILE
    text = path.read_text(encoding="utf-8")
    block = text[text.index(f"- id: {answered.id}") :]
    path.write_text(
        text.replace(
            block,
            block.replace(
                "  disposition:\n  reason:\n", "  disposition: 已答复\n  reason: 见第 1 章。\n", 1
            ),
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["feedback", "list", "--project", str(project)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("20")]
    assert [line.split("\t")[2] for line in lines] == [early.id, late.id]
    assert "待处理意见 2 条" in result.output
    # `stdhub feedback` alone lists too (in the current folder)
    plain = CliRunner().invoke(cli, ["feedback"], catch_exceptions=False)
    assert plain.exit_code == 0 and "待处理意见" in plain.output


def test_pull_without_a_store_says_so(project: Path) -> None:
    result = _pull(project, "--store", str(project / "none.sqlite3"))
    assert result.exit_code == 0 and "没有新意见" in result.output
    assert not (project / "none.sqlite3").exists()
    assert not (project / "feedback").exists()
    assert pull(project, project / "none.sqlite3").total == 0


def test_a_comment_about_nothing_known_joins_the_site_wide_file(project: Path) -> None:
    """Anyone can post a form with a made-up id: it must not stop validate (X021)."""
    conn = _store(project)
    made_up = store.add(conn, about="HNMZ/T 9999-2099", anchor="clause-9", text="随便写的。")
    assert _pull(project).exit_code == 0
    site = yaml.safe_load((project / "feedback" / "网站.yaml").read_text(encoding="utf-8"))
    [entry] = site["comments"]
    assert entry["id"] == made_up.id and entry["about"] == "网站"
    assert entry["not_found"] == "HNMZ/T 9999-2099#clause-9" and entry["text"] == "随便写的。"
    assert "anchor" not in entry and site["title"] == GENERAL_TITLES["网站"]
    report = validate_all(project / "standards")
    problems = [p for p in report.problems if p.file.startswith("feedback/")]
    assert [p.code for p in problems] == ["W015"], report.as_text()  # 位置不存在


def test_a_full_disk_gives_a_chinese_message_and_leaves_nothing_behind(project: Path) -> None:
    """`feedback/` on a real 8 KB tmpfs (a mount namespace of its own): the pull fails with
    a message, no temporary file is left, and every comment stays in the store."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("util-linux unshare is not installed")
    conn = _store(project)
    for i in range(3):
        store.add(conn, about=STD, text=f"第 {i} 条" + "很长的意见" * 400)
    folder = project / "feedback"
    folder.mkdir()
    script = (
        f'mount -t tmpfs -o size=8k tmpfs "{folder}" || exit 99; '
        f'"{sys.executable}" -m stdhub feedback pull --project "{project}"; echo "rc=$?"; '
        f'ls -A "{folder}"'
    )
    done = subprocess.run(
        [unshare, "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode == 99 or "unshare:" in done.stderr:
        pytest.skip(f"no mount namespace here: {done.stderr[-300:]}")
    lines = done.stdout.strip().splitlines()
    assert lines == ["rc=1"], done.stdout  # exit 1, and nothing in the folder after it
    assert "磁盘已满" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "feedback/HNMZ-T-0001-2024.yaml" in done.stderr
    assert len(store.waiting(conn)) == 3  # nothing lost: the next pull takes them
