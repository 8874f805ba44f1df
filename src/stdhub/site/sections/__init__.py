"""The sections of the site. Each is a function `(SiteContext) -> Section`; add a section
(e.g. 开放数据) by writing one and listing it in `default_sections()`."""

from __future__ import annotations

from stdhub.site.context import SectionGenerator
from stdhub.site.sections.catalogue import catalogue_section
from stdhub.site.sections.changes import changes_section
from stdhub.site.sections.codelists import codelists_section
from stdhub.site.sections.consultations import consultations_section
from stdhub.site.sections.divisions import divisions_section
from stdhub.site.sections.lists import lists_section
from stdhub.site.sections.review import review_section
from stdhub.site.sections.standards import standards_section


def default_sections() -> list[SectionGenerator]:
    return [
        catalogue_section,
        standards_section,
        codelists_section,
        divisions_section,
        lists_section,
        consultations_section,
        changes_section,
        review_section,
    ]
