"""Privacy fixtures: the travelling clock (helpers in ``tests.privacy.helpers``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.privacy.helpers import START, Clock, FrozenDatetime


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    import django.utils.timezone

    monkeypatch.setattr(django.utils.timezone, "datetime", FrozenDatetime)
    FrozenDatetime.moment = START
    yield Clock()
    FrozenDatetime.moment = START
