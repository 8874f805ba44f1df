"""The feedback files under `feedback/`: schema, names, targets, answers, personal data —
checked by `stdhub validate` on the shipped content and on small trees."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from stdhub.errors import BuildFailed
from stdhub.feedback.dispositions import Disposition, file_name
from stdhub.project import load_catalogue
from stdhub.validate import validate_all

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
TODAY = dt.date(2026, 11, 28)
W004 = TESTS / "cases" / "W004"  # HNMZ/T 0001-2024: in force, consulted, no outcome written
STD = "HNMZ/T 0001-2024"


def _tree(tmp_path: Path, comments: list[dict] | None, name: str = "HNMZ-T-0001-2024.yaml") -> Path:
    shutil.copytree(W004 / "standards", tmp_path / "standards")
    if comments is not None:
        (tmp_path / "feedback").mkdir()
        text = yaml.safe_dump(
            {"about": STD, "comments": comments}, allow_unicode=True, sort_keys=False
        )
        (tmp_path / "feedback" / name).write_text(text, encoding="utf-8")
    return tmp_path


def _comment(**over: object) -> dict:
    return {
        "id": "c-00000000000000a1",
        "received": "2023-10-12T02:00:00Z",
        "about": STD,
        "anchor": "clause-1",
        "text": "建议把适用范围写得更具体。",
        "disposition": "采纳",
        "reason": None,
        "change": "第 1 章已补充适用范围。",
        "answered": "2024-01-10",
        **over,
    }


def _codes(tmp_path: Path) -> list[str]:
    report = validate_all(tmp_path / "standards", today=TODAY)
    return sorted(p.code for p in report.problems)


def test_shipped_sample_is_a_closed_consultation_answered_in_full() -> None:
    report = validate_all(REPO / "standards", today=TODAY)
    assert report.ok, report.as_text()
    assert not [p for p in report.problems if p.file.startswith("feedback/")], report.as_text()
    catalogue, _ = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    files = catalogue.feedback.files
    assert files, "the shipped content has a feedback/ file"
    for about, f in files.items():
        std = catalogue.standards[about]
        assert std.dates.consultation_end and std.dates.consultation_end < TODAY
        assert len(f.answered) >= 5 and not f.waiting
        assert {e.disposition for e in f.entries} >= {Disposition.ADOPTED, Disposition.REJECTED}
        assert (REPO / "feedback" / file_name(about)).is_file()


def test_answers_on_record_stand_for_the_outcome_sentence(tmp_path: Path) -> None:
    """W004 (a standard in force without a published outcome) goes once its comments are
    answered in feedback/, and comes back when none is answered yet."""
    assert _codes(_tree(tmp_path / "none", None)) == ["W004"]
    assert _codes(_tree(tmp_path / "answered", [_comment()])) == []
    late = _comment(received="2024-06-01T00:00:00Z", disposition=None, change=None, answered=None)
    assert _codes(_tree(tmp_path / "waiting", [late])) == ["W004", "W008"]


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"disposition": "采用"}, "S004"),  # not one of the four
        ({"id": "42"}, "S006"),  # not an opaque id
        ({"name": "张某"}, "S001"),  # no name is ever kept
        ({"contact": "13812345678"}, "S001"),
        ({"answered": "2024-02-30"}, "S008"),
    ],
)
def test_schema_problems_are_reported_with_their_place(
    tmp_path: Path, over: dict, code: str
) -> None:
    tree = _tree(tmp_path, [_comment(**over)])
    report = validate_all(tree / "standards", today=TODAY)
    found = [p for p in report.problems if p.code == code]
    assert found, report.as_text()
    assert found[0].file == "feedback/HNMZ-T-0001-2024.yaml" and found[0].line > 1
    assert not report.ok


def test_a_file_named_for_something_else_is_refused(tmp_path: Path) -> None:
    tree = _tree(tmp_path, [_comment()], name="0001.yaml")
    report = validate_all(tree / "standards", today=TODAY)
    [problem] = [p for p in report.problems if p.code == "F003"]
    assert "HNMZ-T-0001-2024.yaml" in problem.message and "git mv" in problem.hint


def test_personal_data_in_a_comment_blocks_validate_and_build(tmp_path: Path) -> None:
    """A number typed into a feedback file by hand is caught in any field, and the build
    refuses to publish it (nothing reaches build/)."""
    tree = _tree(
        tmp_path,
        [_comment(text="我的电话 138-1234-5678，请回电", reason="已电话联系 430103199003071230")],
    )
    report = validate_all(tree / "standards", today=TODAY)
    assert {p.code for p in report.errors} == {"P001", "P002"}
    assert all("5678" not in p.message or "****" in p.message for p in report.errors)
    shutil.copytree(REPO / "docs", tree / "docs")
    shutil.copy(REPO / "mkdocs.yml", tree / "mkdocs.yml")
    from stdhub.build import build_all

    with pytest.raises(BuildFailed):
        build_all(tree, today=TODAY)
    assert not (tree / "build" / "site").exists()


def test_targets_are_checked_across_kinds(tmp_path: Path) -> None:
    """Comments on a list item, a code list, a dataset's row or the open-data search pass;
    an unknown one, a clause the standard lacks, a data element on a standard without it
    are reported with a hint."""
    tree = _tree(
        tmp_path,
        [
            _comment(id="c-00000000000000b1", about="ZC-001", anchor="ZC-001"),
            _comment(id="c-00000000000000b2", about="CL-XB", anchor=""),
            _comment(id="c-00000000000000b3", about="dibao/monthly/3", anchor=""),
            _comment(id="c-00000000000000b4", about="开放数据", anchor=""),
            _comment(id="c-00000000000000b7", about="网站", anchor=""),
            _comment(id="c-00000000000000b8", about="dibao/monthly", anchor="row-3"),
            _comment(id="c-00000000000000b5", about="ZC-01"),
            _comment(id="c-00000000000000b6", anchor="de-XB"),
        ],
    )
    data = tree / "datasets" / "dibao"
    data.mkdir(parents=True)
    (data / "datapackage.json").write_text('{"name": "dibao", "resources": []}')
    _, report = load_catalogue(tree / "standards", today=TODAY, base=tree)
    problems = {(p.code, p.path) for p in report.problems if p.file.startswith("feedback/")}
    assert problems == {("X021", "$.comments[6].about"), ("X022", "$.comments[7].anchor")}
    hint = next(p.hint for p in report.problems if p.code == "X021")
    assert "ZC-001" in hint


def test_a_consultation_comment_unanswered_after_the_close_is_an_error(tmp_path: Path) -> None:
    """During the consultation (2023-10-09 to 11-08) a waiting comment is fine; afterwards
    it is X023 — an error, so the build publishes no half-answered consultation."""
    waiting = _comment(disposition=None, change=None, answered=None)
    tree = _tree(tmp_path, [waiting])
    std = tree / "standards" / "management" / "HNMZ-T-0001-2024.yaml"
    text = std.read_text(encoding="utf-8")
    for line in ("  issued: 2024-01-10\n", "  effective: 2024-03-01\n"):
        text = text.replace(line, "")
    text = text.split("  - {date: 2023-11-08", 1)[0].replace("status: 现行", "status: 征求意见")
    std.write_text(text, encoding="utf-8")
    during = validate_all(tree / "standards", today=dt.date(2023, 10, 20))
    mine = "feedback/HNMZ-T-0001-2024.yaml"
    assert not [p for p in during.problems if p.file == mine], during.as_text()
    after = validate_all(tree / "standards", today=dt.date(2023, 11, 9))
    assert [p.code for p in after.errors if p.file == mine] == ["X023"], after.as_text()


def test_review_command_lists_the_shipped_standards_due() -> None:
    """`stdhub feedback review`: CSV of the department's standards due; the shipped 复审
    of HNMZ/T 0005-2021 (2026-09-18) restarts its five years."""
    import csv
    import io
    import json

    from click.testing import CliRunner

    from stdhub.cli import cli

    args = ["feedback", "review", "--project", str(REPO), "--today", "2026-11-28"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all(r["due"] == "是" and r["reasons"] for r in rows)
    assert all(not r["id"].startswith("GB") for r in rows)  # national standards: not ours
    every = json.loads(CliRunner().invoke(cli, [*args, "--all", "--format", "json"]).output)
    reviewed = next(s for s in every["standards"] if s["id"] == "HNMZ/T 0005-2021")
    assert reviewed["last_review"] == "2026-09-18" and reviewed["due"] is False
    assert reviewed["next_due"] == "2031-09-18"


def test_a_new_disposition_makes_serve_rebuild(tmp_path: Path) -> None:
    """`stdhub serve` rebuilds when feedback/ changes, so an answer shows without a build."""
    import os

    from stdhub.config import Config
    from stdhub.serve import fingerprint

    tree = _tree(tmp_path, [_comment()])
    before = fingerprint(tree, Config(), TODAY)
    path = tree / "feedback" / "HNMZ-T-0001-2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("采纳", "已答复"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert fingerprint(tree, Config(), TODAY) != before


def test_comments_may_name_a_dataset_of_the_folder_validate_is_given(tmp_path: Path) -> None:
    """`validate --datasets other/`: a comment on a dataset in `other/` names something that
    exists; one on a dataset only in `datasets/` (not the folder given) does not (X021)."""
    tree = _tree(
        tmp_path,
        [
            _comment(id="c-00000000000000c1", about="dibao/monthly", anchor=""),
            _comment(id="c-00000000000000c2", about="tekun/monthly", anchor=""),
        ],
    )
    for folder, name in (("other", "dibao"), ("datasets", "tekun")):
        (tree / folder / name).mkdir(parents=True)
        (tree / folder / name / "datapackage.json").write_text(f'{{"name": "{name}"}}')
    _, report = load_catalogue(tree / "standards", today=TODAY, base=tree, datasets=tree / "other")
    problems = {(p.code, p.path) for p in report.problems if p.file.startswith("feedback/")}
    assert problems == {("X021", "$.comments[1].about")}
