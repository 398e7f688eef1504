// The care team's messages, improved by htmx (everything works without this file):
// - the inbox list refreshes in place: the "Refresh list" link, its page links, and every 60 s
//   while the page is visible and no one is working inside the list (focus there is left alone);
//   the polite status line says "List updated" after a refresh the person asked for, and after a
//   timed one only when the list changed;
// - a reply is appended to the thread in place, then focus moves to it and the status line says
//   it was sent (the form comes back empty, out of band); a refused reply's form is swapped in
//   place with its error summary, which htmx focuses (autofocus);
// - an answer that cannot go in the page (the session ended, the thread is gone, the server
//   failed) loads as a whole page instead (htmx 4 swaps 4xx and 5xx answers by default); a timed
//   refresh that fails just waits for the next one.
(function () {
  'use strict';
  if (window.careTeamMessagesReady) return; // the script is on the page again after a history restore
  window.careTeamMessagesReady = true;

  var inboxSwap = null; // what the inbox swap under way was for: 'refresh', 'poll' or 'page'

  function announce(text) {
    var announcer = document.querySelector('[data-messages-announcer]');
    if (!announcer || !text) return;
    // Emptied first, so the same words twice in a row are still announced.
    announcer.textContent = '';
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function isPoll(ctx) {
    return Boolean(ctx.sourceEvent && ctx.sourceEvent.type === 'every');
  }

  function listText(region) {
    var table = region && region.querySelector('table');
    var status = region && region.querySelector('[data-list-status]');
    return (table ? table.textContent : '') + (status ? status.textContent : '');
  }

  document.addEventListener('htmx:before:request', function (event) {
    var ctx = event.detail.ctx;
    if (!isPoll(ctx) || !ctx.sourceElement || !ctx.sourceElement.matches('[data-inbox-refresh]')) return;
    var region = document.getElementById('inbox-list');
    var focused = document.activeElement;
    var workingInList = region && focused && region.contains(focused) && !focused.matches('[data-inbox-refresh]');
    if (document.visibilityState !== 'visible' || workingInList) event.preventDefault();
  });

  document.addEventListener('htmx:before:swap', function (event) {
    var ctx = event.detail.ctx;
    var target = ctx.target;
    var source = ctx.sourceElement;
    var response = ctx.response || {};
    var redirected = response.raw && response.raw.redirected;
    if (target && target.id === 'inbox-list') {
      if (redirected || response.status >= 400) {
        event.preventDefault();
        if (redirected) window.location.assign(response.raw.url);
        else if (!isPoll(ctx)) window.location.assign(ctx.request.action);
        return;
      }
      inboxSwap = { kind: isPoll(ctx) ? 'poll' : source && source.matches('[data-inbox-refresh]') ? 'refresh' : 'page', before: listText(target) };
      return;
    }
    if (source && source.matches('[data-reply-form]')) {
      if (redirected) {
        event.preventDefault();
        window.location.assign(response.raw.url);
      } else if (response.status >= 400 && response.status !== 422 && response.status !== 409) {
        event.preventDefault();
        window.location.assign(source.getAttribute('data-thread-path'));
      }
    }
  });

  document.addEventListener('htmx:after:settle', function (event) {
    var target = event.target;
    if (target.id === 'inbox-list' && inboxSwap) {
      var swap = inboxSwap;
      inboxSwap = null;
      var status = target.querySelector('[data-list-status]');
      var updated = status ? status.getAttribute('data-list-updated') + ' ' + status.textContent : '';
      if (swap.kind === 'page') {
        if (status) status.focus();
      } else if (swap.kind === 'refresh' || listText(target) !== swap.before) {
        announce(updated);
      }
      return;
    }
    if (target.id === 'message-list') {
      var added = target.querySelectorAll('.htmx-added');
      var reply = added.length ? added[added.length - 1] : target.lastElementChild;
      if (reply) reply.focus();
      announce(target.getAttribute('data-sent-message'));
    }
  });
})();
