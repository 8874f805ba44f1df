"""`extra.stdhub` in mkdocs.yml: a value of the wrong kind stops every command with a
Chinese message (S015), an unknown or mistyped setting is a warning naming the right one
(W016); whatever the section holds, reading it never fails otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub.config import BUILDERS, Config, from_section, section_problems
from stdhub.errors import StdhubError

KNOWN = list(Config.__dataclass_fields__)


def test_a_mistyped_setting_names_the_right_one() -> None:
    (p,) = section_problems({"feedback_servce": "https://example.gov.cn/feedback/"})
    assert (p.code, p.key) == ("W016", "feedback_servce")
    assert "feedback_service" in p.hint
    assert from_section({"feedback_servce": "x"}) == Config()  # ignored, not fatal


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"site_url": 123}, "site_url"),
        ({"data_url": "127.0.0.1:8001"}, "data_url"),
        ({"builder": "zensica"}, "builder"),
        ({"feedback": ["mailto:a@b"]}, "feedback"),
    ],
)
def test_a_value_of_the_wrong_kind_stops_with_its_setting_named(section, key) -> None:
    with pytest.raises(StdhubError, match=f"extra.stdhub.{key}"):
        from_section(section)


values = st.one_of(st.none(), st.integers(), st.text(max_size=30), st.lists(st.text(), max_size=2))


@settings(deadline=None)  # the first example pays for the imports
@given(st.dictionaries(st.sampled_from([*KNOWN, "feedback_servce", "siteurl", "x"]), values))
def test_any_section_is_read_or_refused_in_chinese(section) -> None:
    problems = section_problems(section)
    assert {p.code for p in problems} <= {"S015", "W016"}
    assert all(p.message and p.hint for p in problems)
    unknown = {k for k in section if k not in KNOWN}
    assert {p.key for p in problems if p.code == "W016"} == unknown
    try:
        config = from_section(section)
    except StdhubError as exc:
        assert "mkdocs.yml: extra.stdhub." in str(exc)
        assert any(p.code == "S015" for p in problems)
        return
    assert not any(p.code == "S015" for p in problems)
    assert all(isinstance(getattr(config, k), str) for k in KNOWN)
    assert config.builder in BUILDERS
