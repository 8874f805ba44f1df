"""代码集: a page per code list (deprecated codes marked) and its CSV at a stable address."""

from __future__ import annotations

from stdhub.site import urls
from stdhub.site.context import Section, SiteContext
from stdhub.site.downloads import codelist_csv
from stdhub.site.render import render
from stdhub.standards.model import CodeList


def _page(ctx: SiteContext, cl: CodeList) -> str:
    page = urls.codelist(cl.id)
    cat = ctx.catalogue
    owner = cl.defined_in or cl.source
    return render(
        "codelist.md",
        cl=cl,
        urls=urls,
        u=lambda t: urls.relative(t, page),
        owner=cat.standards.get(owner) if owner else None,
        users=ctx.catalogue.code_list_users(cl.id),
        feedback=ctx.feedback(id=cl.id, title=cl.title, page=page),
    )


def codelists_section(ctx: SiteContext) -> Section:
    lists = sorted(ctx.catalogue.code_lists.values(), key=lambda cl: cl.id)
    files: dict[str, str | bytes] = {
        urls.docs_path(urls.CODELISTS): render(
            "codelists.md", lists=lists, urls=urls, u=lambda t: urls.relative(t, urls.CODELISTS)
        ),
    }
    static: dict[str, str | bytes] = {}
    for cl in lists:
        files[urls.docs_path(urls.codelist(cl.id))] = _page(ctx, cl)
        static[urls.codelist_csv(cl.id)] = codelist_csv(cl)
    return Section(
        name="codelists",
        weight=25,
        files=files,
        static=static,
        nav=[{"代码集": urls.docs_path(urls.CODELISTS)}],
        not_in_nav=["/codelists/*/"],
    )
