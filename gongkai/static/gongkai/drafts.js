// Keeps what a member of staff types in a workbench form across the idle sign-out (issue 10,
// section 7). The text is saved in this tab's sessionStorage as it is typed (never sent
// anywhere, gone when the tab closes). A form sent after the session ended lands on the login
// page; after signing in, the form page gives the text back with a notice. A form that reached
// the server while signed in (saved, or shown again with its errors) drops its draft.
(function () {
  "use strict";
  var PREFIX = "gk-draft:";
  var PENDING = "gk-draft-pending";
  var MAX_AGE_MS = 12 * 3600 * 1000;
  var SKIPPED = /^(password|hidden|file|submit|button|reset|checkbox|radio|image)$/;
  var store;
  try {
    store = window.sessionStorage;
    store.setItem("gk-draft-test", "1");
    store.removeItem("gk-draft-test");
  } catch (e) {
    return; // storage off: nothing to do
  }

  function keyOf(form, index) {
    return PREFIX + location.pathname + "#" + (form.getAttribute("action") || "") + "#" + index;
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.readOnly || el.name === "csrfmiddlewaretoken") return false;
      if (el.tagName === "TEXTAREA") return true;
      return el.tagName === "INPUT" && !SKIPPED.test(el.type);
    });
  }

  function save(form, key) {
    var values = {};
    var any = false;
    fields(form).forEach(function (el) {
      if (el.value !== el.defaultValue) {
        values[el.name] = el.value;
        any = true;
      }
    });
    if (any) store.setItem(key, JSON.stringify({ t: Date.now(), values: values }));
    else store.removeItem(key);
  }

  function restore(form, key) {
    var raw = store.getItem(key);
    if (!raw) return;
    var draft;
    try {
      draft = JSON.parse(raw);
    } catch (e) {
      store.removeItem(key);
      return;
    }
    if (!draft || Date.now() - draft.t > MAX_AGE_MS) {
      store.removeItem(key);
      return;
    }
    var restored = false;
    fields(form).forEach(function (el) {
      var value = draft.values[el.name];
      if (typeof value === "string" && el.value === el.defaultValue && value !== el.value) {
        el.value = value;
        restored = true;
      }
    });
    if (restored) {
      var note = document.createElement("p");
      note.className = "notice draft-restored";
      note.setAttribute("role", "status");
      note.textContent = "已恢复您在登录超时前填写但尚未提交的内容，请核对后再提交。";
      form.insertBefore(note, form.firstChild);
    }
  }

  // The page after a submission: unless it came from the login page (the session had ended),
  // the server got the form, so its draft is done with.
  var pending = store.getItem(PENDING);
  if (pending) {
    store.removeItem(PENDING);
    if (document.referrer.indexOf("/login/") === -1) store.removeItem(pending);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form, index) {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
    if (!fields(form).length) return;
    var key = keyOf(form, index);
    restore(form, key);
    form.addEventListener("input", function () {
      save(form, key);
    });
    form.addEventListener("submit", function () {
      save(form, key);
      if (store.getItem(key)) store.setItem(PENDING, key);
    });
  });
})();
