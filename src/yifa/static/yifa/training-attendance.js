/* 培训详情: tick all shown officers; filter the officer list by name. */
(function () {
  var all = document.getElementById('check-all'), search = document.getElementById('officer-search');
  if (all) all.addEventListener('change', function () {
    document.querySelectorAll('.officer-choice').forEach(function (d) {
      if (d.style.display !== 'none') d.querySelector('input').checked = all.checked;
    });
  });
  if (search) search.addEventListener('input', function () {
    var q = search.value.trim();
    document.querySelectorAll('.officer-choice').forEach(function (d) {
      d.style.display = !q || d.textContent.indexOf(q) >= 0 ? '' : 'none';
    });
  });
})();
