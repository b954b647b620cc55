"""What a built site's search finds, read from its files as the search page reads them.

The search page loads the indexes its form names, and the index of recent edits when
`pagefind/recent.json` says there is one, and leaves out the results that file lists as
replaced, and a result whose id it has already seen (an edit that left a release's document as
it was gives it the same id in its shard and in the small index). Two builds whose searches find the same documents (same URL, text, filters and
metadata) search alike, however their releases are split among indexes.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path


def searchable(site: Path) -> dict[str, str]:
    """Each document search can find, by URL, as canonical JSON; an assertion error if one URL
    would be found twice."""
    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'data-indexes="([^"]*)"', page)
    assert found, "the search page names no indexes"
    indexes = found.group(1).split()
    listing = json.loads((site / "pagefind" / "recent.json").read_text(encoding="utf-8"))
    if listing["recent"]:
        indexes.append("recent/")
    replaced = set(listing["replaced"])
    documents: dict[str, str] = {}
    seen = set()  # a document's id is its fragment's name: two indexes may hold the same one
    for index in indexes:
        for fragment in sorted((site / "pagefind" / index / "fragment").glob("*.pf_fragment")):
            if fragment.stem in replaced or fragment.stem in seen:
                continue
            seen.add(fragment.stem)
            text = gzip.decompress(fragment.read_bytes()).decode()
            data = json.loads(text[text.index("{") :])
            assert data["url"] not in documents, f"{data['url']} is found twice"
            shown = {key: data.get(key) for key in ("url", "content", "meta", "filters")}
            documents[data["url"]] = json.dumps(shown, sort_keys=True)
    return documents
