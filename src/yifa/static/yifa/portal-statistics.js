/* 公开数据: this year against last year, a bar per figure. */
(function () {
  var el = document.getElementById('stats-chart');
  var src = document.getElementById('stats-chart-data');
  if (!window.echarts || !el || !src) return;
  var data = JSON.parse(src.textContent);
  echarts.init(el).setOption({
    tooltip: {trigger: 'axis'}, legend: {},
    grid: {left: 40, right: 20, bottom: 90},
    xAxis: {type: 'category', data: data.labels, axisLabel: {interval: 0, rotate: 30}},
    yAxis: {type: 'value'},
    series: data.series.map(function (s) { return {name: s.name, type: 'bar', data: s.data}; })
  });
})();
