/* Behaviours every page may use, declared in the markup instead of on*="" attributes (the
   Content-Security-Policy runs no inline script or event-handler attribute):
   - <form data-confirm="问题？">: asks before submitting;
   - <select data-autosubmit>: submits its form when changed. */
(function () {
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener('change', function (ev) {
    var el = ev.target;
    if (el && el.hasAttribute && el.hasAttribute('data-autosubmit') && el.form) el.form.submit();
  });
})();
