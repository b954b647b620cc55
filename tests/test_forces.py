from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from slugify import slugify

from generator.model import Force
from generator.reading.forces import DEFAULT_PATH, Registry, load_registry, normalise, unregistered_force

ENGLAND_AND_WALES = {
    "avon-and-somerset-police", "bedfordshire-police", "cambridgeshire-constabulary", "cheshire-constabulary",
    "city-of-london-police", "cleveland-police", "cumbria-constabulary", "derbyshire-constabulary",
    "devon-and-cornwall-police", "dorset-police", "durham-constabulary", "dyfed-powys-police", "essex-police",
    "gloucestershire-constabulary", "greater-manchester-police", "gwent-police",
    "hampshire-and-isle-of-wight-constabulary", "hertfordshire-constabulary", "humberside-police", "kent-police",
    "lancashire-constabulary", "leicestershire-police", "lincolnshire-police", "merseyside-police",
    "metropolitan-police", "norfolk-constabulary", "north-wales-police", "north-yorkshire-police",
    "northamptonshire-police", "northumbria-police", "nottinghamshire-police", "south-wales-police",
    "south-yorkshire-police", "staffordshire-police", "suffolk-constabulary", "surrey-police", "sussex-police",
    "thames-valley-police", "warwickshire-police", "west-mercia-police", "west-midlands-police",
    "west-yorkshire-police", "wiltshire-police",
}  # fmt: skip
SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug_of(registry: Registry, name: str) -> str | None:
    force = registry.resolve(name)
    return force.slug if force else None


def entries() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    return loaded


def write_registry(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "forces.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# The registry's contents


def test_registry_has_exactly_the_43_territorial_forces_of_england_and_wales() -> None:
    listed = {e["slug"] for e in entries() if e["kind"] == "territorial" and e["country"] in ("england", "wales")}
    assert len(ENGLAND_AND_WALES) == 43
    assert listed == ENGLAND_AND_WALES
    assert sum(e["country"] == "wales" and e["kind"] == "territorial" for e in entries()) == 4


def test_scotland_northern_ireland_transport_police_and_national_bodies_are_registered(registry: Registry) -> None:
    expected = {
        "police-scotland": "territorial",
        "police-service-of-northern-ireland": "territorial",
        "british-transport-police": "special",
        "national-crime-agency": "national",
        "national-police-chiefs-council": "national",
        "ministry-of-defence-police": "national",
        "civil-nuclear-constabulary": "national",
        "national-county-lines-coordination-centre": "national",
    }
    for slug, kind in expected.items():
        force = registry.by_slug(slug)
        assert force is not None and force.kind == kind and force.registered, slug


def test_the_nine_regional_organised_crime_units_are_registered(registry: Registry) -> None:
    assert sum(force.kind == "regional" for force in registry.forces) == 9


def test_forces_keep_file_order_and_every_entry_is_well_formed(registry: Registry) -> None:
    assert [force.slug for force in registry.forces] == [e["slug"] for e in entries()]
    assert {e["country"] for e in entries()} <= {"england", "wales", "scotland", "northern-ireland", "uk"}
    for force in registry.forces:
        assert force.website is None or force.website.startswith("https://")


def test_every_slug_is_the_slug_of_its_name_and_unique(registry: Registry) -> None:
    slugs = [force.slug for force in registry.forces]
    assert len(slugs) == len(set(slugs))
    for force in registry.forces:
        assert force.slug == slugify(force.name), force.name


def test_every_name_alias_and_slug_resolves_to_its_own_force(registry: Registry) -> None:
    for force in registry.forces:
        for label in (force.name, *force.aliases, force.slug, force.name.upper()):
            assert registry.resolve(label) is force, label
        assert registry.by_slug(force.slug) is force


def test_by_slug_of_an_unknown_slug_is_none(registry: Registry) -> None:
    assert registry.by_slug("no-such-force") is None
    assert registry.by_slug("Metropolitan Police") is None


def test_default_registry_is_loaded_once() -> None:
    assert load_registry() is load_registry()


# Resolving names


@pytest.mark.parametrize(
    "name",
    [
        "Metropolitan Police",
        "Metropolitan Police Service",
        "Met Police",
        "MPS",
        "the Met",
        "The Met",
        "metropolitan police",
        "  METROPOLITAN\t police\n",
        "Scotland Yard",
        "Metropolitan Police Service (MPS)",
        "Metropolitan Police Force",
    ],
)
def test_names_of_the_met_resolve_to_the_met(registry: Registry, name: str) -> None:
    assert slug_of(registry, name) == "metropolitan-police"


@pytest.mark.parametrize(
    "name",
    [
        "Hampshire Constabulary",
        "Hampshire & Isle of Wight Constabulary",
        "Hampshire and Isle of Wight Constabulary",
        "Hampshire Police",
    ],
)
def test_hampshire_under_its_old_and_new_names(registry: Registry, name: str) -> None:
    assert slug_of(registry, name) == "hampshire-and-isle-of-wight-constabulary"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Heddlu Gogledd Cymru / North Wales Police", "north-wales-police"),
        ("North Wales Police / Heddlu Gogledd Cymru", "north-wales-police"),
        ("Heddlu Gogledd Cymru", "north-wales-police"),
        ("Heddlu Dyfed-Powys - Dyfed-Powys Police", "dyfed-powys-police"),
        ("Heddlu Dyfed-Powys | Dyfed-Powys Police", "dyfed-powys-police"),
        ("Dyfed Powys Police", "dyfed-powys-police"),
        ("Heddlu Gwent – Gwent Police", "gwent-police"),
        ("Heddlu De Cymru — South Wales Police", "south-wales-police"),
        ("Heddlu Sifil Niwclear", "civil-nuclear-constabulary"),
        ("Poileas Alba", "police-scotland"),
    ],
)
def test_welsh_gaelic_and_bilingual_names_resolve(registry: Registry, name: str, slug: str) -> None:
    assert slug_of(registry, name) == slug


@pytest.mark.parametrize(
    "name",
    [
        "National Police Chiefs’ Council",
        "National Police Chiefs‘ Council",
        "National Police Chiefs' Council",
        "National Police Chiefs Council",
        "the National Police Chiefs’ Council (NPCC)",
        "NPCC",
    ],
)
def test_apostrophes_do_not_matter(registry: Registry, name: str) -> None:
    assert slug_of(registry, name) == "national-police-chiefs-council"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Devon & Cornwall Police", "devon-and-cornwall-police"),
        ("Devon and Cornwall Constabulary", "devon-and-cornwall-police"),
        ("Avon & Somerset Constabulary", "avon-and-somerset-police"),
        ("P.S.N.I.", "police-service-of-northern-ireland"),
        ("GMP", "greater-manchester-police"),
        ("WMP", "west-midlands-police"),
        ("TVP", "thames-valley-police"),
        ("BTP", "british-transport-police"),
        ("NCA", "national-crime-agency"),
        ("National County Lines Co-ordination Centre", "national-county-lines-coordination-centre"),
        ("Lancashire Police", "lancashire-constabulary"),
        ("Durham Police", "durham-constabulary"),
        ("Kent County Constabulary", "kent-police"),
        ("Titan", "north-west-regional-organised-crime-unit"),
        ("Tarian", "southern-wales-regional-organised-crime-unit"),
        ("EMSOU", "east-midlands-special-operations-unit"),
        ("ERSOU", "eastern-region-special-operations-unit"),
        ("ＫＥＮＴ　ＰＯＬＩＣＥ", "kent-police"),  # full-width, as pasted from some sites
    ],
)
def test_abbreviations_ampersands_and_variants_resolve(registry: Registry, name: str, slug: str) -> None:
    assert slug_of(registry, name) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Kent Constabulary", "kent-police"),
        ("Kent", "kent-police"),
        ("Metropolitan", "metropolitan-police"),
        ("Essex Police Service", "essex-police"),
        ("Surrey Constabulary", "surrey-police"),
        ("Scotland Police", "police-scotland"),
        ("Northern Ireland Police", "police-service-of-northern-ireland"),
        ("City of London Police Force", "city-of-london-police"),
        ("Gwent", "gwent-police"),
    ],
)
def test_core_name_without_generic_words_resolves(registry: Registry, name: str, slug: str) -> None:
    assert slug_of(registry, name) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("West Midlands", "west-midlands-police"),
        ("West Midlands Police Service", "west-midlands-police"),
        ("West Midlands ROCU", "west-midlands-regional-organised-crime-unit"),
        ("West Midlands Regional Organised Crime Unit", "west-midlands-regional-organised-crime-unit"),
        ("Regional Organised Crime Unit for the West Midlands Region", "west-midlands-regional-organised-crime-unit"),
        ("South Wales", "south-wales-police"),
        ("Southern Wales ROCU", "southern-wales-regional-organised-crime-unit"),
    ],
)
def test_a_force_and_its_regions_crime_unit_are_told_apart(registry: Registry, name: str, slug: str) -> None:
    assert slug_of(registry, name) == slug


def test_no_core_name_is_shared_by_two_registered_forces(registry: Registry) -> None:
    # A shared core would silently stop resolving; keep the registry free of them.
    assert all(force is not None for force in registry._cores.values())


def test_an_ambiguous_core_name_resolves_to_nothing() -> None:
    registry = Registry(
        [
            Force("Northshire Police", "northshire-police", "territorial"),
            Force("Northshire Constabulary", "northshire-constabulary", "territorial"),
            Force("Southshire Police", "southshire-police", "territorial"),
        ]
    )
    assert slug_of(registry, "Northshire Police") == "northshire-police"
    assert slug_of(registry, "Northshire Constabulary") == "northshire-constabulary"
    assert slug_of(registry, "Northshire") is None
    assert slug_of(registry, "Northshire Police Service") is None
    assert slug_of(registry, "Southshire Constabulary") == "southshire-police"


@pytest.mark.parametrize(
    "name",
    [
        "Yorkshire Police",  # North, South or West?
        "Wales Police",
        "Midlands Police",
        "Kent Police / Essex Police",
        "Heddlu Gwent / South Wales Police",
        "Synthetic Borough Constabulary",
        "Police",
        "Police Service",
        "Constabulary",
        "The",
        "Metropolitan Police Federation",
        "Kent Police Kent Police",
    ],
)
def test_unknown_or_ambiguous_names_resolve_to_nothing(registry: Registry, name: str) -> None:
    assert registry.resolve(name) is None


@pytest.mark.parametrize(
    "name", ["", "   ", "\n\t", "/", " - ", "()", "&", "'", "...", "\x00", "\ud800", "🚓", "x" * 100_000, "/ | – —"]
)
def test_empty_and_garbage_names_resolve_to_nothing(registry: Registry, name: str) -> None:
    assert registry.resolve(name) is None


def test_resolve_never_raises_on_random_text(registry: Registry) -> None:
    rng = random.Random(20210224)
    alphabet = "aeKntPolic &/|-–—()[]'’‘.,\t\nÜïéŵ\u0301\ud800\x00🚓ﬁ"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        force = registry.resolve(text)
        assert force is None or force.registered


# The matching key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Met", "met"),
        ("Devon & Cornwall", "devon and cornwall"),
        ("Chiefs’", "Chiefs'"),
        ("Chiefs'", "Chiefs"),
        ("Dyfed-Powys", "Dyfed Powys"),
        ("Dyfed–Powys", "dyfed powys"),
        ("Heddlu Gogledd Cymru", "HEDDLU GOGLEDD CYMRU"),
        ("Gŵent", "Gwent"),
        ("Ünïcödé", "unicode"),
        ("  a \t b\n", "a b"),
        ("Police (Service)", "police service"),
        ("St. Albans, Herts", "st albans herts"),
    ],
)
def test_normalise_ignores_case_accents_punctuation_and_a_leading_the(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_normalise_keeps_a_the_that_is_not_leading() -> None:
    assert normalise("Yorkshire and the Humber") == "yorkshire and the humber"
    assert normalise("the") == ""


# Publishers not in the registry


@pytest.mark.parametrize(
    "name",
    [
        "../../etc",
        "A/B",
        "",
        "   ",
        "Ünïcödé Force",
        "Police & Crime Commissioner’s Office",
        "..",
        "/",
        "\\..\\windows",
        "\ud800",
        "🚓🚓",
        "日本警察",
        "x" * 500,
        "<script>alert(1)</script>",
    ],
)
def test_unregistered_force_slug_is_safe_for_hostile_names(name: str) -> None:
    force = unregistered_force(name)
    assert SAFE_SLUG.fullmatch(force.slug), force.slug
    assert "/" not in force.slug and ".." not in force.slug
    assert len(force.slug) <= 80
    assert not force.registered and force.kind == "unregistered" and force.aliases == ()


def test_unregistered_force_keeps_a_readable_name() -> None:
    force = unregistered_force("  Synthetic   Borough\tConstabulary \n")
    assert (force.name, force.slug) == ("Synthetic Borough Constabulary", "synthetic-borough-constabulary")
    assert unregistered_force("Ünïcödé Force").slug == "unicode-force"
    assert unregistered_force("").slug == unregistered_force("🚓").slug == "unknown-publisher"


# Load-time validation

VALID = """\
- name: Northshire Police
  slug: northshire-police
  kind: territorial
  aliases: [Northshire Constabulary, Northshire & District Police]
- name: Southshire Police
  slug: southshire-police
  kind: territorial
  website: https://example.org
"""


def test_a_valid_file_loads(tmp_path: Path) -> None:
    registry = load_registry(write_registry(tmp_path, VALID))
    assert [force.slug for force in registry.forces] == ["northshire-police", "southshire-police"]
    assert slug_of(registry, "Northshire and District Police") == "northshire-police"
    assert registry.forces[1].website == "https://example.org"


def test_the_same_alias_twice_for_one_force_is_allowed(tmp_path: Path) -> None:
    text = VALID.replace("[Northshire Constabulary,", "[Northshire Constabulary, NORTHSHIRE constabulary,")
    assert load_registry(write_registry(tmp_path, text)).resolve("Northshire Constabulary") is not None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("  website: https://example.org", "  aliases: [Northshire Constabulary]"), "Northshire Constabulary"),
        (("  website: https://example.org", '  aliases: ["Northshire Police"]'), "Northshire Police"),
        (("  website: https://example.org", "  aliases: [the northshire-police]"), "already a name of"),
        (("slug: southshire-police", "slug: northshire-police"), "used twice"),
        (("slug: southshire-police", "slug: Southshire Police"), "slug"),
        (("slug: southshire-police", "slug: ../southshire"), "slug"),
        (("slug: southshire-police", "slug: southshire--police"), "slug"),
        (("kind: territorial\n  website", "kind: county\n  website"), "kind"),
        (("https://example.org", "http://example.org"), "https"),
        (("name: Southshire Police", "name: '!!!'"), "nothing to match"),
        (("name: Southshire Police", "name: ''"), "name"),
        (("  website: https://example.org", "  aliases: Southshire Constabulary"), "aliases"),
        (("  website: https://example.org", "  alias: [Southshire]"), "unknown key"),
    ],
)
def test_load_rejects_bad_entries_naming_file_and_entry(tmp_path: Path, change: tuple[str, str], words: str) -> None:
    old, new = change
    assert old in VALID
    path = write_registry(tmp_path, VALID.replace(old, new))
    with pytest.raises(ValueError, match=r"forces\.yaml") as error:
        load_registry(path)
    message = str(error.value)
    assert words in message
    assert "entry 2" in message


@pytest.mark.parametrize("text", ["name: Northshire Police\n", "- just a string\n", "- [a, b]\n", ": : :\n"])
def test_load_rejects_a_file_that_is_not_a_list_of_entries(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError, match=r"forces\.yaml"):
        load_registry(write_registry(tmp_path, text))
