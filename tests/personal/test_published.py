"""The build's last check over every published text (`stdhub.personal.published`): on a
staged folder of planted files, and through `stdhub build` with a number that no earlier
check reads (the site's `copyright` in mkdocs.yml)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stdhub.cli import cli
from stdhub.personal.published import page_text, screen_published
from stdhub.problems import Report

ROOT = Path(__file__).resolve().parents[2]
MOBILE = "138 1234 5678"


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_pages_by_their_text_other_files_whole_one_problem_per_number(tmp_path: Path) -> None:
    page = (
        "<html>\n<head><style>.a{x:1}</style></head>\n<body>\n<p>值班电话</p>\n<p>{}</p>\n</body>"
    )
    _write(tmp_path, "site/a/index.html", page.replace("{}", MOBILE))
    _write(tmp_path, "site/b/index.html", page.replace("{}", f"电话：{MOBILE}"))
    _write(tmp_path, "datasette/metadata.json", '{"about": "证件 110105 19491231 002X"}')
    quiet = [  # code, drawings, the theme and the data downloads are not read here
        (
            "site/c/index.html",
            f"<p>x</p><script>var n = '{MOBILE}'</script><svg><text>{MOBILE}</text></svg>",
        ),
        ("site/assets/javascripts/bundle.js", f"var n='{MOBILE}'"),
        ("site/opendata/d/downloads/t.csv", f"phone\n{MOBILE}\n"),
        ("site/d/index.html", "<p>经度 113.13412345679，信用代码 52430528049746507N</p>"),
    ]
    for rel, text in quiet:
        _write(tmp_path, rel, text)
    report = Report()
    screen_published(tmp_path, report)
    problems = sorted(report.problems, key=lambda p: p.code)
    assert [p.code for p in problems] == ["P001", "P002"]
    ident, mobile = problems
    assert ident.file == "build/datasette/metadata.json" and ident.line == 1
    assert mobile.file == "build/site/a/index.html" and mobile.line == 5
    assert "共 2 个文件" in mobile.message and "site/b/index.html" in mobile.message
    assert "138****5678" in mobile.message and MOBILE not in mobile.message
    report = Report()
    screen_published(tmp_path, report, permits=lambda hit: hit.kind == "P002")
    assert [p.code for p in report.problems] == ["P001"]
    _write(tmp_path, "site/opendata/13912345678/index.html", "<p>名单</p>")  # a name
    report = Report()
    screen_published(tmp_path, report, permits=lambda hit: hit.number == "13812345678")
    names = [p for p in report.problems if p.code == "P002"]
    assert len(names) == 1 and names[0].file == "build/site/opendata/13912345678", names


def test_a_page_reads_as_its_text() -> None:
    assert (
        page_text("<p>电话<b>138</b>1234<i>5678</i></p><p>2024</p>")
        == "\n电话13812345678\n\n2024\n"
    )


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("published")
    shutil.copytree(ROOT / "standards", root / "standards")
    shutil.copytree(ROOT / "docs", root / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(ROOT / rel))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(root), "--today", "2026-12-06"])
    assert result.exit_code == 0, result.output  # the shipped content: nothing found
    return root


def test_a_number_that_slipped_through_stops_the_build_and_build_is_unchanged(
    project: Path,
) -> None:
    before = _digest(project / "build")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\ncopyright: " in text
    config.write_text(text.replace("\ncopyright: ", f"\ncopyright: 值班手机 {MOBILE} "), "utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--today", "2026-12-06"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if " P002 " in line]
    assert len(lines) == 1 and lines[0].startswith("build/site/"), result.output
    assert "138****5678" in lines[0] and MOBILE not in result.output
    assert _digest(project / "build") == before
