"""Standards' YAML is screened as it is loaded; the full-text index reads what the screen read."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from stdhub import fts
from stdhub.cli import cli
from stdhub.personal import find_all
from stdhub.personal.normalize import fold

ROOT = Path(__file__).resolve().parents[2]
CORPUS = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text(encoding="utf-8"))


def _validate(tree: Path, monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(tree)
    result = CliRunner().invoke(cli, ["validate", "--today", "2026-11-28"])
    return result.exit_code, result.output


def test_numbers_in_a_standard_block_validate_with_line_and_path(tmp_path, monkeypatch) -> None:
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    path = tmp_path / "standards/data/GB-11643-1999.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "responsible_unit: 中国标准化与信息分类编码研究所",
        "responsible_unit: 中国标准化与信息分类编码研究所（联系人手机 ０１３８‐１２３４‐５６７８）",
    )
    text = text.replace("  - id: GMSFHM\n", "  - id: GMSFHM\n    example: 4.301031990030712e+17\n")
    path.write_text(text, encoding="utf-8")
    code, output = _validate(tmp_path, monkeypatch)
    assert code == 1
    lines = [line for line in output.splitlines() if " P00" in line]
    assert any(
        "GB-11643-1999.yaml:" in line and "P002 $.responsible_unit" in line for line in lines
    )
    assert any("P001 $.data_elements[0].example" in line for line in lines), output
    assert "138****5678" in output and "5678" not in output.replace("138****5678", "")


def test_the_shipped_standards_and_datasets_hold_no_personal_numbers(monkeypatch) -> None:
    _, output = _validate(ROOT, monkeypatch)
    assert " P001 " not in output and " P002 " not in output and " P003 " not in output, output


def test_index_tokens_come_from_the_folded_text_the_screen_read() -> None:
    for item in CORPUS["positive"] + CORPUS["negative"]:
        folded = fold(item["text"]).lower()
        for token in fts.tokens(item["text"]):
            assert token in folded, (item, token)
    hidden = "手机１３８\u200b1234\u200b5678"
    assert "13812345678" in fts.tokens(hidden) and find_all(hidden)[0].number == "13812345678"


def test_numbers_in_a_page_block_validate_and_build(tmp_path, monkeypatch) -> None:
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/contact.md").write_text(
        "# 联系我们\n\n办公电话 0731-84411234-8001\n\n值班手机 139 8765 4321\n", encoding="utf-8"
    )
    code, output = _validate(tmp_path, monkeypatch)
    assert code == 1
    assert "docs/contact.md:5:1: P002 含疑似手机号码 139****4321" in output
    assert "docs/contact.md:3" not in output
    result = CliRunner().invoke(cli, ["build", "--project", str(tmp_path), "--today", "2026-11-28"])
    assert result.exit_code == 1 and "P002" in result.output
    assert not (tmp_path / "build").exists()


def test_project_allow_list_lets_a_reviewed_number_through_standards_and_pages(
    tmp_path, monkeypatch
) -> None:
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/contact.md").write_text("救助热线 139 8765 4321\n", encoding="utf-8")
    path = tmp_path / "standards/data/GB-11643-1999.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "responsible_unit: 中国标准化与信息分类编码研究所",
        "responsible_unit: 中国标准化与信息分类编码研究所（热线 13987654321，联系人 13812345678）",
    )
    path.write_text(text, encoding="utf-8")
    code, output = _validate(tmp_path, monkeypatch)
    digest = next(
        line.split("sha256:")[1][:16] for line in output.splitlines() if "139****4321" in line
    )
    allow = tmp_path / "personal-data.yaml"
    allow.write_text(
        f"allow:\n- sha256: {digest}\n  reason: 救助热线，对外公布\n  reviewer: 张某\n  date: 2026-01-15\n",
        encoding="utf-8",
    )
    code, output = _validate(tmp_path, monkeypatch)
    assert code == 1 and "139****4321" not in output  # allowed in the page and the standard
    assert "138****5678" in output  # the other number is not
    allow.write_text("allow:\n- sha256: nothex\n  reason: 热线\n", encoding="utf-8")
    code, output = _validate(tmp_path, monkeypatch)
    assert "personal-data.yaml:2:" in output and " P006 " in output and "139****4321" in output


def test_a_number_split_over_lines_in_a_page_or_a_standard_is_found_at_its_first_line(
    tmp_path, monkeypatch
) -> None:
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/contact.md").write_text(
        "# 联系我们\n\n申请人身份证号 110105194\n91231002X，电话一三八一二三四五六七八\n",
        encoding="utf-8",
    )
    path = tmp_path / "standards/data/GB-11643-1999.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "responsible_unit: 中国标准化与信息分类编码研究所",
        "responsible_unit: 中国标准化与信息分类编码研究所（联系人 ١٣٩٨٧٦٥٤٣٢١）",
    )
    path.write_text(text, encoding="utf-8")
    code, output = _validate(tmp_path, monkeypatch)
    assert code == 1
    assert "docs/contact.md:3:1: P001 含疑似公民身份号码 110***********002X" in output
    assert "docs/contact.md:4:1: P002 含疑似手机号码 138****5678" in output
    assert "P002 $.responsible_unit" in output and "139****4321" in output
