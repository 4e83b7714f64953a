/* Passkeys (issue 15): "Sign in with my tablet" and "Set up my tablet". Each form with
   data-passkey asks the server for options (data-options), asks the tablet for the
   fingerprint, face or PIN, and sends the answer as the form's "credential" field. The
   forms stay hidden when the browser cannot do this; the page then says whom to ask. */
(function () {
  "use strict";

  if (!window.PublicKeyCredential || !window.fetch || !navigator.credentials) return;

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i += 1) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBytes(json.user.id) });
    options.excludeCredentials = descriptors(json.excludeCredentials);
    return options;
  }

  function requestOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.allowCredentials = descriptors(json.allowCredentials);
    return options;
  }

  function answer(credential) {
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      if (response.getTransports) out.response.transports = response.getTransports();
    } else {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      if (response.userHandle) out.response.userHandle = toText(response.userHandle);
    }
    return JSON.stringify(out);
  }

  function setUp(form) {
    var message = form.querySelector("[data-passkey-message]") ||
      document.querySelector("[data-passkey-message]");
    var register = form.getAttribute("data-passkey") === "register";
    var csrf = form.querySelector("input[name=csrf_token]").value;
    var field = form.querySelector("input[name=credential]");
    var busy = false;

    form.addEventListener("submit", function (event) {
      if (field.value) return;  /* the answer is in: send the form */
      event.preventDefault();
      if (busy) return;
      busy = true;
      if (message) message.textContent = "";
      fetch(form.getAttribute("data-options"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error("options refused");
        return response.json();
      }).then(function (json) {
        return register
          ? navigator.credentials.create({ publicKey: creationOptions(json) })
          : navigator.credentials.get({ publicKey: requestOptions(json) });
      }).then(function (credential) {
        field.value = answer(credential);
        form.submit();
      }).catch(function () {
        busy = false;
        if (message) message.textContent = form.getAttribute("data-failed");
      });
    });
    form.hidden = false;
    var unsupported = document.querySelectorAll("[data-passkey-unsupported]");
    Array.prototype.forEach.call(unsupported, function (note) { note.hidden = true; });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-passkey]"), setUp);
})();
