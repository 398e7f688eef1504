// A conversation's reply form improved by htmx: the reply is added to the end of the conversation
// and the form comes back empty, without reloading the page. This script keeps that usable:
// - after a reply is added, focus moves to it and the status line says it was sent;
// - after a refusal (422), the form comes back with its error summary, which takes focus;
// - any other error answer (the conversation is gone, the server failed) loads the conversation
//   as a whole page rather than pouring the error into it (htmx 4 swaps 4xx and 5xx by default).
(function () {
  'use strict';
  if (window.messagesReady) return;
  window.messagesReady = true;

  function isReply(ctx) {
    return Boolean(ctx && ctx.request && /\/messages\/\d+\/reply$/.test(String(ctx.request.action || '')));
  }

  document.addEventListener('htmx:before:swap', function (event) {
    var ctx = event.detail.ctx;
    if (!isReply(ctx) || !ctx.response) return;
    var status = ctx.response.status;
    if (status >= 400 && status !== 422) {
      event.preventDefault();
      window.location.assign(String(ctx.request.action).replace(/\/reply$/, ''));
    }
  });

  document.addEventListener('htmx:after:swap', function (event) {
    var ctx = event.detail.ctx;
    if (!isReply(ctx) || !ctx.response) return;
    if (ctx.response.status === 422) {
      var summary = document.querySelector('#reply-form .error-summary');
      if (summary) summary.focus();
      return;
    }
    var messages = document.getElementById('messages');
    var added = messages && messages.lastElementChild;
    if (added) added.focus();
    var announcer = document.getElementById('reply-announcer');
    if (announcer) {
      announcer.textContent = '';
      window.setTimeout(function () { announcer.textContent = announcer.getAttribute('data-sent-text'); }, 50);
    }
  });
})();
