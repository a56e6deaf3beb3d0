/* A training sign-in scanned with no network. The QR code's link (?s=CODE&t=TOKEN) opens the
   sign-in page the service worker kept; that copy was not made for this scan, so the scan goes
   to the outbox with the code's token and the time of the scan. The server signs the teacher
   in at that time only if the token was valid then (training.signin.offline_sign_in). */
(function () {
  "use strict";

  function start() {
    const box = document.getElementById("signin-offline");
    if (!box) return;
    const params = new URLSearchParams(window.location.search);
    const code = params.get("s");
    const token = params.get("t");
    // The server answered this very scan: nothing to keep.
    if (!code || !token || token === box.dataset.scan) return;
    const form = box.querySelector("form");
    form.elements.s.value = code;
    form.elements.t.value = token;
    form.elements.scanned_at.value = new Date().toISOString();
    document.querySelectorAll("[data-signin-online]").forEach((el) => { el.hidden = true; });
    box.hidden = false;
    // Reloading the page must not queue the same scan twice.
    window.history.replaceState(null, "", window.location.pathname);
    form.requestSubmit();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
