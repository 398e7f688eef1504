// Shows the "Print this page" button of a record page and prints when it is pressed. Without
// JavaScript the button stays hidden and the browser's own Print does the same thing.
(function () {
  var actions = document.querySelectorAll('[data-print-action]');
  for (var i = 0; i < actions.length; i++) {
    var button = actions[i].querySelector('button');
    if (!button) continue;
    button.addEventListener('click', function () {
      window.print();
    });
    actions[i].hidden = false;
  }
})();
