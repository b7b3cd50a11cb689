// Live updates of messaging for signed-in members: listens to the server's event stream and
// updates what the page shows — the unread badges, the open conversation, the inbox list. Each event
// only says what changed; the page fetches the same HTML fragments the server renders, so nothing is
// built here and nothing runs without this script but the reload a member would do anyway.
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch) {
    return;
  }
  var script = document.currentScript;
  var url = (script && script.getAttribute("data-events-url")) || "/messaging/live/events/";
  var connectedOnce = false;

  // --- an aria-live region for what screen readers should hear -------------------------------------
  var region = null;
  function announce(text) {
    text = (text || "").replace(/\s+/g, " ").trim();
    if (!text) {
      return;
    }
    if (!region) {
      region = document.createElement("div");
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.setAttribute("data-live-region", "");
      document.body.appendChild(region);
    }
    region.textContent = "";
    // A fresh text node after a tick, so the same words said twice are announced twice.
    window.setTimeout(function () {
      region.textContent = text.length > 200 ? text.slice(0, 199) + "…" : text;
    }, 50);
  }

  // --- the unread badges ---------------------------------------------------------------------------
  function setBadges(count) {
    document.querySelectorAll("[data-messaging-badge]").forEach(function (badge) {
      var target = badge.querySelector("[data-count]") || badge;
      target.textContent = String(count);
      badge.hidden = count === 0;
      badge.setAttribute("data-unread", String(count));
    });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function get(href) {
    return fetch(href, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "text/html" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.text();
    });
  }

  function withParam(href, name, value) {
    var target = new URL(href, window.location.href);
    target.searchParams.set(name, value);
    return target.toString();
  }

  // One fetch at a time per list; what events ask for meanwhile waits for the next round.
  function serialised(run) {
    var busy = false;
    var again = false;
    function go() {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      again = false;
      run().catch(function () { /* the next event, or a reload, brings it */ }).then(function () {
        busy = false;
        if (again) {
          go();
        }
      });
    }
    return go;
  }

  // --- an open conversation ------------------------------------------------------------------------
  var list = document.querySelector("ol[data-messages][data-after-url]");
  var changed = [];  // ids of messages the events named since the last round
  var wantNew = false;

  function lastId() {
    var last = 0;
    list.querySelectorAll("[data-message-id]").forEach(function (item) {
      var id = parseInt(item.getAttribute("data-message-id"), 10);
      if (id > last) {
        last = id;
      }
    });
    return last;
  }

  function shown(id) {
    return list.querySelector('[data-message-id="' + id + '"]');
  }

  function nearBottom() {
    var scroller = list.closest("[data-messages-scroll]") || document.scrollingElement;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  }

  function place(html, stick) {
    var added = [];
    Array.prototype.slice.call(fragment(html).querySelectorAll("li[data-message-id]")).forEach(function (item) {
      var existing = shown(item.getAttribute("data-message-id"));
      if (existing) {
        // An edited or deleted message: replaced where it is, focus kept on it if it was there.
        var focused = existing.contains(document.activeElement);
        existing.replaceWith(item);
        if (focused) {
          item.setAttribute("tabindex", "-1");
          item.focus({ preventScroll: true });
        }
      } else {
        var empty = list.querySelector("li:not([data-message-id])");
        if (empty) {
          empty.remove();  // "No messages yet."
        }
        list.appendChild(item);
        added.push(item);
      }
    });
    if (added.length) {
      if (stick) {
        added[added.length - 1].scrollIntoView({ block: "end" });
      }
      var news = added.filter(function (item) {
        return !item.hasAttribute("data-mine") && !item.classList.contains("msg--mine");
      });
      if (news.length) {
        announce(news.map(function (item) { return item.textContent; }).join(" "));
      }
      document.dispatchEvent(new CustomEvent("messaging:messages-added", { detail: { items: added } }));
    }
  }

  var refreshConversation = serialised(function () {
    var base = list.getAttribute("data-after-url");
    var edited = changed.filter(function (id) { return shown(id); });
    var fetchNew = wantNew || edited.length < changed.length;
    changed = [];
    wantNew = false;
    var stick = nearBottom();
    var rounds = [];
    if (edited.length) {
      var target = new URL(base, window.location.href);
      target.searchParams.delete("after");
      target.searchParams.set("ids", edited.join(","));
      rounds.push(get(target.toString()).then(function (html) { place(html, false); }));
    }
    if (fetchNew) {
      rounds.push(get(withParam(base, "after", String(lastId()))).then(function (html) { place(html, stick); }));
    }
    return Promise.all(rounds);
  });

  function conversationMatches(data) {
    var id = list.getAttribute("data-conversation-id");
    return !id || data.conversation === null || String(data.conversation) === id;
  }

  // --- the inbox -----------------------------------------------------------------------------------
  var inbox = document.querySelector("ul[data-inbox][data-rows-url]");

  var refreshInbox = serialised(function () {
    return get(inbox.getAttribute("data-rows-url")).then(function (html) {
      // Keep the member's selection (bulk actions) and focus across the replacement.
      var checked = Array.prototype.map.call(
        inbox.querySelectorAll("input[type=checkbox]:checked"),
        function (box) { return box.name + "=" + box.value; }
      );
      var active = document.activeElement;
      var focusKey = null;
      if (active && inbox.contains(active)) {
        var row = active.closest("[data-conversation-id]");
        focusKey = {
          row: row ? row.getAttribute("data-conversation-id") : null,
          href: active.getAttribute("href"),
          name: active.getAttribute("name"),
          value: active.getAttribute("value"),
        };
      }
      var rows = fragment(html);
      inbox.replaceChildren(rows);
      inbox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (checked.indexOf(box.name + "=" + box.value) !== -1) {
          box.checked = true;
        }
      });
      if (focusKey) {
        var target = null;
        if (focusKey.href) {
          target = inbox.querySelector('[href="' + CSS.escape(focusKey.href) + '"]');
        }
        if (!target && focusKey.name) {
          target = inbox.querySelector(
            '[name="' + CSS.escape(focusKey.name) + '"][value="' + CSS.escape(focusKey.value || "") + '"]'
          );
        }
        if (!target && focusKey.row) {
          var again = inbox.querySelector('[data-conversation-id="' + CSS.escape(focusKey.row) + '"]');
          target = again && (again.querySelector("a") || again);
        }
        if (target) {
          target.focus({ preventScroll: true });
        }
      }
      document.dispatchEvent(new CustomEvent("messaging:inbox-refreshed"));
    });
  });

  // --- the stream ----------------------------------------------------------------------------------
  function onEvent(event) {
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (typeof data.unread === "number") {
      setBadges(data.unread);
    }
    var everything = data.resync || (data.hello && connectedOnce);
    if (data.hello) {
      connectedOnce = true;
    }
    if (!everything && !data.conversation) {
      return;
    }
    if (list && (everything || conversationMatches(data))) {
      if (typeof data.message === "number" && !everything) {
        changed.push(data.message);
      } else {
        wantNew = true;
      }
      refreshConversation();
    }
    if (inbox) {
      refreshInbox();
    }
  }

  var source = null;
  function connect() {
    source = new EventSource(url, { withCredentials: true });
    source.addEventListener("message", onEvent);
  }
  connect();
  // Leaving the page closes the stream at once; coming back to it from the history opens it again
  // (and its first event brings the page up to date).
  window.addEventListener("pagehide", function () {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !source) {
      connect();
    }
  });
})();
