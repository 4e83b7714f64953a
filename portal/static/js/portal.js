/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  /* Keep what the person typed when they switch language: save the form fields before
     leaving, put them back on the same page in the other language. */
  var KEY = "portal-typed:" + location.pathname;

  function saveTyped() {
    var saved = {};
    document.querySelectorAll("form input, form textarea").forEach(function (field) {
      if (!field.name || field.type === "password" || field.type === "hidden") return;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) (saved[field.name] = saved[field.name] || []).push(field.value);
      } else if (field.value) {
        saved[field.name] = field.value;
      }
    });
    try { sessionStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* private mode */ }
  }

  function restoreTyped() {
    var raw;
    try { raw = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (e) { return; }
    if (!raw) return;
    var saved = JSON.parse(raw);
    document.querySelectorAll("form input, form textarea").forEach(function (field) {
      if (!(field.name in saved)) return;
      var value = saved[field.name];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = value.indexOf(field.value) !== -1;
      } else if (field.type !== "password" && field.type !== "hidden" && !field.value) {
        field.value = value;
      }
    });
  }

  /* The person's speech rate (slow 0.75, normal 1, fast 1.25), set on <html> by the server. */
  function speechRate() {
    var rate = parseFloat(document.documentElement.dataset.speechRate);
    return rate >= 0.5 && rate <= 2 ? rate : 1;
  }

  /* One clip at a time, and only when the person asks. */
  var current = null;
  function play(button) {
    if (current && current.button === button && !current.audio.paused) {
      current.audio.pause();
      button.setAttribute("aria-pressed", "false");
      return;
    }
    if (current) { current.audio.pause(); current.button.setAttribute("aria-pressed", "false"); }
    var audio = new Audio(button.getAttribute("data-audio"));
    audio.playbackRate = speechRate();
    current = { audio: audio, button: button };
    button.setAttribute("aria-pressed", "true");
    audio.addEventListener("ended", function () { button.setAttribute("aria-pressed", "false"); });
    audio.play().catch(function () { button.setAttribute("aria-pressed", "false"); });
  }

  /* A draft of the words typed on a conversation question, kept on this device until the
     server has them. The draft remembers the saved words it started from: it comes back
     only when the page still shows those (e.g. the wifi dropped before Next arrived). */
  var DRAFT_PREFIX = "portal-draft:";
  var DRAFT_MAX_AGE = 24 * 3600 * 1000;

  /* A shared tablet keeps nobody's words: drafts go on signing out, and after a day. */
  function forgetDrafts(all) {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var name = localStorage.key(i);
        if (name.indexOf(DRAFT_PREFIX) !== 0) continue;
        var draft = null;
        try { draft = JSON.parse(localStorage.getItem(name)); } catch (e) { /* not ours */ }
        if (all || !draft || !(Date.now() - draft.at < DRAFT_MAX_AGE)) localStorage.removeItem(name);
      }
    } catch (e) { /* storage blocked */ }
  }

  function keepDrafts() {
    forgetDrafts(false);
    document.querySelectorAll("form.sign-out").forEach(function (form) {
      form.addEventListener("submit", function () { forgetDrafts(true); });
    });
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var box = form.querySelector("textarea");
      if (!box) return;
      var key = DRAFT_PREFIX + form.getAttribute("data-draft");
      var base = box.defaultValue;  /* the saved words the server sent */
      var draft = null;
      try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return; }
      if (draft && draft.base === base && draft.text !== base && box.value === base) {
        box.value = draft.text;
      } else if (draft) {
        try { localStorage.removeItem(key); } catch (e) { /* storage full or blocked */ }
      }
      box.addEventListener("input", function () {
        try {
          if (box.value === base) localStorage.removeItem(key);
          else localStorage.setItem(key, JSON.stringify({ base: base, text: box.value, at: Date.now() }));
        } catch (e) { /* private mode: the page still works */ }
      });
    });
  }

  /* Listening events (portal/events/). A shared tablet keeps nothing of the last person:
     the thanks page forgets every draft and every kept form on this device. */
  function forgetEverything() {
    if (!document.querySelector("[data-forget-drafts]")) return;
    forgetDrafts(true);
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var name = sessionStorage.key(i);
        if (name.indexOf("portal-typed:") === 0) sessionStorage.removeItem(name);
      }
    } catch (e) { /* storage blocked */ }
  }

  /* The facilitator's choice: start again for the next person after a time untouched. */
  function idleReset() {
    var form = document.querySelector("form[data-idle-reset]");
    if (!form) return;
    var seconds = parseInt(form.getAttribute("data-idle-reset"), 10);
    if (!(seconds > 0)) return;
    var timer = null;
    function restart() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { forgetDrafts(true); form.submit(); }, seconds * 1000);
    }
    ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (name) {
      document.addEventListener(name, restart, { passive: true });
    });
    restart();
  }

  /* The live view asks for new counts every few seconds; without this, a link refreshes. */
  function liveCounts() {
    var box = document.querySelector("[data-live-url]");
    if (!box || !window.fetch) return;
    var url = box.getAttribute("data-live-url");
    var seconds = parseInt(box.getAttribute("data-live-seconds"), 10) || 5;
    function put(name, value) {
      var cell = box.querySelector('[data-count="' + name + '"]');
      if (cell && cell.textContent !== String(value)) cell.textContent = String(value);
    }
    function update(data) {
      put("joined", data.joined);
      put("finished", data.finished);
      data.questions.forEach(function (q) {
        ["answered", "dont_know", "skipped"].forEach(function (k) { put("q:" + q.key + ":" + k, q[k]); });
        box.querySelectorAll('[data-count^="c:' + q.key + ':"]').forEach(function (cell) {
          var card = cell.getAttribute("data-count").split(":")[2];
          put("c:" + q.key + ":" + card, q.cards[card] || 0);
        });
      });
      /* Mats and ratings: a cell for each card and point, statement and answer. */
      box.querySelectorAll('[data-count^="m:"], [data-count^="r:"]').forEach(function (cell) {
        var name = cell.getAttribute("data-count");
        put(name, (data.counts || {})[name] || 0);
      });
    }
    function poll() {
      /* A background request: it does not count as someone being there (portal/core/sessions.py). */
      fetch(url, { credentials: "same-origin",
                   headers: { "Accept": "application/json", "X-Portal-Background": "1" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) update(data); })
        .catch(function () { /* venue wifi: try again next time */ })
        .then(function () { setTimeout(poll, seconds * 1000); });
    }
    setTimeout(poll, seconds * 1000);
  }

  /* Print buttons are hidden until there is a script to press them with. */
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    restoreTyped();
    keepDrafts();
    printButtons();
    forgetEverything();
    idleReset();
    liveCounts();
    document.querySelectorAll("[data-keeps-typing]").forEach(function (link) {
      link.addEventListener("click", saveTyped);
    });
    document.querySelectorAll(".play-button[data-audio]").forEach(function (button) {
      button.addEventListener("click", function () { play(button); });
    });
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  });
})();
