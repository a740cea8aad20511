from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str
    worker_count: int
    request_timeout_seconds: float

    @classmethod
    def from_mapping(cls, raw: object) -> "Settings":
        if not isinstance(raw, dict):
            raise SettingsError("settings must be a mapping")
        try:
            settings = cls(
                database_url=str(raw["database_url"]),
                worker_count=int(raw.get("worker_count", 4)),
                request_timeout_seconds=float(raw.get("request_timeout_seconds", 10)),
            )
        except KeyError as missing:
            raise SettingsError(f"missing setting {missing}") from None
        except (TypeError, ValueError) as error:
            raise SettingsError(f"invalid setting: {error}") from error
        if settings.worker_count < 1:
            raise SettingsError("worker_count must be at least 1")
        return settings


def load_settings(path: Path) -> Settings:
    with path.open(encoding="utf-8") as handle:
        return Settings.from_mapping(yaml.safe_load(handle))
