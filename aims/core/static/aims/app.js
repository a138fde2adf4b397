// Let htmx swap validation (422) and conflict (409) responses into the page: they carry the
// form with its errors. Other errors are left alone and reported.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) return;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];
});
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("p");
    box.id = "htmx-error";
    box.className = "flash flash-error";
    box.setAttribute("role", "alert");
    document.getElementById("main").prepend(box);
  }
  box.textContent = "The server refused that (" + evt.detail.xhr.status + "): " +
    (evt.detail.xhr.statusText || "error") + ". Reload the page and try again.";
});

// Behaviour the templates ask for with data attributes (the Content-Security-Policy allows no
// inline handlers): a confirmation before a form is sent, a print button, an input that
// selects its text when clicked.
document.addEventListener("submit", function (evt) {
  var form = evt.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) evt.preventDefault();
}, true);
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) window.print();
  var input = evt.target.closest("input[data-select-on-click]");
  if (input) input.select();
});
