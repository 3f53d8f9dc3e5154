/* The on-time-rate line chart (执法监督 monitoring, reports dashboard). The including tag names
   the JSON data block and the y-axis floor:
   <script src=".../trend-chart.js" data-source="trend-data" data-min="60"> */
(function () {
  var me = document.currentScript;
  var el = document.getElementById('trend-chart');
  var src = me && document.getElementById(me.dataset.source);
  if (!window.echarts || !el || !src) return;
  var data = JSON.parse(src.textContent);
  if (typeof data === 'string') data = JSON.parse(data);  // views that pass a JSON string
  echarts.init(el).setOption({tooltip: {trigger: 'axis'}, xAxis: {type: 'category', data: data.months},
    yAxis: {type: 'value', min: Number(me.dataset.min || 0), max: 100, axisLabel: {formatter: '{value}%'}},
    series: [{type: 'line', name: '按时办结率', data: data.rates, smooth: true, connectNulls: true}]});
})();
