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

  // Compare: the ticks are kept in this tab while the visitor filters and turns pages, and
  // those made elsewhere go along when the form is sent.
  var compare = document.getElementById("compare-form");
  if (compare) { keepComparePicks(compare); }
  // The compare page: what it shows becomes the list's ticks, so choosing more goes on from it.
  var shown = document.querySelector("[data-compare-shown]");
  if (shown) {
    try {
      window.sessionStorage.setItem("gzc.compare", JSON.stringify(
        shown.getAttribute("data-compare-shown").split(" ").filter(Boolean)));
    } catch (e) { /* storage off, full or private */ }
  }

  // /partnerships/#slug: when the partnership is on another page, ask the server for it.
  var finder = document.querySelector("[data-find-url]");
  var hash = decodeURIComponent((window.location.hash || "").slice(1));
  if (finder && hash && /^[\w-]+$/.test(hash) && !document.getElementById(hash)) {
    window.location.replace(finder.getAttribute("data-find-url") + encodeURIComponent(hash));
  }

  function keepComparePicks(form) {
    var KEY = "gzc.compare";
    var max = parseInt(form.getAttribute("data-compare-max"), 10) || 4;
    var status = form.querySelector("[data-compare-status]");
    // A live region announces only while it is in the page: this one never hides.
    var announce = form.querySelector("[data-compare-announce]");
    var clear = form.querySelector("[data-compare-clear]");
    var bar = form.querySelector(".compare-bar");
    var submit = form.querySelector('button[type="submit"]');
    var boxes = form.querySelectorAll('input[type="checkbox"][name="items"]');
    var store;
    try { store = window.sessionStorage; store.getItem(KEY); } catch (e) { return; }

    function load() {
      var list;
      try { list = JSON.parse(store.getItem(KEY) || "[]"); } catch (e) { list = []; }
      if (!Array.isArray(list)) { return []; }
      return list.filter(function (slug, at) {
        return typeof slug === "string" && /^[\w-]{1,100}$/.test(slug) && list.indexOf(slug) === at;
      }).slice(0, max);
    }
    function save(list) {
      try { store.setItem(KEY, JSON.stringify(list)); } catch (e) { /* full or private */ }
    }
    function say(text) {
      // Emptied first, so the same words said twice are read out twice.
      announce.textContent = "";
      window.setTimeout(function () { announce.textContent = text; }, 50);
    }
    function show(message, quiet) {
      var count = load().length;
      status.textContent = message || status.getAttribute("data-selected").replace("{count}", count);
      status.hidden = !message && count === 0;
      clear.hidden = count === 0;
      // Kept in sight at the bottom of the screen while anything is picked (phones).
      bar.classList.toggle("compare-bar--active", !status.hidden);
      makeRoom();
      if (!quiet && !status.hidden) { say(status.textContent); }
    }
    function makeRoom() {
      // A link or box reached with Tab is scrolled clear of the sticky bar, not under it.
      var active = bar.classList.contains("compare-bar--active");
      document.documentElement.style.scrollPaddingBottom = active ? (bar.offsetHeight + 16) + "px" : "";
    }
    function sync() {
      var picked = load();
      for (var i = 0; i < boxes.length; i++) {
        boxes[i].checked = picked.indexOf(boxes[i].value) !== -1;
      }
      show(null, true);
    }

    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name !== "items") { return; }
      var picked = load();
      var at = picked.indexOf(box.value);
      if (box.checked && at === -1) {
        if (picked.length >= max) {
          box.checked = false;
          show(status.getAttribute("data-full"));
          return;
        }
        picked.push(box.value);
      } else if (!box.checked && at !== -1) {
        picked.splice(at, 1);
      }
      save(picked);
      show();
    });
    clear.addEventListener("click", function () {
      save([]);
      sync();
      submit.focus();  // the button itself has just been hidden
      say(clear.getAttribute("data-cleared"));
    });
    form.addEventListener("submit", function () {
      var old = form.querySelectorAll("input[data-compare-carried]");
      for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
      var here = [];
      for (var j = 0; j < boxes.length; j++) { here.push(boxes[j].value); }
      load().forEach(function (slug) {
        if (here.indexOf(slug) !== -1) { return; }
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "items";
        input.value = slug;
        input.setAttribute("data-compare-carried", "");
        form.appendChild(input);
      });
    });
    // Also when the page comes back from the browser's history with stale ticks.
    window.addEventListener("pageshow", sync);
    window.addEventListener("resize", makeRoom);  // the bar's text wraps anew
    sync();
  }
})();
