/* Behaviour the templates ask for with data attributes, so that no page needs an inline script
   or an on… attribute and the Content-Security-Policy can forbid both. The listeners sit on the
   document, so content that htmx swaps in later behaves the same.

     <form data-confirm="Question?">          asks before the form is submitted
     <button type="submit" data-confirm="…">  asks only when that button submits
                                              (not when a field is out of range: the
                                              server's field errors come first)
     <select data-autosubmit>                 submits its form when the choice changes
     <input type="checkbox" data-check-all=".row-check">   ticks or clears every match
     <button type="button" data-print>        opens the print dialog

   And without being asked: a table box (.table-responsive) that scrolls sideways on a narrow
   screen takes the keyboard focus, so it can be scrolled without a mouse.
*/
(function () {
  "use strict";

  // Capture phase: the question comes before htmx or anything else sees the submit.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var form = event.target;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    // A form the server validates (novalidate) with a value out of range goes to the server
    // unasked: it comes back with the field errors, and nothing was submitted for good. Asking
    // "this cannot be changed afterwards" about input that will be refused would mislead.
    if (question && form.noValidate && !form.checkValidity()) {
      return;
    }
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
    if (field.matches("[data-check-all]")) {
      document.querySelectorAll(field.dataset.checkAll).forEach(function (box) {
        box.checked = field.checked;
      });
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  function focusScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      // Sideways, or downwards in a box of fixed height (.scroll-18): keyboard users scroll it.
      if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusScrollingTables);
  document.addEventListener("htmx:afterSettle", focusScrollingTables);
  window.addEventListener("resize", focusScrollingTables);
})();
