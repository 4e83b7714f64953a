/* Progressive enhancement: a "Show password" button beside the password box, so nobody has
   to type a password they cannot see (issue 15). Without JavaScript the box works as
   always; pasting is never blocked. */
(function () {
  "use strict";

  var holders = document.querySelectorAll("[data-show-password]");
  Array.prototype.forEach.call(holders, function (holder) {
    var input = document.getElementById(holder.getAttribute("data-show-password"));
    if (!input) return;
    var showText = holder.getAttribute("data-show");
    var hideText = holder.getAttribute("data-hide");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary show-password__button";
    button.setAttribute("aria-controls", input.id);
    button.setAttribute("aria-pressed", "false");
    button.textContent = showText;
    button.addEventListener("click", function () {
      var showing = input.type === "password";
      input.type = showing ? "text" : "password";
      button.setAttribute("aria-pressed", showing ? "true" : "false");
      button.textContent = showing ? hideText : showText;
    });
    holder.appendChild(button);
    /* The password is hidden again before the form is sent, so the browser never keeps
       it as ordinary text. */
    if (input.form) {
      input.form.addEventListener("submit", function () { input.type = "password"; });
    }
  });
})();
