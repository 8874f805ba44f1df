"""The standards: their model, loading from `standards/`, and their checks."""

from stdhub.standards.loader import load_catalogue
from stdhub.standards.model import Catalogue

__all__ = ["Catalogue", "load_catalogue"]
