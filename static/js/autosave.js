/* Saving per indicator on the OPD's aspect pages and the review page (templates/_saving.html).

   Every change is kept in this browser (localStorage, per user, form, assessment and indicator) until the
   server has acknowledged it; opening the page again offers what was not saved ("Pulihkan"). A save sends
   only the indicators changed since their last acknowledged save, each with the version it was based on,
   and an idempotency key that a retry sends again, so a save whose reply was lost is recognised by the
   server as this page's own. A failed save is retried by itself, with back-off and as soon as the browser
   is online again. When the session has ended the page waits for a login in another tab and then goes on
   with a fresh CSRF token, without a reload. Without JavaScript the page's own save buttons do the job. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData || !window.JSON) {
    return;
  }

  var TEXT = {
    saving: "Menyimpan…",
    offline: "Belum tersimpan: koneksi terputus, dicoba lagi otomatis",
    busy: "Belum tersimpan: server sibuk, dicoba lagi otomatis",
    session: "Sesi berakhir: masuk lagi — isian Anda aman di peramban ini",
    otherUser: "Sesi berakhir: masuk lagi dengan akun yang sama — isian Anda aman di peramban ini",
    invalid: "Belum tersimpan: periksa isian yang ditandai merah"
  };
  var RETRY_DELAYS = [2000, 4000, 8000, 15000, 30000];
  var TYPING_DELAY = 1500;
  var CHOICE_DELAY = 250;
  var SESSION_POLL = 5000;

  var user = form.getAttribute("data-user");
  var draftPrefix = "pekppp:" + user + ":" + form.getAttribute("data-draft") + ":";
  var aliasPrefix = "pekppp:" + user + ":" + form.getAttribute("data-draft-alias") + ":";
  var tokenUrl = form.getAttribute("data-token-url");
  var loginUrl = form.getAttribute("data-login-url");
  var csrfInput = form.querySelector('input[name="csrf_token"]');

  var entries = [];
  var byKey = {};
  var inFlight = null;
  var timer = null;
  var retries = 0;
  var sessionTimer = null;
  var stopped = false;  // the form may no longer change (e.g. submitted elsewhere): nothing more is sent
  var leaving = false;  // the page's own save button is taking the user on
  var lastSaved = "";
  var csrfRetried = false;

  /* ---- values of one indicator ------------------------------------------------------------------------- */

  function norm(value) {
    return String(value === null || value === undefined ? "" : value).replace(/\r\n?/g, "\n").trim();
  }

  function same(a, b) {
    return Object.keys(a).every(function (name) { return norm(a[name]) === norm(b[name]); });
  }

  function control(entry, name) {
    return form.elements.namedItem(entry.key + "-" + name);
  }

  function read(entry) {
    var values = {};
    entry.names.forEach(function (name) {
      var field = control(entry, name);
      values[name] = field ? field.value : "";  // a radio group's value is its checked radio's, or ""
    });
    return values;
  }

  function write(entry, values) {
    entry.names.forEach(function (name) {
      var field = control(entry, name);
      if (!field) {
        return;
      }
      if (field instanceof RadioNodeList) {
        Array.prototype.forEach.call(field, function (radio) { radio.checked = radio.value === norm(values[name]); });
      } else {
        field.value = values[name] === null || values[name] === undefined ? "" : values[name];
        if (field.hasAttribute("data-facts")) {  // the fact controls follow their JSON (static/js/facts.js)
          field.dispatchEvent(new CustomEvent("facts:apply"));
        }
      }
    });
    showChoiceCriterion(entry);
  }

  function textName(entry) {
    return entry.names.filter(function (name) { return control(entry, name) instanceof HTMLTextAreaElement; })[0];
  }

  function choiceName(entry) {
    return entry.names.filter(function (name) { return name !== textName(entry); })[0];
  }

  function choiceLabel(entry, value) {
    var field = control(entry, choiceName(entry));
    if (field && field.hasAttribute && field.hasAttribute("data-facts")) {
      return norm(value) === "" ? "Fakta belum dijawab" : "Jawaban fakta (" + factCount(value) + " fakta terisi)";
    }
    if (field instanceof HTMLSelectElement) {
      var option = Array.prototype.filter.call(field.options, function (o) { return o.value === norm(value); })[0];
      return option ? option.text : "–";
    }
    return norm(value) === "" ? "Level belum dipilih" : "Level " + norm(value);
  }

  function factCount(text) {
    try { return Object.keys(JSON.parse(text)).length; } catch (e) { return 0; }
  }

  function isDirty(entry) {
    return !same(read(entry), entry.acked);
  }

  /* ---- the copy in this browser ------------------------------------------------------------------------ */

  function storageGet(key) {
    try {
      var text = window.localStorage.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  function storageSet(key, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, JSON.stringify(value));
      }
    } catch (error) {
      /* storage full or off: the page still saves, only the copy is missing */
    }
  }

  function keep(entry) {
    var values = read(entry);
    if (same(values, entry.acked)) {
      storageSet(draftPrefix + entry.key, null);
      return;
    }
    storageSet(draftPrefix + entry.key, {
      values: values,
      version: control(entry, "version").value,
      sentKey: entry.sending && same(values, entry.sending) ? entry.saveKey : null,
      at: Date.now()
    });
  }

  function moveCopies(fromPrefix, toPrefix) {
    if (fromPrefix === toPrefix) {
      return;
    }
    entries.forEach(function (entry) {
      var copy = storageGet(fromPrefix + entry.key);
      if (copy && !storageGet(toPrefix + entry.key)) {
        storageSet(toPrefix + entry.key, copy);
      }
      storageSet(fromPrefix + entry.key, null);
    });
  }

  /* ---- the status line --------------------------------------------------------------------------------- */

  function pendingFiles() {
    var count = 0;
    form.querySelectorAll('input[type="file"]').forEach(function (input) { count += input.files ? input.files.length : 0; });
    return count;
  }

  function show(state, text) {
    status.setAttribute("data-state", state);
    status.textContent = text;
    var files = pendingFiles();
    if (files) {
      status.appendChild(document.createTextNode(" · " + files + " berkas menunggu diunggah: tekan tombol simpan."));
    }
    if (state === "session") {
      var link = document.createElement("a");
      link.href = loginUrl;
      link.target = "_blank";
      link.rel = "noopener";
      link.className = "ms-2";
      link.textContent = "Masuk lagi (tab baru)";
      status.appendChild(link);
    }
  }

  function showOutcome() {
    var held = entries.filter(function (entry) { return entry.held; });
    var conflicts = held.filter(function (entry) { return entry.held === "conflict"; });
    if (conflicts.length) {
      show("error", "Belum tersimpan: " + conflicts.map(function (e) { return e.code; }).join(", ") +
        " diubah orang lain — pilih isian yang dipakai");
    } else if (held.length) {
      show("error", TEXT.invalid);
    } else if (entries.some(isDirty)) {
      show("saving", TEXT.saving);
    } else if (lastSaved) {
      show("saved", "Tersimpan " + lastSaved);
    } else {
      show("idle", status.getAttribute("data-idle"));
    }
  }

  /* ---- scores and texts the server sends back ---------------------------------------------------------- */

  function setTexts(texts) {
    Object.keys(texts || {}).forEach(function (name) {
      document.querySelectorAll('[data-score="' + name + '"]').forEach(function (element) {
        element.textContent = texts[name];
      });
    });
  }

  function applyScores(body) {
    // The score cards come rendered by the server (the same macro as the page), so they never drift from it.
    Object.keys(body.cards || {}).forEach(function (name) {
      document.querySelectorAll('[data-score-card="' + name + '"]').forEach(function (card) {
        card.outerHTML = body.cards[name];
      });
    });
    setTexts(body.texts);
    if (body.progress) {
      document.querySelectorAll("[data-score-progress] .progress").forEach(function (bar) {
        bar.setAttribute("aria-valuenow", body.progress.done);
        var fill = bar.querySelector(".progress-bar");
        fill.style.width = Math.round(100 * body.progress.done / body.progress.total) + "%";
        fill.classList.toggle("bg-success", body.progress.done === body.progress.total);
      });
    }
  }

  function applyPanels(body) {  // the level the saved facts give, rendered by the server
    Object.keys(body.panels || {}).forEach(function (key) {
      var entry = byKey[key];
      var slot = entry ? entry.element.querySelector("[data-fact-outcome]") : null;
      if (slot) {
        slot.innerHTML = body.panels[key];
        markJump(entry);
      }
    });
  }

  function adoptPage(body) {
    if (body.page_url && body.page_url !== window.location.pathname) {
      window.history.replaceState(null, "", body.page_url);
      form.setAttribute("action", body.page_url);
    }
    if (body.draft) {
      var prefix = "pekppp:" + user + ":" + body.draft + ":";
      moveCopies(draftPrefix, prefix);
      draftPrefix = prefix;
    }
  }

  /* ---- saving ------------------------------------------------------------------------------------------ */

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; save(); }, delay);
  }

  function save() {
    window.clearTimeout(timer);
    timer = null;
    if (inFlight || stopped || sessionTimer || leaving) {
      return inFlight || Promise.resolve();
    }
    var batch = entries.filter(function (entry) { return !entry.held && isDirty(entry); });
    if (!batch.length) {
      showOutcome();
      return Promise.resolve();
    }
    if (navigator.onLine === false) {
      show("error", TEXT.offline);
      return Promise.resolve();
    }
    var data = new FormData();
    data.append("csrf_token", csrfInput ? csrfInput.value : "");
    data.append("action", "autosave");
    batch.forEach(function (entry) {
      entry.sending = read(entry);
      entry.saveKey = entry.saveKey || newKey();
      control(entry, "key").value = entry.saveKey;
      data.append(entry.key + "-version", control(entry, "version").value);
      data.append(entry.key + "-key", entry.saveKey);
      Object.keys(entry.sending).forEach(function (name) { data.append(entry.key + "-" + name, entry.sending[name]); });
      keep(entry);
    });
    show("saving", TEXT.saving);
    inFlight = fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        answered(response.status, body, batch);
      });
    }).catch(function () {
      failed(TEXT.offline, batch);
    }).then(function () {
      inFlight = null;
      if (!timer && !stopped && !sessionTimer && entries.some(function (e) { return !e.held && isDirty(e); })) {
        schedule(0);
      }
    });
    return inFlight;
  }

  function answered(code, body, batch) {
    if (code === 401) {
      batch.forEach(function (entry) { entry.sending = null; });
      sessionEnded(TEXT.session);
    } else if (code === 400 && body && body.status === "csrf" && !csrfRetried) {
      csrfRetried = true;
      batch.forEach(function (entry) { entry.sending = null; });
      refreshToken().then(function (ok) {
        if (ok) {
          schedule(0);
        }
      });
    } else if (body && body.entries) {
      csrfRetried = false;
      retries = 0;
      adoptPage(body);
      batch.forEach(function (entry) { settle(entry, body.entries[entry.key]); });
      if (body.saved_at) {
        lastSaved = body.saved_at;
      }
      applyScores(body);
      applyPanels(body);
      showOutcome();
    } else if (code === 503 || code === 409 || code >= 500 || body === null || body.retry) {
      failed(code === 503 ? TEXT.busy : (code === 409 && body && body.message) || TEXT.offline, batch);
    } else {
      stopped = true;  // refused for good (403, 413, a form that may no longer change): the copy stays here
      batch.forEach(function (entry) { entry.sending = null; });
      show("error", (body && body.message) || "Belum tersimpan.");
    }
  }

  /* the page's jump list ticks an indicator once a level of it is saved (by facts: once they give one) */
  function markJump(entry) {
    var jump = document.querySelector('[data-jump="' + entry.key + '"]');
    var byFacts = entry.element.querySelector("[data-fact-outcome]");
    var answered = Boolean(byFacts ? byFacts.querySelector("[data-fact-level]")
                                   : entry.element.querySelector("input[type=radio]:checked"));
    if (jump) {
      jump.classList.toggle("answered", answered);
      jump.querySelector(".jump-state").textContent = answered ? " \u2713" : "";
      jump.querySelector("[data-jump-state]").textContent = answered ? ", terjawab" : ", belum dijawab";
    }
  }

  function settle(entry, reply) {
    var sent = entry.sending;
    entry.sending = null;
    if (!reply) {
      return;  // not taken up (another indicator of the save was refused): it goes again with the next save
    }
    if (reply.status === "saved" || reply.status === "unchanged") {
      markJump(entry);
      entry.acked = sent;
      entry.saveKey = null;
      control(entry, "version").value = String(reply.version);
      control(entry, "shown").value = reply.shown || "";
      clearError(entry);
    } else if (reply.status === "conflict") {
      entry.saveKey = null;
      hold(entry, "conflict", { version: reply.version, values: reply.theirs.values, by: reply.theirs.by,
                                at: reply.theirs.at });
    } else if (reply.status === "invalid") {
      entry.saveKey = null;
      hold(entry, "invalid");
      showError(entry, reply.message);
    }
    keep(entry);
  }

  function failed(text, batch) {
    batch.forEach(function (entry) { entry.sending = null; });  // the key stays: a retry is the same save
    show("error", text);
    var delay = RETRY_DELAYS[Math.min(retries, RETRY_DELAYS.length - 1)];
    retries += 1;
    schedule(delay);
  }

  window.addEventListener("online", function () {
    retries = 0;
    schedule(0);
  });
  window.addEventListener("offline", function () {
    if (entries.some(isDirty)) {
      show("error", TEXT.offline);
    }
  });

  /* ---- an ended session -------------------------------------------------------------------------------- */

  function sessionEnded(text) {
    show("session", text);
    if (!sessionTimer) {
      sessionTimer = window.setInterval(checkSession, SESSION_POLL);
      window.addEventListener("focus", checkSession);
    }
  }

  function refreshToken() {
    return fetch(tokenUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          sessionEnded(TEXT.session);
          return false;
        }
        return response.json().then(function (body) {
          if (String(body.user_id) !== user) {
            sessionEnded(TEXT.otherUser);
            return false;
          }
          document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) { input.value = body.csrf_token; });
          return true;
        });
      }).catch(function () { return false; });
  }

  function checkSession() {
    refreshToken().then(function (ok) {
      if (ok && sessionTimer) {
        window.clearInterval(sessionTimer);
        window.removeEventListener("focus", checkSession);
        sessionTimer = null;
        csrfRetried = false;
        schedule(0);
      }
    });
  }

  /* ---- notices in an indicator: errors, conflicts, the browser's copy ---------------------------------- */

  function slot(entry) {
    return entry.element.querySelector("[data-notice-slot]");
  }

  function fill(node, values) {
    Object.keys(values).forEach(function (name) {
      node.querySelectorAll('[data-slot="' + name + '"]').forEach(function (element) {
        if (values[name] instanceof Node) {
          element.textContent = "";
          element.appendChild(values[name]);
        } else {
          element.textContent = values[name];
        }
      });
    });
    return node;
  }

  function fromTemplate(id) {
    var template = document.getElementById(id);
    return template.content.firstElementChild.cloneNode(true);
  }

  function showError(entry, message) {
    var box = entry.element.querySelector("[data-entry-error]");
    if (box) {
      box.textContent = message;
      box.style.display = "block";
    }
    entry.element.classList.add("has-error");
  }

  function clearError(entry) {
    var box = entry.element.querySelector("[data-entry-error]");
    if (box) {
      box.textContent = "";
      box.style.display = "";
    }
    if (!entry.element.querySelector(".conflict-panel, .is-invalid")) {
      entry.element.classList.remove("has-error");
    }
  }

  function hold(entry, reason, theirs) {
    entry.held = reason;
    entry.heldValues = read(entry);
    if (reason !== "conflict") {
      return;
    }
    entry.theirs = theirs;
    var mine = read(entry);
    var text = textName(entry);
    var panel = entry.element.querySelector(".conflict-panel");
    if (!panel) {
      panel = fromTemplate("tpl-conflict");
      slot(entry).appendChild(panel);
    }
    fill(panel, {
      "by": theirs.by, "at": theirs.at,
      "mine-choice": choiceLabel(entry, mine[choiceName(entry)]), "mine-text": norm(mine[text]) || "–",
      "theirs-choice": choiceLabel(entry, theirs.values[choiceName(entry)]), "theirs-text": norm(theirs.values[text]) || "–"
    });
    wireConflict(entry, panel);
    entry.element.classList.add("has-error");
  }

  function wireConflict(entry, panel) {
    panel.querySelectorAll("[data-js-only]").forEach(function (element) { element.hidden = false; });
    panel.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });
    panel.querySelectorAll("[data-resolve]").forEach(function (button) {
      button.onclick = function () { resolve(entry, button.getAttribute("data-resolve")); };
    });
  }

  function resolve(entry, choice) {
    var theirs = entry.theirs;
    var text = textName(entry);
    control(entry, "version").value = String(theirs.version);  // from here on based on what they saved
    if (choice === "theirs") {
      write(entry, theirs.values);
      entry.acked = read(entry);
    } else if (choice === "merge") {
      var mine = norm(read(entry)[text]);
      var other = norm(theirs.values[text]);
      var merged = {};
      merged[text] = mine && other && mine !== other ? other + "\n\n" + mine : (mine || other);
      merged[choiceName(entry)] = read(entry)[choiceName(entry)];
      write(entry, merged);
      control(entry, text).focus();
    }
    release(entry);
    keep(entry);
    schedule(choice === "merge" ? TYPING_DELAY : 0);
    showOutcome();
  }

  function release(entry) {
    entry.held = null;
    entry.theirs = null;
    var panel = entry.element.querySelector(".conflict-panel");
    if (panel) {
      panel.remove();
    }
    clearError(entry);
  }

  /* Words removed and added between the saved text and the copy, for the "Pulihkan" notice. */
  function difference(before, after) {
    var a = norm(before).split(/(\s+)/).filter(Boolean);
    var b = norm(after).split(/(\s+)/).filter(Boolean);
    var out = document.createDocumentFragment();
    if (a.length * b.length > 250000) {
      var whole = document.createElement("ins");
      whole.textContent = norm(after);
      out.appendChild(whole);
      return out;
    }
    var table = [];
    for (var i = a.length; i >= 0; i -= 1) {
      table[i] = [];
      for (var j = b.length; j >= 0; j -= 1) {
        table[i][j] = i === a.length || j === b.length ? 0
          : a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    var removed = "";
    var added = "";
    function flush() {  // a run of changes reads as what went, then what came
      if (removed) {
        out.appendChild(document.createElement("del")).textContent = removed;
      }
      if (removed && added) {
        out.appendChild(document.createTextNode(" "));
      }
      if (added) {
        out.appendChild(document.createElement("ins")).textContent = added;
      }
      removed = "";
      added = "";
    }
    i = 0;
    j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j] && (removed || added) && !a[i].trim()) {
        removed += a[i];  // a space between two changed words belongs to the run
        added += a[i];
        i += 1;
        j += 1;
      } else if (i < a.length && j < b.length && a[i] === b[j]) {
        flush();
        out.appendChild(document.createTextNode(a[i]));
        i += 1;
        j += 1;
      } else if (j < b.length && (i === a.length || table[i][j + 1] >= table[i + 1][j])) {
        added += b[j];
        j += 1;
      } else {
        removed += a[i];
        i += 1;
      }
    }
    flush();
    return out;
  }

  function time(ms) {
    var at = new Date(ms);
    return ("0" + at.getHours()).slice(-2) + "." + ("0" + at.getMinutes()).slice(-2) + " WIB";
  }

  function offerCopies() {
    var offered = [];
    entries.forEach(function (entry) {
      var copy = storageGet(draftPrefix + entry.key);
      if (!copy || !copy.values) {
        return;
      }
      if (same(copy.values, entry.saved) || (copy.sentKey && copy.sentKey === entry.savedKey)) {
        storageSet(draftPrefix + entry.key, null);  // saved meanwhile (perhaps changed again by someone since)
        return;
      }
      if (same(copy.values, read(entry))) {
        return;  // the page shows it already (it came back after a save that failed)
      }
      entry.offer = copy;
      var text = textName(entry);
      var choice = choiceName(entry);
      var panel = fromTemplate("tpl-restore");
      fill(panel, {
        "at": time(copy.at),
        "choice": norm(copy.values[choice]) !== norm(entry.saved[choice])
          ? choiceLabel(entry, entry.saved[choice]) + " → " + choiceLabel(entry, copy.values[choice]) : "",
        "diff": difference(entry.saved[text], copy.values[text])
      });
      panel.querySelector('[data-restore="use"]').onclick = function () { restore(entry, true); };
      panel.querySelector('[data-restore="drop"]').onclick = function () { restore(entry, false); };
      entry.offerPanel = panel;
      slot(entry).appendChild(panel);
      offered.push(entry);
    });
    if (offered.length) {
      var all = fromTemplate("tpl-restore-all");
      fill(all, { "count": offered.length + " indikator" });
      all.querySelector('[data-restore="use-all"]').onclick = function () {
        offered.forEach(function (entry) { restore(entry, true); });
      };
      all.querySelector('[data-restore="drop-all"]').onclick = function () {
        offered.forEach(function (entry) { restore(entry, false); });
      };
      form.querySelector("[data-restore-all-slot]").appendChild(all);
    }
  }

  function restore(entry, use) {
    if (!entry.offer) {
      return;
    }
    if (use) {
      write(entry, entry.offer.values);
      control(entry, "version").value = String(entry.offer.version);  // based on what it was typed over
      keep(entry);
      schedule(0);
    } else {
      storageSet(draftPrefix + entry.key, null);
      if (isDirty(entry)) {
        keep(entry);
      }
    }
    entry.offer = null;
    entry.offerPanel.remove();
    if (!entries.some(function (e) { return e.offer; })) {
      var all = form.querySelector(".restore-all");
      if (all) {
        all.remove();
      }
    }
    showOutcome();
  }

  /* ---- the review page: the chosen level's criterion under the choice ----------------------------------- */

  function showChoiceCriterion(entry) {
    var field = control(entry, choiceName(entry));
    var line = entry.element.querySelector("[data-choice-criterion]");
    if (line && field instanceof HTMLSelectElement) {
      line.textContent = field.value ? field.options[field.selectedIndex].text : "";
    }
  }

  /* ---- wiring ------------------------------------------------------------------------------------------ */

  form.querySelectorAll("[data-entry]").forEach(function (element) {
    var saved = JSON.parse(element.getAttribute("data-saved") || "{}");
    var entry = {
      element: element, key: element.getAttribute("data-entry"), code: element.querySelector(".indicator-code")
        ? element.querySelector(".indicator-code").textContent.trim() : element.getAttribute("data-entry"),
      names: Object.keys(saved), saved: saved, savedKey: element.getAttribute("data-saved-key"),
      acked: saved, sending: null, saveKey: null, held: null
    };
    entries.push(entry);
    byKey[entry.key] = entry;
    var conflict = element.getAttribute("data-conflict");
    if (conflict) {  // the page came back with a conflict: the user chooses before it is saved again
      var theirs = JSON.parse(conflict);
      entry.held = "conflict";
      entry.heldValues = read(entry);
      entry.theirs = theirs;
      var panel = element.querySelector(".conflict-panel");
      if (panel) {
        wireConflict(entry, panel);
      }
    }
  });
  status.setAttribute("data-idle", status.textContent.trim());

  function entryOf(target) {
    var element = target.closest ? target.closest("[data-entry]") : null;
    return element ? byKey[element.getAttribute("data-entry")] : null;
  }

  function changed(event, delay) {
    var entry = entryOf(event.target);
    if (!entry || event.target.type === "file" || /-(version|key|shown)$/.test(event.target.name || "")) {
      return;
    }
    if (entry.held && same(read(entry), entry.heldValues)) {
      return;  // a change event of a field just left, nothing typed: the choice stays the user's to make
    }
    if (entry.held) {  // editing by hand: a conflict is then resolved on the user's text, an error corrected
      if (entry.held === "conflict") {
        control(entry, "version").value = String(entry.theirs.version);
      }
      release(entry);
    }
    showChoiceCriterion(entry);
    keep(entry);
    if (!stopped && !sessionTimer) {
      show("saving", TEXT.saving);
    }
    schedule(delay);
  }

  form.addEventListener("input", function (event) {
    // Typing in a fact's text or number field (static/js/facts.js) is typing too, as in a textarea.
    var typed = event.target.tagName === "TEXTAREA" || (/^(text|number)$/.test(event.target.type) &&
      event.target.closest("[data-fact-set], [data-check-set]"));
    if (typed) {
      changed(event, TYPING_DELAY);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "file") {
      showFiles(event.target);
      showOutcome();
    } else if (event.target.tagName !== "TEXTAREA") {
      changed(event, CHOICE_DELAY);
    } else {
      changed(event, 0);  // leaving a text field: save at once
    }
  });

  function showFiles(input) {
    var note = input.parentElement.querySelector("[data-pending-files]");
    if (!note) {
      return;
    }
    if (!note.hasAttribute("data-idle")) {
      note.setAttribute("data-idle", note.textContent);
    }
    var count = input.files ? input.files.length : 0;
    note.textContent = count ? count + " berkas dipilih, belum diunggah: tekan tombol simpan di bawah."
      : note.getAttribute("data-idle");
    note.classList.toggle("text-warning-emphasis", count > 0);
    note.classList.toggle("fw-semibold", count > 0);
  }

  function unsaved() {
    return entries.some(function (entry) { return entry.held || isDirty(entry); }) || pendingFiles() > 0;
  }

  /* The page's own buttons: wait for a save in flight (its reply sets the versions this post is based on);
     offline, keep everything here instead of losing the page. Other forms (agree with the rest, return,
     verify, log out) first send what is still unsaved. */
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-resubmitting")) {
      return;
    }
    var own = event.target === form;
    if (navigator.onLine === false) {  // the post would fail and take the page with it: keep it, save later
      event.preventDefault();
      show("error", TEXT.offline);
      return;
    }
    var waitFor = own ? inFlight : (entries.some(function (e) { return !e.held && isDirty(e); }) ? save() : inFlight);
    if (!waitFor) {
      leaving = own || !unsaved();
      window.clearTimeout(timer);  // the post carries everything: no autosave beside it
      return;
    }
    event.preventDefault();
    var target = event.target;
    var submitter = event.submitter;
    waitFor.then(function () {
      if (!own && entries.some(function (e) { return !e.held && isDirty(e); })) {
        return;  // not saved (offline, session ended): stay, the status line says why
      }
      leaving = own || !unsaved();
      target.setAttribute("data-resubmitting", "");
      if (target.requestSubmit) {
        target.requestSubmit(submitter && submitter.form === target ? submitter : undefined);
      } else {
        target.submit();
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pageshow", function () {
    leaving = false;
    form.removeAttribute("data-resubmitting");
  });

  moveCopies(aliasPrefix, draftPrefix);
  offerCopies();
  entries.forEach(function (entry) {  // a page shown again after a refused save holds unsaved input: save it
    if (!entry.held && isDirty(entry)) {
      keep(entry);
      schedule(CHOICE_DELAY);
    }
  });
  entries.forEach(showChoiceCriterion);
}());
