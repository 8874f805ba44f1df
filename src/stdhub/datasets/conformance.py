"""Does a dataset's Table Schema match the data standards it says it conforms to?

Each field whose name is the `name_en` of a data element in those standards must have the
element's type, lengths, pattern and range (D014). Its values must come from the
element's code list: a closed list is enforced as an `enum` when the data is checked
(D013), an open one is only a warning (Q006). A field that is personal data by its
element (`personal: true`) may not be published (P004).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stdhub.datasets.descriptor import Package
from stdhub.datasets.tableschema import Conformed, differences, elements_by_name
from stdhub.problems import Report
from stdhub.standards.model import Catalogue, CodeList
from stdhub.vocab import Kind


@dataclass
class Conformance:
    """Per resource: field name -> its data element, and -> its code list."""

    elements: dict[str, dict[str, Conformed]] = field(default_factory=dict)
    code_lists: dict[str, dict[str, CodeList]] = field(default_factory=dict)


def check_conformance(
    package: Package,
    schemas: dict[str, dict[str, Any]],
    catalogue: Catalogue,
    report: Report,
    *,
    published: bool,
) -> Conformance:
    """Check every resource's fields against the standards in `conforms_to`."""
    ids = package.data.get("conforms_to") or []
    known = []
    for i, std_id in enumerate(ids if isinstance(ids, list) else []):
        if not isinstance(std_id, str):
            continue  # reported as D016
        standard = catalogue.standards.get(std_id)
        if standard is None and std_id in catalogue.invalid_ids:
            continue  # its file is wrong, and reported: that is the one thing to fix
        if standard is None:
            package.add(report, "D015", f"标准 `{std_id}` 不在标准目录中", "conforms_to", i)
        elif standard.kind != Kind.DATA:
            package.add(
                report, "D015", f"`{std_id}` 是{standard.kind}，不是{Kind.DATA}", "conforms_to", i
            )
        else:
            known.append(std_id)
    by_name = elements_by_name(catalogue, known)
    out = Conformance()
    for r, resource in enumerate(package.resources):
        name = resource.get("name", str(r))
        fields = (schemas.get(name) or {}).get("fields") or []
        out.elements[name], out.code_lists[name] = {}, {}
        for i, f in enumerate(fields if isinstance(fields, list) else []):
            if not isinstance(f, dict) or not isinstance(f.get("name"), str):
                continue  # frictionless reports it
            where = ("resources", r, "schema", "fields", i)
            conformed = by_name.get(f["name"])
            if conformed is None:
                if known:
                    package.add(
                        report,
                        "Q002",
                        f"字段 `{f.get('name')}` 不是 {'、'.join(known)} 中的数据元",
                        *where,
                        "name",
                    )
                continue
            out.elements[name][f["name"]] = conformed
            element = conformed.element
            for difference in differences(f, element):
                package.add(
                    report,
                    "D014",
                    f"字段 `{f['name']}`（{conformed.ref} {element.name}）：{difference}",
                    *where,
                )
            if element.personal and published:
                package.add(
                    report,
                    "P004",
                    f"字段 `{f['name']}` 是个人信息数据元 {conformed.ref}（{element.name}）",
                    *where,
                )
            cl = catalogue.code_lists.get(element.code_list or "")
            if cl is None:
                continue
            out.code_lists[name][f["name"]] = cl
            enum = (f.get("constraints") or {}).get("enum")
            unlisted = [v for v in enum or [] if cl.code(str(v)) is None]
            if cl.closed and unlisted:
                package.add(
                    report,
                    "D014",
                    f"字段 `{f['name']}` 的 enum 含代码集 {cl.id} 中没有的代码 {unlisted}",
                    *where,
                    "constraints",
                    "enum",
                )
    return out
