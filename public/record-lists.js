// Record lists (visits, test results) improved by htmx: the filter form and the page links swap
// only the list region. This script keeps that usable without sight or a mouse:
// - after a swap, the polite status line outside the region says what the list now shows;
// - after a page link, focus moves to the top of the new list (the link itself is gone);
//   after the filter form, focus stays on its button;
// - an error answer (the page is gone, the session ended) loads as a whole page instead of
//   being poured into the region (htmx 4 swaps 4xx and 5xx answers by default).
(function () {
  'use strict';
  if (window.recordListsReady) return; // the script is on the page again after a history restore
  window.recordListsReady = true;

  function listRegionOf(ctx) {
    var target = ctx && ctx.target;
    return target && target.classList && target.classList.contains('list-region') ? target : null;
  }

  document.addEventListener('htmx:before:swap', function (event) {
    var ctx = event.detail.ctx;
    var region = listRegionOf(ctx);
    if (!region) return;
    if (ctx.response && ctx.response.status >= 400) {
      event.preventDefault();
      window.location.assign(ctx.request.action);
      return;
    }
    ctx.recordListPaged = Boolean(ctx.sourceElement && region.contains(ctx.sourceElement));
  });

  document.addEventListener('htmx:after:swap', function (event) {
    var ctx = event.detail.ctx;
    var region = listRegionOf(ctx);
    if (!region) return;
    var status = region.querySelector('[data-list-status]');
    var announcer = document.querySelector('[data-list-announcer="' + region.id + '"]');
    if (ctx.recordListPaged && status) {
      status.focus();
    } else if (announcer && status) {
      // Emptied first, so the same words twice in a row are still announced.
      announcer.textContent = '';
      window.setTimeout(function () { announcer.textContent = status.textContent; }, 50);
    }
  });
})();
