"""The standards: their model, loading from `standards/`, and their checks (the whole
project, with its comments and datasets, is loaded by `stdhub.project`)."""

from stdhub.standards.model import Catalogue

__all__ = ["Catalogue"]
