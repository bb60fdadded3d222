// The site's few behaviours, as data attributes (the Content-Security-Policy allows no inline script):
//   <form data-confirm="…">, <button data-confirm="…">  ask before submitting;
//   <select data-submit-on-change>                         submits its form when changed;
//   <input type="checkbox" data-check-all="items">         ticks every checkbox named "items";
//   <button data-print>                                    prints the page;
//   <select data-reveals="field" data-reveals-on="value">  shows the form's "field" row only for that value.
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
function reveal(select) {
  var field = select.form && select.form.elements[select.dataset.reveals];
  var row = field && (field.closest("p") || field.parentNode);
  if (row) row.hidden = select.value !== select.dataset.revealsOn;
}
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
  if (event.target.matches("select[data-reveals]")) reveal(event.target);
});
document.querySelectorAll("select[data-reveals]").forEach(reveal);
