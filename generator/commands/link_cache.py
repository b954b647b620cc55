"""What `check --links --external` found at each URL, and when (`.cache/links.json`).

Checking thousands of press-room links on every run would be slow and impolite, so a link that
answered is not asked again until its result is older than `--max-age`. Only answers are kept:
a broken link, a timeout or a refusal is asked again on every run, because that is the result
the user is acting on, and a passing outage must not stay on the list. The file is plain JSON,
written whole (a temporary file renamed over it); one that cannot be read is set aside with a
warning, and every link is checked again.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

FORMAT = 1
Severity = Literal["ok", "warning", "error"]


@dataclass(frozen=True)
class Verdict:
    """What one URL answered: `ok`, a `warning` (moved, or refused to a checker), or an `error`."""

    url: str
    severity: Severity
    detail: str  # `404 Not Found`, `moved to https://…`, `timed out after 10 s`
    checked: datetime
    answered: bool = True  # False for a refusal (401, 403, 429): it says nothing of the page


class LinkCache:
    """The verdicts of earlier runs still young enough to trust."""

    def __init__(self, path: Path, max_age: timedelta, verdicts: dict[str, Verdict] | None = None) -> None:
        self.path = path
        self.max_age = max_age
        self.verdicts = verdicts or {}

    @classmethod
    def load(cls, path: Path, max_age: timedelta) -> tuple[LinkCache, str | None]:
        """The cache at `path` (empty if there is none yet), and a warning when it could not be read."""
        try:
            data = json.loads(path.read_bytes())
            verdicts = {url: _verdict(url, entry) for url, entry in data["links"].items()}
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, not {FORMAT}")
        except FileNotFoundError:
            return cls(path, max_age), None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            warning = f"{path}: warning: the link cache cannot be read ({error}); checking every link again"
            return cls(path, max_age), warning
        return cls(path, max_age, verdicts), None

    def fresh(self, url: str, now: datetime) -> Verdict | None:
        verdict = self.verdicts.get(url)
        return verdict if verdict and now - verdict.checked <= self.max_age else None

    def keep(self, verdicts: list[Verdict]) -> None:
        """Remember what answered; forget what did not, so it is asked again."""
        for verdict in verdicts:
            if verdict.severity == "error" or not verdict.answered:
                self.verdicts.pop(verdict.url, None)
            else:
                self.verdicts[verdict.url] = verdict

    def save(self) -> None:
        """Write the file whole: a run stopped halfway leaves the last one as it was."""
        links = {
            url: {"severity": v.severity, "detail": v.detail, "checked": v.checked.strftime("%Y-%m-%dT%H:%M:%SZ")}
            for url, v in sorted(self.verdicts.items())
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=self.path.parent, prefix=".links-", delete=False) as file:
            try:
                json.dump({"format": FORMAT, "links": links}, file, indent=1)
            except BaseException:
                os.unlink(file.name)
                raise
        os.replace(file.name, self.path)


def _verdict(url: str, entry: dict[str, Any]) -> Verdict:
    severity = entry["severity"]
    if severity not in ("ok", "warning"):
        raise ValueError(f"{url}: severity {severity!r}")
    checked = datetime.strptime(entry["checked"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return Verdict(url, severity, str(entry["detail"]), checked)
