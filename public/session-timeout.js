// Warns two minutes before the idle timeout that the session is about to end, and goes to
// the sign-in page when it has. Without JavaScript the server simply asks to sign in again.
(function () {
  var warning = document.getElementById('session-warning');
  if (!warning) return;
  var idleMs = Number(warning.getAttribute('data-idle-seconds')) * 1000;
  var warnMs = Math.max(idleMs - 2 * 60 * 1000, idleMs / 2);
  setTimeout(function () {
    warning.hidden = false;
    var button = warning.querySelector('button');
    if (button) button.focus();
  }, warnMs);
  setTimeout(function () {
    window.location.assign(warning.getAttribute('data-signed-out-url'));
  }, idleMs);
})();
