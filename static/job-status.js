// A background job's progress page (outputs.jobs: self-evaluation reports, large board exports): polls its JSON status
// while the job runs (#report-status[data-active]).
(function () {
  var box = document.getElementById("report-status");
  if (!box || !box.hasAttribute("data-active")) return;
  function show(s) {
    document.getElementById("report-state").textContent = s.status_label;
    document.getElementById("report-step").textContent = s.step;
    document.getElementById("report-progress").value = s.progress;
    document.getElementById("report-percent").textContent = s.progress + "%";
    var error = document.getElementById("report-error");
    error.textContent = s.error; error.hidden = !s.error;
    if (s.download_url) {
      document.getElementById("report-download-link").href = s.download_url;
      document.getElementById("report-download").hidden = false;
    }
  }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) { show(s); if (s.active) setTimeout(poll, 1500); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
