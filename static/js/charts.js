/* Actual against target, one small chart per tier, drawn with the vendored Chart.js from the
   JSON block named by data-chart-source (Django's json_script). */
(function () {
  "use strict";

  var ACTUAL = "rgba(155, 28, 28, 0.65)";
  var TARGET = "#0d6efd";
  var SCHOOLS = "#6c757d";

  function hasValues(values) {
    return values.some(function (v) { return v !== null; });
  }

  function card(title) {
    var col = document.createElement("div");
    col.className = "col-md-6";
    var body = document.createElement("div");
    body.className = "card p-3 h-100";
    var heading = document.createElement("h3");
    heading.className = "h6";
    heading.textContent = title;
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title);
    body.appendChild(heading);
    body.appendChild(canvas);
    col.appendChild(body);
    return { col: col, canvas: canvas };
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.chartSource);
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    data.tiers.forEach(function (tier) {
      var parts = card(tier.label);
      container.appendChild(parts.col);
      var datasets = [
        { type: "bar", label: data.text.actual, data: tier.actual, backgroundColor: ACTUAL, order: 2 },
        {
          type: "line", label: data.text.target, data: tier.target, borderColor: TARGET,
          backgroundColor: TARGET, spanGaps: true, pointRadius: 5, order: 1
        }
      ];
      if (hasValues(tier.schoolsTarget)) {
        datasets.push({
          type: "line", label: data.text.schoolsTarget, data: tier.schoolsTarget,
          borderColor: SCHOOLS, backgroundColor: SCHOOLS, borderDash: [5, 4], spanGaps: true,
          pointRadius: 4, order: 1
        });
      }
      new window.Chart(parts.canvas, {
        data: { labels: data.labels, datasets: datasets },
        options: {
          responsive: true,
          animation: false,  // prints and screenshots show the final figures
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart-source]").forEach(draw);
  });
})();
