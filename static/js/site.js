/* Tables wider than the screen scroll sideways: make each such scroller reachable and named for keyboard
   and screen-reader users (WCAG 2.1.1). Templates may set tabindex/role/aria-label themselves.
   A static file, not an inline script, so that the Content-Security-Policy allows scripts only from the
   site's own files; the fallback label (translated) comes from <body data-scroll-label>. */
(function () {
  function label(root) {
    var fallback = document.body.getAttribute("data-scroll-label") || "";
    (root || document).querySelectorAll(".table-scroll:not([tabindex])").forEach(function (el) {
      if (el.scrollWidth <= el.clientWidth + 1) return;
      var caption = el.querySelector("caption");
      el.tabIndex = 0;
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", caption ? caption.textContent.trim() : fallback);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(); });
  document.addEventListener("htmx:afterSettle", function (e) { label(e.target); });
})();

/* The search page's filters (issue 14): a <details> that works without JavaScript, closed so that the
   results come first on a phone. On a wide screen, where the filters are the side column, open it; keep
   it as it was when HTMX swaps the results and filters in. */
(function () {
  var wide = window.matchMedia ? window.matchMedia("(min-width: 48rem)") : null;
  var remembered = null;
  function panel() { return document.getElementById("filters"); }
  function apply() {
    var el = panel();
    if (!el) return;
    if (remembered !== null) el.open = remembered || el.open;
    else if (wide && wide.matches) el.open = true;
  }
  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("toggle", function (e) {
    if (e.target && e.target.id === "filters") remembered = e.target.open;
  }, true);
  document.addEventListener("htmx:afterSwap", apply);
})();

/* The country picker (wsis.core.widgets.GroupedCheckboxes, issue 14): without JavaScript, regions that
   open with a checkbox per country. Here: a type-ahead above them that shows only the matching choices
   (accents, case and punctuation ignored, any of the six languages through data-keys), opens the groups
   that hold a match, and summaries that follow the ticked boxes. */
(function () {
  function key(text) {
    return (text || "").normalize("NFKD").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  }
  function enhance(root) {
    if (root.getAttribute("data-enhanced")) return;
    root.setAttribute("data-enhanced", "1");
    var groups = Array.prototype.slice.call(root.querySelectorAll("details"));
    var items = Array.prototype.slice.call(root.querySelectorAll("li"));
    var separator = root.getAttribute("data-separator") || ", ";
    items.forEach(function (li) {
      var input = li.querySelector("input");
      li._keys = (input && input.getAttribute("data-keys")) || key(li.textContent);
      li._keys += " " + key(li.textContent);
    });
    var id = root.id + "_filter";
    var box = document.createElement("div");
    box.className = "choice-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = root.getAttribute("data-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", id + "_help " + id + "_status");
    input.setAttribute("aria-controls", root.id);
    var help = document.createElement("span");
    help.id = id + "_help";
    help.className = "help";
    help.dir = "auto";
    help.textContent = root.getAttribute("data-filter-help");
    var status = document.createElement("span");
    status.id = id + "_status";
    status.className = "choice-filter-status";
    status.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(help);
    box.appendChild(status);
    root.insertBefore(box, root.firstChild);
    var wasOpen = groups.map(function (d) { return d.open; });
    var filtering = false;

    function filter() {
      var typed = key(input.value);
      if (!typed) {
        items.forEach(function (li) { li.hidden = false; });
        groups.forEach(function (d, i) { d.hidden = false; d.open = wasOpen[i] || !!d.querySelector("input:checked"); });
        status.textContent = "";
        filtering = false;
        return;
      }
      if (!filtering) wasOpen = groups.map(function (d) { return d.open; });
      filtering = true;
      var shown = 0;
      groups.forEach(function (d) {
        var any = false;
        d.querySelectorAll("li").forEach(function (li) {
          var hit = li._keys.indexOf(typed) !== -1;
          li.hidden = !hit;
          if (hit) { any = true; shown += 1; }
        });
        d.hidden = !any;
        d.open = any;
      });
      status.textContent = shown ? "" : root.getAttribute("data-no-match");
    }
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (e) {
      // Enter in the filter must not send the whole form; Escape clears it.
      if (e.key === "Enter") e.preventDefault();
      if (e.key === "Escape" && input.value) { e.preventDefault(); input.value = ""; filter(); }
    });
    root.addEventListener("change", function (e) {
      var details = e.target.closest("details");
      if (!details) return;
      var chosen = Array.prototype.map.call(details.querySelectorAll("input:checked"), function (box) {
        return box.closest("label").textContent.trim();
      });
      var span = details.querySelector("summary .chosen");
      if (span) span.textContent = chosen.length ? ": " + chosen.join(separator) : "";
    });
  }
  function init(scope) {
    (scope || document).querySelectorAll(".grouped-choices").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { init(); });
  document.addEventListener("htmx:afterSettle", function (e) { init(e.target); });
})();

/* The main menu (templates/base.html): a <details> that CSS keeps open on a wide screen where the browser
   knows ::details-content; elsewhere open it here on a wide screen (a phone keeps "Menu" closed). */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.getElementById("main-menu");
    if (menu && window.matchMedia && window.matchMedia("(min-width: 40.01rem)").matches) menu.open = true;
  });
})();
