"""The feedback service's settings: where its store and key are, which pages comments may
come from, the abuse limits (docs/feedback-service.md lists them), its address prefix."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from stdhub.feedback import store

PREFIX = "/feedback/"
SECRET_PATH = Path("var") / "feedback" / "secret.key"


@dataclass(frozen=True)
class Limits:
    """The abuse limits; every time in seconds, every size as named."""

    # bytes of one POST body: 2,000 Chinese characters are 18,000 bytes form-encoded
    max_body: int = 32 * 1024
    max_text: int = 2000  # characters of the comment
    max_name: int = 50
    max_contact: int = 100
    min_fill: float = 3.0  # a person takes longer than this to read and write
    max_age: int = 24 * 3600  # a form older than this is stale
    per_client: tuple[tuple[int, int], ...] = ((5, 600), (30, 86400))  # (count, window)
    per_target: tuple[tuple[int, int], ...] = ((60, 3600),)
    dup_window: int = 3600

    @classmethod
    def lifted(cls) -> Limits:
        """For a load test from one machine: no rate limits, no minimum fill time."""
        return cls(min_fill=0, per_client=(), per_target=())


@dataclass(frozen=True)
class Settings:
    """Where the store and the key are, which pages a comment may come from, the limits."""

    store: Path
    secret: bytes
    site_url: str
    data_url: str = ""
    limits: Limits = field(default_factory=Limits)
    proxy: str = ""  # the one peer whose X-Forwarded-For names the client (production's nginx)

    @classmethod
    def for_project(
        cls,
        project: Path,
        site_url: str,
        data_url: str = "",
        limits: Limits | None = None,
        proxy: str = "",
    ) -> Settings:
        """The settings of the project's store `var/feedback/feedback.sqlite3` and its key."""
        return cls(
            store=project / store.DEFAULT_PATH,
            secret=load_secret(project / SECRET_PATH),
            site_url=site_url,
            data_url=data_url,
            limits=limits or Limits(),
            proxy=proxy,
        )


def load_secret(path: Path) -> bytes:
    """The service's key (32 random bytes), made on first use, readable by its owner only."""
    store.private_folder(path.parent)
    if not path.exists():
        try:
            with path.open("xb") as f:  # two services starting at once: one writes it
                path.chmod(0o600)
                f.write(secrets.token_bytes(32))
        except FileExistsError:
            pass
    key = path.read_bytes()
    if len(key) < 32:
        raise ValueError(f"{path}: 密钥不足 32 字节；删除该文件，服务会重新生成")
    return key
