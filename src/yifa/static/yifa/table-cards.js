/* Phone cards for hand-written tables: a table marked .yifa-cards gets its column headers
   copied into data-label on each body cell that has none (django-tables2 tables get theirs
   from core/tables2.html), so yifa.css can show each row as a labelled card on a phone. */
(function () {
  document.querySelectorAll('table.yifa-cards').forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll('tbody tr').forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (td.tagName === 'TD' && !td.hasAttribute('data-label') && heads[i] && !td.hasAttribute('colspan')) {
          td.setAttribute('data-label', heads[i]);
        }
      });
    });
  });
})();
