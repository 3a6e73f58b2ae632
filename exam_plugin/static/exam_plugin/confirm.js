/* Confirmation before an action that is hard to undo (signing up for a sitting, releasing
 * results), without inline script (the site's CSP allows scripts from 'self' only).
 *
 * Markup: a submit button, or its form, carries data-confirm="<id of a <dialog>>". The
 * dialog holds a heading (aria-labelledby), the text (aria-describedby) and two buttons:
 * [data-confirm-cancel] and [data-confirm-ok]. Submitting opens the dialog as a modal
 * (focus moves into it, Esc cancels); cancelling closes it and does nothing, confirming
 * submits the form with the same submit button (its name/value are sent). Focus goes
 * back to the button afterwards. Without JavaScript the form submits unconfirmed, as
 * before, and the server's own checks still apply. */
(function () {
  "use strict";
  var confirmed = new WeakSet();

  function dialogFor(form, submitter) {
    var id = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    return id ? document.getElementById(id) : null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target, submitter = event.submitter || null;
    if (confirmed.has(form)) { confirmed.delete(form); return; }
    var dialog = dialogFor(form, submitter);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var ok = dialog.querySelector("[data-confirm-ok]"), cancel = dialog.querySelector("[data-confirm-cancel]");
    function finish(go) {
      ok.removeEventListener("click", onOk);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("close", onClose);
      if (dialog.open) { dialog.close(); }
      if (submitter && submitter.focus) { submitter.focus(); }
      if (go) {
        confirmed.add(form);
        if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      }
    }
    function onOk() { finish(true); }
    function onCancel() { finish(false); }
    function onClose() { finish(false); }  // Esc
    ok.addEventListener("click", onOk);
    cancel.addEventListener("click", onCancel);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
    cancel.focus();
  }, true);
})();
