// Opened from disk (file://), folder links would show a directory listing:
// point them at the folder's index.html instead. Served over HTTP, nothing changes.
if (location.protocol === "file:") {
  for (const link of document.querySelectorAll("a[href]")) {
    const href = link.getAttribute("href");
    if (!/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(href) && href.endsWith("/")) {
      link.setAttribute("href", href + "index.html");
    }
  }
}
