// The search page: the site's Pagefind index, searched in the browser as the reader types.
// Nothing is fetched from anywhere but the site. Result links are relative to this page
// (the form's data-root leads back to the site root), so the site works under any sub-path.
(() => {
  const form = document.querySelector("form[data-search]");
  if (!form) return;
  const root = form.dataset.root || "";
  const { q: input, force: forceSelect, year: yearSelect, sort: sortSelect } = form.elements;
  const { from: fromInput, to: toInput } = form.elements;
  const STATE = ["q", "sort", "from", "to", "force", "year"]; // the fields the address holds, in its order
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = "Show more";
  more.hidden = true;
  list.after(more);

  const PAGE = 20;
  const FAILED = "Search failed: the index could not be read";
  let ordering = byRelevance([]); // the current search's results, in the order shown a page at a time
  let shown = 0;
  let latest = 0; // each search's number: an answer to an older one is dropped
  let timer;
  let replaced = new Set(); // the ids of results an edit since made out of date
  let loaded = ""; // the version of the indexes this page has loaded
  let days = []; // the date filter's values in order: 2021-03-18, or 2021-03 for a release dated to a month

  // Resolved against the page, not this script: data-root is the page's way back to the root.
  const bundle = (folder) => new URL(root + "pagefind/" + folder, document.baseURI).href;
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  choose(sortSelect, params.get("sort"));
  // A date field takes only a valid date: anything else in the address leaves it empty.
  fromInput.value = params.get("from") || "";
  toInput.value = params.get("to") || "";
  if (location.protocol === "file:") {
    // A browser reads no index from disk: say so, rather than fail at each search.
    status.textContent =
      "Search needs a web server: this page was opened from disk. Run python -m generator serve " +
      "and open the address it prints, or use the published site.";
    form.querySelector("button[type=submit]").disabled = true;
    return;
  }
  let ready = listing().then((found) => load(found, ""));

  // Every build writes recent.json: the version of its indexes, whether recent edits sit in an
  // index of their own, and the results of the others those edits replace. It is read again
  // before each search, so a page opened before a rebuild searches the new indexes.
  function listing() {
    return fetch(bundle("recent.json"), { cache: "no-store" })
      .then((answer) => answer.json())
      .catch(() => ({}));
  }

  // `fresh` is empty at first; loading the indexes again after a rebuild asks for new copies.
  async function load(found, fresh) {
    loaded = found.version || "";
    try {
      // The releases are split among several indexes (data-indexes names their folders under
      // pagefind/); the first is loaded and the others merged into it.
      // An index that cannot be loaded is left out, so the others still answer.
      const [first, ...others] = (form.dataset.indexes || "").split(" ");
      replaced = new Set(found.replaced || []);
      if (found.recent) others.push("recent/");
      const pagefind = await import(bundle(first) + "pagefind.js" + fresh);
      await Promise.allSettled(others.map((folder) => pagefind.mergeIndex(bundle(folder))));
      const filters = await pagefind.filters();
      days = Object.keys(filters.date || {}).sort();
      fill(forceSelect, Object.keys(filters.force || {}).sort((a, b) => a.localeCompare(b)));
      fill(yearSelect, Object.keys(filters.year || {}).sort((a, b) => b - a));
      choose(forceSelect, forceSelect.value || params.get("force"));
      choose(yearSelect, yearSelect.value || params.get("year"));
      return pagefind;
    } catch {
      status.textContent = "Search is not available: the index could not be loaded";
      return null;
    }
  }

  function fill(select, values) {
    const chosen = select.value;
    select.replaceChildren(select.options[0], ...values.map((value) => new Option(value, value)));
    select.value = chosen;
  }

  function choose(select, value) {
    select.value = value || "";
    if (select.selectedIndex < 0) select.value = ""; // a force or year the index does not know
  }

  async function search(again = false) {
    clearTimeout(timer);
    const current = await listing();
    if (current.version && current.version !== loaded) ready = load(current, `?${Date.now()}`);
    const pagefind = await ready;
    if (!pagefind) return;
    const number = ++latest;
    const query = input.value.trim();
    const filters = {};
    if (forceSelect.value) filters.force = forceSelect.value;
    if (yearSelect.value) filters.year = yearSelect.value;
    if (fromInput.value || toInput.value) filters.date = { any: within(fromInput.value, toInput.value) };
    remember();
    if (!query && !Object.keys(filters).length) {
      show(byRelevance([]), "");
      return;
    }
    try {
      // Pagefind's `any` of no values matches everything: a range no release is dated in finds none.
      const none = filters.date?.any.length === 0;
      const found = none ? { results: [] } : await pagefind.search(query || null, { filters });
      // An edit that left a release's document as it was gives it the same id in both indexes.
      const seen = new Set();
      const kept = found.results.filter((result) => {
        const fresh = !replaced.has(result.id) && !seen.has(result.id);
        seen.add(result.id);
        return fresh;
      });
      // Without words there is no relevance to order by: a filter alone lists the newest first.
      const sort = sortSelect.value || (query ? "" : "newest");
      const order = sort
        ? byDate(pagefind, query, filters, kept, found.filters?.date || {}, sort === "newest")
        : byRelevance(kept);
      const first = await order.page(0);
      if (number !== latest) return;
      show(order, describe(kept.length, query) + (sort !== sortSelect.value ? ", newest first" : ""));
      append(first);
    } catch {
      if (number !== latest) return;
      // The site was rebuilt since its index was loaded, and the index's files, named by what
      // they hold, were replaced: load the new index once and search again.
      if (!again) {
        ready = listing().then((found) => load(found, `?${Date.now()}`));
        return search(true);
      }
      show(byRelevance([]), FAILED);
    }
  }

  // The dates within a range (either end may be empty): a release dated to the month is within it
  // when its month is.
  function within(from, to) {
    return days.filter((day) => day >= from.slice(0, day.length) && (!to || day <= to.slice(0, day.length)));
  }

  // Results in Pagefind's order (relevance), each page's data loaded as it is shown.
  function byRelevance(kept) {
    return { total: kept.length, page: (from) => fetchPage(kept, from) };
  }

  // Results in date order, newest or oldest first. Pagefind's own sort orders each index apart and
  // interleaves merged ones, so the order is made here from the date filter: the days the search
  // found (with its count of each) are taken in order, as many as the next page needs, and one search
  // finds their releases, put in order by the date in their data. Undated releases come last.
  function byDate(pagefind, query, filters, kept, counts, newest) {
    const todo = days.filter((day) => counts[day]);
    if (newest) todo.reverse();
    const left = new Set(kept.map((result) => result.id)); // not in order yet (a replaced copy never is)
    const ordered = [];
    async function page(from) {
      while (ordered.length < from + PAGE && todo.length) {
        const batch = [];
        for (let count = ordered.length; todo.length && count < from + PAGE; count += counts[batch.at(-1)]) {
          batch.push(todo.shift());
        }
        const found = await pagefind.search(query || null, { filters: { ...filters, date: { any: batch } } });
        const fresh = found.results.filter((result) => left.delete(result.id));
        const data = await Promise.all(fresh.map((result) => result.data()));
        // by day, then within a day by the time, where the release gives one
        const place = (item) => batch.indexOf(item.filters.date[0]);
        const within = (a, b) => (a.meta.moment || "").localeCompare(b.meta.moment || "") * (newest ? -1 : 1);
        data.sort((a, b) => place(a) - place(b) || within(a, b));
        ordered.push(...data.map((item) => ({ data: () => item })));
      }
      if (!todo.length) {
        ordered.push(...kept.filter((result) => left.has(result.id))); // undated, in relevance order
        left.clear();
      }
      return fetchPage(ordered, from);
    }
    return { total: kept.length, page };
  }

  function show(order, text) {
    ordering = order;
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    status.textContent = text;
  }

  function describe(count, query) {
    const words = query ? ` for “${query}”` : "";
    if (!count) return `No releases found${words}`;
    return `${count} ${count === 1 ? "release" : "releases"} found${words}`;
  }

  // A page of results' data: what each links to, its title, force, date and excerpt.
  function fetchPage(found, from) {
    return Promise.all(found.slice(from, from + PAGE).map((result) => result.data()));
  }

  function append(page) {
    list.append(...page.map(item));
    shown += page.length;
    more.hidden = shown >= ordering.total;
  }

  function item(data) {
    const li = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = root + (data.raw_url || data.url).replace(/^\//, "");
    link.textContent = data.meta.title || link.href;
    heading.append(link);
    const line = document.createElement("p");
    line.className = "search-meta";
    line.textContent = [data.meta.force, data.meta.date].filter(Boolean).join(" · ");
    const excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>
    li.append(heading, line, excerpt);
    return li;
  }

  // The search in the address, so that a link to it searches alike.
  function remember() {
    const state = new URLSearchParams();
    for (const name of STATE) {
      const value = form.elements[name].value.trim();
      if (value) state.set(name, value);
    }
    const text = state.toString();
    history.replaceState(null, "", text ? `?${text}` : location.pathname);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  for (const control of [forceSelect, yearSelect, fromInput, toInput, sortSelect]) {
    control.addEventListener("change", () => search());
  }
  more.addEventListener("click", async () => {
    const number = latest;
    const first = shown;
    more.disabled = true;
    try {
      const page = await ordering.page(first);
      if (number !== latest) return; // a newer search replaced the list meanwhile
      append(page);
      list.children[first].querySelector("a").focus(); // keyboard users carry on from the new results
    } catch {
      status.textContent = FAILED;
    } finally {
      more.disabled = false;
    }
  });

  if (STATE.some((name) => name !== "sort" && params.get(name))) search();
})();
