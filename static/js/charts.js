// Dashboard charts (Chart.js from static/vendor). Each <canvas data-chart="ID"> reads its data from
// <script type="application/json" id="ID">: {type, title, labels, datasets: [{label, data}], stacked, target}.
// No inline scripts: the page's Content-Security-Policy forbids them.
(function () {
  "use strict";
  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d", "#0dcaf0", "#ffc107", "#d63384"];

  function draw(root) {
    if (typeof window.Chart === "undefined") { return; }
    (root || document).querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn === "1") { return; }
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var spec;
      try { spec = JSON.parse(source.textContent); } catch (e) { return; }
      var datasets = (spec.datasets || []).map(function (ds, i) {
        return { label: ds.label, data: ds.data, backgroundColor: palette[i % palette.length] };
      });
      if (spec.target) {
        datasets.push({ type: "line", label: "Chỉ tiêu " + spec.target + "%", data: spec.labels.map(function () { return spec.target; }),
                        borderColor: "#dc3545", borderDash: [6, 4], pointRadius: 0, fill: false });
      }
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: spec.type || "bar",
        data: { labels: spec.labels || [], datasets: datasets },
        options: {
          responsive: true, animation: false,
          plugins: { legend: { position: "bottom" } },
          scales: { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked, beginAtZero: true } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
