// Messaging pages: keyboard shortcuts of the inbox (listed in its help dialog), "select all" for the
// bulk actions, the recipients' filter of a new message, and the conversation opened at its latest
// message. Everything here has a form or link behind it that works without JavaScript.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.closest) { return false; }
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  // ------------------------------------------------------------------------------------- the inbox
  var list = document.querySelector("[data-inbox]");
  var dialog = document.querySelector("[data-shortcuts-dialog]");
  var current = -1;

  function rows() {
    return list ? Array.prototype.slice.call(list.querySelectorAll("[data-inbox-row]")) : [];
  }

  function focusRow(index) {
    var all = rows();
    if (!all.length) { return; }
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row) { row.classList.remove("is-current"); });
    var row = all[index];
    row.classList.add("is-current");
    current = index;
    var link = row.querySelector("[data-row-link]");
    if (link) { link.focus(); }
    row.scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    var all = rows();
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-inbox-row]") : null;
    if (focused) { current = all.indexOf(focused); return focused; }
    return all[current] || null;
  }

  function press(row, key) {
    var button = row && row.querySelector("[data-shortcut='" + key + "']");
    if (!button) { return; }
    try { window.sessionStorage.setItem("inbox-row", row.getAttribute("data-conversation-id")); } catch (e) { /* private mode */ }
    button.click();
  }

  // After a shortcut's action reloads the page, keyboard focus goes back to the same row (or the one
  // now in its place).
  function restoreRow() {
    var id = null;
    try {
      id = window.sessionStorage.getItem("inbox-row");
      window.sessionStorage.removeItem("inbox-row");
    } catch (e) { return; }
    if (!id) { return; }
    var all = rows();
    var index = all.findIndex(function (row) { return row.getAttribute("data-conversation-id") === id; });
    if (index >= 0) { focusRow(index); }
  }

  function openHelp() {
    if (!dialog) { return; }
    if (typeof dialog.showModal === "function") {
      if (!dialog.open) { dialog.showModal(); }
    } else {
      dialog.setAttribute("open", "");
    }
    var close = dialog.querySelector("button");
    if (close) { close.focus(); }
  }

  if (list) {
    document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", openHelp);
    });

    list.addEventListener("focusin", function (event) {
      var row = event.target.closest && event.target.closest("[data-inbox-row]");
      if (row) {
        rows().forEach(function (other) { other.classList.toggle("is-current", other === row); });
        current = rows().indexOf(row);
      }
    });

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (typing(event.target) || (dialog && dialog.open)) { return; }
      var key = event.key;
      var row;
      if (key === "j") {
        focusRow(current + 1);
      } else if (key === "k") {
        focusRow(current < 0 ? 0 : current - 1);
      } else if (key === "o" || (key === "Enter" && event.target === document.body)) {
        row = currentRow();
        var link = row && row.querySelector("[data-row-link]");
        if (!link) { return; }
        window.location = link.href;
      } else if (key === "e" || key === "s" || key === "u") {
        row = currentRow();
        if (!row) { return; }
        press(row, key);
      } else if (key === "x") {
        row = currentRow();
        var box = row && row.querySelector("input[type=checkbox]");
        if (!box) { return; }
        box.checked = !box.checked;
      } else if (key === "/") {
        var search = document.querySelector("[data-shortcut-search]");
        if (!search) { return; }
        search.focus();
      } else if (key === "?") {
        openHelp();
      } else {
        return;
      }
      event.preventDefault();
    });

    restoreRow();

    // "Select all" for the bulk actions (the rows' checkboxes belong to the bulk form).
    var all = document.querySelector("[data-select-all]");
    var wrap = document.querySelector("[data-select-all-wrap]");
    if (all && wrap) {
      wrap.hidden = false;
      all.addEventListener("change", function () {
        rows().forEach(function (row) {
          var box = row.querySelector("input[type=checkbox]");
          if (box) { box.checked = all.checked; }
        });
      });
    }
  }

  // ------------------------------------------------------------- a new message: filter the recipients
  document.querySelectorAll("[data-filter-list]").forEach(function (input) {
    var target = document.getElementById(input.getAttribute("data-filter-list"));
    if (!target) { return; }
    var empty = target.parentNode.querySelector("[data-filter-empty]");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/\s+/).filter(Boolean);
      var shown = 0;
      target.querySelectorAll("li[data-filter-text]").forEach(function (item) {
        var text = item.getAttribute("data-filter-text").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        var box = item.querySelector("input[type=checkbox]");
        var match = (box && box.checked) || words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (empty) { empty.hidden = shown > 0; }
    });
  });

  // ----------------------------------------------------- a conversation opens at its latest message
  var messages = document.querySelector("[data-messages]");
  if (messages && !window.location.hash) {
    var end = document.getElementById("compose") || messages.querySelector("li[data-message-id]:last-of-type");
    if (end) { end.scrollIntoView({ block: "end" }); }
  }
})();
