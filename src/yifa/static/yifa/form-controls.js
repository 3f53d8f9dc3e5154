/* Bootstrap classes for the fields Django renders bare. The including tag names the fields:
   <script src=".../form-controls.js" data-selector="form input, form select" data-size="sm">
   (a file, not an inline script: the Content-Security-Policy allows no inline script). */
(function () {
  var me = document.currentScript;
  if (!me || !me.dataset.selector) return;
  var small = me.dataset.size === 'sm';
  var skip = ['hidden', 'submit', 'button', 'reset', 'image'];
  document.querySelectorAll(me.dataset.selector).forEach(function (e) {
    if (skip.indexOf(e.type) >= 0) return;
    var c = e.classList;
    if (c.contains('form-control') || c.contains('form-select') || c.contains('form-check-input')) return;
    if (e.type === 'checkbox' || e.type === 'radio') { c.add('form-check-input'); return; }
    if (e.tagName === 'SELECT' && !e.multiple) { c.add('form-select'); if (small) c.add('form-select-sm'); return; }
    c.add('form-control');
    if (small) c.add('form-control-sm');
  });
})();
