// Drawing an area to redact on a page preview of the record page (issue 17). Each
// <figure class="wb-draw"> holds a page picture and says, in data attributes, which form it
// fills (data-form, data-prefix), its page number and the page's size in PDF points. Dragging
// on the picture draws a rectangle and writes the page and the corners, in points from the
// page's top left corner, into the form; the reviewer then sends the form. The form works
// without this script (typed coordinates), so keyboard users lose nothing.
(function () {
  "use strict";

  function field(form, prefix, name) {
    return form.querySelector('[name="' + prefix + "-" + name + '"]');
  }

  function setup(figure) {
    var form = document.getElementById(figure.getAttribute("data-form"));
    var img = figure.querySelector("img");
    if (!form || !img) return;
    var prefix = figure.getAttribute("data-prefix");
    var pageWidth = parseFloat(figure.getAttribute("data-width"));
    var pageHeight = parseFloat(figure.getAttribute("data-height"));
    var box = document.createElement("div");
    box.className = "wb-draw__box";
    box.hidden = true;
    figure.appendChild(box);
    var start = null;

    function point(event) {
      var rect = img.getBoundingClientRect();
      var x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
      var y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height);
      return { x: x, y: y, w: rect.width, h: rect.height };
    }

    function show(a, b) {
      box.hidden = false;
      box.style.left = img.offsetLeft + Math.min(a.x, b.x) + "px";
      box.style.top = img.offsetTop + Math.min(a.y, b.y) + "px";
      box.style.width = Math.abs(a.x - b.x) + "px";
      box.style.height = Math.abs(a.y - b.y) + "px";
    }

    function fill(a, b) {
      var sx = pageWidth / a.w;
      var sy = pageHeight / a.h;
      var values = {
        page: figure.getAttribute("data-page"),
        x0: (Math.min(a.x, b.x) * sx).toFixed(1),
        y0: (Math.min(a.y, b.y) * sy).toFixed(1),
        x1: (Math.max(a.x, b.x) * sx).toFixed(1),
        y1: (Math.max(a.y, b.y) * sy).toFixed(1),
      };
      Object.keys(values).forEach(function (name) {
        var input = field(form, prefix, name);
        if (input) input.value = values[name];
      });
      var pageInput = field(form, prefix, "page");
      if (pageInput) pageInput.focus();
    }

    img.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = point(event);
      img.setPointerCapture(event.pointerId);
      show(start, start);
    });
    img.addEventListener("pointermove", function (event) {
      if (start) show(start, point(event));
    });
    img.addEventListener("pointerup", function (event) {
      if (!start) return;
      var end = point(event);
      show(start, end);
      if (Math.abs(end.x - start.x) > 2 && Math.abs(end.y - start.y) > 2) fill(start, end);
      start = null;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".wb-draw"), setup);
})();
