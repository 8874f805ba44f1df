"""The fast paths of `stdhub.datasette.fastpath` give exactly Datasette's own answers."""

from __future__ import annotations

from urllib.parse import urljoin, urlunparse

from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub.datasette.fastpath import plain_join

PATH_CHARS = st.sampled_from(list("/?#;.%&=ab~-:@[] \t\n中"))
HOSTS = ["127.0.0.1:8001", "data.example.gov.cn", "a/b", "x y", "h:", "[::1]:80", "a@b", "A.B"]


@settings(max_examples=3000, deadline=None)
@given(st.text(PATH_CHARS, max_size=24), st.sampled_from(HOSTS), st.sampled_from(["http", "https"]))
def test_plain_join_is_urljoin_whenever_it_answers(path, host, scheme):
    base = urlunparse((scheme, host, "/db/table", None, "county_code=430102", None))
    joined = plain_join(scheme, host, path)
    if joined is not None:
        assert joined == urljoin(base, path)


def test_plain_join_answers_for_datasettes_facet_links():
    path = "/dibao-village-monthly/monthly?county_code=430102&area_type_code=2"
    assert plain_join("http", "127.0.0.1:8001", path) == "http://127.0.0.1:8001" + path
    assert plain_join("http", "a/b", path) is None  # a hostile Host: urljoin decides
