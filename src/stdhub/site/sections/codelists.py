"""代码集: a page per code list (deprecated codes marked) and its CSV at a stable address."""

from __future__ import annotations

from stdhub import addresses
from stdhub.site.context import Section, SiteContext
from stdhub.site.downloads import codelist_csv
from stdhub.site.render import render
from stdhub.standards.model import CodeList


def _page(ctx: SiteContext, cl: CodeList) -> str:
    page = addresses.codelist(cl.id)
    cat = ctx.catalogue
    owner = cl.defined_in or cl.source
    return render(
        "codelist.md",
        cl=cl,
        addresses=addresses,
        u=lambda t: addresses.relative(t, page),
        owner=cat.standards.get(owner) if owner else None,
        users=ctx.catalogue.code_list_users(cl.id),
        feedback=ctx.feedback(id=cl.id, title=cl.title, page=page),
    )


def codelists_section(ctx: SiteContext) -> Section:
    lists = sorted(ctx.catalogue.code_lists.values(), key=lambda cl: cl.id)
    files: dict[str, str | bytes] = {
        addresses.docs_path(addresses.CODELISTS): render(
            "codelists.md",
            lists=lists,
            addresses=addresses,
            u=lambda t: addresses.relative(t, addresses.CODELISTS),
        ),
    }
    static: dict[str, str | bytes] = {}
    for cl in lists:
        files[addresses.docs_path(addresses.codelist(cl.id))] = _page(ctx, cl)
        static[addresses.codelist_csv(cl.id)] = codelist_csv(cl)
    return Section(
        name="codelists",
        weight=25,
        files=files,
        static=static,
        nav=[{"代码集": addresses.docs_path(addresses.CODELISTS)}],
        not_in_nav=["/codelists/*/"],
    )
