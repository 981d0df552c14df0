/* Draws the dashboard's charts: every <div data-chart="ID-data"> gets the plotly figure of the JSON
   script ID-data (built on the server from the stored assessment). plotly.js is served by the
   application from the installed plotly package; no CDN. On a phone the long indicator names of a
   horizontal bar chart are wrapped onto several lines. */
(function () {
  var NARROW = 600, CHARS = 8;

  function wrap(name) {
    var s = String(name), out = [];
    for (var i = 0; i < s.length; i += CHARS) { out.push(s.slice(i, i + CHARS)); }
    return out.join("<br>");
  }

  function narrow(fig) {
    var bars = fig.data.filter(function (t) { return t.orientation === "h" && t.y && t.y.length > 1; });
    if (!bars.length) { return fig; }
    fig.data.forEach(function (t) { if (t.y && typeof t.y[0] === "string") { t.y = t.y.map(wrap); } });
    var n = bars[0].y.length;
    fig.layout.height = 110 + 58 * n;
    fig.layout.title.font = {size: 13};
    fig.layout.margin = {l: 4, r: 8, t: 40, b: 90};
    fig.layout.legend = {orientation: "h", x: 0, y: -0.12, yanchor: "top"};
    return fig;
  }

  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.dataset.chart);
      if (!src || !window.Plotly) { return; }
      var fig = JSON.parse(src.textContent);
      if (el.clientWidth < NARROW) { fig = narrow(fig); }
      window.Plotly.newPlot(el, fig.data, fig.layout, {responsive: true, displaylogo: false,
        modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]});
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
