// Omni web apps: the only script besides htmx (the CSP allows no inline script).
// htmx requests are not forms posted by the browser, so they carry the session's CSRF
// token in a header, read from the page's <meta name="csrf-token">.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  }
});

// A form marked data-submit-once (placing an order) cannot be sent twice by a double
// click; the server would still place the order only once (its idempotency key).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches && form.matches("form[data-submit-once]")) {
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  }
});
