// The event log's live indicator: htmx's SSE extension reports the stream opening and failing; this shows it.
(function () {
  'use strict';

  function show(state, text) {
    var el = document.getElementById('live-status');
    if (!el) return;
    el.setAttribute('data-state', state);
    el.textContent = text;
  }

  document.addEventListener('htmx:sseOpen', function () { show('live', 'Live'); });
  document.addEventListener('htmx:sseError', function () { show('reconnecting', 'Reconnecting…'); });
})();
