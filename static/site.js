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

// A "Copy" button beside the citation and the BibTeX, for the keyboard (a click on the text
// selects it all without any script). The text is selected too, so where the clipboard cannot be
// written (a page not served over https) Ctrl+C copies it.
for (const box of document.querySelectorAll("[data-copy]")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy";
  button.textContent = box.dataset.copy;
  const said = document.createElement("span");
  said.className = "copy-status";
  said.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    const range = document.createRange();
    range.selectNodeContents(box);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    try {
      await navigator.clipboard.writeText(box.innerText.trim());
      said.textContent = "Copied";
    } catch {
      said.textContent = "Selected: press Ctrl+C to copy";
    }
  });
  box.after(button, said);
}
