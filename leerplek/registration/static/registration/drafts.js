// Drafts and quick-log review: a "select all" checkbox for the rows of the page (no inline
// scripts: CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var name = all.getAttribute("data-select-all");
    var form = all.closest("form");
    all.addEventListener("change", function () {
      form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
});
