/* The F-01 facts of an indicator (templates/selfassessment/_facts.html, templates/review/_fact_checks.html):
   keeps the hidden JSON field that the autosave sends in step with the controls the user sees, the same JSON
   the server builds from the controls of a post without JavaScript (assessment/domain/fact_entries.py). */
(function () {
  "use strict";
  var NONE = "__none__";

  function named(scope, name) {
    return Array.prototype.slice.call(scope.querySelectorAll("[name]")).filter(function (c) { return c.name === name; });
  }

  function valueOf(scope, kind, name) {
    var controls = named(scope, name);
    if (kind === "yes_no") {
      var chosen = controls.filter(function (c) { return c.checked; })[0];
      return chosen ? chosen.value === "ya" : null;
    }
    if (kind === "tick_list") {
      var ticked = controls.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
      var items = ticked.filter(function (v) { return v !== NONE; });
      if (!items.length && ticked.indexOf(NONE) < 0) {
        return null;
      }
      var other = named(scope, name + "-lainnya").map(function (c) { return c.value; }).join(" ").trim();
      return other ? { items: items, other: other } : { items: items };
    }
    var text = controls.length ? controls[0].value.trim() : "";
    return text === "" ? null : text;
  }

  function serialise(set) {
    var base = set.getAttribute("data-fact-set");
    var values = {};
    set.querySelectorAll("[data-fact]").forEach(function (fact) {
      var value = valueOf(fact, fact.getAttribute("data-kind"), base + "-" + fact.getAttribute("data-fact"));
      if (value !== null) {
        values[fact.getAttribute("data-fact")] = value;
      }
    });
    return Object.keys(values).length ? JSON.stringify(values) : "";
  }

  function apply(set, text) {
    var base = set.getAttribute("data-fact-set");
    var values = {};
    try { values = text ? JSON.parse(text) : {}; } catch (e) { values = {}; }
    set.querySelectorAll("[data-fact]").forEach(function (fact) {
      var key = fact.getAttribute("data-fact");
      var kind = fact.getAttribute("data-kind");
      var value = values[key];
      var controls = named(fact, base + "-" + key);
      if (kind === "yes_no") {
        controls.forEach(function (c) { c.checked = value !== undefined && value !== null && (c.value === "ya") === value; });
      } else if (kind === "tick_list") {
        var items = value && value.items ? value.items : [];
        controls.forEach(function (c) { c.checked = c.value === NONE ? (!!value && !items.length) : items.indexOf(c.value) >= 0; });
        named(fact, base + "-" + key + "-lainnya").forEach(function (c) { c.value = value && value.other ? value.other : ""; });
      } else {
        controls.forEach(function (c) { c.value = value === undefined || value === null ? "" : value; });
      }
    });
  }

  function exclusiveNone(target) {  // "none of these" and a ticked item exclude each other
    var fact = target.closest("[data-kind='tick_list']");
    if (!fact || target.type !== "checkbox") {
      return;
    }
    named(fact, target.name).forEach(function (c) {
      if (c !== target && target.checked && (target.value === NONE || c.value === NONE)) {
        c.checked = false;
      }
    });
  }

  function sync(event) {
    var set = event.target.closest ? event.target.closest("[data-fact-set]") : null;
    if (!set) {
      return;
    }
    exclusiveNone(event.target);
    var hidden = document.querySelector('[data-facts="' + set.getAttribute("data-fact-set") + '"]');
    if (hidden) {
      hidden.value = serialise(set);
    }
  }

  document.querySelectorAll("[data-fact-set]").forEach(function (set) {
    var hidden = document.querySelector('[data-facts="' + set.getAttribute("data-fact-set") + '"]');
    if (!hidden) {
      return;
    }
    hidden.addEventListener("facts:apply", function () { apply(set, hidden.value); });
    var form = set.closest("form");
    if (form && !form.hasAttribute("data-facts-wired")) {
      form.setAttribute("data-facts-wired", "");
      // Capture: the hidden field is up to date before the autosave's own listeners read it.
      form.addEventListener("input", sync, true);
      form.addEventListener("change", sync, true);
    }
  });
}());
