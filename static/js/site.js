// Site behaviour without inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  // <select data-autosubmit> submits its form when changed (language switch, filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]")) el.form.submit();
  });

  // <button data-confirm="..."> asks before submitting.
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
  });

  // A new password: <button data-toggle-password="id"> shows and hides it (ASVS 2.1.12), and its
  // <output data-password-meter="id" data-url> shows what the server's validators say of it as
  // it is typed (ASVS 2.1.8), with the form's login name, e-mail and name for the likeness checks.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-toggle-password]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-toggle-password"));
    if (!input) return;
    var show = input.type === "password";
    input.type = show ? "text" : "password";
    if (!button.dataset.showLabel) button.dataset.showLabel = button.textContent;
    button.textContent = show ? button.dataset.hideLabel : button.dataset.showLabel;
    button.setAttribute("aria-pressed", show ? "true" : "false");
  });

  var meterTimers = {};
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.id) return;
    var meter = document.querySelector("[data-password-meter='" + input.id + "']");
    if (!meter) return;
    window.clearTimeout(meterTimers[input.id]);
    meterTimers[input.id] = window.setTimeout(function () {
      var form = input.form, body = new FormData();
      body.append("password", input.value);
      ["username", "email", "full_name"].forEach(function (name) {
        var field = form && form.elements.namedItem(name);
        if (field && field.value) body.append(name, field.value);
      });
      var token = form && form.elements.namedItem("csrfmiddlewaretoken");
      fetch(meter.getAttribute("data-url"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      }).then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { meter.innerHTML = html; })
        .catch(function () { meter.innerHTML = ""; });
    }, 400);
  });

  // Forms marked data-once disable their submit buttons after the first submit (double clicks).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });

  // Drafts: <form data-autosave-key="..."> keeps every keystroke in localStorage until the server
  // has confirmed a save, so a reload or a dropped connection loses nothing typed.
  function storageKey(form) { return "autosave:" + form.dataset.autosaveKey; }

  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "hidden" || el.type === "submit") return;
      if (el.type === "checkbox") data[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    return data;
  }

  function restore(form) {
    var raw = window.localStorage.getItem(storageKey(form));
    if (!raw) return;
    var saved;
    try { saved = JSON.parse(raw); } catch (e) { return; }
    var serverTime = Date.parse(form.dataset.savedAt || "") || 0;
    if (!saved.at || saved.at <= serverTime) { window.localStorage.removeItem(storageKey(form)); return; }
    // The page may already show what was kept (a form sent back with its errors): then there is
    // nothing to restore and nothing to say.
    var current = collect(form);
    var differs = Object.keys(saved.data).some(function (name) { return current[name] !== saved.data[name]; });
    if (!differs) { window.localStorage.removeItem(storageKey(form)); return; }
    Object.keys(saved.data).forEach(function (name) {
      Array.prototype.forEach.call(form.elements.namedItem ? form.querySelectorAll("[name='" + name + "']") : [], function (el) {
        if (el.type === "checkbox") el.checked = !!saved.data[name];
        else if (el.type === "radio") el.checked = el.value === saved.data[name];
        else el.value = saved.data[name];
      });
    });
    setStatus(form, text(form, "restored", "已恢复本机暂存的未保存内容，请检查后保存。"), true);
  }

  // Texts come from the page (data-* on the status element) so they follow the page's language.
  function text(form, key, fallback) {
    var box = form.querySelector(".autosave-status");
    return (box && box.dataset[key]) || fallback;
  }

  function setStatus(form, message, warn) {
    var box = form.querySelector(".autosave-status");
    if (!box) return;
    box.textContent = message;
    box.classList.toggle("offline", !!warn);
  }

  function keep(form) {
    window.localStorage.setItem(storageKey(form), JSON.stringify({ at: Date.now(), data: collect(form) }));
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.dataset.autosaveKey) keep(form);
  });
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.dataset.autosaveKey) keep(form);
  });

  // A save clicked while the form's autosave is on its way waits for the autosave's answer: the
  // answer carries the application's new row version (hx-swap-oob), and a save sent before it
  // would carry the old one and be refused as a change made meanwhile (by the applicant's own
  // autosave). For the same reason the form's autosaves queue (hx-sync="this:queue last") rather
  // than abort one another: an aborted one may have been saved, its new version never read.
  // Once the save is sent, no autosave of the form leaves: the save carries it all.
  var AUTOSAVED = "form[data-autosave-key][hx-post]";
  var autosaving = new WeakMap(), waitingSave = new WeakMap();

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches(AUTOSAVED)) return;
    if (form.dataset.saving) { event.preventDefault(); return; }
    autosaving.set(form, event.detail.xhr);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches(AUTOSAVED)) return;
    if (autosaving.has(form)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (!waitingSave.has(form)) {
        // An answer that never comes does not hold the save back: after 10 s it goes as it is.
        window.setTimeout(function () { sendWaitingSave(form); }, 10000);
      }
      waitingSave.set(form, event.submitter || null);
      setStatus(form, text(form, "waiting", "正在完成自动保存，随后立即保存……"), false);
      return;
    }
    form.dataset.saving = "1";
  }, true);

  // A page the browser brings back from its cache (the back button) is one whose save was sent:
  // its autosaves work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-saving]").forEach(function (form) { delete form.dataset.saving; });
  });

  function sendWaitingSave(form) {
    if (!waitingSave.has(form)) return;
    var submitter = waitingSave.get(form);
    waitingSave.delete(form);
    autosaving.delete(form);
    form.requestSubmit(submitter || undefined);
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-autosave-key]");
    if (!form) return;
    if (event.detail.successful) {
      window.localStorage.removeItem(storageKey(form));
    } else {
      setStatus(form, text(form, "offline", "网络连接中断，内容已暂存在本机，恢复连接后将自动保存。"), true);
    }
    // Only the answer of the autosave last sent counts (one that failed or was aborted ends too).
    if (autosaving.get(form) !== event.detail.xhr) return;
    autosaving.delete(form);
    sendWaitingSave(form);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.autosaveKey) keep(form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave-key]").forEach(restore);
    // Countdowns: <time data-countdown datetime="ISO">.
    function tick() {
      document.querySelectorAll("[data-countdown]").forEach(function (el) {
        var left = Date.parse(el.getAttribute("datetime")) - Date.now();
        if (isNaN(left)) return;
        if (left <= 0) { el.textContent = "已截止"; el.classList.add("overdue"); return; }
        var d = Math.floor(left / 86400000), h = Math.floor(left % 86400000 / 3600000),
            m = Math.floor(left % 3600000 / 60000);
        el.textContent = "剩余 " + (d ? d + " 天 " : "") + h + " 小时 " + m + " 分";
      });
    }
    tick();
    window.setInterval(tick, 30000);
  });
})();
