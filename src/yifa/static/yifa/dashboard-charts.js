/* The leader dashboard's charts (领导驾驶舱). Everything shown comes from the JSON block the
   page renders from the rollups (views.chart_data): labels in words, numbers, the y-axis
   floor, the target and its source, and for every point the URL of its records — a click
   on a point (or anywhere in its column of a line chart) opens that filtered list.
   <script src=".../dashboard-charts.js" data-source="dashboard-charts"> */
(function () {
  'use strict';
  var me = document.currentScript;
  var src = me && document.getElementById(me.dataset.source || 'dashboard-charts');
  if (!window.echarts || !src) return;
  var data = JSON.parse(src.textContent);
  var BLUE = '#0d6efd', GREY = '#adb5bd', RED = '#dc3545', GREEN = '#198754';
  var charts = [];

  function pct(v) { return v === null || v === undefined ? '—' : v.toFixed(1) + '%'; }

  function go(url) { if (url) window.location.href = url; }

  function init(id, option, height) {
    var el = document.getElementById(id);
    if (!el) return null;
    if (height) el.style.height = height + 'px';
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  // clicks on a bar/point: the URL of that point of that series
  function drillSeries(chart, linksBySeries) {
    if (!chart) return;
    chart.on('click', function (p) {
      if (p.componentType !== 'series') return;
      var links = linksBySeries[p.seriesIndex];
      go(links && links[p.dataIndex]);
    });
  }

  // clicks anywhere in a category column of a line chart: that column's URL
  function drillColumn(chart, links) {
    if (!chart) return;
    chart.getZr().on('click', function (e) {
      var at = [e.offsetX, e.offsetY];
      if (!chart.containPixel('grid', at)) return;
      var value = chart.convertFromPixel({gridIndex: 0}, at);
      var idx = value ? Math.round(value[0]) : -1;
      if (idx >= 0 && idx < links.length) go(links[idx]);
    });
    chart.getZr().on('mousemove', function (e) {
      chart.getZr().setCursorStyle(chart.containPixel('grid', [e.offsetX, e.offsetY]) ? 'pointer' : 'default');
    });
  }

  function targetLine(value, name) {
    if (value === null || value === undefined) return undefined;
    return {silent: true, symbol: 'none', lineStyle: {color: RED, type: 'dashed'},
            label: {formatter: name || ('目标 ' + value + '%'), position: 'insideEndTop', color: RED},
            data: [{yAxis: value}]};
  }

  // --- trend: solid line of complete months, the unfinished month dashed and hollow ---
  var t = data.trend;
  if (t) {
    var solid = t.rates.slice(), dashed = t.rates.map(function () { return null; });
    if (t.partial >= 0) {
      solid[t.partial] = null;
      dashed[t.partial] = {value: t.rates[t.partial], symbol: 'emptyCircle', symbolSize: 10,
                           label: {show: true, formatter: t.partial_label, position: 'top', align: 'right', color: '#6c757d'}};
      if (t.partial > 0) dashed[t.partial - 1] = t.rates[t.partial - 1];
    }
    var trend = init('chart-trend', {
      tooltip: {trigger: 'axis', formatter: function (ps) {
        var i = ps[0].dataIndex, head = t.months[i] + (i === t.partial ? '（' + t.partial_label + '）' : '');
        if (t.rates[i] === null) return head + '<br>当月无办结案件';
        return head + '<br>' + t.name + '：' + pct(t.rates[i]) + '<br>按时办结 ' + t.numerators[i] +
          ' / 办结 ' + t.denominators[i] + '<br><span style="color:#6c757d">点击查看当月办结案件</span>';
      }},
      legend: {data: [t.name, t.partial_label ? t.partial_label + '（未满月）' : ''].filter(Boolean)},
      grid: {left: 48, right: 24, top: 40, bottom: 40},
      xAxis: {type: 'category', data: t.months, boundaryGap: false},
      yAxis: {type: 'value', min: t.floor, max: 100, axisLabel: {formatter: '{value}%'}},
      series: [
        {type: 'line', name: t.name, data: solid, connectNulls: false, itemStyle: {color: BLUE},
         markLine: t.target ? targetLine(t.target.value, t.target.name) : undefined},
        {type: 'line', name: t.partial_label ? t.partial_label + '（未满月）' : '', data: dashed,
         connectNulls: false, itemStyle: {color: BLUE}, lineStyle: {type: 'dashed'}, symbol: 'emptyCircle'}
      ]
    });
    drillColumn(trend, t.links);
  }

  // --- 同比: this period's months against the same months a year earlier ---
  var y = data.yoy;
  if (y && y.months.length) {
    var cur = y.current.map(function (v, i) {
      return i === y.partial ? {value: v, itemStyle: {opacity: 0.45, borderType: 'dashed', borderColor: BLUE,
                                                     borderWidth: 1}} : v;
    });
    var yoy = init('chart-yoy', {
      tooltip: {trigger: 'axis', formatter: function (ps) {
        var i = ps[0].dataIndex;
        var s = y.current_titles[i] + (i === y.partial ? '（' + y.partial_label + '）' : '') + '：' +
          pct(y.current[i]) + '<br>' + y.previous_titles[i] + '：' + pct(y.previous[i]);
        if (y.current[i] !== null && y.previous[i] !== null) {
          var d = y.current[i] - y.previous[i];
          s += '<br>同比 ' + (d >= 0 ? '+' : '') + d.toFixed(1) + ' 个百分点';
        }
        return s;
      }},
      legend: {data: [y.current_name, y.previous_name]},
      grid: {left: 48, right: 24, top: 40, bottom: 30},
      xAxis: {type: 'category', data: y.months},
      yAxis: {type: 'value', min: y.floor, max: 100, axisLabel: {formatter: '{value}%'}},
      series: [
        {type: 'bar', name: y.current_name, data: cur, itemStyle: {color: BLUE},
         markLine: targetLine(y.target)},
        {type: 'bar', name: y.previous_name, data: y.previous, itemStyle: {color: GREY}}
      ]
    });
    drillSeries(yoy, [y.links, y.previous_links]);
  }

  // --- unit ranking: best at the top ---
  var r = data.ranking;
  if (r && r.units.length) {
    var ranking = init('chart-ranking', {
      tooltip: {trigger: 'item', formatter: function (p) {
        return p.name + '<br>' + r.name + '：' + pct(r.rates[p.dataIndex]) + '（办结 ' + r.denominators[p.dataIndex] + ' 件）';
      }},
      grid: {left: 8, right: 56, top: 16, bottom: 24, containLabel: true},
      xAxis: {type: 'value', min: r.floor, max: 100, axisLabel: {formatter: '{value}%'}},
      yAxis: {type: 'category', data: r.units, inverse: true},
      series: [{type: 'bar', name: r.name, data: r.rates.map(function (v) {
        return {value: v, itemStyle: {color: r.target !== null && v < r.target ? RED : GREEN}};
      }), label: {show: true, position: 'right', formatter: function (p) { return pct(p.value); }},
      markLine: r.target === null ? undefined : {silent: true, symbol: 'none', lineStyle: {color: RED, type: 'dashed'},
        label: {formatter: '目标 ' + r.target + '%', position: 'end'}, data: [{xAxis: r.target}]}}]
    }, Math.max(220, 30 * r.units.length + 60));
    drillSeries(ranking, [r.links]);
  }

  // --- problem categories ---
  var c = data.categories;
  if (c && c.labels.length) {
    var cats = init('chart-categories', {
      tooltip: {trigger: 'item', formatter: '{b}：{c} 个'},
      grid: {left: 8, right: 40, top: 16, bottom: 24, containLabel: true},
      xAxis: {type: 'value', minInterval: 1},
      yAxis: {type: 'category', data: c.labels, inverse: true},
      series: [{type: 'bar', name: c.name, data: c.values, itemStyle: {color: '#fd7e14'},
                label: {show: true, position: 'right'}}]
    }, Math.max(220, 30 * c.labels.length + 60));
    drillSeries(cats, [c.links]);
  }

  // --- complaints received / closed per month ---
  var q = data.complaints;
  if (q && q.months.length) {
    var colors = [BLUE, GREEN];
    var months = q.months.map(function (m, i) { return i === q.partial ? m + '\n' + q.partial_label : m; });
    var comp = init('chart-complaints', {
      tooltip: {trigger: 'axis'},
      legend: {data: q.series.map(function (s) { return s.name; })},
      grid: {left: 40, right: 16, top: 40, bottom: 48},
      xAxis: {type: 'category', data: months},
      yAxis: {type: 'value', minInterval: 1},
      series: q.series.map(function (s, k) {
        return {type: 'bar', name: s.name, itemStyle: {color: colors[k % colors.length]},
                data: s.values.map(function (v, i) {
                  return i === q.partial ? {value: v, itemStyle: {opacity: 0.45, borderType: 'dashed',
                                                                 borderColor: colors[k % colors.length], borderWidth: 1}} : v;
                })};
      })
    });
    drillSeries(comp, q.series.map(function (s) { return s.links; }));
  }

  window.addEventListener('resize', function () { charts.forEach(function (ch) { ch.resize(); }); });
})();
