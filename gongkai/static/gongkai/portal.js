/* Progressive enhancement only: every page works without it. Loaded in <head> without defer
   (a static file: the CSP forbids inline script), so that the display modes below apply before
   the first paint; everything else waits for DOMContentLoaded. */
/* 适老化 display modes (docs/accessibility.md): larger text and high contrast, kept in
   localStorage so that they persist across pages and visits. */
(function () {
  var KEY = "gongkai.display";
  var MODES = ["large", "contrast"];
  var root = document.documentElement;

  function read() {
    try {
      return (window.localStorage.getItem(KEY) || "").split(" ").filter(function (m) {
        return MODES.indexOf(m) >= 0;
      });
    } catch (e) {
      return [];
    }
  }

  function apply(modes) {
    MODES.forEach(function (mode) {
      root.classList.toggle("display-" + mode, modes.indexOf(mode) >= 0);
    });
  }

  apply(read());

  document.addEventListener("DOMContentLoaded", function () {
    var switches = document.querySelectorAll("[data-display-mode]");
    switches.forEach(function (button) {
      var mode = button.getAttribute("data-display-mode");
      button.hidden = false;
      button.setAttribute("aria-pressed", read().indexOf(mode) >= 0 ? "true" : "false");
      button.addEventListener("click", function () {
        var modes = read().filter(function (m) { return m !== mode; });
        var on = button.getAttribute("aria-pressed") !== "true";
        if (on) { modes.push(mode); }
        try { window.localStorage.setItem(KEY, modes.join(" ")); } catch (e) { /* private mode: this page only */ }
        apply(modes);
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
  });
})();

document.addEventListener("DOMContentLoaded", function () {
  // A form sent back with errors: its summary is announced (role=alert) and takes the focus,
  // so that a keyboard or screen-reader user starts at the list of what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  // File pickers and date inputs in Chinese whatever the browser's language (issue 15 §4): the
  // native button says "Choose File" and the empty date says "mm/dd/yyyy" in an English browser.
  // The input stays the real, focusable control; a Chinese button and the chosen name come with it.
  document.querySelectorAll("input[type=file]").forEach(function (input, i) {
    if (input.dataset.chinese) {
      return;
    }
    input.dataset.chinese = "1";
    var wrap = document.createElement("span");
    wrap.className = "file-picker";
    var button = document.createElement("span");
    button.className = "button button--quiet file-picker__button";
    button.setAttribute("aria-hidden", "true");
    button.textContent = input.multiple ? "选择文件（可多选）" : "选择文件";
    var chosen = document.createElement("span");
    chosen.className = "file-picker__chosen";
    chosen.id = (input.id || "file-" + i) + "-chosen";
    chosen.textContent = "未选择文件";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(chosen);
    input.classList.add("file-picker__input");
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + chosen.id).trim());
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      chosen.textContent = names.length ? "已选择：" + names.join("、") : "未选择文件";
    });
  });
  document.querySelectorAll("input[type=date]").forEach(function (input, i) {
    if (input.dataset.chinese) {
      return;
    }
    input.dataset.chinese = "1";
    var hint = document.createElement("span");
    hint.className = "field__format";
    hint.id = (input.id || "date-" + i) + "-format";
    hint.textContent = "格式：年-月-日，如 2026-03-01";
    input.insertAdjacentElement("afterend", hint);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
    input.setAttribute("lang", "zh-CN");
  });
  // A wide table scrolls sideways in its wrapper: the wrapper takes the keyboard focus (so the
  // arrow keys scroll it) and is named after the table (WCAG 2.1.1; axe scrollable-region-focusable).
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) {
      return;
    }
    var caption = wrap.querySelector("caption");
    var section = wrap.closest("section[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    var name = (caption || heading || {}).textContent;
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", (name || "").trim() || "表格");
  });
  // On a phone the filters would push the results below the fold: start them folded,
  // except a facet with a chosen value.
  if (window.matchMedia("(max-width: 860px)").matches) {
    document.querySelectorAll("details.facet[open]").forEach(function (facet) {
      if (!facet.querySelector(".is-active")) {
        facet.open = false;
      }
    });
  }
});
