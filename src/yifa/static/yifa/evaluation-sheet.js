/* 案卷评查: confirming a suggested deduction ticks it and fills the points when empty. */
document.querySelectorAll('.sug-confirm').forEach(function (r) {
  r.addEventListener('change', function () {
    var box = document.getElementById('ded-' + r.dataset.item), pts = document.getElementById('pts-' + r.dataset.item);
    if (box) box.checked = true;
    if (pts && !pts.value) pts.value = r.dataset.max;
  });
});
