"""`python -m tests.golden`: write the golden output and the broken inputs' expected lines anew."""

from . import EXPECTED, regenerate

regenerate()
print(f"wrote {EXPECTED}; review the diff before committing it")
