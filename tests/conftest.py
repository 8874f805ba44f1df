"""Shared fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def today() -> dt.date:
    return TODAY
