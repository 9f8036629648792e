(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var results = Array.prototype.slice.call(document.querySelectorAll("[data-result]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var counter = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");

  function chosen(name) {
    var set = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"), function (input) {
      if (input.checked) { set[input.value] = true; }
    });
    return set;
  }

  function apply() {
    var status = chosen("status"), category = chosen("category"), severity = chosen("severity");
    var shown = 0;
    results.forEach(function (el) {
      var visible = !!(status[el.getAttribute("data-status")] && category[el.getAttribute("data-category")] &&
                       severity[el.getAttribute("data-severity")]);
      el.hidden = !visible;
      if (visible) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("[data-result]:not([hidden])");
    });
    counter.textContent = "Showing " + shown + " of " + results.length + " results";
    empty.hidden = shown !== 0;
  }

  function setAll(name, predicate) {
    Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"), function (input) {
      input.checked = predicate(input.value);
    });
  }

  form.addEventListener("change", apply);
  document.getElementById("show-problems").addEventListener("click", function () {
    setAll("status", function (value) { return value === "fail" || value === "error"; });
    setAll("category", function () { return true; });
    setAll("severity", function () { return true; });
    apply();
  });
  document.getElementById("show-all").addEventListener("click", function () {
    setAll("status", function () { return true; });
    setAll("category", function () { return true; });
    setAll("severity", function () { return true; });
    apply();
  });
  form.hidden = false;
  document.documentElement.className += " js";
  apply();
})();
