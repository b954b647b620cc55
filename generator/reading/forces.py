"""The registry of police forces, and matching the messy names publishers use to it.

Press releases name their publisher in many ways ("Met Police", "MPS", "Heddlu
Gogledd Cymru / North Wales Police"); every spelling of one force must land on the
same page, and an unknown name must get a page of its own rather than a wrong force.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from generator.model import Force
from generator.words import did_you_mean

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "forces.yaml"
KINDS = frozenset({"territorial", "national", "regional", "special"})
_ENTRY_KEYS = frozenset({"name", "slug", "kind", "aliases", "website", "country"})  # country: for the tests
_GENERIC = frozenset({"police", "constabulary", "service", "force", "of", "heddlu"})  # heddlu: Welsh "police"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DROPPED = re.compile(r"['’‘ʼ`.]")  # apostrophes and dots join their neighbours: "P.S.N.I." is "psni"
_NON_WORD = re.compile(r"[\W_]+")
_SEPARATORS = re.compile(r"\s*[/|()\[\]]\s*|\s+[-–—]\s+")  # hyphens inside names (Dyfed-Powys) are kept


def normalise(name: str) -> str:
    """The matching key: case, accents, punctuation, "&" and a leading "the" do not matter."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    text = _DROPPED.sub("", text.casefold().replace("&", " and "))
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _core(key: str) -> str:
    """A key without generic words, so "Kent Constabulary" and "Metropolitan" find their force."""
    return " ".join(word for word in key.split() if word not in _GENERIC)


class Registry:
    """Known forces, indexed by every normalised name and alias, and by core name where unambiguous."""

    def __init__(self, forces: Iterable[Force]) -> None:
        self.forces: tuple[Force, ...] = tuple(forces)
        self._slugs = {force.slug: force for force in self.forces}
        self._keys: dict[str, Force] = {}
        self._cores: dict[str, Force | None] = {}  # None marks a core shared by two forces
        for number, force in enumerate(self.forces, 1):
            for label in (force.name, *force.aliases):
                key = normalise(label)
                other = self._keys.setdefault(key, force)
                if not key or other is not force:
                    clash = (
                        f"normalises to {key!r}, already a name of {other.name!r}" if key else "has nothing to match"
                    )
                    raise ValueError(f"entry {number} ({force.name!r}): {label!r} {clash}")
                core = _core(key)
                if core:
                    self._cores[core] = force if self._cores.get(core, force) is force else None

    def resolve(self, name: str) -> Force | None:
        """The force `name` means, or None when unknown or ambiguous (never a guess).

        A combined name ("Heddlu Gwent / Gwent Police", "Metropolitan Police Service (MPS)")
        that does not match whole resolves when the parts that match all name one force.
        """
        force = self._match(name)
        if force is None and _SEPARATORS.search(name):
            found = {match for part in _SEPARATORS.split(name) if (match := self._match(part))}
            force = found.pop() if len(found) == 1 else None
        return force

    def nearest(self, name: str) -> str:
        """` (did you mean 'Devon and Cornwall Police'?)` for a misspelt force, or nothing."""
        return did_you_mean(name, (label for force in self.forces for label in (force.name, *force.aliases)))

    def by_slug(self, slug: str) -> Force | None:
        """The force whose page is at `slug`."""
        return self._slugs.get(slug)

    def _match(self, name: str) -> Force | None:
        """Exact key first, so a core key never overrides a name or alias."""
        key = normalise(name)
        return (self._keys.get(key) or self._cores.get(_core(key))) if key else None


def load_registry(path: Path | None = None) -> Registry:
    """The registry in `path`, or the bundled one (read once per process)."""
    return _load_default() if path is None else _load(path)


@functools.cache
def _load_default() -> Registry:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Registry:
    try:
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of forces")
    forces: dict[str, Force] = {}
    for number, entry in enumerate(entries, 1):
        force = _force(entry, f"{path}: entry {number}")
        if force.slug in forces:
            raise ValueError(f"{path}: entry {number} ({force.name!r}): slug {force.slug!r} is used twice")
        forces[force.slug] = force
    try:
        return Registry(forces.values())
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def _force(entry: Any, where: str) -> Force:
    """One checked entry: a typo in the registry must fail the build, not mislabel releases."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a mapping with name, slug and kind")
    fields: dict[str, Any] = {"name": None, "slug": None, "kind": None, "aliases": [], "website": None, **entry}
    name, slug, kind, aliases, website = (fields[key] for key in ("name", "slug", "kind", "aliases", "website"))
    where = f"{where} ({name!r})"
    problems = [f"unknown key {key!r}" for key in entry if key not in _ENTRY_KEYS]
    if not isinstance(name, str) or not name.strip():
        problems.append("name must be a non-empty string")
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        problems.append(f"slug {slug!r} must be lowercase words joined by single hyphens")
    if kind not in KINDS:
        problems.append(f"kind {kind!r} must be one of {', '.join(sorted(KINDS))}")
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        problems.append("aliases must be a list of strings")
    if website is not None and not (isinstance(website, str) and website.startswith("https://")):
        problems.append(f"website {website!r} must be an https:// address")
    if problems:
        raise ValueError(f"{where}: {'; '.join(problems)}")
    return Force(name=name, slug=slug, kind=kind, aliases=tuple(aliases), website=website)


def unregistered_force(name: str) -> Force:
    """A page of its own for a publisher not in the registry; its slug is always safe in a URL."""
    from slugify import slugify  # slow to import, and rarely needed

    display = " ".join(name.split()) or "Unknown publisher"
    slug = slugify(display, max_length=80, word_boundary=True) or "unknown-publisher"
    return Force(name=display, slug=slug)
