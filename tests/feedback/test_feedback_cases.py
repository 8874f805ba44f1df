"""The shared cases of public input (tests/fixtures/cases/feedback-*), through the real
service with the case's own form client `fb.py`, the real pull and the real validate."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from click.testing import CliRunner
from fb_helpers import running

from stdhub.cli import cli
from stdhub.feedback import form, service
from stdhub.feedback.dispositions import NOT_FOUND

TESTS = Path(__file__).resolve().parents[1]
CASES = TESTS / "fixtures" / "cases"
STD = "HNMZ/T 0001-2024"  # tests/cases/W004: clauses 1 and 2 only
DATASET = "elderly-care-institutions"
DATASET_TITLE = "养老机构名录"
# iso.py's characters (the case's generator), each tried in a title, a text, a multi-line text
ISO = ["\x85", "\u2028", "\u2029", "\ufeff", "\x7f", "\x9b", "\u202e", "\u200b", "\ufffe", "😀", "#", ": ", "'", '"', "|", ">", "---", "...", "*", "&", "!", "%", "@", "`", "[", "{", "null", ": null", "\\", "~", "\u00a0"]  # fmt: skip


def fb(case: str) -> ModuleType:
    """The case's form client, imported from its folder."""
    spec = importlib.util.spec_from_file_location(f"fb_{case}", CASES / case / "fb.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(TESTS / "cases" / "W004" / "standards", tmp_path / "standards")
    data = tmp_path / "datasets" / DATASET
    (data / "data").mkdir(parents=True)
    (data / "data" / "institutions.csv").write_text(
        "institution_name,beds\n芙蓉社会福利中心,182\n", encoding="utf-8"
    )
    (data / "datapackage.yaml").write_text(
        f"name: {DATASET}\ntitle: {DATASET_TITLE}\naccess: 无条件开放\n"
        "licenses:\n- name: CC-BY-4.0\n  path: https://creativecommons.org/licenses/by/4.0/\n"
        "resources:\n- name: institutions\n  path: data/institutions.csv\n  schema:\n"
        "    fields:\n    - {name: institution_name, type: string}\n"
        "    - {name: beds, type: integer}\n",
        encoding="utf-8",
    )
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def validate(project: Path) -> tuple[int, str]:
    return run("validate", "--root", str(project / "standards"), "--today", "2026-11-28")


def comments_of(path: Path) -> tuple[dict, list[dict]]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data, data["comments"]


def test_feedback_unknown_anchor(project: Path) -> None:
    client = fb("feedback-unknown-anchor")
    with running(project, service.Limits.lifted()) as svc:
        base = svc.base.removesuffix(service.PREFIX)
        sent = client.submit(
            {"id": STD, "anchor": "clause-999-1"}, "针对不存在的条款", 0, base=base
        )
        # other inputs of the kind: an id nobody has, a dataset table that does not exist
        made_up = client.submit({"id": "HNMZ/T 9999-2099", "anchor": "clause-1"}, "编造的标准", 0, base=base)  # fmt: skip
        table = client.submit({"id": f"{DATASET}/no-such-table"}, "不存在的表", 0, base=base)
    assert [sent[0], made_up[0], table[0]] == [200, 200, 200]
    assert run("feedback", "pull", "--project", str(project))[0] == 0
    code, output = validate(project)
    assert code == 0, output
    assert "X021" not in output and "X022" not in output
    assert output.count("W015") == 2 and "位置不存在" in output  # what staff see
    _, on_std = comments_of(project / "feedback" / "HNMZ-T-0001-2024.yaml")
    [entry] = on_std
    assert entry["id"] == sent[1] and entry["not_found"] == "clause-999-1"
    assert "anchor" not in entry and entry["text"] == "针对不存在的条款"
    _, site_wide = comments_of(project / "feedback" / "网站.yaml")
    assert [(c["id"], c["not_found"]) for c in site_wide] == [
        (made_up[1], "HNMZ/T 9999-2099#clause-1")
    ]
    _, on_data = comments_of(project / "feedback" / f"{DATASET}.yaml")
    assert on_data[0]["about"] == f"{DATASET}/no-such-table"
    code, listed = run("feedback", "list", "--project", str(project))
    assert code == 0
    assert f"{NOT_FOUND}：clause-999-1" in listed and f"{NOT_FOUND}：HNMZ/T 9999-2099" in listed


def test_feedback_title_controls(project: Path) -> None:
    client = fb("feedback-title-controls")
    sent: dict[str, str] = {}
    with running(project, service.Limits.lifted(), proxy="") as svc:
        base = svc.base.removesuffix(service.PREFIX)
        # the case itself: a first comment whose form title holds U+007F, then a second one
        # claiming another address (believed from no one under serve)
        first = client.submit({"id": DATASET, "title": "养老机构\x7f"}, "第一条意见", 0, base=base)
        second = client.submit(
            {"id": DATASET}, "第二条正常意见", 0, base=base, headers={"X-Forwarded-For": "10.7.0.3"}
        )
        assert (first[0], second[0]) == (200, 200)
        sent |= {first[1]: "第一条意见", second[1]: "第二条正常意见"}
        for ch in ISO:  # iso.py's three places for each character, on each kind of target
            for about in (DATASET, "网站", "开放数据"):
                for title, text in (("标题" + ch + "x", "意见" + ch + about), ("标题", "a\n" + ch + "x" + about)):  # fmt: skip
                    status, ident, *_ = client.submit({"id": about, "title": title}, text, 0, base=base)  # fmt: skip
                    if status == 200:
                        sent[ident] = form.clean(text, multiline=True).strip()
                    else:
                        assert status == 409, (ch, about)  # only a duplicate of another
    for _ in range(2):  # every pull keeps working
        code, output = run("feedback", "pull", "--project", str(project))
        assert code == 0, output
    code, output = validate(project)
    assert code == 0, output
    held: dict[str, str] = {}
    for about, title in ((DATASET, DATASET_TITLE), ("网站", None), ("开放数据", None)):
        path = project / "feedback" / f"{about}.yaml"
        text = path.read_text(encoding="utf-8")
        data, comments = comments_of(path)
        assert set(data) == {"about", "title", "comments"}  # nothing injected
        assert data["about"] == about and data["title"] == (title or data["title"])
        assert "标题" not in data["title"] and "\x7f" not in data["title"]  # from the project
        header = text.split("\nabout:", 1)[0]
        assert all(line.startswith("#") for line in header.splitlines())
        held |= {c["id"]: c["text"] for c in comments}
    assert held == sent  # every text as accepted, none lost or doubled


def test_a_data_comment_reads_like_the_rest(project: Path) -> None:
    """A comment on a Datasette row, through the service, pull and a real build: the row is
    named by its name (never its key), the dataset by its title, and the dataset's page
    links its 意见采纳情况."""
    import datetime as dt

    from stdhub.build import build_all

    repo = TESTS.parent
    shutil.copytree(repo / "docs", project / "docs")
    hook = repo / "src" / "stdhub" / "site" / "mkdocs_hook.py"
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("src/stdhub/site/mkdocs_hook.py", str(hook)), encoding="utf-8"
    )
    key = "12430102LDWPX7AE9Y"
    row = {
        "id": f"{DATASET}/institutions",
        "title": f"{DATASET_TITLE} · 养老机构 · 芙蓉社会福利中心",
        "anchor": f"row-{key}",
    }
    with running(project, service.Limits.lifted()) as svc:
        base = svc.base.removesuffix(service.PREFIX)
        status, ident, *_ = fb("feedback-unknown-anchor").submit(row, "床位数与实际不符。", 0, base=base)  # fmt: skip
    assert status == 200
    assert run("feedback", "pull", "--project", str(project))[0] == 0
    path = project / "feedback" / f"{DATASET}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  disposition:\n", "  disposition: 采纳\n")
    path.write_text(text.replace("  change:\n", "  change: 已核实更正。\n"), encoding="utf-8")
    build_all(project, today=dt.date(2026, 11, 28))
    site = project / "build" / "site"
    outcome = (site / "consultations" / DATASET / "index.html").read_text(encoding="utf-8")
    assert f"{DATASET_TITLE} 意见采纳情况" in outcome and ident in outcome
    assert "养老机构 · 芙蓉社会福利中心" in outcome
    assert key not in outcome and f"<h1>{DATASET}" not in outcome
    page = (site / "opendata" / DATASET / "index.html").read_text(encoding="utf-8")
    assert f'href="../../consultations/{DATASET}/">意见采纳情况</a>' in page
