"""stdhub: the standards catalogue and open-data publishing site of a civil-affairs department."""

__version__ = "0.1.0"
