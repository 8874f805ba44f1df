"""The catalogue as data: DCAT parses as RDF, the JSON-LD is valid JSON-LD."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.namespace import SH

from stdhub.opendata import dcat
from stdhub.opendata.downloads import write_downloads


@pytest.fixture(scope="module")
def inputs(data_manifest, catalogue, build_data, tmp_path_factory):
    from stdhub.config import Config

    out = tmp_path_factory.mktemp("dl")
    files = write_downloads(
        data_manifest.dataset("assist-monthly"), build_data / "assist-monthly.db", out
    )
    config = Config(site_url="http://127.0.0.1:8000/", data_url="http://127.0.0.1:8001/")
    return dcat.CatalogInput(data_manifest, catalogue, config, {"assist-monthly": files})


def _dataset(g: Graph, name: str) -> URIRef:
    return URIRef(f"http://127.0.0.1:8000/opendata/{name}/#dataset")


def test_turtle_parses_and_lists_every_dataset(inputs):
    g = Graph().parse(data=dcat.as_turtle(dcat.catalog_graph(inputs)), format="turtle")
    assert set(g.subjects(ns.RDF.type, ns.DCAT.Dataset)) == {
        _dataset(g, "assist-monthly"),
        _dataset(g, "assist-cases"),
    }
    open_ = _dataset(g, "assist-monthly")
    assert g.value(open_, ns.DCTERMS.accessRights) == dcat.ACCESS.PUBLIC
    assert g.value(open_, ns.DCTERMS.accrualPeriodicity) == dcat.FREQ.MONTHLY
    assert g.value(open_, ns.DCTERMS.conformsTo) == URIRef(
        "http://127.0.0.1:8000/standards/HNMZ-T-0102-2025/"
    )
    downloads = {
        str(g.value(d, ns.DCAT.downloadURL)) for d in g.objects(open_, ns.DCAT.distribution)
    }
    assert "http://127.0.0.1:8000/opendata/assist-monthly/downloads/monthly.csv" in downloads
    assert "http://127.0.0.1:8000/opendata/assist-monthly/downloads/assist-monthly.zip" in downloads


def test_conditional_dataset_is_restricted_without_distributions(inputs):
    g = dcat.catalog_graph(inputs)
    closed = _dataset(g, "assist-cases")
    assert g.value(closed, ns.DCTERMS.accessRights) == dcat.ACCESS.RESTRICTED
    assert list(g.objects(closed, ns.DCAT.distribution)) == []
    rights = g.value(closed, ns.DCTERMS.rights)
    assert "书面申请" in str(g.value(rights, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))


def test_jsonld_is_valid_json_ld_and_says_the_same_as_turtle(inputs):
    graph = dcat.catalog_graph(inputs)
    doc = json.loads(dcat.as_jsonld(graph))
    expanded = jsonld.expand(doc)  # raises on invalid JSON-LD; the context is inline
    assert expanded
    from_jsonld = Graph().parse(data=json.dumps(doc), format="json-ld")
    from_turtle = Graph().parse(data=dcat.as_turtle(graph), format="turtle")
    assert len(from_jsonld) == len(from_turtle) == len(graph)
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert nquads.count("\n") == len(graph)


def _schema_org_loader(url, options=None):
    """schema.org's context, offline: its vocabulary (the tests never reach the network)."""
    assert url.rstrip("/") == "https://schema.org"
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def test_schema_org_dataset_is_valid_json_ld(inputs, data_manifest):
    for d in data_manifest.datasets:
        doc = dcat.schema_org(d, inputs)
        expanded = jsonld.expand(doc, {"documentLoader": _schema_org_loader})
        node = expanded[0]
        assert node["@type"] == ["https://schema.org/Dataset"]
        assert node["https://schema.org/name"][0]["@value"] == d.title
    open_doc = dcat.schema_org(data_manifest.dataset("assist-monthly"), inputs)
    assert {x["encodingFormat"] for x in open_doc["distribution"]} >= {
        "text/csv",
        "application/zip",
    }
    closed_doc = dcat.schema_org(data_manifest.dataset("assist-cases"), inputs)
    assert "distribution" not in closed_doc and "书面申请" in closed_doc["conditionsOfAccess"]


def test_schema_org_script_cannot_end_the_html_element(inputs, data_manifest):
    d = data_manifest.dataset("assist-monthly")
    script = dcat.schema_org_script(d, inputs)
    assert script.count("</script>") == 1 and script.endswith("</script>")


# ------------------------------------------------ DCAT-AP 3.0.0 (the official SHACL shapes)

SHAPES = Path(__file__).resolve().parents[1] / "fixtures/reference/dcat-ap-3.0.0/dcat-ap-SHACL.ttl"


def shacl_violations(data: Graph) -> list[str]:
    """The DCAT-AP 3.0.0 violations of `data`, as a harvester checks it: the shapes alone, no
    inference (so every class a shape expects must be stated), warnings left aside."""
    from pyshacl import validate

    shapes = Graph().parse(SHAPES, format="turtle")
    _, results, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return sorted(
        f"{results.value(r, SH.focusNode)} {results.value(r, SH.resultPath)}: "
        f"{results.value(r, SH.resultMessage)}"
        for r in results.subjects(SH.resultSeverity, SH.Violation)
    )


def test_the_catalogue_conforms_to_dcat_ap_3(inputs):
    g = Graph().parse(data=dcat.as_turtle(dcat.catalog_graph(inputs)), format="turtle")
    assert shacl_violations(g) == []


def test_the_shapes_do_catch_a_catalogue_that_does_not_conform(inputs):
    """The check can fail: a literal theme and a second licence are what DCAT-AP refuses."""
    g = dcat.catalog_graph(inputs)
    dataset = _dataset(g, "assist-monthly")
    g.add((dataset, ns.DCAT.theme, Literal("社会救助", lang="zh-CN")))
    dist = next(g.objects(dataset, ns.DCAT.distribution))
    g.add((dist, ns.DCTERMS.license, URIRef("https://example.org/another-licence")))
    found = shacl_violations(g)
    assert any("theme" in v for v in found) and any("license" in v for v in found)


def test_the_published_catalogue_conforms_to_dcat_ap_3(served):
    """The shipped project as `stdhub serve` built it: every dataset, every download."""
    published = served.root / "build/site/opendata"
    turtle = Graph().parse(published / "catalog.ttl", format="turtle")
    assert len(set(turtle.subjects(ns.RDF.type, ns.DCAT.Dataset))) >= 7
    assert shacl_violations(turtle) == []
    jsonld_graph = Graph().parse(published / "catalog.jsonld", format="json-ld")
    assert len(jsonld_graph) == len(turtle)


def test_one_licence_per_distribution_and_the_others_named(served):
    g = Graph().parse(served.root / "build/site/opendata/catalog.ttl", format="turtle")
    for dist in g.subjects(ns.RDF.type, ns.DCAT.Distribution):
        assert len(list(g.objects(dist, ns.DCTERMS.license))) <= 1, dist
    divisions = next(g.subjects(ns.DCTERMS.identifier, Literal("hunan-divisions")))
    rights = {
        str(g.value(r, ns.RDFS.label))
        for d in g.objects(divisions, ns.DCAT.distribution)
        for r in g.objects(d, ns.DCTERMS.rights)
    }
    assert rights and all("MIT" in r and "WTFPL" in r for r in rights)


def test_every_domain_is_a_theme_concept() -> None:
    from stdhub import schemas

    domains = schemas.schema("common")["$defs"]["domain"]["enum"]
    assert set(dcat.THEMES) == set(domains)


def test_the_catalogue_is_the_same_bytes_whatever_the_hash_seed(inputs, tmp_path):
    """rdflib walks sets: without a stable order every build would look new to harvesters."""
    source = tmp_path / "catalog.ttl"
    source.write_text(dcat.as_turtle(dcat.catalog_graph(inputs)), encoding="utf-8")
    script = (
        "import sys; from rdflib import Graph; from stdhub.opendata import dcat; "
        "g = Graph().parse(sys.argv[1], format='turtle'); "
        "sys.stdout.write(dcat.as_turtle(g) + dcat.as_jsonld(g))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(source)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_schema_org_names_creator_version_and_the_dcat_licence(served):
    """Google's dataset guidelines: creator and version; the licence is DCAT's."""
    from stdhub.datasets.manifest import read_manifest

    manifest = read_manifest(served.root / "build/data")
    g = Graph().parse(served.root / "build/site/opendata/catalog.ttl", format="turtle")
    for d in manifest.datasets:
        page = (served.root / "build/site/opendata" / d.name / "index.html").read_text("utf-8")
        doc = json.loads(
            page.split('<script type="application/ld+json">', 1)[1].split("</script>")[0]
        )
        assert doc["creator"] and all(c["name"] for c in doc["creator"]), d.name
        assert doc.get("version") == d.metadata.get("version"), d.name
        node = next(g.subjects(ns.DCTERMS.identifier, Literal(d.name)))
        dcat_licences = {
            str(lic)
            for dist in g.objects(node, ns.DCAT.distribution)
            for lic in g.objects(dist, ns.DCTERMS.license)
        }
        assert dcat_licences <= {doc.get("license")}, d.name
