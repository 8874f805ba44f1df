"""Primary keys: every part is required (an empty part is an error at its row), and every
published row link resolves, whatever the key values hold (issue 20, composite-pk-null)."""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from html import unescape

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netutil import free_port
from roundtrip import FIXTURES, Quiet, publish

from stdhub.config import Config
from stdhub.datasets.check import check_datasets
from stdhub.datasette.build import publish_datasette
from stdhub.processes import start_datasette, stop

CASE = FIXTURES / "cases" / "composite-pk-null" / "datasets" / "bh-pk"


def test_an_empty_key_part_is_an_error_at_its_row(catalogue, tmp_path) -> None:
    shutil.copytree(CASE, tmp_path / "datasets" / "bh-pk")
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    found = [p for p in report.errors if p.code == "D008"]
    assert [(p.file.endswith("data/items.csv"), p.line, p.path) for p in found] == [
        (True, 10, "part")
    ]
    assert "主键" in found[0].message and "item_code、part" in found[0].message
    assert not report.ok


@pytest.fixture(scope="module")
def quiet_catalogue(catalogue):
    return Quiet(catalogue)


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    part=st.sampled_from(["", " "]) | st.none(),
    required=st.sampled_from([None, False, True]),
)
def test_no_key_part_may_be_empty_written_required_or_not(
    part, required, quiet_catalogue, tmp_path_factory
) -> None:
    import yaml

    tmp = tmp_path_factory.mktemp("pk")
    folder = tmp / "datasets" / "bh-pk"
    shutil.copytree(CASE, folder)
    descriptor = yaml.safe_load((folder / "datapackage.yaml").read_text(encoding="utf-8"))
    if required is not None:
        descriptor["resources"][0]["schema"]["fields"][1]["constraints"] = {"required": required}
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, allow_unicode=True))
    text = (folder / "data" / "items.csv").read_text(encoding="utf-8")
    if part is None:  # the first part empty instead
        text = text.replace("I,,第二列为空", ",2,第一列为空")
    else:
        text = text.replace("I,,", f"I,{part},") if part else text
    (folder / "data" / "items.csv").write_text(text, encoding="utf-8")
    _, report = check_datasets(tmp / "datasets", quiet_catalogue.value, tmp)
    if part == " ":  # a space is a value, not an empty cell
        assert not [p for p in report.errors if p.code == "D008"]
        return
    assert [p.line for p in report.errors if p.code == "D008"] == [10]


# key values that URLs, Datasette's tilde encoding and CSV treat specially
_ALPHABET = "/~%.+?#&=,; \"'<>-_:@!$()*[]{}|\\^`中文é\u3000"
HOSTILE = [
    (
        "".join(random.Random(seed).choices(_ALPHABET, k=random.Random(-seed).randint(1, 8))),
        str(seed),
    )
    for seed in range(1, 31)
]


def _row(key: str, part: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([key, part, "生成的键"])
    return out.getvalue()


@pytest.fixture(scope="module")
def served_keys(catalogue, tmp_path_factory):
    """bh-pk with its empty key part filled, published and served by a real Datasette."""
    tmp = tmp_path_factory.mktemp("keys")
    source = tmp / "source" / "bh-pk"
    shutil.copytree(CASE, source)
    items = source / "data" / "items.csv"
    text = items.read_text(encoding="utf-8").replace("I,,", "I,2,")
    items.write_text(text + "".join(_row(k, p) for k, p in HOSTILE), encoding="utf-8")
    publish([source], tmp, catalogue)
    port = free_port()
    config = Config(site_url="http://127.0.0.1:8000/", data_url=f"http://127.0.0.1:{port}/")
    out = publish_datasette(tmp / "data", tmp / "datasette", catalogue, config)
    proc = start_datasette(out, "127.0.0.1", port)
    with httpx.Client(base_url=config.data_url, timeout=30) as client:
        yield client
    stop(proc)


def test_every_row_link_resolves(served_keys) -> None:
    page = served_keys.get("/bh-pk/items", params={"_size": "max"})
    assert page.status_code == 200
    links = sorted({unescape(h) for h in re.findall(r'href="(/bh-pk/items/[^"?#]+)"', page.text)})
    assert len(links) == 9 + len(HOSTILE), links
    for link in links:
        row = served_keys.get(link)
        assert row.status_code == 200, link
        data = served_keys.get(f"{link}.json", params={"_shape": "objects"}).json()
        assert len(data["rows"]) == 1, link
