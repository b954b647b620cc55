"""The address a published site is read at: never this machine, a private network or a
placeholder, and on GitHub Pages the one the repository's remote implies."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# Names that reach no public site: this machine, a local network, or a name kept for examples.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".test", ".example", ".invalid")
_PLACEHOLDERS = ("example.com", "example.org", "example.net")
_GITHUB = re.compile(
    r"(?:https?://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com(?::\d+)?/|git://github\.com/)"
    r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?"
)


def local_address(url: str) -> bool:
    """Whether `url` is read only on this machine or its network, or is a placeholder."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return (
            "." not in host
            or host.endswith(_LOCAL_SUFFIXES)
            or any(host == name or host.endswith(f".{name}") for name in _PLACEHOLDERS)
        )
    return not ip.is_global


def pages_address(remote_url: str) -> str | None:
    """The GitHub Pages address of the repository at `remote_url` (`github.com/<owner>/<repo>` is
    `https://<owner>.github.io/<repo>/`; `<owner>.github.io` itself is served at the root), or None
    when the remote is not on GitHub."""
    match = _GITHUB.fullmatch(remote_url.strip())
    if match is None:
        return None
    owner, repo = match["owner"].lower(), match["repo"]
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"
