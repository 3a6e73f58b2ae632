// Show only the fields the chosen lookup needs (the form works the same without this script).
(function () {
  var form = document.querySelector("form.cert-lookup-form");
  if (!form) return;
  var needs = { number: ["number"], document: ["document_number", "name"], phone: ["phone", "name"] };
  var all = ["number", "document_number", "phone", "name"];
  function update() {
    var checked = form.querySelector("input[name=mode]:checked");
    var wanted = needs[checked ? checked.value : "number"] || all;
    all.forEach(function (name) {
      var row = form.querySelector(".field-" + name);
      if (row) row.hidden = wanted.indexOf(name) === -1;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "mode") update();
  });
  update();
})();
