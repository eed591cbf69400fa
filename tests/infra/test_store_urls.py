"""environment_for: every store URL the settings accept becomes the right environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.store import environment_for


def test_memory_url_uses_plain_python_objects() -> None:
    assert environment_for("memory://")["PERSISTENCE_MODULE"] == "eventsourcing.popo"


def test_absolute_sqlite_url_keeps_the_path_and_creates_its_folder(tmp_path: Path) -> None:
    db = tmp_path / "new" / "events.db"
    env = environment_for(f"sqlite:///{db}")
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == str(db)
    assert db.parent.is_dir()


def test_relative_sqlite_url_is_relative_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = environment_for("sqlite:///var/jejak.db")
    assert env["SQLITE_DBNAME"] == "var/jejak.db"
    assert (tmp_path / "var").is_dir()


def test_postgres_url_gives_every_connection_part() -> None:
    env = environment_for("postgresql://jejak:p%40ss@db.example:6543/kota")
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert env["POSTGRES_HOST"] == "db.example"
    assert env["POSTGRES_PORT"] == "6543"
    assert env["POSTGRES_DBNAME"] == "kota"
    assert env["POSTGRES_USER"] == "jejak"
    assert env["POSTGRES_PASSWORD"] == "p@ss"


def test_postgres_url_with_socket_host_and_defaults() -> None:
    env = environment_for("postgres:///?host=/run/postgresql")
    assert env["POSTGRES_HOST"] == "/run/postgresql"
    assert env["POSTGRES_PORT"] == "5432"
    assert env["POSTGRES_DBNAME"] == "postgres"
    assert env["POSTGRES_USER"] == "postgres"


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="mysql"):
        environment_for("mysql://db/jejak")
