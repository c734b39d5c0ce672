// Runs in <head>, before the page paints: the theme a person chose on this device (else the system's).
(function () {
  try {
    var theme = localStorage.getItem('storyboard-theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage blocked: the system's theme */ }
})();
