"""One settings class, read from ``JEJAK_*`` environment variables (and ``.env``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from limits import parse_many
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.pool import PoolSizing

#: Hosts that only this machine can reach.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class Settings(BaseSettings):
    """Everything Jejak can be told from outside; ``.env.example`` lists each one."""

    model_config = SettingsConfigDict(
        env_prefix="JEJAK_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(Path("var"), description="Where the embedded stack keeps its files")
    event_store_url: str = Field(
        "", description="sqlite:///path/to/file.db (default under data_dir) or postgresql://..."
    )
    db_pool_size: int = Field(
        4, ge=1, le=200, description="PostgreSQL connections each process keeps open (one pool)"
    )
    db_pool_max_overflow: int = Field(
        6, ge=0, le=200, description="Connections a busy process may open beyond the pool size"
    )
    db_pool_timeout: int = Field(
        5, ge=1, le=120, description="Seconds a request waits for a free connection, then 503"
    )
    db_direct_url: str = Field(
        "",
        description="postgresql:// URL for LISTEN and leases, past a transaction-pooling"
        " PgBouncer; empty = JEJAK_EVENT_STORE_URL",
    )
    db_pool_check: bool = Field(
        True, description="Test each pooled connection before lending it (replaces dropped ones)"
    )
    temporal_address: str = Field(
        "", description="host:port of an existing Temporal; empty = `jejak up` starts one"
    )
    temporal_namespace: str = "default"
    temporal_task_queue: str = "jejak"
    temporal_port: int = Field(7233, ge=1, le=65535, description="Port of the embedded Temporal")
    temporal_ui_port: int = Field(8233, ge=1, le=65535, description="Embedded Web UI port")
    temporal_ui_url: str = Field(
        "", description="Base address of the Temporal Web UI the console links to (empty: no link)"
    )
    api_host: str = "127.0.0.1"
    api_port: int = Field(8000, ge=1, le=65535)
    api_workers: int = Field(
        1, ge=1, le=64, description="API worker processes; each opens its own connections"
    )
    dev_mode: bool = Field(
        False, description="Allow dev tokens signed with the local key (`jejak up` turns it on)"
    )
    auth_issuer: str = Field("", description="OIDC issuer of the city's identity provider")
    auth_audience: str = "jejak"
    auth_jwks_url: str = Field("", description="JWKS URL of the OIDC provider")
    auth_roles_claim: str = Field(
        "role", description="Dotted path of the claim naming the role(s), e.g. realm_access.roles"
    )
    auth_max_token_hours: float = Field(
        12, gt=0, le=24 * 31, description="Tokens valid for longer than this are refused"
    )
    max_body_bytes: int = Field(1 << 20, ge=1024, description="Largest request body accepted")
    rate_limit: str = Field(
        "50/second;1000/minute", description="Requests per caller (limits syntax); empty = off"
    )
    metrics_enabled: bool = Field(False, description="Serve Prometheus metrics at /metrics")
    console_client_id: str = Field("", description="The console's OIDC client id (empty: no OIDC)")
    console_client_secret: str = Field("", description="The console's OIDC client secret")
    console_secret: str = Field(
        "", description="Key signing console session cookies; empty = a key file in data_dir"
    )
    tracing: Literal["off", "otlp"] = Field(
        "off", description="OpenTelemetry traces: off, or sent to an OTLP/HTTP collector"
    )
    tracing_endpoint: str = Field(
        "",
        description="OTLP/HTTP traces URL (e.g. http://collector:4318/v1/traces);"
        " empty = the OTEL_EXPORTER_OTLP_* variables, else localhost",
    )
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

    smtp_host: str = Field("", description="SMTP server for notification email; empty = no email")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = Field("", description="Never logged")
    smtp_tls: Literal["starttls", "tls", "none"] = "starttls"
    smtp_from: str = "Jejak <jejak@localhost>"
    notify_sink: bool | None = Field(
        None,
        description="Write every notification to data_dir/notifications.jsonl;"
        " empty = on in dev mode",
    )
    notify_base_url: str = Field("", description="Link base in messages; empty = the API's URL")
    notify_max_attempts: int = Field(8, ge=1, le=100, description="Then dead-lettered")
    notify_retry_seconds: float = Field(5.0, gt=0, le=3600, description="First retry delay")
    notify_timeout_seconds: float = Field(10.0, gt=0, le=300, description="Per send")
    notify_max_age_hours: float = Field(
        72,
        ge=0,
        le=8760,
        description="A message raised longer ago than this when its turn comes is not sent but"
        " dead-lettered as expired (a sender that was stopped, a first start over an old log);"
        " 0 = no limit",
    )
    notify_secretariat_opd: str = "DISKOMINFO"
    evidence_url: str = Field(
        "", description="Where evidence files go: empty = data_dir/evidence; s3://bucket/prefix"
    )
    s3_endpoint_url: str = Field("", description="S3-compatible endpoint; empty = AWS's own")
    s3_region: str = Field("us-east-1", description="The S3 region (any, for most others)")
    s3_access_key_id: str = Field("", description="Empty = the usual AWS credential chain")
    s3_secret_access_key: str = Field("", description="Never logged")

    @field_validator("notify_sink", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def notify_sink_enabled(self) -> bool:
        """Whether notifications go to the local sink file (by default, in dev mode)."""
        return self.dev_mode if self.notify_sink is None else self.notify_sink

    @field_validator("event_store_url")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"sqlite", "postgresql", "postgres", "memory"}:
            raise ValueError("must start with sqlite:///, postgresql:// or memory://")
        return value

    @field_validator("db_direct_url")
    @classmethod
    def _direct_is_postgres(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"postgresql", "postgres"}:
            raise ValueError("must start with postgresql:// (only PostgreSQL has sessions to keep)")
        return value

    @field_validator("city")
    @classmethod
    def _city_code(cls, value: str) -> str:
        code = value.strip().upper()
        if code and not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{1,31}", code):
            raise ValueError("must be a city code: letters, digits and '-' (e.g. SIANTAR)")
        return code

    @field_validator("rate_limit")
    @classmethod
    def _known_rates(cls, value: str) -> str:
        if value.strip():
            parse_many(value)  # raises ValueError naming what it cannot read
        return value

    @model_validator(mode="after")
    def _dev_mode_stays_local(self) -> Settings:
        # Dev tokens are signed by a key on this machine: never trust them beyond it.
        if self.dev_mode and self.api_host not in LOOPBACK_HOSTS:
            raise ValueError("JEJAK_DEV_MODE may only be on while JEJAK_API_HOST is loopback")
        if self.dev_mode and (self.auth_issuer or self.auth_jwks_url):
            raise ValueError("JEJAK_DEV_MODE may not be on while OIDC (JEJAK_AUTH_*) is set")
        return self

    @property
    def store_url(self) -> str:
        """The event store URL, defaulting to a SQLite file in the data directory."""
        return self.event_store_url or f"sqlite:///{self.data_dir / 'jejak.db'}"

    @property
    def db_pool(self) -> PoolSizing:
        """The size of each process's PostgreSQL pool (docs/operations.md has the budget)."""
        return PoolSizing(
            self.db_pool_size, self.db_pool_max_overflow, self.db_pool_timeout, self.db_pool_check
        )

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
        if not first["loc"]:  # a rule across settings names them in its message
            raise SettingsError(str(first["msg"]).removeprefix("Value error, ")) from None
        name = "JEJAK_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']} (got {first.get('input')!r})") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return load_settings()
