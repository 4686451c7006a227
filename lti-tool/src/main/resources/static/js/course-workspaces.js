// The staff course page's workspaces table: filter and sort rows in place, and follow a start all or stop all.
(function () {
  "use strict";
  var section = document.getElementById("workspaces");
  if (!section) {
    return;
  }
  var table = section.querySelector("table.workspaces tbody");
  var filter = document.getElementById("workspace-filter");
  var sort = document.getElementById("workspace-sort");
  var order = { FAILED: 0, STARTING: 1, PROVISIONING: 1, STOPPING: 2, RUNNING: 3, STOPPED: 4, DELETING: 5, DELETED: 6, NONE: 7 };

  function applyFilter() {
    var wanted = filter.value;
    Array.prototype.forEach.call(table.rows, function (row) {
      var state = row.getAttribute("data-state");
      var show = !wanted
        || (wanted === "changing" ? row.getAttribute("data-changing") === "true" : state === wanted);
      row.hidden = !show;
    });
  }

  function applySort() {
    var by = sort.value;
    var rows = Array.prototype.slice.call(table.rows);
    rows.sort(function (a, b) {
      var index = Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
      var key = 0;
      if (by === "state") {
        key = order[a.getAttribute("data-state")] - order[b.getAttribute("data-state")];
      } else if (by === "activity") {
        key = Number(b.getAttribute("data-activity")) - Number(a.getAttribute("data-activity"));
      } else if (by === "size") {
        key = Number(b.getAttribute("data-size")) - Number(a.getAttribute("data-size"));
      }
      return key || index;
    });
    rows.forEach(function (row) { table.appendChild(row); });
  }

  if (table && filter && sort) {
    filter.addEventListener("change", applyFilter);
    sort.addEventListener("change", applySort);
  }

  var panel = document.getElementById("workspace-progress");
  if (!panel || panel.getAttribute("data-done") === "true") {
    return;
  }
  var bar = panel.querySelector(".bar");
  var summary = panel.querySelector(".progress-summary");
  var done = panel.querySelector(".progress-done");

  function poll() {
    fetch(panel.getAttribute("data-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        bar.setAttribute("aria-valuenow", progress.percent);
        bar.firstElementChild.style.width = progress.percent + "%";
        summary.textContent = progress.summary;
        if (progress.done) {
          done.hidden = false;
          panel.setAttribute("data-done", "true");
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        setTimeout(poll, 3000);
      });
  }
  setTimeout(poll, 500);
})();
