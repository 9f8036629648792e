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
      // a service with no result of its own stays listed; any other group shows while it has a match
      group.hidden = !!group.querySelector("[data-result]") && !group.querySelector("[data-result]:not([hidden])");
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

  // A link to a result or a rule inside a folded <details> unfolds it (browsers without
  // auto-expansion on fragment navigation), and printing unfolds everything.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    while (el) {
      if (el.tagName === "DETAILS") { el.open = true; }
      el = el.parentElement;
    }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (d) { d.open = false; });
    folded = [];
  });

  // The services table sorts by any column with a button; a second click reverses the order.
  var table = document.getElementById("services-table");
  if (table) {
    var body = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.querySelectorAll("th[data-key]"));
    heads.forEach(function (th) {
      var button = th.querySelector("button.sort");
      button.hidden = false;
      button.addEventListener("click", function () {
        var key = th.getAttribute("data-key"), numeric = th.getAttribute("data-type") === "num";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key), c;
          c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          if (c === 0) { c = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
          return ascending ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  form.hidden = false;
  document.documentElement.className += " js";
  apply();
})();
