// Patient search improved by htmx: each search form posts and only the search region is
// swapped. This script keeps that usable without sight or a mouse:
// - after a swap, focus moves to the error summary when there are errors, or else to the
//   answer (the results table's caption, "no patient matches", or the pause message), and the
//   polite status line outside the region says what the answer is;
// - an answer the region cannot show (an expired form, a server error) loads the search page
//   again as a whole page instead of being poured into the region (htmx 4 swaps 4xx and 5xx
//   answers by default). 422 (errors in the form) and 429 (paused) are shown in the region.
(function () {
  'use strict';
  if (window.patientSearchReady) return;
  window.patientSearchReady = true;

  function searchRegionOf(ctx) {
    var target = ctx && ctx.target;
    return target && target.id === 'patient-search' ? target : null;
  }

  document.addEventListener('htmx:before:swap', function (event) {
    var ctx = event.detail.ctx;
    if (!searchRegionOf(ctx)) return;
    var status = ctx.response && ctx.response.status;
    if (status >= 400 && status !== 422 && status !== 429) {
      event.preventDefault();
      window.location.assign('/provider/search');
    }
  });

  document.addEventListener('htmx:after:swap', function (event) {
    var region = searchRegionOf(event.detail.ctx);
    if (!region) return;
    var summary = region.querySelector('.error-summary');
    var answer = region.querySelector('[data-search-status]');
    var announcer = document.querySelector('[data-search-announcer]');
    if (summary) {
      summary.focus();
      return;
    }
    if (!answer) return;
    answer.focus();
    if (announcer) {
      announcer.textContent = '';
      window.setTimeout(function () { announcer.textContent = answer.textContent.trim(); }, 50);
    }
  });
})();
