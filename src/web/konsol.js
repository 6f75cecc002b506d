// kommentarsvakt console: keyboard shortcuts, nothing else.
// On an item page a letter moves focus to the decision it names (Enter then
// decides); in the queue j and k move between items. Typing in a field is
// never intercepted.
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var key = event.key.toLowerCase();
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    if (target) {
      event.preventDefault();
      target.focus();
      return;
    }
    if (key === "j" || key === "k") {
      var items = Array.prototype.slice.call(document.querySelectorAll("a[data-item]"));
      if (items.length === 0) {
        return;
      }
      var at = items.indexOf(document.activeElement);
      var next = key === "j" ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
      event.preventDefault();
      items[next].focus();
    }
  });
})();
