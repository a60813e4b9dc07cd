/* WSIS–SDG Matrix: arrow keys move between the cells of the grid (Tab still goes through every link).
   Left and Right follow the page's direction, so they also work as expected in Arabic. */
(function () {
  "use strict";
  var table = document.querySelector(".matrix-table");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("thead tr, tbody tr"));
  function cellAt(r, c) {
    var row = rows[r];
    return row ? row.children[c] : null;
  }
  function position(el) {
    var cell = el.closest("td, th");
    if (!cell) return null;
    return { r: rows.indexOf(cell.parentElement), c: Array.prototype.indexOf.call(cell.parentElement.children, cell) };
  }
  table.addEventListener("keydown", function (event) {
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    var move = moves[event.key];
    if (!move || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var here = position(event.target);
    if (!here || here.r < 0) return;
    var rtl = getComputedStyle(table).direction === "rtl";
    var dr = move[0], dc = rtl ? -move[1] : move[1];
    // Skip empty cells: go on in the same direction until a cell with a link, or the edge.
    for (var r = here.r + dr, c = here.c + dc; cellAt(r, c); r += dr, c += dc) {
      var link = cellAt(r, c).querySelector("a");
      if (link) {
        event.preventDefault();
        link.focus();
        return;
      }
    }
  });
})();
