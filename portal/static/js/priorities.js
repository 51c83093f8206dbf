// Ballot: show the points distributed so far while typing. Optional: the form works without it,
// and the server checks every rule. Served from 'self' (no inline script, strict CSP).
(function () {
  "use strict";
  function init(form) {
    var total = parseInt(form.getAttribute("data-points"), 10);
    var given = form.querySelector("[data-ballot-given]");
    var status = form.querySelector(".ballot__status");
    var inputs = form.querySelectorAll("input.ballot__points");
    if (!given || !status || isNaN(total)) {
      return;
    }
    function update() {
      var sum = 0;
      for (var i = 0; i < inputs.length; i++) {
        var value = parseInt(inputs[i].value, 10);
        if (!isNaN(value) && value > 0) {
          sum += value;
        }
      }
      given.textContent = String(sum);
      status.classList.toggle("ballot__status--over", sum > total);
      status.classList.toggle("ballot__status--done", sum === total);
    }
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].addEventListener("input", update);
    }
    update();
  }
  function start() {
    var forms = document.querySelectorAll("form[data-ballot]");
    for (var i = 0; i < forms.length; i++) {
      init(forms[i]);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
