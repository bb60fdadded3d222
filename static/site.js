// The site's few behaviours, as data attributes (the Content-Security-Policy allows no inline script):
//   <form data-confirm="…">, <button data-confirm="…">  ask before submitting;
//   <select data-submit-on-change>                         submits its form when changed;
//   <input type="checkbox" data-check-all="items">         ticks every checkbox named "items";
//   <button data-print>                                    prints the page.
document.addEventListener("submit", function (event) {
  var message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", function (event) {
  var target = event.target.closest ? event.target.closest("[data-confirm], [data-print], [data-check-all]") : null;
  if (!target) return;
  if (target.matches("button[data-confirm]") && !window.confirm(target.dataset.confirm)) event.preventDefault();
  if (target.matches("[data-print]")) window.print();
  if (target.matches("[data-check-all]")) {
    document.querySelectorAll('input[name="' + target.dataset.checkAll + '"]').forEach(function (box) {
      box.checked = target.checked;
    });
  }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
});
