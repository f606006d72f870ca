// The live view's refresh: every few seconds, each element marked data-live gets its figures again from the
// server (same origin, the session's cookie) without reloading the page. A session that ended reloads it
// (to the sign-in form); a failed fetch leaves the figures as they were and says so.
(function () {
  "use strict";
  var EVERY_MS = 5000;
  function refresh(el) {
    fetch(el.getAttribute("data-live"), { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) {
        if (answer.status === 401) { window.location.reload(); return null; }
        return answer.ok ? answer.text() : null;
      })
      .then(function (html) {
        if (html !== null) { el.innerHTML = html; el.removeAttribute("data-stale"); }
      })
      .catch(function () { el.setAttribute("data-stale", "1"); });
  }
  function tick() {
    var parts = document.querySelectorAll("[data-live]");
    for (var i = 0; i < parts.length; i++) { refresh(parts[i]); }
  }
  window.setInterval(tick, EVERY_MS);
})();
