"""A new division edition is data: case `divisions-new-edition` through the steps of
docs/divisions-editions.md, with no code edit, and what validate says at each step."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stdhub.cli import cli

REPO = Path(__file__).resolve().parents[1]
CASE = Path(__file__).parent / "fixtures/cases/divisions-new-edition"
FOLDER = "scripts/data/divisions-hunan"
CROSSWALK = "standards/crosswalks/CW-HNMZ-0101.yaml"


def _project(tmp_path: Path) -> Path:
    """A copy of the repository's standards and editions with the case laid over it (its
    only dataset is the case's village roster, to keep the run short)."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "standards", project / "standards")
    shutil.copytree(REPO / FOLDER, project / FOLDER)
    (project / "datasets").mkdir()
    shutil.copytree(CASE, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    return project


def _run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _validate(project: Path) -> tuple[int, str]:
    return _run(
        project,
        "validate",
        "--root",
        str(project / "standards"),
        "--datasets",
        str(project / "datasets"),
        "--today",
        "2026-12-06",
    )


def _codes(output: str) -> list[str]:
    return re.findall(r":\d+:\d+: ([A-Z]\d{3}) ", output.split("警告 warnings:")[0])


def _add_edition_file(project: Path) -> None:
    """Step 1: the bureau's file goes into the editions folder (the case writes it)."""
    subprocess.run(
        [sys.executable, "scripts/make_2024_edition.py"], cwd=project, check=True, timeout=120
    )
    assert (project / FOLDER / "nbs-2024-hunan-levels-1-5.csv").is_file()


def _apply_the_merger_hint(project: Path, output: str) -> None:
    """Do what X018's hint says, literally: add its `new:` line to the merger's entry."""
    hint = next(line for line in output.splitlines() if " X018 " in line)
    added = re.search(r"加一行 (new: \[.*?\}\])", hint)
    assert added is not None, hint
    path = project / CROSSWALK
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = int(hint.split(":")[1])  # the entry's `kind:` line
    assert lines[at - 1].strip() == "kind: 合并" and lines[at].strip().startswith("old:")
    lines.insert(at + 1, f"    {added[1]}\n")
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def stepped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Every step of the handbook, with what validate said after it."""
    project = _project(tmp_path_factory.mktemp("edition"))
    _add_edition_file(project)
    said = {"added": _validate(project)}
    _apply_the_merger_hint(project, said["added"][1])
    said["fixed"] = _validate(project)
    said["generate"] = _run(project, "divisions", "generate", "--project", str(project))
    said["generated"] = _validate(project)
    # the data officer follows each D025 (the split: the part the village went to) and
    # drops the row whose code never existed (D013)
    rows = project / "datasets/village-roster/data/villages.csv"
    text = rows.read_text(encoding="utf-8")
    text = text.replace(
        "431126001201,隔洞村委会,431126001,", "431126001212,西隔洞村委会,431126001,"
    )
    text = text.replace(
        "431126003001,舜源社区居委会,431126003,", "431126003001,舜源社区居委会,431126002,"
    )
    rows.write_text("".join(text.splitlines(keepends=True)[:-1]), encoding="utf-8")
    said["followed"] = _validate(project)
    return said


def test_before_regenerating_one_message_says_what_to_run(stepped) -> None:
    code, output = stepped["added"]
    assert code == 1
    found = _codes(output)
    assert "X015" not in found, output  # not thousands of "record the abolition of 湖南省"
    assert found.count("X016") == 1
    stale = next(line for line in output.splitlines() if " X016 " in line)
    assert "版次 2024 的代码尚未写入代码集" in stale and "运行 stdhub divisions generate" in stale
    # the merger written as a note cannot name its successor: one message at that entry
    merger = next(line for line in output.splitlines() if " X018 " in line)
    assert merger.startswith(f"{CROSSWALK}:342:") and "“合并”没有写并入哪个区划（new）" in merger
    # its hint quotes the surviving township the note names, as written
    assert 'new: [{code: "431126002", name: 舜陵街道}]' in merger


def test_the_merger_fixed_as_its_hint_says_leaves_only_what_to_run(stepped) -> None:
    code, output = stepped["fixed"]
    assert code == 1
    assert {c for c in _codes(output) if c.startswith("X")} == {"X016"}, output


def test_generate_writes_the_library_with_the_new_edition(stepped) -> None:
    code, output = stepped["generate"]
    assert code == 0, output
    assert "standards/codelists/CL-HNMZ-0108.csv" in output
    assert "按层级 1–5：[1, 14, 154, 2019, 29501]" in output  # two villages added by the split


def test_after_generating_the_old_codes_of_2025_name_every_successor(stepped) -> None:
    code, output = stepped["generated"]
    assert code == 1
    assert not [c for c in _codes(output) if c.startswith("X")], output
    assert (
        "villages.csv:2:1: D025 village_code: 431126001201 隔洞村委会已于 2024 年拆分，"
        "请按本行所在地域改用 431126001211 东隔洞村委会或 431126001212 西隔洞村委会"
        "（停用日期 2024-05-10，" in output
    ), output
    assert (
        "villages.csv:4:3: D025 township_code: 431126003 桐山街道已于 2024 年合并，"
        "请改用 431126002 舜陵街道（停用日期 2024-04-01，" in output
    )
    # the new village code of 2024 is right in 2025; the unknown 宁乡县 village is D013
    assert "villages.csv:3:" not in output
    assert "villages.csv:5:1: D013 village_code" in output
    assert _codes(output).count("D025") == 2


def test_the_library_carries_the_rename_and_the_surviving_township(tmp_path: Path) -> None:
    from stdhub.divisionlib import generate

    project = _project(tmp_path)
    _add_edition_file(project)
    shutil.move(
        project / "standards/crosswalks/CW-HNMZ-0101-merge-with-successor.yaml.txt",
        project / CROSSWALK,
    )
    _, divisions = generate(project)
    county, kept = divisions["431126"], divisions["431126002"]
    assert (county.name, county.editions, county.valid_until) == (
        "九嶷县",
        ["2021", "2023", "2024"],
        "",
    )
    assert (kept.valid_from, kept.valid_until, kept.editions) == ("", "", ["2021", "2023", "2024"])
    merged = divisions["431126003"]
    assert (merged.valid_until, merged.reason, merged.successors) == (
        "2024-04-01",
        "合并",
        ["431126002"],
    )
    split = divisions["431126001201"]
    assert split.successors == ["431126001211", "431126001212"]
    assert divisions["431126001211"].valid_from == "2024-05-10"
    # a village moved to the surviving township keeps its code under its new parent
    assert divisions["431126003001"].parent == "431126002"


def test_a_file_without_its_edition_is_one_message(tmp_path: Path) -> None:
    project = _project(tmp_path)
    shutil.copy(REPO / CROSSWALK, project / CROSSWALK)  # the 2024 edition not listed
    (project / "standards/crosswalks/CW-HNMZ-0101-merge-with-successor.yaml.txt").unlink()
    _add_edition_file(project)
    code, output = _validate(project)
    assert code == 1
    assert [c for c in _codes(output) if c.startswith("X")] == ["X017"], output
    assert "nbs-2024-hunan-levels-1-5.csv 不属于 editions 中的任何版次" in output


def test_an_edition_without_its_file_is_one_message(tmp_path: Path) -> None:
    project = _project(tmp_path)  # the case lists 2024, its file is not there yet
    code, output = _validate(project)
    assert code == 1
    assert [c for c in _codes(output) if c.startswith("X")] == ["X017", "X018"], output
    assert "版次 2024 没有文件" in output
    code, output = _run(project, "divisions", "generate", "--project", str(project))
    assert code == 1 and "版次 2024 没有文件" in output


def test_the_handbook_names_each_code_with_its_catalogue_title() -> None:
    from stdhub.codes import CODES

    page = (REPO / "docs/divisions-editions.md").read_text(encoding="utf-8")
    for code in ("X015", "X016", "X017", "X018", "X019", "D025"):
        assert f"| {code} | {CODES[code].title}" in page, code
    for command in ("stdhub divisions generate", "stdhub divisions diff", "stdhub validate"):
        assert command in page


def test_diff_against_an_edition_with_villages_drafts_the_merger_and_the_split(
    tmp_path: Path,
) -> None:
    import yaml

    project = _project(tmp_path)
    _add_edition_file(project)
    folder = project / FOLDER
    code, output = _run(
        project,
        "divisions",
        "diff",
        str(folder / "nbs-2023-hunan-levels-1-4.csv"),
        str(folder / "nbs-2024-hunan-levels-1-5.csv"),
    )
    assert code == 0
    assert "# 只比较两版都有的层级：省级、地级、县级、乡级" in output
    assert "# 村级只在 nbs-2024-hunan-levels-1-5.csv 中，未比较" in output
    assert "431126001201" not in output  # villages not compared: not 29,000 "added"
    code, output = _run(
        project,
        "divisions",
        "diff",
        str(folder / "nbs-2021-hunan-levels-1-5.csv"),
        str(folder / "nbs-2024-hunan-levels-1-5.csv"),
        "--date",
        "2024-06-30",
    )
    assert code == 0 and "村级（levels compared: [1, 2, 3, 4, 5]）" in output
    by_old = {e["old"][0]["code"]: e for e in yaml.safe_load(output)["changes"] if "old" in e}
    assert by_old["431126003"]["kind"] == "合并"
    assert by_old["431126003"]["new"] == [{"code": "431126002", "name": "舜陵街道"}]
    assert by_old["431126001201"]["kind"] == "拆分"
    assert [s["code"] for s in by_old["431126001201"]["new"]] == ["431126001211", "431126001212"]
    assert by_old["431126"] == {**by_old["431126"], "kind": "更名"}


def test_following_the_d025_messages_validates(stepped) -> None:
    code, output = stepped["followed"]
    assert code == 0, output
    assert "D025" not in output and "D013" not in output
