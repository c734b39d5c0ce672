// The prompt history page: live rows and a tidy filter URL. Loaded by the page (no inline script: the Content
// Security Policy forbids it).
//
// Live rows: the page listens to the server's event stream (/api/v1/events/stream, with the session's cookie; the
// stream shows a credential only its projects' events) for prompt_log.created and prompt_log.deleted. For new logs
// it asks the page's own fragment (/history/live?<the page's filters>&ids=...) for their rows: the server applies
// the same filter and visibility as the list, so only rows this list would show are added, newest on top.
(function () {
  'use strict';

  var MAX_IDS = 500; // per request (the server takes up to 1000)

  // A filter form sends only the fields that are filled in, so the page's address stays short and shareable.
  function tidyForms() {
    document.querySelectorAll('form[data-strip-empty]').forEach(function (form) {
      form.addEventListener('submit', function () {
        form.querySelectorAll('input, select').forEach(function (field) {
          if (field.name && field.value.trim() === '') field.disabled = true;
        });
      });
    });
    // Coming back to the page from the browser's history: the fields are usable again.
    window.addEventListener('pageshow', function () {
      document.querySelectorAll('form[data-strip-empty] [disabled]').forEach(function (f) { f.disabled = false; });
    });
  }

  function live(table) {
    var body = table.tBodies[0];
    var rowsUrl = table.getAttribute('data-live-rows');
    var state = document.querySelector('[data-live-state]');
    var text = state ? state.querySelector('.live-text') : null;
    var pending = [];
    var timer = null;
    var chain = Promise.resolve();

    function show(name, words) {
      if (!state) return;
      state.setAttribute('data-live-state', name);
      if (text) text.textContent = words;
    }

    function rowOf(id) {
      return body.querySelector('tr[data-id="' + id + '"]');
    }

    function insert(html) {
      var holder = document.createElement('tbody');
      holder.innerHTML = html;
      var fresh = Array.prototype.filter.call(holder.querySelectorAll('tr[data-id]'), function (tr) {
        return !rowOf(tr.getAttribute('data-id'));
      });
      if (fresh.length === 0) return;
      var empty = body.querySelector('tr.empty-row');
      if (empty) empty.remove();
      var first = body.firstElementChild;
      fresh.forEach(function (tr) {
        tr.classList.add('fresh');
        body.insertBefore(tr, first);
      });
      window.Storyboard.init(body);
    }

    function fetchRows(ids) {
      var url = rowsUrl + (rowsUrl.indexOf('?') < 0 ? '?' : '&') + 'ids=' + ids.join(',');
      chain = chain.then(function () {
        return fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}});
      }).then(function (response) {
        if (response.status === 401) { show('off', 'Signed out: reload to sign in again'); return ''; }
        if (!response.ok) { show('off', 'New logs could not be loaded (' + response.status + '): reload'); return ''; }
        return response.text();
      }).then(insert, function () {
        show('off', 'New logs could not be loaded: reload');
      });
    }

    function flush() {
      timer = null;
      var ids = pending.filter(function (id) { return !rowOf(id); });
      pending = [];
      for (var i = 0; i < ids.length; i += MAX_IDS) fetchRows(ids.slice(i, i + MAX_IDS));
    }

    var source = new EventSource(table.getAttribute('data-live-stream'));
    source.addEventListener('open', function () { show('live', 'Live: new logs appear at the top'); });
    source.addEventListener('error', function () {
      if (source.readyState === EventSource.CLOSED) show('off', 'Not live: reload to see new logs');
      else show('connecting', 'Reconnecting…');
    });
    source.addEventListener('prompt_log.created', function (event) {
      var data = JSON.parse(event.data);
      var ids = (data.payload && data.payload.ids) || (data.subject_id ? [data.subject_id] : []);
      ids.forEach(function (id) { if (/^[0-9a-f-]{36}$/i.test(id)) pending.push(id); });
      if (!timer) timer = setTimeout(flush, 150); // logs of one burst in one request
    });
    source.addEventListener('prompt_log.deleted', function (event) {
      var data = JSON.parse(event.data);
      var row = data.subject_id && /^[0-9a-f-]{36}$/i.test(data.subject_id) ? rowOf(data.subject_id) : null;
      if (row) row.classList.add('deleted');
    });
    window.addEventListener('pagehide', function () { source.close(); });
  }

  // A log added live that happened earlier than the newest ones (a back-filled log) comes again when scrolling
  // reaches its place: the row already shown is kept, the later copy dropped.
  function dropRepeats(body) {
    var seen = {};
    body.querySelectorAll('tr[data-id]').forEach(function (tr) {
      var id = tr.getAttribute('data-id');
      if (seen[id]) tr.remove(); else seen[id] = true;
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    tidyForms();
    var list = document.querySelector('table.history');
    if (list) document.addEventListener('htmx:afterSettle', function () { dropRepeats(list.tBodies[0]); });
    var table = document.querySelector('table[data-live-stream][data-live-rows]');
    if (table && window.EventSource) live(table);
  });
})();
