/* Progressive enhancement: the warning before an idle sign-out (WCAG 2.2.1, timing
   adjustable). The server ends a quiet session (portal/core/sessions.py); two minutes before,
   this opens the warning, and "Stay signed in" (or Escape: someone is there) asks the
   server to keep the session. Typing or tapping keeps it too, quietly, at most once a
   minute, so nobody writing a long note is interrupted. When the time is up the page is
   opened again and the server answers with the sign-in page, saying why.
   Every tab of the portal shares the time of the last activity through localStorage. */
(function () {
  "use strict";

  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) return;
  var idleMs = parseInt(dialog.getAttribute("data-idle-seconds"), 10) * 1000;
  var warnMs = parseInt(dialog.getAttribute("data-warn-seconds"), 10) * 1000;
  if (!(idleMs > 0) || !(warnMs > 0)) return;

  var KEY = "portal-last-activity";
  var QUIET_MS = 60 * 1000;  /* typing keeps the session at most once a minute */
  /* Opened again only when the server has surely ended the session: opening it earlier
     would count as activity and keep the session going for nobody. */
  var AFTER_END_MS = 3000;
  var lastActivity = 0;
  var keeping = false;

  function shared() {
    try { return parseInt(localStorage.getItem(KEY), 10) || 0; } catch (e) { return 0; }
  }

  /* Called after the server has seen a request, so the time here is never earlier. */
  function noteActivity() {
    lastActivity = Date.now();
    try { localStorage.setItem(KEY, String(lastActivity)); } catch (e) { /* storage blocked */ }
  }

  function timeLeft() {
    return Math.max(lastActivity, shared()) + idleMs - Date.now();
  }

  function openAgain() {
    window.location.assign(window.location.pathname + window.location.search);
  }

  function closeWarning() {
    if (dialog.open) dialog.close();
  }

  function keepAlive(then) {
    if (keeping) return;
    keeping = true;
    fetch(dialog.getAttribute("data-keep-alive"), {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",  /* signed out already: the answer is a redirect to sign in */
      headers: { "X-CSRFToken": dialog.getAttribute("data-csrf"), "Accept": "application/json" }
    }).then(function (response) {
      keeping = false;
      if (!response.ok) { openAgain(); return; }
      noteActivity();
      if (then) then();
    }).catch(function () {
      keeping = false;  /* no network: the button can be pressed again */
    });
  }

  function tick() {
    var left = timeLeft();
    if (left <= -AFTER_END_MS) { openAgain(); return; }
    if (left <= warnMs) {
      if (!dialog.open) dialog.showModal();
    } else {
      closeWarning();  /* another tab kept the session */
    }
  }

  function onInteraction() {
    if (dialog.open || keeping) return;
    if (Date.now() - Math.max(lastActivity, shared()) > QUIET_MS) keepAlive(null);
  }

  document.addEventListener("DOMContentLoaded", function () {
    noteActivity();  /* this page's own request */
    dialog.querySelector("[data-stay-signed-in]").addEventListener("click", function () {
      keepAlive(closeWarning);
    });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      keepAlive(closeWarning);
    });
    ["keydown", "pointerdown", "input"].forEach(function (name) {
      document.addEventListener(name, onInteraction, true);
    });
    window.addEventListener("storage", function (event) { if (event.key === KEY) tick(); });
    document.addEventListener("visibilitychange", function () { if (!document.hidden) tick(); });
    window.setInterval(tick, 5000);
  });
})();
