"""The stylesheet's colours meet WCAG AA contrast in both colour schemes."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

CSS = (ROOT / "static" / "style.css").read_text(encoding="utf-8")


def scheme(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", block, re.I))


LIGHT = scheme(CSS.split("@media (prefers-color-scheme: dark)")[0])
DARK = {**LIGHT, **scheme(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}\n}")[0])}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("foreground", ["text", "muted", "link", "link-visited", "accent"])
@pytest.mark.parametrize("background", ["bg", "surface"])
def test_text_colours_meet_aa_contrast(colours: dict[str, str], foreground: str, background: str) -> None:
    assert contrast(colours[foreground], colours[background]) >= 4.5


def test_dark_scheme_overrides_every_colour() -> None:
    assert set(scheme(CSS.split("@media (prefers-color-scheme: dark)")[1])) >= {"bg", "text", "muted", "link", "accent"}
    assert LIGHT["bg"] != DARK["bg"]


def test_layout_adapts_to_small_screens_and_print() -> None:
    assert "@media (max-width:" in CSS and "@media print" in CSS
    assert "http" not in re.sub(r'a\[href\^="http"\]', "", CSS)  # nothing loaded from elsewhere
