/* Progressive enhancement only: every workbench form works without it. Shows the ground of
   non-disclosure only when the record is not proactively disclosed, and the validity fields
   only for a validity change. */
document.addEventListener("DOMContentLoaded", function () {
  function toggle(controls, target, showFor) {
    if (!controls || !target) {
      return;
    }
    var update = function () {
      var checked = controls.querySelector("input[type=radio]:checked");
      target.hidden = !checked || !showFor(checked.value);
    };
    controls.addEventListener("change", update);
    update();
  }
  toggle(
    document.querySelector("[data-disclosure-attribute]"),
    document.querySelector("[data-ground-field]"),
    function (value) { return value !== "proactive"; }
  );
  toggle(
    document.querySelector("[data-change-kind]"),
    document.querySelector("[data-validity-fields]"),
    function (value) { return value === "validity"; }
  );
  // Art. 36(5) referral: the agency picked from the directory fills the "other agency" text.
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      var target = select.form.querySelector('[name$="-' + select.dataset.fills + '"]');
      var option = select.options[select.selectedIndex];
      if (target && option && option.dataset.contact) {
        target.value = option.dataset.contact;
      }
    });
  });
});
