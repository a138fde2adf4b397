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

// The menu button of narrow screens shows and hides the sidebar and the account menu (the
// button says which state they are in; Escape closes them again).
function setMenu(button, open) {
  button.setAttribute("aria-expanded", open ? "true" : "false");
  button.getAttribute("aria-controls").split(/\s+/).forEach(function (id) {
    var el = document.getElementById(id);
    if (el) el.classList.toggle("is-open", open);
  });
}
document.addEventListener("click", function (evt) {
  var button = evt.target.closest && evt.target.closest(".menu-toggle");
  if (button) setMenu(button, button.getAttribute("aria-expanded") !== "true");
});
document.addEventListener("keydown", function (evt) {
  if (evt.key !== "Escape") return;
  var button = document.querySelector(".menu-toggle[aria-expanded=true]");
  if (!button) return;
  setMenu(button, false);
  button.focus();
});

// A table wider than its column scrolls inside its own box, never the whole page. A box that
// scrolls can be reached with the keyboard (and says what it holds).
function wrapTables(root) {
  root.querySelectorAll("main table").forEach(function (table) {
    var parent = table.parentElement;
    if (parent.classList.contains("overflow-auto") || parent.classList.contains("table-scroll")) return;
    var box = document.createElement("div");
    box.className = "table-scroll";
    parent.insertBefore(box, table);
    box.appendChild(table);
  });
  markScrolling();
}
function markScrolling() {
  document.querySelectorAll(".table-scroll, .overflow-auto").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table (scrolls sideways)");
      }
    } else if (box.getAttribute("role") === "region" && box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
document.addEventListener("DOMContentLoaded", function () { wrapTables(document); });
document.addEventListener("htmx:afterSettle", function () { wrapTables(document); });
window.addEventListener("resize", markScrolling);

// A row opened for editing in place takes the focus; Escape cancels it, and the row it
// leaves behind gets the focus back on its edit button.
document.addEventListener("htmx:afterSwap", function (evt) {
  var target = evt.detail.target;
  if (!target || !target.id) return;
  var fresh = document.getElementById(target.id);
  if (!fresh) return;
  var form = fresh.querySelector("form[data-row-form]");
  if (form) {
    var first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    return;
  }
  if (fresh.tagName === "TR") {
    var edit = fresh.querySelector("[hx-get][role=button]");
    if (edit && document.activeElement === document.body) edit.focus();
  }
});
document.addEventListener("keydown", function (evt) {
  if (evt.key !== "Escape") return;
  var form = evt.target.closest && evt.target.closest("form[data-row-form]");
  if (!form) return;
  var cancel = form.querySelector("[data-cancel]");
  if (cancel) { evt.preventDefault(); cancel.click(); }
});
// Forms marked data-warn-unsaved: leaving the page while one holds typed, unsaved text asks
// first. Submitting a form (or saving it with htmx) counts as saving that form only, so
// submitting one form while another still holds unsaved text also asks.
(function () {
  var dirty = new Set();
  var submitting = null;

  function formOf(el) {
    return el && el.closest ? el.closest("form[data-warn-unsaved]") : null;
  }
  function mark(evt) {
    var form = formOf(evt.target);
    if (form) dirty.add(form);
  }
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  document.addEventListener("submit", function (evt) {
    submitting = evt.target;
  }, true);
  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = formOf(evt.detail.elt) || (evt.detail.elt && evt.detail.elt.tagName === "FORM" ? evt.detail.elt : null);
    if (form && evt.detail.successful) dirty.delete(form);
    submitting = null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    dirty.forEach(function (form) { if (!form.isConnected) dirty.delete(form); });
  });
  window.addEventListener("beforeunload", function (evt) {
    var unsaved = Array.from(dirty).filter(function (form) {
      return form.isConnected && form !== submitting;
    });
    submitting = null;
    if (unsaved.length) {
      evt.preventDefault();
      evt.returnValue = "";  // older browsers need a value to show the prompt
    }
  });
})();

// Long lists of records to tick ([data-picker]): a filter box above the list and a count of
// what is chosen. Without JavaScript the list is plain checkboxes, usable with the keyboard.
(function () {
  function rowOf(label, box) {
    return label.parentElement !== box && label.parentElement.children.length === 1
      ? label.parentElement : label;
  }
  function nameOf(box) {
    var field = box.closest(".field");
    var label = field && field.querySelector("label");
    if (label && !label.querySelector("input")) return label.textContent.replace("*", "").trim();
    var fieldset = box.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    return legend ? legend.textContent.trim() : "the list";
  }
  function enhance(root) {
    root.querySelectorAll("[data-picker]:not([data-picker-ready])").forEach(function (box) {
      box.setAttribute("data-picker-ready", "");
      var labels = Array.from(box.querySelectorAll("label")).filter(function (l) {
        return l.querySelector("input[type=checkbox]");
      });
      var bar = document.createElement("div");
      bar.className = "picker-bar";
      var count = document.createElement("small");
      count.className = "picker-count";
      count.setAttribute("aria-live", "polite");
      if (labels.length >= 8) {
        var input = document.createElement("input");
        input.type = "search";
        input.placeholder = "Type to filter…";
        input.setAttribute("aria-label", "Filter " + nameOf(box));
        input.addEventListener("keydown", function (evt) {
          if (evt.key === "Enter") evt.preventDefault();  // filtering never submits the form
        });
        input.addEventListener("input", function () {
          var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
          labels.forEach(function (label) {
            var text = label.textContent.toLowerCase();
            var checked = label.querySelector("input").checked;
            var show = checked || words.every(function (w) { return text.indexOf(w) !== -1; });
            rowOf(label, box).hidden = !show;
          });
          // A group heading ("Clause 6 Planning") shows while any of its options does.
          box.querySelectorAll("label").forEach(function (heading) {
            if (heading.querySelector("input")) return;
            var group = heading.parentElement;
            var visible = Array.from(group.querySelectorAll("input[type=checkbox]")).some(
              function (cb) { return !cb.closest("[hidden]"); });
            heading.hidden = !visible;
          });
        });
        bar.appendChild(input);
        box.classList.add("picker-long");
      }
      bar.appendChild(count);
      box.parentNode.insertBefore(bar, box);
      function update() {
        var n = labels.filter(function (l) { return l.querySelector("input").checked; }).length;
        count.textContent = n + " of " + labels.length + " chosen";
      }
      box.addEventListener("change", update);
      update();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (evt) { enhance(evt.detail.elt); });
})();
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
