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

  // Inline editing on one's own profile: "Edit" and "Add" links open their form in place instead
  // of on a page of its own. The form still posts to the same URL; the server answers as it does
  // without JavaScript (a redirect on success, the form again with its errors and HTTP 422).
  function openInline(link) {
    if (link.getAttribute("aria-expanded") === "true") {
      return;
    }
    fetch(link.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var form = doc.querySelector("form[data-inline-form]");
        if (!form) { throw new Error("no form"); }
        var title = doc.querySelector("main h1");
        var panel = document.createElement("div");
        panel.className = "inline-editor";
        panel.setAttribute("role", "region");
        panel.setAttribute("aria-label", title ? title.textContent.trim() : link.textContent.trim());
        panel.appendChild(document.importNode(form, true));
        var item = link.closest("li");
        var card = link.closest(".card");
        if (item && card && card.contains(item)) {
          item.hidden = true;
          item.parentNode.insertBefore(panel, item.nextSibling);
        } else if (card) {
          card.querySelector(".card__header").insertAdjacentElement("afterend", panel);
        } else {
          window.location = link.href;
          return;
        }
        link.setAttribute("aria-expanded", "true");
        wireInline(panel, link, item);
      })
      .catch(function () { window.location = link.href; });
  }

  function closeInline(panel, link, item) {
    panel.remove();
    if (item) { item.hidden = false; }
    link.setAttribute("aria-expanded", "false");
    link.focus();
  }

  function wireInline(panel, link, item) {
    var form = panel.querySelector("form");
    panel.querySelectorAll("[data-current-toggle]").forEach(function (box) {
      function sync() {
        form.querySelectorAll("[data-end-date]").forEach(function (el) {
          el.disabled = box.checked;
          var wrapper = el.closest(".field");
          if (wrapper) { wrapper.hidden = box.checked; }
        });
      }
      box.addEventListener("change", sync);
      sync();
    });
    var cancel = panel.querySelector("[data-inline-cancel]");
    if (cancel) {
      cancel.addEventListener("click", function (event) {
        event.preventDefault();
        closeInline(panel, link, item);
      });
    }
    if (!panel.dataset.keys) {
      panel.dataset.keys = "1";
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { closeInline(panel, link, item); }
      });
    }
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      event.preventDefault();
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (response.redirected) {
            window.location = response.url;
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html === null) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("form[data-inline-form]");
          if (!fresh) { form.submit(); return; }
          var replacement = document.importNode(fresh, true);
          form.replaceWith(replacement);
          wireInline(panel, link, item);
          var invalid = replacement.querySelector("[aria-invalid=true], .errorlist");
          if (invalid) {
            var field = replacement.querySelector("[aria-invalid=true]") || replacement.querySelector("input, select, textarea");
            if (field) { field.focus(); }
          }
        })
        .catch(function () { form.submit(); });
    });
    var first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-inline-edit]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    openInline(link);
  });
})();
