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
