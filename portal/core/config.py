"""Typed configuration read once from the environment.

Why typed: a missing secret should stop the app in `create_app`, not surface as a
confusing error on the first request in production.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from portal.core.database import engine_options

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


def _default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'portal.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    secret_key: str
    instance_path: Path
    translations_dir: Path = PROJECT_ROOT / "translations"
    # Staff sign-in throttling: after this many failures each try waits longer.
    login_free_failures: int = 5
    login_max_delay_seconds: int = 300
    # Idle sign-out (portal/core/sessions.py): staff after half an hour; a person after half a
    # day, since their answers are saved as they go and they may take a long break.
    staff_idle_minutes: float = 30
    person_idle_minutes: float = 12 * 60
    # Retention (portal/ops/retention.py): months to keep what people did, and the audit log;
    # 0 keeps everything until the operator sets a period.
    retention_months: int = 0
    audit_retention_months: int = 0
    # The public address people reach the portal at: printed and QR links (set-up links,
    # sign-in cards, event invites) are built on it, not on whatever host a request used.
    # localhost, not 127.0.0.1: Chromium refuses passkeys (WebAuthn) on an IP address.
    base_url: str = "http://localhost:5000"
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def flask_config(self) -> dict:
        secure_cookies = self.environment == "production"
        return {
            "ENV_NAME": self.environment,
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(self.database_url),
            "BABEL_TRANSLATION_DIRECTORIES": str(self.translations_dir),
            "BABEL_DEFAULT_LOCALE": "en",
            "LANGUAGES": ("cy", "en"),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": secure_cookies,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": secure_cookies,
            # A person may take an hour over one question: a form must not expire on them.
            "WTF_CSRF_TIME_LIMIT": None,
            "WTF_CSRF_SSL_STRICT": secure_cookies,
            "LOGIN_FREE_FAILURES": self.login_free_failures,
            "LOGIN_MAX_DELAY_SECONDS": self.login_max_delay_seconds,
            "STAFF_IDLE_MINUTES": self.staff_idle_minutes,
            "PERSON_IDLE_MINUTES": self.person_idle_minutes,
            "RETENTION_MONTHS": self.retention_months,
            "AUDIT_RETENTION_MONTHS": self.audit_retention_months,
            "BASE_URL": self.base_url,
            # Roles that must pass a second step at sign-in (portal/second_step): in
            # production only, so the demo accounts sign in with their password alone.
            "SECOND_STEP_REQUIRED_ROLES": (
                ("admin", "commissioner") if self.environment == "production" else ()),
            "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
            **self.extra,
        }


def load_settings(overrides: dict | None = None, instance_path: Path | None = None) -> Settings:
    """Build settings from the environment, with test overrides on top."""
    overrides = dict(overrides or {})
    env = os.environ
    environment = overrides.pop("ENVIRONMENT", env.get("PORTAL_ENV", "development"))
    if environment not in ENVIRONMENTS:
        raise ConfigError(
            f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}"
        )
    instance = Path(
        overrides.pop("INSTANCE_PATH", None)
        or instance_path
        or env.get("PORTAL_INSTANCE_PATH", PROJECT_ROOT / "instance")
    )
    database_url = overrides.pop(
        "DATABASE_URL", env.get("PORTAL_DATABASE_URL") or _default_database_url(instance)
    )
    secret_key = overrides.pop("SECRET_KEY", env.get("PORTAL_SECRET_KEY", ""))
    if not secret_key:
        if environment == "production":
            raise ConfigError("PORTAL_SECRET_KEY must be set in production.")
        secret_key = f"{environment}-only-not-secret"  # noqa: S105 - never used in production
    if environment == "production" and len(secret_key) < 32:
        raise ConfigError("PORTAL_SECRET_KEY must be at least 32 characters in production.")
    return Settings(
        environment=environment,
        database_url=database_url,
        secret_key=secret_key,
        instance_path=instance,
        staff_idle_minutes=_minutes(overrides, env, "STAFF_IDLE_MINUTES", 30),
        person_idle_minutes=_minutes(overrides, env, "PERSON_IDLE_MINUTES", 12 * 60),
        retention_months=_months(overrides, env, "RETENTION_MONTHS"),
        audit_retention_months=_months(overrides, env, "AUDIT_RETENTION_MONTHS"),
        base_url=_base_url(overrides, env),
        extra=overrides,
    )


def _months(overrides: dict, env, name: str) -> int:
    raw = overrides.pop(name, env.get(f"PORTAL_{name}") or 0)
    try:
        months = int(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"PORTAL_{name} must be a whole number of months, not {raw!r}") from None
    if months < 0:
        raise ConfigError(f"PORTAL_{name} must be 0 (keep everything) or more, not {raw!r}")
    return months


def _minutes(overrides: dict, env, name: str, default: float) -> float:
    # The warning comes two minutes before the end, so a shorter time would give none.
    raw = overrides.pop(name, env.get(f"PORTAL_{name}", default))
    try:
        minutes = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"PORTAL_{name} must be a number of minutes, not {raw!r}") from None
    if minutes < 3:
        raise ConfigError(f"PORTAL_{name} must be at least 3 minutes, not {raw!r}")
    return minutes


def _base_url(overrides: dict, env) -> str:
    raw = str(overrides.pop("BASE_URL", env.get("PORTAL_BASE_URL") or "http://localhost:5000"))
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"PORTAL_BASE_URL must be an http(s) address, such as https://portal.example, "
            f"not {raw!r}"
        )
    return raw.rstrip("/")
