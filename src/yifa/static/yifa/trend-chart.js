/* The on-time-rate line chart (执法监督 monitoring). The including tag names the JSON data
   block: <script src=".../trend-chart.js" data-source="trend-data">. The y-axis starts below
   the lowest rate shown (never a fixed floor that would clip a bad month): data.floor when
   the view computed it, otherwise the lowest rate less 5, rounded down to ten. */
(function () {
  var me = document.currentScript;
  var el = document.getElementById('trend-chart');
  var src = me && document.getElementById(me.dataset.source);
  if (!window.echarts || !el || !src) return;
  var data = JSON.parse(src.textContent);
  if (typeof data === 'string') data = JSON.parse(data);  // views that pass a JSON string
  var shown = (data.rates || []).filter(function (v) { return v !== null && v !== undefined; });
  var floor = (typeof data.floor === 'number') ? data.floor
    : (shown.length ? Math.max(0, Math.floor((Math.min.apply(null, shown) - 5) / 10) * 10) : 0);
  echarts.init(el).setOption({tooltip: {trigger: 'axis'}, xAxis: {type: 'category', data: data.months},
    yAxis: {type: 'value', min: floor, max: 100, axisLabel: {formatter: '{value}%'}},
    series: [{type: 'line', name: '按时办结率', data: data.rates, smooth: true, connectNulls: true}]});
})();
