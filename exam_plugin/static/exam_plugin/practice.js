/* Practice by knowledge point: ten questions, immediate feedback per question. */
(function () {
  "use strict";
  var root = document.getElementById("practice");
  if (!root) { return; }
  var api = root.dataset.api, T = JSON.parse(document.getElementById("practice-strings").textContent);
  var select = document.getElementById("practice-point"), list = document.getElementById("practice-questions");
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  fetch(api + "practice/points", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (points) {
    if (!points.length) { list.textContent = T.empty; return; }
    points.forEach(function (p) {
      var o = document.createElement("option"); o.value = p.code; o.textContent = p.code + " " + p.name + " (" + p.questions + ")";
      select.appendChild(o);
    });
  });
  function renderQuestion(q, index) {
    var li = document.createElement("li"), stem = document.createElement("div"), feedback = document.createElement("p");
    li.className = "exam-question practice-question";
    stem.innerHTML = q.stem; li.appendChild(stem);
    var inputs = [];
    if (q.kind === "short") {
      var ta = document.createElement("textarea"); ta.rows = 4; li.appendChild(ta);
    } else {
      var ul = document.createElement("ul"); ul.className = "q-options";
      q.options.forEach(function (text, i) {
        var item = document.createElement("li"), label = document.createElement("label"), input = document.createElement("input");
        input.type = q.kind === "single" ? "radio" : "checkbox"; input.name = "p" + index; input.value = i;
        inputs.push(input);
        label.appendChild(input); label.appendChild(document.createTextNode(" " + String.fromCharCode(65 + i) + ". " + text));
        item.appendChild(label); ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    var button = document.createElement("button"); button.type = "button"; button.textContent = T.check;
    button.addEventListener("click", function () {
      var value = q.kind === "short" ? li.querySelector("textarea").value
        : inputs.filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
      fetch(api + "practice/check", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ question_id: q.id, value: value }),
      }).then(function (r) { return r.json(); }).then(function (fb) {
        if (q.kind === "short") {
          feedback.textContent = T.reference + ": " + fb.reference_answer;
        } else {
          feedback.textContent = (fb.correct ? T.right : T.wrong) + " · " + T.correct_is + ": " +
            fb.correct_options.map(function (i) { return String.fromCharCode(65 + i); }).join(", ");
          feedback.className = fb.correct ? "feedback right" : "feedback wrong";
        }
      });
    });
    li.appendChild(button); li.appendChild(feedback);
    return li;
  }
  document.getElementById("practice-load").addEventListener("click", function () {
    fetch(api + "practice/questions?point=" + encodeURIComponent(select.value), { credentials: "same-origin" })
      .then(function (r) { return r.json(); }).then(function (qs) {
        list.innerHTML = "";
        qs.forEach(function (q, i) { list.appendChild(renderQuestion(q, i)); });
      });
  });
})();
