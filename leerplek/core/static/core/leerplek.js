// Leerplek's only script besides htmx: no inline scripts (CSP). Small progressive enhancements.
document.addEventListener("DOMContentLoaded", function () {
  // Close the main menu with Escape, and return focus to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  // On a phone, fold filter panels that hold no active filter, so the list comes first.
  if (window.matchMedia("(max-width: 600px)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (panel) {
      panel.removeAttribute("open");
    });
  }
  // Auto-submit filter forms marked data-autosubmit when a select changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
});
