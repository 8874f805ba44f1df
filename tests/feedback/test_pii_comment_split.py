"""The case `pii-comment-split` (tests/fixtures/cases/): personal numbers split, spaced or
written in Chinese numerals are refused at the form over real HTTP, with the number masked,
and nothing is stored, so nothing can be pulled or reach `build/`. The pull's masking and
the screen of staff's feedback files read them the same way (one recogniser)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fb_helpers import form_fields, open_form, post, running

from stdhub.cli import cli
from stdhub.feedback.pull import mask_personal
from stdhub.feedback.service import Limits

CASE = Path(__file__).resolve().parents[1] / "fixtures/cases/pii-comment-split"
QUICK = Limits(min_fill=0.3)
IDN, MOB = "11010519491231002X", "13812345678"
CN = str.maketrans("0123456789", "〇一二三四五六七八九")
# the two comments of the case's repro.sh, then others of the same kinds
TYPED = {
    "id over lines (repro)": (
        "我的身份证号是\n" + IDN[:9] + "\n" + IDN[9:] + "\n请联系我",
        "110***********002X",
    ),
    "mobile in Chinese numerals (repro)": ("我的电话一三八一二三四五六七八，请回电", "138****5678"),
    "id with one space": (f"身份证 {IDN[:9]} {IDN[9:]}", "110***********002X"),
    "id over CRLF lines 6/12": (f"证件号{IDN[:6]}\r\n{IDN[6:]}", "110***********002X"),
    "mobile over lines": (f"电话\n{MOB[:3]}\n{MOB[3:7]}\n{MOB[7:]}", "138****5678"),
    "mobile (138)": (f"电话({MOB[:3]}){MOB[3:]}", "138****5678"),
    "mobile Arabic-Indic": (
        "电话" + MOB.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        "138****5678",
    ),
    "mobile with variation selectors": ("电话" + "\ufe0f".join(MOB), "138****5678"),
    "mobile with combining marks": ("电话" + "\u0301".join(MOB), "138****5678"),
    "mobile 两 and 幺": ("手机幺三八幺两三四五六七八", "138****5678"),
    "id in Chinese numerals": (f"身份证{IDN[:-1].translate(CN)}X", "110***********002X"),
}


@pytest.fixture
def client():
    with httpx.Client(timeout=20) as c:
        yield c


def test_the_case_spellings_are_all_caught_but_letters_for_digits() -> None:
    """The case's own `spellings.py`, run as it is: every spelling but O/l for 0/1."""
    done = subprocess.run(
        [sys.executable, str(CASE / "spellings.py")], capture_output=True, text=True, check=True
    )
    missed = [line for line in done.stdout.splitlines() if line.startswith("MISSED")]
    assert missed == ["MISSED mobile with letters O/l []"], done.stdout


def test_refused_at_the_form_with_the_number_masked_and_nothing_stored(
    tmp_path: Path, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running(tmp_path, QUICK) as svc:
        answers = {}
        for name, (text, shown) in TYPED.items():
            fields = open_form(client, svc.base, id="网站")
            fields["text"] = text
            time.sleep(QUICK.min_fill)
            answers[name] = (post(client, svc.base, fields), shown)
        named = open_form(client, svc.base, id="网站")
        named.update(text="建议增加夜间服务。", name=f"张先生 {MOB[:3]}\n{MOB[3:]}")
        time.sleep(QUICK.min_fill)
        by_name = post(client, svc.base, named)
        rows = svc.comments()
    for name, (answer, shown) in answers.items():
        assert answer.status_code == 400, name
        assert "请删去个人信息" in answer.text and shown in answer.text, name
        assert form_fields(answer.text)["text"] == TYPED[name][0].replace("\r\n", "\n")
    assert by_name.status_code == 400 and "138****5678" in by_name.text
    assert rows == []
    monkeypatch.chdir(tmp_path)
    pulled = CliRunner().invoke(cli, ["feedback", "pull", "--project", str(tmp_path)])
    assert "Traceback" not in pulled.output
    assert not (tmp_path / "feedback").exists() or not any((tmp_path / "feedback").iterdir())


@pytest.mark.parametrize("name", sorted(TYPED))
def test_the_pull_masks_the_same_spellings_and_keeps_the_rest_as_written(name: str) -> None:
    text, _ = TYPED[name]
    masked, count = mask_personal(text)
    assert count == 1
    assert "〔已隐去" in masked
    assert masked.startswith(text[:2])  # the words around stay as typed (not folded)
    assert mask_personal(masked) == (masked, 0)
