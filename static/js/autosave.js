/* Autosave of a self-assessment page: saves the answers shortly after each change and shows
   "Tersimpan". Without JavaScript the page's own save buttons do the same job. Files are not
   sent here (they go with the save buttons), and the server refuses a save based on an older
   version of an answer, so two tabs never overwrite each other silently. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) {
    return;
  }
  var timer = null;
  var saving = false;
  var again = false;
  var dirty = false;

  function show(text, state) {
    status.textContent = text;
    status.setAttribute("data-state", state);
  }

  function setText(name, value) {
    document.querySelectorAll('[data-score="' + name + '"]').forEach(function (element) {
      element.textContent = value;
    });
  }

  function applyScore(score) {
    setText("ipp", score.ipp);
    setText("kategori", score.kategori);
    setText("konversi", score.konversi);
    setText("answered", String(score.answered));
    if (score.aspect !== null) {
      setText("aspect", score.aspect);
    }
    setText("section", score.section);
    setText("label", score.provisional ? "IPP sementara" : "IPP penilaian mandiri");
    setText("note", score.provisional
      ? (score.total - score.answered) + " dari " + score.total +
        " indikator belum dijawab dan dihitung 0; nilai akan naik saat dilengkapi."
      : "Semua indikator terjawab.");
    document.querySelectorAll(".score-card").forEach(function (card) {
      card.classList.toggle("score-empty", score.answered === 0);
    });
    document.querySelectorAll('[data-score="badge"] .predikat').forEach(function (badge) {
      badge.textContent = score.predikat;
      badge.title = score.kategori;
      badge.className = "badge predikat predikat-lg predikat-" + score.predikat.toLowerCase().replace("-", "min");
    });
  }

  function applyVersions(versions) {
    Object.keys(versions).forEach(function (key) {
      var input = form.querySelector('input[name="version_' + key + '"]');
      if (input) {
        input.value = String(versions[key]);
      }
    });
  }

  function save() {
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    dirty = false;
    show("Menyimpan…", "saving");
    var data = new FormData(form);
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      data.delete(input.name);
    });
    data.set("action", "autosave");
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (result) {
        if (response.ok && result.status === "saved") {
          applyVersions(result.versions);
          applyScore(result.score);
          show("Tersimpan " + result.saved_at, "saved");
        } else {
          dirty = true;
          show(result.message || "Belum tersimpan.", "error");
        }
      });
    }).catch(function () {
      dirty = true;
      show("Gagal menyimpan otomatis: periksa koneksi. Isian tetap di layar; coba tombol simpan.", "error");
    }).then(function () {
      saving = false;
      if (again) {
        again = false;
        save();
      }
    });
  }

  function schedule(delay) {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  form.addEventListener("change", function (event) {
    if (event.target.type !== "file") {
      schedule(250);
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      show("Belum tersimpan…", "saving");
      schedule(1500);
    }
  });
  form.addEventListener("submit", function () {
    dirty = false;
    window.clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
