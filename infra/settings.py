"""One settings class, read from ``JEJAK_*`` environment variables (and ``.env``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything Jejak can be told from outside; ``.env.example`` lists each one."""

    model_config = SettingsConfigDict(
        env_prefix="JEJAK_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(Path("var"), description="Where the embedded stack keeps its files")
    event_store_url: str = Field(
        "", description="sqlite:///path/to/file.db (default under data_dir) or postgresql://..."
    )
    temporal_address: str = Field(
        "", description="host:port of an existing Temporal; empty = `jejak up` starts one"
    )
    temporal_namespace: str = "default"
    temporal_task_queue: str = "jejak"
    temporal_port: int = Field(7233, ge=1, le=65535, description="Port of the embedded Temporal")
    temporal_ui_port: int = Field(8233, ge=1, le=65535, description="Embedded Web UI port")
    api_host: str = "127.0.0.1"
    api_port: int = Field(8000, ge=1, le=65535)
    api_workers: int = Field(
        1, ge=1, le=64, description="API worker processes; each opens its own connections"
    )
    dev_mode: bool = Field(True, description="Allow dev tokens signed with the local key")
    auth_issuer: str = Field("", description="OIDC issuer of the city's identity provider")
    auth_audience: str = "jejak"
    auth_jwks_url: str = Field("", description="JWKS URL of the OIDC provider")
    log_format: Literal["console", "json"] = "console"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    poll_interval: float = Field(
        0.2, gt=0, le=60, description="Seconds between polls of the SQLite event log"
    )
    audit_signing_key: str = Field(
        "",
        description="Ed25519 key that signs audit checkpoints: base64 of the raw 32-byte"
        " private key, or a path to a file holding it; empty = data_dir/audit-signing.key",
    )
    audit_checkpoint_every: int = Field(
        1000, ge=1, description="Sign an audit checkpoint every this many events"
    )
    city: str = Field(
        "",
        description="The city's code, as its master plan names it (e.g. SIANTAR);"
        " empty = the city of the master plan loaded",
    )

    @field_validator("event_store_url")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"sqlite", "postgresql", "postgres", "memory"}:
            raise ValueError("must start with sqlite:///, postgresql:// or memory://")
        return value

    @field_validator("city")
    @classmethod
    def _city_code(cls, value: str) -> str:
        code = value.strip().upper()
        if code and not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{1,31}", code):
            raise ValueError("must be a city code: letters, digits and '-' (e.g. SIANTAR)")
        return code

    @property
    def store_url(self) -> str:
        """The event store URL, defaulting to a SQLite file in the data directory."""
        return self.event_store_url or f"sqlite:///{self.data_dir / 'jejak.db'}"

    @property
    def embedded_temporal(self) -> bool:
        """True when `jejak up` must start its own Temporal dev server."""
        return not self.temporal_address

    @property
    def temporal_target(self) -> str:
        """The Temporal frontend address the worker and API connect to."""
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"


class SettingsError(Exception):
    """A setting is wrong; the message names it in one line."""


def load_settings() -> Settings:
    """Read settings, turning a validation failure into one readable line."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "JEJAK_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']} (got {first.get('input')!r})") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return load_settings()
