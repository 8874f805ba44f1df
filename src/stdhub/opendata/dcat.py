"""The open-data catalogue as data, for harvesters: DCAT (JSON-LD and Turtle) and, per
dataset page, schema.org `Dataset` JSON-LD for search engines.

DCAT is built as one RDF graph with rdflib and serialised twice, so both files say the
same. Addresses are stable: `opendata/catalog.jsonld` and `opendata/catalog.ttl`.
Every dataset is listed; a 有条件开放 dataset has its access rights (RESTRICTED) and the
way to apply, and no distribution that carries rows.

The graph conforms to DCAT-AP 3.0.0 (checked in the tests with pyshacl against the official
SHACL shapes, without inference, as a harvester reads it): every node that a shape expects to
be of a class says so (`dct:LicenseDocument`, `dct:MediaType`, `foaf:Document`, …); one
licence per distribution (further licences of a package go to its `dct:rights`); themes are
SKOS concepts — the EU data-theme vocabulary and the department's own scheme of 业务领域,
published in the same graph —; frequencies and languages come from the EU authority tables;
sources become a `dct:provenance` statement. Nodes are named (no blank nodes), so the same
sources give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from stdhub import addresses
from stdhub.config import Config
from stdhub.datasets.manifest import Dataset, Manifest
from stdhub.opendata.downloads import DownloadFile
from stdhub.standards.model import Catalogue
from stdhub.vocab import Access

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
AUTHORITY = "http://publications.europa.eu/resource/authority/"
FREQ = Namespace(AUTHORITY + "frequency/")
ACCESS = Namespace(AUTHORITY + "access-right/")
EU_THEME = Namespace(AUTHORITY + "data-theme/")
EU_LANGUAGE = Namespace(AUTHORITY + "language/")
IANA = "http://www.iana.org/assignments/media-types/"
LANG = "zh-CN"
PUBLISHER = "湖南省民政厅"

# 更新频率 -> the EU frequency authority table (DCAT-AP's controlled vocabulary)
FREQUENCIES = {
    "实时": FREQ.CONT,
    "每日": FREQ.DAILY,
    "每周": FREQ.WEEKLY,
    "每月": FREQ.MONTHLY,
    "每季度": FREQ.QUARTERLY,
    "每半年": FREQ.BIANNUAL,
    "每年": FREQ.ANNUAL,
    "不定期": FREQ.IRREG,
}

# 业务领域 (the `domain` vocabulary of schemas/common.json) -> (its concept's name in the
# department's scheme, the EU data theme it falls under)
THEMES = {
    "社会救助": ("social-assistance", "SOCI"),
    "养老服务": ("elderly-care", "SOCI"),
    "儿童福利": ("child-welfare", "SOCI"),
    "婚姻登记": ("marriage-registration", "SOCI"),
    "殡葬管理": ("funeral-services", "SOCI"),
    "区划地名": ("divisions-and-place-names", "REGI"),
    "社会组织": ("social-organizations", "SOCI"),
    "慈善事业": ("charity", "SOCI"),
    "社会工作": ("social-work", "SOCI"),
    "残疾人福利": ("disability-welfare", "SOCI"),
    "信息化": ("informatization", "TECH"),
    "综合": ("general", "GOVE"),
}
EU_THEME_LABELS = {
    "SOCI": "人口与社会",
    "REGI": "区域与城市",
    "TECH": "科学技术",
    "GOVE": "政府与公共部门",
}

CONTEXT: dict[str, Any] = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
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


def _typed(g: Graph, node: URIRef, *classes: URIRef) -> URIRef:
    """`node`, declared to be of each class (DCAT-AP's shapes check classes without
    inference, so what a harvester would infer is stated)."""
    for cls in classes:
        g.add((node, RDF.type, cls))
    return node


def _document(g: Graph, url: URIRef) -> URIRef:
    return _typed(g, url, FOAF.Document)


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
    g.add((catalog, DCTERMS.language, _typed(g, EU_LANGUAGE.ZHO, DCTERMS.LinguisticSystem)))
    g.add((catalog, FOAF.homepage, _document(g, _site(config, addresses.OPENDATA))))
    publisher = _agent(g, URIRef(f"{catalog}-publisher"), PUBLISHER)
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.themeTaxonomy, _theme_scheme(g, config)))
    eu_themes = _typed(g, URIRef(EU_THEME), SKOS.ConceptScheme)
    g.add((eu_themes, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((catalog, DCAT.themeTaxonomy, eu_themes))
    service = URIRef(config.data_url)
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, _text("开放数据查询接口（Datasette，JSON / CSV）")))
    g.add((service, DCAT.endpointURL, _typed(g, URIRef(config.data_url), RDFS.Resource)))
    g.add((catalog, DCAT.service, service))
    for d in inp.manifest.datasets:
        node = _dataset(g, d, inp, service)
        g.add((catalog, DCAT.dataset, node))
    return g


def _agent(g: Graph, node: URIRef, name: str) -> URIRef:
    _typed(g, node, FOAF.Agent, FOAF.Organization)
    g.add((node, FOAF.name, _text(name)))
    return node


def _theme_scheme(g: Graph, config: Config) -> URIRef:
    """The department's scheme of 业务领域 as SKOS, each concept under its EU data theme."""
    scheme = _typed(g, URIRef(f"{_site(config, addresses.OPENDATA)}#themes"), SKOS.ConceptScheme)
    g.add((scheme, DCTERMS.title, _text("湖南省民政业务领域")))
    for domain, (_name, eu) in THEMES.items():
        concept = _theme(g, config, domain)
        g.add((concept, SKOS.prefLabel, _text(domain)))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.broadMatch, _eu_theme(g, eu)))
        g.add((scheme, SKOS.hasTopConcept, concept))
    return scheme


def _theme(g: Graph, config: Config, domain: str) -> URIRef:
    name = THEMES[domain][0]
    return _typed(g, URIRef(f"{_site(config, addresses.OPENDATA)}#theme-{name}"), SKOS.Concept)


def _eu_theme(g: Graph, code: str) -> URIRef:
    concept = _typed(g, EU_THEME[code], SKOS.Concept)
    g.add((concept, SKOS.inScheme, URIRef(EU_THEME)))
    g.add((concept, SKOS.prefLabel, _text(EU_THEME_LABELS[code])))
    return concept


def _dataset(g: Graph, d: Dataset, inp: CatalogInput, service: URIRef) -> URIRef:
    config = inp.config
    page = _site(config, addresses.dataset(d.name))
    node = URIRef(f"{page}#dataset")
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(d.name)))
    g.add((node, DCTERMS.title, _text(d.title)))
    if d.description:
        g.add((node, DCTERMS.description, _text(d.description)))
    g.add((node, DCAT.landingPage, _document(g, page)))
    g.add((node, DCTERMS.language, EU_LANGUAGE.ZHO))
    g.add(
        (node, DCTERMS.publisher, _agent(g, URIRef(f"{page}#publisher"), d.publisher or PUBLISHER))
    )
    for word in d.keywords:
        g.add((node, DCAT.keyword, _text(word)))
    if d.domain in THEMES:
        g.add((node, DCAT.theme, _theme(g, config, d.domain)))
        g.add((node, DCAT.theme, _eu_theme(g, THEMES[d.domain][1])))
    if d.last_updated:
        g.add((node, DCTERMS.modified, Literal(d.last_updated, datatype=XSD.date)))
    if d.update_frequency in FREQUENCIES:
        frequency = _typed(g, FREQUENCIES[d.update_frequency], DCTERMS.Frequency)
        g.add((node, DCTERMS.accrualPeriodicity, frequency))
    for std in d.conforms_to:
        standard = _typed(g, _site(config, addresses.standard(std)), DCTERMS.Standard)
        g.add((standard, DCTERMS.identifier, Literal(std)))
        g.add((node, DCTERMS.conformsTo, standard))
    _contact(g, node, page, d)
    _provenance(g, node, page, d)
    _coverage(g, node, page, d, inp.catalogue)
    if d.access == Access.OPEN:
        g.add((node, DCTERMS.accessRights, _typed(g, ACCESS.PUBLIC, DCTERMS.RightsStatement)))
    else:
        rights = _typed(g, URIRef(f"{page}#rights"), DCTERMS.RightsStatement)
        how = f"{d.access}：{d.access_conditions}" if d.access_conditions else d.access
        g.add((rights, RDFS.label, _text(how)))
        restricted = _typed(g, ACCESS.RESTRICTED, DCTERMS.RightsStatement)
        g.add((node, DCTERMS.accessRights, restricted))
        g.add((node, DCTERMS.rights, rights))
    if d.is_open:
        g.add((service, DCAT.servesDataset, node))
        for f in inp.downloads.get(d.name, []):
            g.add((node, DCAT.distribution, _download(g, d, f, config)))
        g.add((node, DCAT.distribution, _api(g, d, config, service)))
    return node


def _contact(g: Graph, node: URIRef, page: URIRef, d: Dataset) -> None:
    contact = d.metadata.get("contact") or {}
    if not contact:
        return
    card = _typed(g, URIRef(f"{page}#contact"), VCARD.Kind, VCARD.Organization)
    g.add((card, VCARD.fn, _text(contact.get("name") or d.publisher or PUBLISHER)))
    if contact.get("email"):
        g.add((card, VCARD.hasEmail, URIRef(f"mailto:{contact['email']}")))
    if contact.get("phone"):
        g.add((card, VCARD.hasTelephone, Literal(contact["phone"])))
    g.add((node, DCAT.contactPoint, card))


def _provenance(g: Graph, node: URIRef, page: URIRef, d: Dataset) -> None:
    """The package's `sources` (web pages and publications, not DCAT datasets) as one
    `dct:provenance` statement: 来源：title（address）；…"""
    sources = [s for s in d.metadata.get("sources") or [] if s.get("title") or s.get("path")]
    if not sources:
        return
    parts = [
        f"{s.get('title') or s['path']}（{s['path']}）"
        if s.get("path") and s.get("title")
        else str(s.get("title") or s["path"])
        for s in sources
    ]
    statement = _typed(g, URIRef(f"{page}#provenance"), DCTERMS.ProvenanceStatement)
    g.add((statement, RDFS.label, _text("来源：" + "；".join(parts))))
    g.add((node, DCTERMS.provenance, statement))


def _coverage(g: Graph, node: URIRef, page: URIRef, d: Dataset, catalogue: Catalogue) -> None:
    temporal = d.metadata.get("temporal") or {}
    if temporal.get("start") or temporal.get("end"):
        period = _typed(g, URIRef(f"{page}#temporal"), DCTERMS.PeriodOfTime)
        for key, prop in (("start", DCAT.startDate), ("end", DCAT.endDate)):
            if temporal.get(key):
                g.add((period, prop, _when(str(temporal[key]))))
        g.add((node, DCTERMS.temporal, period))
    spatial = d.metadata.get("spatial")
    if spatial:
        place = _typed(g, URIRef(f"{page}#spatial"), DCTERMS.Location)
        g.add((place, DCTERMS.identifier, Literal(str(spatial))))
        g.add((place, RDFS.label, _text(place_name(str(spatial), catalogue))))
        g.add((node, DCTERMS.spatial, place))


def _when(value: str) -> Literal:
    """A date (`2025-12-31`), month (`2025-12`) or year (`2025`) as its XSD literal."""
    kinds = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}
    return Literal(value, datatype=kinds.get(len(value), XSD.string))


def _license(g: Graph, dist: URIRef, d: Dataset) -> None:
    """The first licence with an address as the distribution's `dct:license` (DCAT-AP allows
    one); a package under several licences names them all in the distribution's `dct:rights`."""
    licences = [lic for lic in d.licenses if lic.get("path")]
    if not licences:
        return
    first = _typed(g, URIRef(licences[0]["path"]), DCTERMS.LicenseDocument)
    g.add((dist, DCTERMS.license, first))
    if len(licences) > 1:
        rights = _typed(g, URIRef(f"{dist}-rights"), DCTERMS.RightsStatement)
        names = "；".join(
            f"{lic.get('title') or lic.get('name')}（{lic['path']}）" for lic in licences
        )
        g.add((rights, RDFS.label, _text(f"本数据分别适用以下许可：{names}")))
        g.add((dist, DCTERMS.rights, rights))


def _download(g: Graph, d: Dataset, f: DownloadFile, config: Config) -> URIRef:
    url = _site(config, addresses.download(d.name, f.file))
    dist = URIRef(f"{_site(config, addresses.dataset(d.name))}#download-{f.file}")
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, _text(f.title)))
    _typed(g, url, RDFS.Resource)
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.accessURL, url))
    media_type = _typed(g, URIRef(IANA + f.media_type), DCTERMS.MediaType)
    g.add((dist, DCAT.mediaType, media_type))
    g.add((dist, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger)))
    _license(g, dist, d)
    return dist


def _api(g: Graph, d: Dataset, config: Config, service: URIRef) -> URIRef:
    url = _typed(g, URIRef(addresses.datasette_database(config.data_url, d.name)), RDFS.Resource)
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
    """The graph as compacted JSON-LD, in a stable order: nodes by `@id`, the values of each
    property sorted (their order carries no meaning in RDF; rdflib's follows hash order)."""
    text = g.serialize(format="json-ld", context=CONTEXT, ensure_ascii=False)
    return json.dumps(_sorted(json.loads(text)), indent=2, ensure_ascii=False) + "\n"


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
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
        "creator": _creators(d),
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
        data["license"] = licenses[0]  # the one DCAT gives each distribution (`_license`)
    if d.metadata.get("version"):
        data["version"] = str(d.metadata["version"])
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


def _creators(d: Dataset) -> list[dict[str, str]]:
    """Who made the data, for schema.org: the package's contributors with an author or
    creator role (by name; a person's contact details stay out), else the publisher."""
    made = [
        {"@type": "Person" if c.get("organization") else "Organization", "name": c["title"]}
        for c in d.metadata.get("contributors") or []
        if isinstance(c, dict)
        and c.get("title")
        and ({c.get("role"), *(c.get("roles") or [])} & {"author", "creator"})
    ]
    return made or [{"@type": "GovernmentOrganization", "name": d.publisher or PUBLISHER}]


def schema_org_script(d: Dataset, inp: CatalogInput) -> str:
    """The `<script type="application/ld+json">` element for a page (safe inside HTML)."""
    text = json.dumps(schema_org(d, inp), ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'
