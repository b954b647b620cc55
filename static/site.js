// Opened from disk (file://), folder links and the search box would show a directory
// listing: point them at the folder's index.html instead. Served over HTTP, nothing changes.
if (location.protocol === "file:") {
  const local = (address) => !/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(address) && address.endsWith("/");
  for (const link of document.querySelectorAll("a[href]")) {
    if (local(link.getAttribute("href"))) link.setAttribute("href", link.getAttribute("href") + "index.html");
  }
  for (const form of document.querySelectorAll("form[action]")) {
    if (local(form.getAttribute("action"))) form.setAttribute("action", form.getAttribute("action") + "index.html");
  }
}
