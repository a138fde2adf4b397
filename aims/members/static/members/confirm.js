// Ask before a form whose data-confirm names what it does is submitted (removing a member,
// ending access, revoking an invitation). Loaded as a file: the pages carry no inline script.
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    evt.preventDefault();
  }
}, true);
