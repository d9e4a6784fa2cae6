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

  function applyValue(scope, kind, name, value) {
    var controls = named(scope, name);
    if (kind === "yes_no") {
      controls.forEach(function (c) { c.checked = value !== undefined && value !== null && (c.value === "ya") === value; });
    } else if (kind === "tick_list") {
      var items = value && value.items ? value.items : [];
      controls.forEach(function (c) { c.checked = c.value === NONE ? (!!value && !items.length) : items.indexOf(c.value) >= 0; });
      named(scope, name + "-lainnya").forEach(function (c) { c.value = value && value.other ? value.other : ""; });
    } else {
      controls.forEach(function (c) { c.value = value === undefined || value === null ? "" : value; });
    }
  }

  function parsed(text) {
    try { return text ? JSON.parse(text) : {}; } catch (e) { return {}; }
  }

  function apply(set, text) {
    var base = set.getAttribute("data-fact-set");
    var values = parsed(text);
    set.querySelectorAll("[data-fact]").forEach(function (fact) {
      var key = fact.getAttribute("data-fact");
      applyValue(fact, fact.getAttribute("data-kind"), base + "-" + key, values[key]);
    });
  }

  /* The review page: per fact "sesuai" / "tidak sesuai", and when not, the note and what the evidence shows. */
  function serialiseChecks(set) {
    var base = set.getAttribute("data-check-set");
    var values = {};
    set.querySelectorAll("[data-check]").forEach(function (item) {
      var key = item.getAttribute("data-check");
      var word = named(item, base + "-cek-" + key).filter(function (c) { return c.checked; }).map(function (c) { return c.value; })[0];
      if (word === "sesuai") {
        values[key] = { confirmed: true };
      } else if (word === "tidak") {
        var note = named(item, base + "-catatan-" + key).map(function (c) { return c.value; }).join(" ").trim();
        values[key] = { confirmed: false, note: note,
                        value: valueOf(item, item.getAttribute("data-kind"), base + "-nilai-" + key) };
      }
    });
    return Object.keys(values).length ? JSON.stringify(values) : "";
  }

  function applyChecks(set, text) {
    var base = set.getAttribute("data-check-set");
    var values = parsed(text);
    set.querySelectorAll("[data-check]").forEach(function (item) {
      var key = item.getAttribute("data-check");
      var check = values[key];
      named(item, base + "-cek-" + key).forEach(function (c) {
        c.checked = !!check && (c.value === "sesuai") === check.confirmed;
      });
      named(item, base + "-catatan-" + key).forEach(function (c) { c.value = check && check.note ? check.note : ""; });
      applyValue(item, item.getAttribute("data-kind"), base + "-nilai-" + key, check ? check.value : null);
    });
  }

  function hiddenOf(set) {
    var name = set.hasAttribute("data-check-set") ? set.getAttribute("data-check-set") + "-checks"
      : set.getAttribute("data-fact-set");
    return document.querySelector('[data-facts="' + name + '"]');
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

  function openDetail(target) {  // "Tidak sesuai" needs a note and what the evidence shows: show where they go
    var item = target.closest("[data-check]");
    var detail = item && target.checked && target.hasAttribute("data-opens-detail") ? item.querySelector("details") : null;
    if (detail) {
      detail.open = true;
    }
  }

  function sync(event) {
    var set = event.target.closest ? event.target.closest("[data-fact-set], [data-check-set]") : null;
    if (!set) {
      return;
    }
    exclusiveNone(event.target);
    openDetail(event.target);
    var hidden = hiddenOf(set);
    if (hidden) {
      hidden.value = set.hasAttribute("data-check-set") ? serialiseChecks(set) : serialise(set);
    }
  }

  document.querySelectorAll("[data-fact-set], [data-check-set]").forEach(function (set) {
    var hidden = hiddenOf(set);
    if (!hidden) {
      return;
    }
    hidden.addEventListener("facts:apply", function () {
      return set.hasAttribute("data-check-set") ? applyChecks(set, hidden.value) : apply(set, hidden.value);
    });
    var form = set.closest("form");
    if (form && !form.hasAttribute("data-facts-wired")) {
      form.setAttribute("data-facts-wired", "");
      // Capture: the hidden field is up to date before the autosave's own listeners read it.
      form.addEventListener("input", sync, true);
      form.addEventListener("change", sync, true);
    }
  });
}());
