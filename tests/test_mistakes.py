"""The handbook of common mistakes shows what validate really says, and its fixes work."""

from __future__ import annotations

import pytest

from stdhub import mistakes
from stdhub.codes import CODES


@pytest.mark.parametrize("mistake", mistakes.MISTAKES, ids=lambda m: m.title)
def test_each_mistake_gives_one_message_and_its_fix_validates(mistake) -> None:
    [problem] = mistakes.messages(mistake)
    assert problem.code in CODES and CODES[problem.code].severity == "error"
    wrong_line = mistake.text.split("\n")[problem.line - 1]
    assert mistake.wrong in wrong_line  # reported at the line of the mistake
    following = mistakes.fixed(mistake, problem)
    if following is not None:  # the hint proposes a replacement: applied, it is the right text
        base = mistake.text.replace(mistake.wrong, mistake.right, 1)
        assert following == base
    right = mistake.text.replace(mistake.wrong, mistake.right, 1)
    assert (
        mistakes.messages(mistakes.Mistake("", "", mistake.file, mistake.right, mistake.right))
        == []
    )
    assert right != mistake.text


def test_the_page_shows_every_mistake_with_its_code() -> None:
    page = mistakes.as_markdown()
    for m in mistakes.MISTAKES:
        assert f". {m.title}" in page
        [problem] = mistakes.messages(m)
        assert problem.format() in page


@pytest.mark.parametrize("mistake", mistakes.DATA_MISTAKES, ids=lambda m: m.title)
def test_each_data_mistake_is_one_message(mistake) -> None:
    [problem] = mistakes.DataMistake.messages(mistake)
    assert problem.line == 2 and CODES[problem.code].severity == "error"
