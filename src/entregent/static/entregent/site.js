// Entregent's one first-party script: small improvements on pages that already work without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]")) {
      target.form.submit();
    }
  });

  // Ask before destructive actions (forms marked data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Character counters on fields with a maxlength and data-counter.
  function updateCounter(field) {
    var counter = document.getElementById(field.id + "-counter");
    if (counter) {
      counter.textContent = field.value.length + " / " + field.getAttribute("maxlength");
    }
  }
  document.querySelectorAll("[data-counter]").forEach(function (field) {
    updateCounter(field);
    field.addEventListener("input", function () { updateCounter(field); });
  });

  // "I currently work here" hides and disables the end date (the server ignores it anyway).
  document.querySelectorAll("[data-current-toggle]").forEach(function (box) {
    function sync() {
      box.form.querySelectorAll("[data-end-date]").forEach(function (el) {
        el.disabled = box.checked;
        var wrapper = el.closest(".field");
        if (wrapper) {
          wrapper.hidden = box.checked;
        }
      });
    }
    box.addEventListener("change", sync);
    sync();
  });
})();
