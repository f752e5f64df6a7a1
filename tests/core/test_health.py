import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_says_ok_without_details() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_is_migrated() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_database_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import DatabaseError

    from relais.core import health

    def broken() -> bool:
        raise DatabaseError("boom")

    monkeypatch.setattr(health, "_migrations_applied", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert "boom" not in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_reveals_nothing() -> None:
    response = Client().get("/does-not-exist/../../etc/passwd")
    assert response.status_code == 404
    assert b"does-not-exist" not in response.content
    assert b"Traceback" not in response.content
