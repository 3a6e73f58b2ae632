// Small behaviours of the site's own pages, without inline event handlers (the CSP allows no
// inline script): a <select data-autosubmit> submits its form when changed; a
// <button data-print> prints the page. Loaded by base.html, print pages and the Wagtail admin.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
