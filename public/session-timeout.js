// Warns two minutes before the idle timeout that the session is about to end, and goes to
// the sign-in page when it has. "Stay signed in" is sent in the background, so nothing typed on
// the page is lost; if that fails it posts as a plain form. Without JavaScript the server
// simply asks to sign in again.
(function () {
  var warning = document.getElementById('session-warning');
  if (!warning) return;
  var form = warning.querySelector('form');
  var button = warning.querySelector('button');
  var idleMs = Number(warning.getAttribute('data-idle-seconds')) * 1000;
  var warnMs = Math.max(idleMs - 2 * 60 * 1000, idleMs / 2);
  var timers = [];
  var focusBefore = null;

  function start() {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(function () {
        focusBefore = document.activeElement;
        warning.hidden = false;
        if (button) button.focus();
      }, warnMs),
      setTimeout(function () {
        window.location.assign(warning.getAttribute('data-signed-out-url'));
      }, idleMs),
    ];
  }

  if (form && window.fetch && window.URLSearchParams && window.FormData) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' })
        .then(function (response) {
          // Anything but 204 (signed out meanwhile, a new CSRF token needed) goes the plain way.
          if (response.status !== 204) return form.submit();
          warning.hidden = true;
          if (focusBefore && focusBefore.focus) focusBefore.focus();
          start();
        })
        .catch(function () {
          form.submit();
        });
    });
  }
  start();
})();
