/* Progressive enhancement of the application form; it works without this (the server
   checks everything). Shows the fields of the chosen applicant type only, and stops a
   second click from sending the form twice (the server makes one application anyway). */
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-apply-form]");
  if (!form) {
    return;
  }
  var groups = form.querySelectorAll("[data-applicant]");
  function toggle() {
    var chosen = form.querySelector("input[name='applicant_type']:checked");
    if (!chosen) {
      return;
    }
    var kind = chosen.value === "natural_person" ? "person" : "organisation";
    groups.forEach(function (group) {
      var on = group.getAttribute("data-applicant") === kind;
      group.hidden = !on;
      group.disabled = !on; // not sent, but kept in the page if the choice changes back
    });
  }
  form.querySelectorAll("input[name='applicant_type']").forEach(function (radio) {
    radio.addEventListener("change", toggle);
  });
  toggle();
  form.addEventListener("submit", function () {
    var button = form.querySelector("[data-submit]");
    window.setTimeout(function () {
      button.disabled = true;
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    form.querySelector("[data-submit]").disabled = false; // back from the next page
  });
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
