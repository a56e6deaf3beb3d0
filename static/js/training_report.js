/* The programme report's charts (training/templates/training/report.html), drawn with the
   vendored Chart.js from the JSON block named by data-report-charts (Django's json_script):
   attendance per session, feedback averages per question, ratings before/during/after. */
(function () {
  "use strict";

  var RED = "rgba(155, 28, 28, 0.7)";
  var COLOURS = ["rgba(155, 28, 28, 0.7)", "rgba(13, 110, 253, 0.7)", "rgba(108, 117, 125, 0.7)"];

  function options(max, horizontal, bars) {
    var scale = { beginAtZero: true, max: max };
    var narrow = window.innerWidth < 576;
    return {
      responsive: true,
      // a few bars stay low; a phone gets a taller chart than a wide screen
      aspectRatio: horizontal ? Math.min(4, Math.max(0.8, (narrow ? 4 : 6) / bars)) : (narrow ? 1.3 : 2),
      animation: false, // prints and screenshots show the final figures
      indexAxis: horizontal ? "y" : "x",
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: horizontal ? { x: scale } : { y: scale }
    };
  }

  function bar(canvas, labels, datasets, max, horizontal) {
    if (!canvas || !labels.length) return;
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: options(max, horizontal, labels.length)
    });
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.reportCharts);
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var find = function (name) { return container.querySelector('[data-chart="' + name + '"]'); };
    bar(find("attendance"), data.attendance.labels,
      [{ label: data.attendance.label, data: data.attendance.values, backgroundColor: RED }], 100);
    bar(find("feedback"), data.feedback.labels,
      [{ label: data.feedback.label, data: data.feedback.values, backgroundColor: RED }], 5, true);
    bar(find("effect"), data.effect.labels, data.effect.series.map(function (s, i) {
      return { label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length] };
    }), 5);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-report-charts]").forEach(draw);
  });
})();
