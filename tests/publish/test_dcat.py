"""The catalogue as data: DCAT parses as RDF, the JSON-LD is valid JSON-LD."""

from __future__ import annotations

import json

import pytest
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib import namespace as ns

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
