/* Behaviours every page may use, declared in the markup instead of on*="" attributes (the
   Content-Security-Policy runs no inline script or event-handler attribute):
   - <select data-autosubmit>: submits its form when changed (data-confirm: below). */
(function () {
  document.addEventListener('change', function (ev) {
    var el = ev.target;
    if (el && el.hasAttribute && el.hasAttribute('data-autosubmit') && el.form) el.form.submit();
  });
})();
/* The view kit's behaviours (core/viewkit.py), declared in the markup:
   - <form data-confirm="将撤销处罚决定，此操作不可撤回。"> (or on one of its submit buttons):
     a dialog says what will happen;
     取消 does nothing, 确定 submits (a Bootstrap modal; window.confirm without Bootstrap);
   - every POST form shows a busy state once submitted: its button is disabled and spins,
     so a slow action (issuing a document) is not sent twice (`data-no-busy` opts out);
   - <script type="application/json" id="kept-input">: the input of a refused form,
     put back into the form posted to the same address.
   Until Bootstrap has loaded, the dialog is the browser's own (window.confirm). */
(function () {
  var modal = null, pending = null;

  function dialog() {
    if (modal) return modal;
    var el = document.createElement('div');
    el.className = 'modal fade';
    el.id = 'confirm-dialog';
    el.tabIndex = -1;
    el.setAttribute('role', 'dialog');
    el.setAttribute('aria-modal', 'true');
    el.setAttribute('aria-labelledby', 'confirm-dialog-title');
    el.innerHTML = '<div class="modal-dialog modal-dialog-centered"><div class="modal-content">' +
      '<div class="modal-header"><h2 class="modal-title h5" id="confirm-dialog-title">请确认</h2>' +
      '<button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="关闭"></button></div>' +
      '<div class="modal-body"><p class="mb-0" id="confirm-dialog-text"></p></div>' +
      '<div class="modal-footer"><button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal" ' +
      'id="confirm-dialog-cancel">取消</button><button type="button" class="btn btn-danger" id="confirm-dialog-ok">确定</button>' +
      '</div></div></div>';
    document.body.appendChild(el);
    modal = {el: el, bs: new window.bootstrap.Modal(el)};
    el.querySelector('#confirm-dialog-ok').addEventListener('click', function () {
      var p = pending;
      pending = null;
      modal.bs.hide();
      if (!p) return;
      p.form.dataset.confirmed = '1';
      if (p.form.requestSubmit) p.form.requestSubmit(p.submitter || undefined); else p.form.submit();
    });
    el.addEventListener('hidden.bs.modal', function () { pending = null; });
    return modal;
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target, submitter = ev.submitter || null;
    if (!(form instanceof HTMLFormElement)) return;
    var text = (submitter && submitter.dataset.confirm) || form.dataset.confirm;  // a button may ask its own
    if (!text) return;
    if (form.dataset.confirmed === '1') { delete form.dataset.confirmed; return; }
    ev.preventDefault();
    ev.stopImmediatePropagation();
    if (!window.bootstrap || !window.bootstrap.Modal) {
      if (window.confirm(text)) { form.dataset.confirmed = '1'; form.requestSubmit(submitter || undefined); }
      return;
    }
    var m = dialog();
    pending = {form: form, submitter: submitter};
    m.el.querySelector('#confirm-dialog-text').textContent = text;
    var ok = m.el.querySelector('#confirm-dialog-ok');
    ok.textContent = form.dataset.confirmLabel || '确定';
    m.bs.show();
  }, true);

  function busy(form, submitter) {
    var btn = submitter || form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
    form.dataset.busy = '1';
    form.setAttribute('aria-busy', 'true');
    if (!btn) return;
    btn.disabled = true;
    btn.classList.add('is-busy');
    if (btn.tagName === 'BUTTON' && !btn.querySelector('.spinner-border')) {
      var s = document.createElement('span');
      s.className = 'spinner-border spinner-border-sm ms-1';
      s.setAttribute('role', 'status');
      s.setAttribute('aria-label', '正在处理');
      btn.appendChild(s);
    }
    window.setTimeout(function () { idle(form); }, 20000);  // a download leaves the page as it was
  }

  function idle(form) {
    delete form.dataset.busy;
    form.removeAttribute('aria-busy');
    form.querySelectorAll('.is-busy').forEach(function (b) {
      b.disabled = false;
      b.classList.remove('is-busy');
      b.querySelectorAll('.spinner-border').forEach(function (s) { s.remove(); });
    });
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || ev.defaultPrevented) return;
    if ((form.getAttribute('method') || '').toLowerCase() !== 'post' || form.hasAttribute('data-no-busy')) return;
    if (form.dataset.busy === '1') { ev.preventDefault(); return; }  // sent already: not twice
    var submitter = ev.submitter || null;
    window.setTimeout(function () { busy(form, submitter); }, 0);  // after the browser has read the button
  });

  window.addEventListener('pageshow', function (ev) {
    if (ev.persisted) document.querySelectorAll('form[data-busy]').forEach(idle);
  });

  function restoreKept() {
    var kept = document.getElementById('kept-input');
    if (kept) {
      var k = JSON.parse(kept.textContent), data = k.data || {};
      var forms = Array.prototype.filter.call(document.forms, function (f) {
        if (new URL(f.action, location.href).pathname !== k.action) return false;
        return Array.prototype.every.call(f.querySelectorAll('input[type=hidden][name]'), function (h) {
          return !(h.name in data) || data[h.name].indexOf(h.value) >= 0;
        });
      });
      forms.slice(0, 1).forEach(function (f) {
        var seen = {};
        Array.prototype.forEach.call(f.elements, function (e) {
          if (!e.name || !(e.name in data) || e.type === 'hidden' || e.type === 'file' || e.type === 'submit') return;
          var vals = data[e.name];
          if (e.type === 'checkbox' || e.type === 'radio') { e.checked = vals.indexOf(e.value) >= 0; return; }
          if (e.tagName === 'SELECT') {
            Array.prototype.forEach.call(e.options, function (o) { o.selected = vals.indexOf(o.value) >= 0; });
            if (!e.multiple) { var i = seen[e.name] || 0; if (i < vals.length) e.value = vals[i]; seen[e.name] = i + 1; }
            return;
          }
          var n = seen[e.name] || 0;
          if (n < vals.length) e.value = vals[n];
          seen[e.name] = n + 1;
        });
        f.scrollIntoView({block: 'center'});
      });
    }
  }
  // Loaded in <head> (base.html), before any form exists: the listeners above are on the
  // document, so no form can be sent unconfirmed or twice while the page is still loading;
  // the kept input waits for the page.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', restoreKept);
  else restoreKept();
})();
