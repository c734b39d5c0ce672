// The lineage trees of an asset's page (ul[data-tree]): keyboard navigation as in the WAI-ARIA tree pattern. One item
// is in the tab order at a time; Up and Down move between the items shown, Right opens an item or goes to its first
// child, Left closes it or goes to its parent, Home and End go to the first and last; Enter follows the link. The
// small triangle before an item opens and closes it with the mouse. Without this script every item is a plain link.
(function () {
  'use strict';

  function group(item) {
    return item.parentElement.querySelector(':scope > [role="group"]');
  }

  function parentItem(item) {
    var list = item.parentElement.parentElement;
    if (!list || list.getAttribute('role') !== 'group') return null;
    return list.parentElement.querySelector(':scope > [role="treeitem"]');
  }

  function shown(tree) {
    return Array.prototype.filter.call(tree.querySelectorAll('[role="treeitem"]'), function (item) {
      return !item.closest('[role="group"][hidden]');
    });
  }

  function focus(tree, item) {
    tree.querySelectorAll('[role="treeitem"][tabindex="0"]').forEach(function (other) { other.tabIndex = -1; });
    item.tabIndex = 0;
    item.focus();
  }

  function setOpen(item, open) {
    var g = group(item);
    if (!g) return;
    item.setAttribute('aria-expanded', open ? 'true' : 'false');
    g.hidden = !open;
    item.parentElement.classList.toggle('collapsed', !open);
  }

  function onKey(tree, event) {
    var item = event.target.closest('[role="treeitem"]');
    if (!item || event.altKey || event.ctrlKey || event.metaKey) return;
    var items = shown(tree);
    var at = items.indexOf(item);
    var target = null;
    switch (event.key) {
      case 'ArrowDown': target = items[at + 1]; break;
      case 'ArrowUp': target = items[at - 1]; break;
      case 'Home': target = items[0]; break;
      case 'End': target = items[items.length - 1]; break;
      case 'ArrowRight':
        if (item.getAttribute('aria-expanded') === 'false') setOpen(item, true);
        else if (item.getAttribute('aria-expanded') === 'true') target = group(item).querySelector('[role="treeitem"]');
        break;
      case 'ArrowLeft':
        if (item.getAttribute('aria-expanded') === 'true') setOpen(item, false);
        else target = parentItem(item);
        break;
      default: return;
    }
    event.preventDefault();
    if (target) focus(tree, target);
  }

  function setUp(tree) {
    var items = tree.querySelectorAll('[role="treeitem"]');
    items.forEach(function (item, i) { item.tabIndex = i === 0 ? 0 : -1; });
    tree.addEventListener('keydown', function (event) { onKey(tree, event); });
    // A click or a focus by other means makes that item the one in the tab order.
    tree.addEventListener('focusin', function (event) {
      var item = event.target.closest('[role="treeitem"]');
      if (item && item.tabIndex !== 0) focus(tree, item);
    });
    tree.addEventListener('click', function (event) {
      if (!event.target.classList.contains('twisty')) return;
      var item = event.target.parentElement.querySelector(':scope > [role="treeitem"]');
      setOpen(item, item.getAttribute('aria-expanded') === 'false');
      focus(tree, item);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('ul[data-tree]').forEach(setUp);
  });
})();
