// Live eligibility on the registration form (registration/detail.html): post the answers
// (not the files) and swap in the server's verdict.
// Answers can arrive out of order (a slow server): only the answer to the latest request
// is shown, so an older verdict never overwrites a newer one. While that answer is awaited
// the form carries data-eligibility-pending and the panel aria-busy="true";
// data-eligibility-answered counts the answers received (shown or dropped).
(function () {
  var form = document.getElementById("registration-form");
  if (!form) return;
  var names = ["education", "related_major", "work_years", "is_current_student", "lower_certificate_years",
               "other_certificate_level", "other_certificate_years"];
  var latest = 0;
  var answered = 0;
  form.addEventListener("change", function (event) {
    if (names.indexOf(event.target.name) < 0) return;
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.disabled) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      data.append(el.name, el.value);
    });
    var request = ++latest;
    form.setAttribute("data-eligibility-pending", String(request));
    var busy = document.getElementById("eligibility");
    if (busy) busy.setAttribute("aria-busy", "true");
    fetch(form.dataset.eligibilityUrl, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : null; })
      .catch(function () { return null; })
      .then(function (html) {
        form.setAttribute("data-eligibility-answered", String(++answered));
        if (request !== latest) return;  // a newer answer is on its way
        var panel = document.getElementById("eligibility");
        if (html && panel) panel.outerHTML = html;
        else if (panel) panel.removeAttribute("aria-busy");
        form.removeAttribute("data-eligibility-pending");
      });
  });
})();
