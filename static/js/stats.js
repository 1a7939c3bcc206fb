// Charts of the statistics pages (makerspace.stats), drawn by Apache ECharts from static/vendor.
// Each chart reads its numbers from a json_script element, the same numbers as the table beside
// it; the map of Jiangsu's 13 设区市 comes from static/vendor/geo. No inline script, no CDN.
(function () {
  "use strict";
  if (!window.echarts) return;

  var PALETTE = ["#2b6cb0", "#2f855a", "#c05621", "#6b46c1", "#b7791f", "#2c7a7b", "#9b2c2c"];

  function read(el) {
    var source = document.getElementById(el.dataset.chart);
    return source ? JSON.parse(source.textContent) : null;
  }

  function axisChart(data, horizontal) {
    var category = { type: "category", data: data.categories, axisLabel: { interval: 0, width: 120, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    if (!horizontal) category.axisLabel.rotate = data.categories.length > 6 ? 30 : 0;
    return {
      color: PALETTE,
      tooltip: { trigger: "axis" },
      legend: { show: data.series.length > 1, top: 0 },
      grid: { left: horizontal ? 140 : 50, right: 20, top: data.series.length > 1 ? 40 : 20, bottom: 60, containLabel: false },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: data.series.map(function (s) {
        // One point makes no line: a single batch or year is drawn as a bar.
        var line = data.type === "line" && data.categories.length > 1;
        return { name: s.name, type: line ? "line" : "bar", data: s.data, symbolSize: 8, label: { show: data.series.length === 1, position: horizontal ? "right" : "top" } };
      })
    };
  }

  function pieChart(data) {
    var series = data.series[0];
    return {
      color: PALETTE,
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [{
        type: "pie", radius: ["35%", "65%"], top: 0, bottom: 40,
        data: data.categories.map(function (name, i) { return { name: name, value: series.data[i] }; })
      }]
    };
  }

  function mapChart(data) {
    var series = data.series[0];
    var values = series.data.length ? series.data : [0];
    return {
      tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + (isNaN(p.value) ? 0 : p.value); } },
      visualMap: { min: 0, max: Math.max.apply(null, values.concat([1])), left: 0, bottom: 0, calculable: true, inRange: { color: ["#ebf4ff", "#2b6cb0"] } },
      series: [{
        type: "map", map: "jiangsu", name: series.name, label: { show: true, fontSize: 10 },
        data: data.categories.map(function (city, i) { return { name: city + "市", value: series.data[i] }; })
      }]
    };
  }

  var geoLoaded = {};
  function withGeo(url) {
    if (!geoLoaded[url]) {
      geoLoaded[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (geo) { window.echarts.registerMap("jiangsu", geo); });
    }
    return geoLoaded[url];
  }

  function draw(el) {
    var data = read(el);
    if (!data) return;
    var type = el.dataset.chartType;
    // A bar per row: a long list (up to 31 provinces) gets the height its labels need.
    if (type === "hbar" && data.categories.length > 12) el.style.height = (data.categories.length * 24 + 60) + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    if (type === "map") {
      withGeo(el.dataset.geo).then(function () { chart.setOption(mapChart(data)); el.dataset.drawn = "1"; });
    } else {
      chart.setOption(type === "pie" ? pieChart(data) : axisChart(data, type === "hbar"));
      el.dataset.drawn = "1";
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
