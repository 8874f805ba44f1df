"""The open-data catalogue as data, for harvesters: DCAT (JSON-LD and Turtle) and, per
dataset page, schema.org `Dataset` JSON-LD for search engines.

DCAT is built as one RDF graph with rdflib and serialised twice, so both files say the
same. Addresses are stable: `opendata/catalog.jsonld` and `opendata/catalog.ttl`.
Every dataset is listed; a 有条件开放 dataset has its access rights (RESTRICTED) and the
way to apply, and no distribution that carries rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from stdhub import addresses
from stdhub.config import Config
from stdhub.datasets.manifest import Dataset, Manifest
from stdhub.opendata.downloads import DownloadFile
from stdhub.standards.model import Catalogue
from stdhub.vocab import Access

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQ = Namespace("http://purl.org/cld/freq/")
ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")
LANG = "zh-CN"
PUBLISHER = "湖南省民政厅"

FREQUENCIES = {
    "实时": FREQ.continuous,
    "每日": FREQ.daily,
    "每周": FREQ.weekly,
    "每月": FREQ.monthly,
    "每季度": FREQ.quarterly,
    "每半年": FREQ.semiannual,
    "每年": FREQ.annual,
    "不定期": FREQ.irregular,
}

CONTEXT: dict[str, Any] = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "freq": str(FREQ),
    "access": str(ACCESS),
}


@dataclass(frozen=True)
class CatalogInput:
    manifest: Manifest
    catalogue: Catalogue
    config: Config
    downloads: dict[str, list[DownloadFile]]  # dataset name -> its download files


def _text(value: str) -> Literal:
    return Literal(value, lang=LANG)


def _site(config: Config, address: str) -> URIRef:
    return URIRef(addresses.absolute(config.site_url, address))


def place_name(code: str, catalogue: Catalogue) -> str:
    """The name of a division code from any code list that has it (430000 -> 湖南省)."""
    for code_list in catalogue.code_lists.values():
        found = code_list.code(code)
        if found is not None and code.isdigit():
            return found.name
    return code


def catalog_graph(inp: CatalogInput) -> Graph:
    g = Graph()
    for prefix, ns in CONTEXT.items():
        g.bind(prefix, Namespace(ns))
    config = inp.config
    catalog = URIRef(str(_site(config, addresses.OPENDATA)) + "#catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, _text("湖南省民政开放数据目录")))
    g.add(
        (
            catalog,
            DCTERMS.description,
            _text("湖南省民政厅发布的开放数据集，附数据标准、下载和查询接口。"),
        )
    )
    g.add((catalog, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/zh")))
    g.add((catalog, FOAF.homepage, _site(config, addresses.OPENDATA)))
    publisher = _agent(g, PUBLISHER, str(catalog))
    g.add((catalog, DCTERMS.publisher, publisher))
    service = URIRef(config.data_url)
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, _text("开放数据查询接口（Datasette，JSON / CSV）")))
    g.add((service, DCAT.endpointURL, URIRef(config.data_url)))
    g.add((catalog, DCAT.service, service))
    for d in inp.manifest.datasets:
        node = _dataset(g, d, inp, service)
        g.add((catalog, DCAT.dataset, node))
    return g


def _node(*parts: str) -> BNode:
    """A blank node with a label derived from what it describes: the same sources give the
    same catalogue, byte for byte (rdflib's own labels are random)."""
    return BNode("n" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16])


def _agent(g: Graph, name: str, owner: str) -> BNode:
    agent = _node(owner, "publisher", name)
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, FOAF.name, _text(name)))
    return agent


def _dataset(g: Graph, d: Dataset, inp: CatalogInput, service: URIRef) -> URIRef:
    config = inp.config
    page = _site(config, addresses.dataset(d.name))
    node = URIRef(f"{page}#dataset")
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(d.name)))
    g.add((node, DCTERMS.title, _text(d.title)))
    if d.description:
        g.add((node, DCTERMS.description, _text(d.description)))
    g.add((node, DCAT.landingPage, page))
    g.add((node, DCTERMS.publisher, _agent(g, d.publisher or PUBLISHER, str(node))))
    for word in d.keywords:
        g.add((node, DCAT.keyword, _text(word)))
    if d.domain:
        g.add((node, DCAT.theme, _text(d.domain)))
    if d.last_updated:
        g.add((node, DCTERMS.modified, Literal(d.last_updated, datatype=XSD.date)))
    if d.update_frequency in FREQUENCIES:
        g.add((node, DCTERMS.accrualPeriodicity, FREQUENCIES[d.update_frequency]))
    for std in d.conforms_to:
        g.add((node, DCTERMS.conformsTo, _site(config, addresses.standard(std))))
    _contact(g, node, d)
    for source in d.metadata.get("sources") or []:
        path = source.get("path")
        g.add((node, DCTERMS.source, URIRef(path) if path else _text(source.get("title", ""))))
    _coverage(g, node, d, inp.catalogue)
    if d.access == Access.OPEN:
        g.add((node, DCTERMS.accessRights, ACCESS.PUBLIC))
    else:
        rights = _node(str(node), "rights")
        g.add((rights, RDF.type, DCTERMS.RightsStatement))
        how = f"{d.access}：{d.access_conditions}" if d.access_conditions else d.access
        g.add((rights, RDFS.label, _text(how)))
        g.add((node, DCTERMS.accessRights, ACCESS.RESTRICTED))
        g.add((node, DCTERMS.rights, rights))
    if d.is_open:
        g.add((service, DCAT.servesDataset, node))
        for f in inp.downloads.get(d.name, []):
            g.add((node, DCAT.distribution, _download(g, d, f, config)))
        g.add((node, DCAT.distribution, _api(g, d, config, service)))
    return node


def _contact(g: Graph, node: URIRef, d: Dataset) -> None:
    contact = d.metadata.get("contact") or {}
    if not contact:
        return
    card = _node(str(node), "contact")
    g.add((card, RDF.type, VCARD.Organization))
    g.add((card, VCARD.fn, _text(contact.get("name") or d.publisher or PUBLISHER)))
    if contact.get("email"):
        g.add((card, VCARD.hasEmail, URIRef(f"mailto:{contact['email']}")))
    if contact.get("phone"):
        g.add((card, VCARD.hasTelephone, Literal(contact["phone"])))
    g.add((node, DCAT.contactPoint, card))


def _coverage(g: Graph, node: URIRef, d: Dataset, catalogue: Catalogue) -> None:
    temporal = d.metadata.get("temporal") or {}
    if temporal.get("start") or temporal.get("end"):
        period = _node(str(node), "temporal")
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        for key, prop in (("start", DCAT.startDate), ("end", DCAT.endDate)):
            if temporal.get(key):
                g.add((period, prop, _when(str(temporal[key]))))
        g.add((node, DCTERMS.temporal, period))
    spatial = d.metadata.get("spatial")
    if spatial:
        place = _node(str(node), "spatial")
        g.add((place, RDF.type, DCTERMS.Location))
        g.add((place, DCTERMS.identifier, Literal(str(spatial))))
        g.add((place, RDFS.label, _text(place_name(str(spatial), catalogue))))
        g.add((node, DCTERMS.spatial, place))


def _when(value: str) -> Literal:
    """A date (`2025-12-31`), month (`2025-12`) or year (`2025`) as its XSD literal."""
    kinds = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}
    return Literal(value, datatype=kinds.get(len(value), XSD.string))


def _license(g: Graph, dist: URIRef, d: Dataset) -> None:
    for lic in d.licenses:
        if lic.get("path"):
            g.add((dist, DCTERMS.license, URIRef(lic["path"])))


def _download(g: Graph, d: Dataset, f: DownloadFile, config: Config) -> URIRef:
    url = _site(config, addresses.download(d.name, f.file))
    dist = URIRef(f"{_site(config, addresses.dataset(d.name))}#download-{f.file}")
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, _text(f.title)))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.accessURL, url))
    g.add(
        (
            dist,
            DCAT.mediaType,
            URIRef(f"https://www.iana.org/assignments/media-types/{f.media_type}"),
        )
    )
    g.add((dist, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger)))
    _license(g, dist, d)
    return dist


def _api(g: Graph, d: Dataset, config: Config, service: URIRef) -> URIRef:
    url = URIRef(addresses.datasette_database(config.data_url, d.name))
    dist = URIRef(f"{_site(config, addresses.dataset(d.name))}#api")
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, _text("在线查询与 JSON / CSV 接口")))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.accessService, service))
    _license(g, dist, d)
    return dist


def as_turtle(g: Graph) -> str:
    return g.serialize(format="turtle")


def as_jsonld(g: Graph) -> str:
    """JSON-LD in a stable order: rdflib emits nodes and values in hash order, which
    changes from one process to the next; arrays other than `@list` are sets in JSON-LD."""
    doc = json.loads(g.serialize(format="json-ld", context=CONTEXT, ensure_ascii=False))
    return json.dumps(_ordered(doc), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _ordered(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _ordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def schema_org(d: Dataset, inp: CatalogInput) -> dict[str, Any]:
    """schema.org `Dataset` for the dataset's page (what search engines read)."""
    config = inp.config
    page = str(_site(config, addresses.dataset(d.name)))
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": f"{page}#dataset",
        "name": d.title,
        "description": d.description or d.title,
        "url": page,
        "identifier": d.name,
        "inLanguage": LANG,
        "keywords": d.keywords,
        "publisher": {"@type": "GovernmentOrganization", "name": d.publisher or PUBLISHER},
        "isAccessibleForFree": True,
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": "湖南省民政开放数据目录",
            "url": str(_site(config, addresses.OPENDATA)),
        },
        "variableMeasured": [f.title for t in d.tables for f in t.fields],
    }
    licenses = [lic["path"] for lic in d.licenses if lic.get("path")]
    if licenses:
        data["license"] = licenses[0]
    if d.last_updated:
        data["dateModified"] = d.last_updated.isoformat()
    temporal = d.metadata.get("temporal") or {}
    if temporal.get("start") or temporal.get("end"):
        data["temporalCoverage"] = f"{temporal.get('start', '..')}/{temporal.get('end', '..')}"
    if d.metadata.get("spatial"):
        data["spatialCoverage"] = {
            "@type": "Place",
            "name": place_name(str(d.metadata["spatial"]), inp.catalogue),
        }
    if d.conforms_to:
        data["isBasedOn"] = [str(_site(config, addresses.standard(s))) for s in d.conforms_to]
    if d.is_open:
        data["distribution"] = [
            {
                "@type": "DataDownload",
                "name": f.title,
                "encodingFormat": f.media_type,
                "contentUrl": str(_site(config, addresses.download(d.name, f.file))),
                "contentSize": f"{f.size} B",
            }
            for f in inp.downloads.get(d.name, [])
        ]
    else:
        data["conditionsOfAccess"] = d.access_conditions or d.access
    return data


def schema_org_script(d: Dataset, inp: CatalogInput) -> str:
    """The `<script type="application/ld+json">` element for a page (safe inside HTML)."""
    text = json.dumps(schema_org(d, inp), ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'
