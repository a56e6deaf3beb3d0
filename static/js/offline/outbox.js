/* The offline outbox: forms marked data-outbox save as you type (IndexedDB), and a submitted
   form waits in the outbox until the server has answered it. Each queued item carries an
   idempotency key, so a retry, a double send or a second tab never creates a second record.
   Needs idb (vendor/idb/umd.js). Works under the strict CSP: no inline script or style. */
(function () {
  "use strict";
  const DB_NAME = "gugan-offline";
  let dbPromise = null;
  let syncing = false;

  function db() {
    if (!dbPromise) {
      dbPromise = idb.openDB(DB_NAME, 1, {
        upgrade(d) {
          d.createObjectStore("outbox", { keyPath: "key" });
          d.createObjectStore("drafts", { keyPath: "url" });
        },
      });
    }
    return dbPromise;
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function fieldsOf(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const out = [];
    for (const [k, v] of data.entries()) if (typeof v === "string") out.push([k, v]);
    return out;
  }

  function fill(form, fields) {
    const values = new Map();
    for (const [k, v] of fields) values.set(k, v);
    for (const el of form.elements) {
      if (!el.name || !values.has(el.name) || el.type === "hidden" || el.type === "submit") continue;
      if (el.type === "checkbox" || el.type === "radio") el.checked = values.get(el.name) === el.value || (el.type === "checkbox" && values.get(el.name) === "on");
      else el.value = values.get(el.name);
    }
  }

  function i18n(name, n) {
    const holder = document.getElementById("outbox-strings");
    let text = holder ? holder.dataset[name] || "" : "";
    return text.replace("%(n)s", String(n));
  }

  async function updateBadge() {
    const items = await (await db()).getAll("outbox");
    const waiting = items.filter((i) => i.status === "queued").length;
    const refused = items.filter((i) => i.status === "refused").length;
    const badge = document.getElementById("outbox-badge");
    if (badge) {
      const parts = [];
      if (waiting) parts.push(i18n("waiting", waiting));
      if (refused) parts.push(i18n("refused", refused));
      badge.textContent = parts.join(" · ");
      badge.hidden = parts.length === 0;
      badge.classList.toggle("bg-danger", refused > 0);
      badge.classList.toggle("bg-warning", refused === 0);
      badge.dataset.waiting = String(waiting);
      badge.dataset.refused = String(refused);
    }
    renderOutboxPage(items);
  }

  function notice(text, kind) {
    const main = document.querySelector("main");
    if (!main || !text) return;
    // One notice at a time: three forms queued in a row show one line, not three.
    main.querySelectorAll(".outbox-notice").forEach((el) => el.remove());
    const div = document.createElement("div");
    div.className = `alert alert-${kind || "info"} outbox-notice`;
    div.setAttribute("role", "status");
    div.textContent = text;
    main.prepend(div);
  }

  async function send(item, follow) {
    const csrf = (item.fields.find(([k]) => k === "csrfmiddlewaretoken") || [])[1] || "";
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Idempotency-Key": item.key,
          "X-Gugan-Outbox": "1",
          "X-CSRFToken": csrf,
          "Accept": "application/json",
          "X-Gugan-Follow": follow ? "1" : "0",
        },
        body: new URLSearchParams(item.fields),
      });
    } catch (e) {
      return "offline";
    }
    let data = null;
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    const store = await db();
    if (response.ok && data && data.ok) {
      await store.delete("outbox", item.key);
      return data;
    }
    if (data && response.status >= 400 && response.status < 500) {
      item.status = "refused";
      item.message = data.message || "";
      item.errors = data.errors || {};
      await store.put("outbox", item);
      return "refused";
    }
    if (response.status === 403 || response.redirected) {
      // Logged out or the form's token is stale: keep it, the teacher logs in again.
      item.message = i18n("login", 0);
      await store.put("outbox", item);
      return "offline";
    }
    return "offline"; // 5xx or a cut-off answer: try again later with the same key
  }

  async function sync(opts) {
    if (syncing) {
      if (opts && opts.form) { opts.form.reset(); notice(i18n("queued", 0), "warning"); }
      return;
    }
    syncing = true;
    try {
      const run = async () => {
        const items = (await (await db()).getAll("outbox")).filter((i) => i.status === "queued");
        items.sort((a, b) => a.created - b.created);
        for (const item of items) {
          const follow = !!(opts && opts.follow === item.key);
          const result = await send(item, follow);
          if (result === "offline") break;
          if (result === "refused" && follow && opts.form) {
            // Sent from this page while online: show the server's errors in the form as usual.
            await (await db()).delete("outbox", item.key);
            nativeSubmit(opts.form, opts.submitter);
            return;
          }
          if (result === "refused") notice(i18n("wasRefused", 0), "danger");
          else if (result && result.ok) {
            if (follow && result.location) {
              window.location.assign(result.location);
              return;
            }
            notice(result.message, "success");
          }
        }
        if (opts && opts.form) {
          // Not sent yet (no network): the outbox keeps it; the form is free for the next one.
          opts.form.reset();
          notice(i18n("queued", 0), "warning");
        }
      };
      if (navigator.locks) await navigator.locks.request("gugan-outbox", run);
      else await run();
    } finally {
      syncing = false;
      await updateBadge();
    }
  }

  function nativeSubmit(form, submitter) {
    if (submitter && submitter.name) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = submitter.name; input.value = submitter.value;
      form.append(input);
    }
    form.removeAttribute("data-outbox");
    form.submit();
  }

  let draftTimer = null;
  function saveDraft(form) {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(async () => {
      await (await db()).put("drafts", { url: form.action, fields: fieldsOf(form), saved: Date.now() });
    }, 300);
  }

  async function restoreDraft(form) {
    const draft = await (await db()).get("drafts", form.action);
    if (draft && !form.querySelector(".is-invalid, .alert-danger")) fill(form, draft.fields);
  }

  document.addEventListener("input", (e) => {
    const form = e.target.form;
    if (form && form.hasAttribute("data-outbox")) saveDraft(form);
  });

  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (!form.hasAttribute("data-outbox")) return;
    const submitter = e.submitter;
    if (submitter && (submitter.hasAttribute("hx-post") || submitter.hasAttribute("formnovalidate"))) return;
    e.preventDefault();
    clearTimeout(draftTimer);
    const item = {
      key: uuid(),
      url: form.action,
      label: form.dataset.outbox,
      page: window.location.pathname,
      fields: fieldsOf(form, submitter),
      created: Date.now(),
      status: "queued",
      fixable: !form.hasAttribute("data-outbox-no-fix"), // a scan has nothing to fix
      message: "",
      errors: {},
    };
    const store = await db();
    await store.put("outbox", item);
    await store.delete("drafts", form.action);
    await updateBadge();
    await sync({ follow: item.key, form, submitter });
  });

  // Logging out on a shared phone: empty the outbox, the drafts and the kept pages.
  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (!form.hasAttribute("data-outbox-logout") || form.dataset.cleared) return;
    e.preventDefault();
    try {
      if (dbPromise) (await dbPromise).close();
      dbPromise = null;
      await idb.deleteDB(DB_NAME);
      if (window.caches) for (const name of await caches.keys()) await caches.delete(name);
    } finally {
      form.dataset.cleared = "1";
      form.submit();
    }
  });

  // -- the outbox page ------------------------------------------------------------------------
  function renderOutboxPage(items) {
    const list = document.getElementById("outbox-list");
    if (!list) return;
    items = items.slice().sort((a, b) => a.created - b.created); // in the order they were made
    list.replaceChildren();
    document.getElementById("outbox-empty").hidden = items.length > 0;
    for (const item of items) {
      const li = document.createElement("li");
      li.className = "list-group-item outbox-item";
      li.dataset.status = item.status;
      const head = document.createElement("div");
      head.className = "d-flex flex-wrap gap-2 align-items-center";
      const title = document.createElement("strong");
      title.textContent = item.label || item.url;
      const when = document.createElement("small");
      when.className = "text-muted";
      when.textContent = new Date(item.created).toLocaleString();
      const state = document.createElement("span");
      state.className = `badge ${item.status === "refused" ? "bg-danger" : "bg-warning text-dark"}`;
      state.textContent = i18n(item.status === "refused" ? "stateRefused" : "stateQueued", 0);
      head.append(title, when, state);
      li.append(head);
      if (item.message) {
        const msg = document.createElement("div");
        msg.className = item.status === "refused" ? "text-danger outbox-message" : "small text-muted outbox-message";
        msg.textContent = item.message;
        li.append(msg);
      }
      const errs = Object.entries(item.errors || {});
      if (errs.length) {
        const ul = document.createElement("ul");
        ul.className = "small text-danger mb-1 outbox-errors";
        for (const [, messages] of errs) for (const m of messages) {
          const e = document.createElement("li"); e.textContent = m; ul.append(e);
        }
        li.append(ul);
      }
      const actions = document.createElement("div");
      actions.className = "d-flex gap-2 mt-1";
      if (item.status === "refused" && item.fixable !== false) {
        const fix = document.createElement("button");
        fix.type = "button"; fix.className = "btn btn-sm btn-primary outbox-fix";
        fix.textContent = i18n("fix", 0);
        fix.addEventListener("click", async () => {
          const store = await db();
          await store.put("drafts", { url: item.url, fields: item.fields, saved: Date.now() });
          await store.delete("outbox", item.key);
          window.location.assign(item.page || item.url);
        });
        actions.append(fix);
      }
      const discard = document.createElement("button");
      discard.type = "button"; discard.className = "btn btn-sm btn-outline-danger outbox-discard";
      discard.textContent = i18n("discard", 0);
      discard.addEventListener("click", async () => {
        if (!window.confirm(i18n("confirmDiscard", 0))) return;
        await (await db()).delete("outbox", item.key);
        await updateBadge();
      });
      actions.append(discard);
      li.append(actions);
      list.append(li);
    }
  }

  function start() {
    if (!window.idb || !window.indexedDB) return;
    const sw = document.querySelector("meta[name=gugan-sw]");
    if (sw && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(sw.content, { scope: "/" }).catch(() => {});
    }
    document.querySelectorAll("form[data-outbox]").forEach(restoreDraft);
    updateBadge().then(() => { if (navigator.onLine) sync(); });
    window.addEventListener("online", () => sync());
  }
  window.guganOutbox = { sync, updateBadge, db };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
