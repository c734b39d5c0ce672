// The dashboard's behaviour. No inline script anywhere (the Content Security Policy forbids it): pages declare
// what they need with data-* attributes and htmx attributes, and this file (or a capability's own) acts on them.
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  // Every htmx request that may change something carries the session's CSRF token.
  document.addEventListener('htmx:configRequest', function (event) {
    var token = csrfToken();
    if (token) event.detail.headers['X-CSRF-Token'] = token;
  });

  // An error answer from a fragment is shown where the fragment would have gone, not silently dropped.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400 && status !== 401) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Light or dark: the button flips the theme shown and remembers it on this device.
  function toggleTheme() {
    var root = document.documentElement;
    var dark = root.dataset.theme ? root.dataset.theme === 'dark'
      : window.matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'light' : 'dark';
    try { localStorage.setItem('storyboard-theme', root.dataset.theme); } catch (e) { /* not remembered */ }
  }

  // <time datetime="..." data-local> is shown in the reader's time zone.
  function localTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (el) {
      var d = new Date(el.getAttribute('datetime'));
      if (!isNaN(d)) {
        el.title = el.getAttribute('datetime');
        el.textContent = d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
      }
    });
  }

  // A button or link with data-confirm asks before it acts (forms without htmx).
  document.addEventListener('submit', function (event) {
    var message = event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // <div data-chart> holding a <script type="application/json"> of {x, series:[{label, values}]}: a uPlot chart.
  // In a fragment loaded by htmx the spec is the data-chart attribute's value instead: htmx drops every <script>
  // of swapped content (allowScriptTags is off), JSON ones included.
  function charts(root) {
    if (typeof uPlot === 'undefined') return;
    root.querySelectorAll('[data-chart]:not([data-drawn])').forEach(function (el) {
      var source = el.querySelector('script[type="application/json"]');
      var text = source ? source.textContent : el.getAttribute('data-chart');
      if (!text) return;
      var spec = JSON.parse(text);
      var style = getComputedStyle(document.documentElement);
      var colors = [style.getPropertyValue('--accent').trim() || '#2563eb', style.getPropertyValue('--accent-2').trim() || '#db2777'];
      var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
      var opts = {
        width: Math.max(240, el.clientWidth),
        height: Number(el.getAttribute('data-height') || 180),
        scales: {x: {time: spec.time !== false}},
        axes: [{stroke: style.getPropertyValue('--muted').trim()}, {stroke: style.getPropertyValue('--muted').trim()}],
        series: [{}].concat(spec.series.map(function (s, i) {
          return {label: s.label, stroke: colors[i % colors.length], width: 2,
                  fill: i === 0 ? (style.getPropertyValue('--accent-fill').trim() || 'rgba(37,99,235,.15)') : undefined};
        }))
      };
      el.setAttribute('data-drawn', '');
      var plot = new uPlot(opts, data, el);
      new ResizeObserver(function () { plot.setSize({width: Math.max(240, el.clientWidth), height: opts.height}); }).observe(el);
    });
  }

  function init(root) {
    localTimes(root);
    charts(root);
  }

  // For a capability's own script that adds content without htmx (live rows): the same behaviour on it.
  window.Storyboard = {init: init};

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('theme-toggle');
    if (button) button.addEventListener('click', toggleTheme);
    init(document);
    if (window.htmx) htmx.onLoad(init);
  });
})();
