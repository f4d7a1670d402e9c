/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // The filter panel is a <details>, collapsed on phones; open it on wide screens.
  var wide = window.matchMedia && window.matchMedia("(min-width: 62rem)");
  var panels = document.querySelectorAll("details.filters");
  function sync() {
    for (var i = 0; i < panels.length; i++) {
      if (wide && wide.matches) { panels[i].open = true; }
    }
  }
  sync();
  if (wide && wide.addEventListener) { wide.addEventListener("change", sync); }

  // /partnerships/#slug: when the partnership is on another page, ask the server for it.
  var finder = document.querySelector("[data-find-url]");
  var hash = decodeURIComponent((window.location.hash || "").slice(1));
  if (finder && hash && /^[\w-]+$/.test(hash) && !document.getElementById(hash)) {
    window.location.replace(finder.getAttribute("data-find-url") + encodeURIComponent(hash));
  }
})();
