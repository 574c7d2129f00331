// The skills matrix: an assessor changes a cell in place (COMP-04). No inline script (CSP).
// A table marked with data-cell-url holds the edit URL with {e} for the person and {c} for the
// competence; a row the viewer may change carries data-e, a column header data-c. Click a cell,
// or move to it with the arrow keys and press Enter or Space, to load its small form with htmx;
// Escape puts the cell back. Without JavaScript the person's name leads to the full form.
(function () {
  "use strict";

  function setUp(table) {
    var template = table.getAttribute("data-cell-url");
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    if (!template || !body) return;
    var current = null; // the cell that holds the roving tabindex
    var editing = null; // {cell: the cell before the edit, row, index}

    function competence(td) {
      var head = heads[td.cellIndex];
      return head ? head.getAttribute("data-c") : null;
    }

    function isCell(td) {
      return !!td && td.tagName === "TD" && td.parentNode.parentNode === body && !!competence(td);
    }

    function editable(td) {
      return isCell(td) && td.parentNode.hasAttribute("data-e") && !td.querySelector("form");
    }

    function point(td, focus) {
      if (current && current !== td) current.removeAttribute("tabindex");
      current = td;
      td.tabIndex = 0;
      if (focus) td.focus();
    }

    function open(td) {
      var row = td.parentNode;
      var url = template
        .replace("{e}", encodeURIComponent(row.getAttribute("data-e")))
        .replace("{c}", encodeURIComponent(competence(td)));
      editing = { cell: td, row: row, index: td.cellIndex };
      // The table's hx-vals (the page's filters) come along: the form draws the cell as the page.
      htmx.ajax("GET", url, { source: td, target: td, swap: "outerHTML" });
    }

    function move(td, rows, columns) {
      var row = td.parentNode;
      var index = td.cellIndex + columns;
      var target = row;
      if (rows) {
        target = rows < 0 ? row.previousElementSibling : row.nextElementSibling;
        while (target && !target.hasAttribute("data-e")) {
          target = rows < 0 ? target.previousElementSibling : target.nextElementSibling;
        }
      }
      var next = target ? target.cells[index] : null;
      if (editable(next)) point(next, true);
    }

    var first = body.querySelector("tr[data-e]");
    if (first) {
      for (var i = 0; i < first.cells.length; i += 1) {
        if (editable(first.cells[i])) {
          point(first.cells[i], false);
          break;
        }
      }
    }

    table.addEventListener("click", function (event) {
      if (event.target.closest("a, form")) return;
      var td = event.target.closest("td");
      if (editable(td)) {
        point(td, false);
        open(td);
      }
    });

    table.addEventListener("keydown", function (event) {
      var td = event.target;
      if (event.key === "Escape" && editing && td.closest && td.closest("form")) {
        var form = editing.row.cells[editing.index];
        if (form && form.querySelector("form")) {
          form.replaceWith(editing.cell);
          point(editing.cell, true);
          editing = null;
        }
        return;
      }
      if (!editable(td) || event.altKey || event.ctrlKey || event.metaKey) return;
      var steps = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(td);
      } else if (steps[event.key]) {
        event.preventDefault();
        move(td, steps[event.key][0], steps[event.key][1]);
      }
    });

    // After a swap: a form takes the focus on its first field; a saved cell gets it back.
    table.addEventListener("htmx:afterSwap", function (event) {
      var td = event.target;
      if (!td || td.tagName !== "TD") return;
      var field = td.querySelector("select, input:not([type=hidden]), button");
      if (field) {
        field.focus();
      } else if (isCell(td)) {
        editing = null;
        point(td, true);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.matrix[data-cell-url]").forEach(setUp);
  });
})();
