/* Group mode at a listening event: the tablet follows the question on the big screen.
   Without this script the "Go to the question on the screen" link does the same. The
   tablet moves only when the facilitator moves the big screen on, so a person who goes
   ahead by themselves is not pulled back; their typed words are kept as a draft
   (portal.js) whichever way they leave. */
(function () {
  "use strict";
  var SECONDS = 3;

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-group-json]");
    if (!box || !window.fetch) return;
    var url = box.getAttribute("data-group-json");
    var here = box.getAttribute("data-question");
    var seen = box.getAttribute("data-group-question") || null;

    function poll() {
      /* A background request: it does not count as someone being there. */
      fetch(url, { credentials: "same-origin",
                   headers: { "Accept": "application/json", "X-Portal-Background": "1" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          if (data.question && data.question !== seen && data.question !== here && data.url) {
            window.location.assign(data.url);
            return;
          }
          seen = data.question || null;
          box.hidden = !data.question;
        })
        .catch(function () { /* venue wifi: try again next time */ })
        .then(function () { setTimeout(poll, SECONDS * 1000); });
    }
    setTimeout(poll, SECONDS * 1000);
  });
})();
