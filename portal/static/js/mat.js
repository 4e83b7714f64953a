/* The mat, with JavaScript: move cards by dragging (touch, pen or mouse), by tapping a card
   then a place, or by keyboard alone (Enter picks a card up, the arrow keys choose a place,
   Enter puts it down, Escape cancels). Every move is saved at once.

   Progressive enhancement: without this file the page shows one picture radio group a card,
   which works on its own. Dragging always has a single-pointer alternative (WCAG 2.5.7). */
(function () {
  "use strict";

  var DRAG_THRESHOLD = 10; // pixels a pointer moves before a press becomes a drag

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function Mat(board, form) {
    this.board = board;
    this.form = form;
    this.targets = Array.prototype.slice.call(board.querySelectorAll(".mat-target"));
    this.status = board.querySelector("[data-mat-status]");
    this.error = board.querySelector("[data-mat-error]");
    this.picked = null;       // the card (li) picked up, or null
    this.targetIndex = -1;    // the place chosen with the arrow keys
    this.drag = null;         // a pointer press or drag under way
    this.justDragged = false; // the click that follows a drag is not a tap
    this.saving = Promise.resolve();
    this.start();
  }

  Mat.prototype.start = function () {
    var mat = this;
    this.board.hidden = false;
    if (this.form) this.form.hidden = true;
    this.board.querySelectorAll(".mat-card").forEach(function (card) { mat.wire(card); });
    this.board.querySelectorAll(".mat-drop").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        mat.tapPlace(button.closest(".mat-target"));
      });
    });
    this.targets.forEach(function (target) {
      target.addEventListener("click", function (event) {
        if (event.target.closest(".mat-card")) return;
        mat.tapPlace(target);
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && (mat.picked || mat.drag)) mat.cancel(true);
    });
    var wanted = location.hash.indexOf("#place-") === 0 && this.card(decodeURIComponent(location.hash.slice(7)));
    if (wanted) wanted.querySelector(".mat-card__pick").focus();
  };

  Mat.prototype.card = function (key) {
    var cards = this.board.querySelectorAll(".mat-card");
    for (var i = 0; i < cards.length; i++) if (cards[i].dataset.card === key) return cards[i];
    return null;
  };

  Mat.prototype.wire = function (card) {
    var mat = this;
    var button = card.querySelector(".mat-card__pick");
    button.addEventListener("click", function (event) {
      event.stopPropagation();
      if (mat.justDragged) { mat.justDragged = false; return; }
      if (mat.keyHandled) { mat.keyHandled = false; return; }
      if (mat.picked === card) mat.cancel(true);
      else mat.pick(card, false);
    });
    button.addEventListener("keydown", function (event) { mat.key(card, event); });
    button.addEventListener("pointerdown", function (event) { mat.pressDown(card, button, event); });
    button.addEventListener("pointermove", function (event) { mat.pressMove(event); });
    button.addEventListener("pointerup", function (event) { mat.pressUp(event); });
    button.addEventListener("pointercancel", function () { mat.endDrag(); });
  };

  /* --- Picking up and putting down ------------------------------------------------------- */

  Mat.prototype.pick = function (card, byKeyboard) {
    if (this.picked) this.unpick();
    this.picked = card;
    card.querySelector(".mat-card__pick").setAttribute("aria-pressed", "true");
    this.board.classList.add("is-picking");
    this.targetIndex = this.targets.indexOf(card.closest(".mat-target"));
    if (byKeyboard) this.showTarget();
    this.say(fill(this.board.dataset.msgPicked, { card: card.dataset.words }));
  };

  Mat.prototype.unpick = function () {
    if (this.picked) this.picked.querySelector(".mat-card__pick").setAttribute("aria-pressed", "false");
    this.picked = null;
    this.targetIndex = -1;
    this.board.classList.remove("is-picking");
    this.targets.forEach(function (t) { t.classList.remove("is-target"); });
  };

  Mat.prototype.cancel = function (announce) {
    var card = this.picked || (this.drag && this.drag.card);
    this.endDrag();
    this.unpick();
    if (announce && card) this.say(fill(this.board.dataset.msgCancelled, { card: card.dataset.words }));
  };

  Mat.prototype.tapPlace = function (target) {
    if (!this.picked) { this.say(this.board.dataset.msgChooseCard); return; }
    this.drop(this.picked, target);
  };

  Mat.prototype.showTarget = function () {
    var mat = this;
    this.targets.forEach(function (t, i) { t.classList.toggle("is-target", i === mat.targetIndex); });
  };

  Mat.prototype.key = function (card, event) {
    var key = event.key;
    if (key === "Enter" || key === " " || key === "Spacebar") {
      event.preventDefault();
      this.keyHandled = true; // a Space keyup may still click the button
      var mat = this;
      setTimeout(function () { mat.keyHandled = false; }, 400);
      if (this.picked === card) this.drop(card, this.targets[this.targetIndex]);
      else this.pick(card, true);
      return;
    }
    if (this.picked !== card) return;
    var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[key];
    if (step) {
      event.preventDefault();
      var count = this.targets.length;
      this.targetIndex = ((this.targetIndex < 0 ? 0 : this.targetIndex) + step + count) % count;
      this.showTarget();
      this.say(this.targets[this.targetIndex].dataset.words);
    } else if (key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      this.cancel(true);
    }
  };

  Mat.prototype.drop = function (card, target) {
    var from = card.closest(".mat-target");
    var button = card.querySelector(".mat-card__pick");
    if (!target || target === from) { this.cancel(true); button.focus(); return; }
    var list = from.querySelector(".mat-cards");
    var before = card.nextElementSibling;
    var point = target.dataset.target || null;
    this.unpick();
    target.querySelector(".mat-cards").appendChild(card);
    button.focus();
    this.hideError();
    this.sync(card.dataset.card, point);
    this.say(point
      ? fill(this.board.dataset.msgMoved, { card: card.dataset.words, place: target.dataset.words })
      : fill(this.board.dataset.msgBack, { card: card.dataset.words }));
    var mat = this;
    this.save(card.dataset.card, point).catch(function (message) {
      // Not saved: the card goes back where it was, and the person is told.
      list.insertBefore(card, before && before.parentNode === list ? before : null);
      var previous = from.dataset.target || null;
      mat.sync(card.dataset.card, previous);
      mat.showError(message || mat.board.dataset.msgFailed);
    });
  };

  /* Keep the form (hidden while this runs) in step, so nothing disagrees with the mat. */
  Mat.prototype.sync = function (cardKey, point) {
    if (!this.form) return;
    var value = point || "not-now";
    this.form.querySelectorAll("input[type=radio]").forEach(function (input) {
      if (input.name === "card-" + cardKey) input.checked = input.value === value;
    });
  };

  /* Moves are saved one after another, so the last move is the one that stays. */
  Mat.prototype.save = function (cardKey, point) {
    var board = this.board;
    var request = this.saving.then(function () {
      return fetch(board.dataset.placeUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": board.dataset.csrf
        },
        body: JSON.stringify({ card: cardKey, point: point })
      }).then(function (response) {
        if (response.ok) return response.json();
        return response.json().catch(function () { return {}; }).then(function (body) {
          throw body.message || board.dataset.msgFailed;
        });
      }, function () { throw board.dataset.msgFailed; });
    });
    this.saving = request.catch(function () {});
    return request;
  };

  /* --- Dragging with a pointer (touch, pen or mouse) ------------------------------------------ */

  Mat.prototype.pressDown = function (card, button, event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    this.justDragged = false;
    this.drag = { card: card, button: button, id: event.pointerId,
                  x: event.clientX, y: event.clientY, ghost: null };
    try { button.setPointerCapture(event.pointerId); } catch (e) { /* not capturable */ }
  };

  Mat.prototype.pressMove = function (event) {
    var drag = this.drag;
    if (!drag || event.pointerId !== drag.id) return;
    if (!drag.ghost) {
      if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < DRAG_THRESHOLD) return;
      this.startDrag(drag);
    }
    event.preventDefault();
    // Near the top or bottom of the screen the page scrolls, so every place can be reached.
    if (event.clientY < 80) window.scrollBy(0, -20);
    else if (event.clientY > window.innerHeight - 80) window.scrollBy(0, 20);
    drag.ghost.style.left = (event.clientX - drag.offsetX) + "px";
    drag.ghost.style.top = (event.clientY - drag.offsetY) + "px";
    var over = this.targetAt(event.clientX, event.clientY);
    this.targets.forEach(function (t) { t.classList.toggle("is-target", t === over); });
  };

  Mat.prototype.startDrag = function (drag) {
    var rect = drag.button.getBoundingClientRect();
    var ghost = drag.button.cloneNode(true);
    ghost.removeAttribute("id");
    ghost.setAttribute("aria-hidden", "true");
    ghost.classList.add("mat-ghost");
    ghost.style.width = rect.width + "px";
    ghost.style.height = rect.height + "px";
    document.body.appendChild(ghost);
    drag.ghost = ghost;
    drag.offsetX = drag.x - rect.left;
    drag.offsetY = drag.y - rect.top;
    if (this.picked && this.picked !== drag.card) this.unpick();
    drag.card.classList.add("is-dragging");
  };

  Mat.prototype.targetAt = function (x, y) {
    var element = document.elementFromPoint(x, y);
    return element ? element.closest(".mat-target") : null;
  };

  Mat.prototype.pressUp = function (event) {
    var drag = this.drag;
    if (!drag || event.pointerId !== drag.id) return;
    if (!drag.ghost) { this.drag = null; return; } // a tap: the click that follows handles it
    var target = this.targetAt(event.clientX, event.clientY);
    this.endDrag();
    this.justDragged = true;
    var mat = this;
    setTimeout(function () { mat.justDragged = false; }, 400);
    if (target) this.drop(drag.card, target);
    else this.say(fill(this.board.dataset.msgCancelled, { card: drag.card.dataset.words }));
  };

  Mat.prototype.endDrag = function () {
    var drag = this.drag;
    this.drag = null;
    if (!drag) return;
    if (drag.ghost) drag.ghost.remove();
    drag.card.classList.remove("is-dragging");
    this.targets.forEach(function (t) { t.classList.remove("is-target"); });
  };

  /* --- Telling the person --------------------------------------------------------------------- */

  Mat.prototype.say = function (text) {
    var status = this.status;
    if (!status || !text) return;
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  };

  Mat.prototype.showError = function (text) {
    if (!this.error) return;
    this.error.textContent = text;
    this.error.hidden = false;
  };

  Mat.prototype.hideError = function () {
    if (this.error) this.error.hidden = true;
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var board = document.querySelector("[data-mat-board]");
    if (board && window.fetch && window.Promise) {
      new Mat(board, document.querySelector("[data-mat-form]"));
    }
  });
})();
