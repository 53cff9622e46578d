/* Progressive enhancement only: every page works without it. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
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
