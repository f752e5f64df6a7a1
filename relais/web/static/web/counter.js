/* Counter entry: validation as you type (HTMX), a warning before leaving a dirty form, and a
   clear message when the session expired or the connection dropped. Nothing typed is ever
   put in localStorage or sessionStorage: an entry lives in this page only. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry-form]");
  if (!form) { return; }
  var banner = document.getElementById("entry-banner");
  var dirty = false;
  var submitting = false;
  var lastContact = Date.now();
  var idleMs = (parseInt(form.dataset.idleSeconds, 10) || 900) * 1000;

  function say(kind) {
    if (!banner) { return; }
    banner.textContent = banner.dataset[kind];
    banner.hidden = false;
    banner.focus && banner.setAttribute("tabindex", "-1");
  }

  function touch(target) {
    if (!target || !target.name || target.type === "hidden") { return; }
    var selector = 'input[type="hidden"][name="touched"][value="' + target.name + '"]';
    if (form.querySelector(selector)) { return; }
    var marker = document.createElement("input");
    marker.type = "hidden";
    marker.name = "touched";
    marker.value = target.name;
    form.appendChild(marker);
  }

  form.addEventListener("input", function (event) { dirty = true; touch(event.target); });
  form.addEventListener("change", function (event) { dirty = true; touch(event.target); });
  form.addEventListener("focusout", function (event) { touch(event.target); });

  // Enter on a select or a checkbox sends the entry too: the whole form is keyboard-only.
  form.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    var box = event.target.type === "checkbox" || event.target.type === "radio";
    if (event.key === "Enter" && (tag === "SELECT" || box)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", function (event) {
    if (Date.now() - lastContact > idleMs) {
      event.preventDefault();
      say("expired");
      return;
    }
    if (navigator.onLine === false) {
      event.preventDefault();
      say("offline");
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/login/") !== -1) {
      say("expired");
      return;
    }
    if (event.detail.successful) { lastContact = Date.now(); }
  });
  document.body.addEventListener("htmx:sendError", function () { say("offline"); });

  // Keep aria-invalid in step with the messages the server sent back.
  document.body.addEventListener("htmx:afterSettle", function () {
    form.querySelectorAll(".field-error").forEach(function (message) {
      var input = form.querySelector("#id_" + message.id.slice(4));
      if (!input) { return; }
      if (message.textContent.trim()) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
    });
  });
})();
