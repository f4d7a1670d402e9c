// django-import-export's export page wires its "Select all" box with an inline onchange
// attribute, which the site's CSP blocks; bind the same handler from a file instead.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.onSelectToggleChange !== "function") return
  for (const toggle of document.querySelectorAll("input.select-toggle")) {
    toggle.addEventListener("change", window.onSelectToggleChange)
  }
})
