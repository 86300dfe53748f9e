/* The console's "I speak Spanish / Hablo español" control: saved as soon as it changes
 * (POST /peer/api/languages with the session's CSRF token); the console's frames keep it in
 * step with the account (another tab, or an admin). */
(function () {
  'use strict';
  var form = document.getElementById('languages-form');
  var box = document.getElementById('speaks-es');
  var status = document.getElementById('console-status');

  function say(text) { if (status) { status.textContent = text; } }

  function show(languages) { box.checked = (languages || []).indexOf('es') !== -1; }

  box.addEventListener('change', function () {
    var wanted = box.checked;
    fetch(form.action, { method: 'POST', body: new FormData(form), credentials: 'same-origin',
                         headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { throw new Error('not saved'); }
        show(res.body.languages);
        say(box.checked ? 'Saved: people who write in Spanish are shown to you first.'
                        : 'Saved: you are not shown people who write in Spanish first.');
      })
      .catch(function () {
        box.checked = !wanted;
        say('Your language setting could not be saved. Please try again.');
      });
  });

  window.RNPeerLanguages = { show: show };
}());
