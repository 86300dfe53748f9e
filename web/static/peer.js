/* The peer console: queue, claimed conversations, lookup panel. Keyboard first. */
(function () {
  'use strict';
  var R = window.RNRender;
  var RNSocket = window.RNSocket;
  var $ = function (id) { return document.getElementById(id); };

  var socket = null;
  var retries = 0;
  var status = $('presence').getAttribute('aria-pressed') === 'true' ? 'online' : 'away';
  var chosenStatus = null; /* what this peer picked; re-applied after a reconnect */
  var queueItems = [];
  var queueReceivedAt = Date.now();
  var knownUrgent = new Set();
  var conversations = new Map(); /* id -> {summary, messages: Map(seq -> frame), state} */
  var activeId = null;
  var results = [];

  function send(frame) {
    if (RNSocket.send(socket, frame)) { return true; }
    $('console-status').textContent = 'Not connected. Reconnecting…';
    return false;
  }

  function connect() {
    socket = RNSocket.open('/peer/ws', { onOpen: connected, onFrame: handle, onClose: closed });
  }

  function connected() {
    retries = 0;
    $('console-status').textContent = 'Connected.';
  }

  /* 1008 (policy) or 4001 (session ended, account disabled: web/consoles.py): sign in again. */
  function closed(event) {
    retries += 1;
    if (event.code === 1008 || event.code === 4001) { location.href = '/peer/login'; return; }
    $('console-status').textContent = 'Connection lost. Reconnecting…';
    setTimeout(connect, Math.min(30000, 500 * Math.pow(2, retries)));
  }

  setInterval(function () { send({ type: 'heartbeat' }); }, 30000);

  function handle(frame) {
    if (frame.type === 'hello') { afterHello(frame); }
    else if (frame.type === 'queue') { showQueue(frame.items || []); }
    else if (frame.type === 'crisis') { crisisAlert(frame); }
    else if (frame.type === 'transcript') { showTranscript(frame); }
    else if (frame.type === 'message') { addMessage(frame); }
    else if (frame.type === 'conversation_state') { changeState(frame); }
    else if (frame.type === 'presence') { showPresence(frame.status); }
    else if (frame.type === 'languages') { window.RNPeerLanguages.show(frame.languages); }
    else if (frame.type === 'error') {
      $('peer-error').textContent = frame.message || 'That did not work.';
      $('console-status').textContent = frame.message || '';
    }
  }

  // A need in the chat's words: the Need menu's options carry the labels (need_words.yml).
  function needLabel(key) {
    var options = $('f-need').options;
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === key) { return options[i].getAttribute('data-label') || key; }
    }
    return String(key).replace(/_/g, ' ');
  }

  function needsText(keys) { return (keys || []).map(needLabel).join(', '); }

  function summaryText(summary) {
    var parts = [];
    if (summary.needs && summary.needs.length) { parts.push('Needs: ' + needsText(summary.needs)); }
    if (summary.location) { parts.push('Near: ' + summary.location); }
    if (summary.insurance) { parts.push('Insurance: ' + summary.insurance); }
    if (summary.notes) { parts.push(summary.notes); }
    return parts.join(' · ') || 'No summary yet.';
  }

  function afterHello(frame) {
    /* The server decides the starting status (admins start away); a choice made here
     * before a reconnect is kept. */
    showPresence(frame.status);
    window.RNPeerLanguages.show(frame.languages);
    if (chosenStatus && chosenStatus !== frame.status) {
      send({ type: 'presence', status: chosenStatus });
    }
  }

  /* Waiting time counted from the server's figure, so the peer's clock does not matter. */
  function waitedText(item) {
    var seconds = (item.waited_seconds || 0) + (Date.now() - queueReceivedAt) / 1000;
    var m = Math.floor(seconds / 60);
    if (m < 1) { return 'waiting less than a minute'; }
    if (m < 60) { return 'waiting ' + m + ' min'; }
    return 'waiting ' + Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  var KIND_LABELS = { overdose: 'possible overdose', suicide: 'suicide risk', danger: 'immediate danger' };

  function urgentLabel(kind) { return 'Urgent: ' + (KIND_LABELS[kind] || 'crisis'); }

  /* Only languages other than English are worth a mark in the queue. */
  var LANGUAGE_NAMES = { es: 'Writes in Spanish (español)' };
  /* ... and when this peer speaks it too: they are shown this person first */
  var LANGUAGE_MATCH = { es: 'Writes in Spanish — you speak Spanish' };

  function languageText(item) {
    return (item.language_match && LANGUAGE_MATCH[item.language]) || LANGUAGE_NAMES[item.language] || '';
  }

  function urgentMark(text) {
    var p = R.el('p', 'urgent-mark');
    var icon = R.el('span', 'icon', '⚠');
    icon.setAttribute('aria-hidden', 'true');
    p.appendChild(icon);
    p.appendChild(R.el('strong', null, text));
    return p;
  }

  function showQueue(items) {
    queueItems = items;
    queueReceivedAt = Date.now();
    var fresh = items.filter(function (item) { return item.urgent && !knownUrgent.has(item.conversation_id); });
    knownUrgent = new Set(items.filter(function (i) { return i.urgent; }).map(function (i) { return i.conversation_id; }));
    renderQueue();
    /* an alert about someone in the queue goes once they are no longer waiting */
    Array.from($('alerts').children).forEach(function (node) {
      if (node.dataset.queue && !knownUrgent.has(node.dataset.queue)) { node.remove(); }
    });
    fresh.forEach(function (item) {
      notify(urgentLabel(item.crisis_kind) + ' in the queue',
        'Someone waiting for a peer (#' + item.position + ') wrote about ' + article(KIND_LABELS[item.crisis_kind] || 'crisis') + '.',
        item.conversation_id, true);
    });
  }

  function renderQueue() {
    var items = queueItems;
    var list = $('queue');
    list.textContent = '';
    items.forEach(function (item) {
      var li = R.el('li', [item.urgent ? 'urgent' : '', item.language_match ? 'language-match' : ''].join(' ').trim() || null);
      li.dataset.conversation = item.conversation_id;
      if (item.urgent) { li.appendChild(urgentMark(urgentLabel(item.crisis_kind))); }
      li.appendChild(R.el('p', null, '#' + item.position + ' · ' + waitedText(item)));
      if (languageText(item)) {
        li.appendChild(R.el('p', item.language_match ? 'language-mark match' : 'language-mark', languageText(item)));
      }
      li.appendChild(R.el('p', null, summaryText(item.summary || {})));
      var claim = R.el('button', 'btn btn-primary', 'Claim');
      claim.type = 'button';
      claim.setAttribute('aria-label', 'Claim person #' + item.position + ': ' +
        (item.urgent ? urgentLabel(item.crisis_kind) + '. ' : '') +
        (languageText(item) ? languageText(item) + '. ' : '') +
        summaryText(item.summary || {}));
      claim.addEventListener('click', function () {
        send({ type: 'claim', conversation_id: item.conversation_id });
      });
      li.appendChild(claim);
      list.appendChild(li);
    });
    $('queue-empty').hidden = items.length > 0;
    var urgent = items.filter(function (i) { return i.urgent; }).length;
    $('queue-count').textContent = items.length
      ? '(' + items.length + (urgent ? ', ' + urgent + ' urgent' : '') + ')' : '';
  }
  setInterval(renderQueue, 20000);

  /* Alerts: a short sound and a browser notification (no message content in it), unless
   * muted; and always the text in the page's alert region. */
  var MUTE_KEY = 'rn.peerAlertsMuted';
  var muted = localStorage.getItem(MUTE_KEY) === '1';
  var audio = null;

  function showMuted() {
    var button = $('alerts-toggle');
    button.setAttribute('aria-pressed', muted ? 'false' : 'true');
    button.textContent = muted ? 'Urgent alerts: muted' : 'Urgent alerts: sound on';
  }
  showMuted();

  /* Browsers play sound and ask for notifications only after the peer has used the page:
   * the first click or key press does both (unless alerts are muted). */
  function unlockAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) { audio = new Ctx(); }
    if (audio && audio.state === 'suspended') { audio.resume(); }
  }
  function firstUse() {
    unlockAudio();
    if (!muted && window.Notification && Notification.permission === 'default') {
      Notification.requestPermission();
    }
  }
  document.addEventListener('pointerdown', firstUse, { once: true });
  document.addEventListener('keydown', firstUse, { once: true });

  function chime() {
    if (muted) { return; }
    unlockAudio();
    if (!audio || audio.state !== 'running') { return; }
    [0, 0.25].forEach(function (delay, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = i ? 660 : 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime + delay);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + delay + 0.22);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(audio.currentTime + delay);
      osc.stop(audio.currentTime + delay + 0.23);
    });
  }

  function notify(title, body, tag, fromQueue) {
    var region = $('alerts');
    var item = R.el('p', 'alert');
    if (fromQueue) { item.dataset.queue = tag; }
    item.appendChild(urgentMark(title));
    item.appendChild(R.el('span', null, body));
    region.insertBefore(item, region.firstChild);
    while (region.children.length > 3) { region.removeChild(region.lastChild); }
    chime();
    if (!muted && window.Notification && Notification.permission === 'granted') {
      try { new Notification(title, { body: body, tag: tag }); } catch (e) { /* not allowed here */ }
    }
  }

  $('alerts-toggle').addEventListener('click', function () {
    muted = !muted;
    localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
    showMuted();
    unlockAudio();
    if (!muted && window.Notification && Notification.permission === 'default') {
      Notification.requestPermission();
    }
  });

  /* A person wrote about a crisis: a banner on their conversation (with a peer), or an
   * alert when the peer had handed them back to the assistant. */
  function crisisAlert(frame) {
    var label = KIND_LABELS[frame.kind] || 'crisis';
    var entry = conversations.get(frame.conversation_id);
    if (frame.state === 'with_peer' && entry) {
      entry.crisis = { kind: frame.kind };
      if (activeId === frame.conversation_id) { renderActive(); }
      renderTabs();
      notify(urgentLabel(frame.kind), 'A person you are chatting with wrote about ' + article(label) + '. They were sent the crisis lines.', frame.conversation_id);
      return;
    }
    notify(urgentLabel(frame.kind), 'A person you handed back to the assistant wrote about ' + article(label) +
      '. They were sent the crisis lines and offered a peer; if they ask, they go first in the queue.', frame.conversation_id);
  }

  function article(label) { return (/^[aeiou]/.test(label) ? 'an ' : 'a ') + label; }

  function showTranscript(frame) {
    var entry = conversations.get(frame.conversation_id) || { messages: new Map() };
    entry.summary = frame.summary || {};
    entry.state = frame.state;
    entry.crisis = frame.crisis || null;
    (frame.messages || []).forEach(function (m) { entry.messages.set(m.seq, m); });
    conversations.set(frame.conversation_id, entry);
    if (frame.state === 'with_peer') { select(frame.conversation_id); }
    renderTabs();
  }

  function addMessage(frame) {
    var entry = conversations.get(frame.conversation_id);
    if (!entry || entry.messages.has(frame.seq)) { return; }
    entry.messages.set(frame.seq, frame);
    if (frame.conversation_id === activeId) {
      var node = R.messageElement(frame, null, 'peer');
      R.insertInOrder($('transcript'), node, frame.seq);
      node.scrollIntoView({ block: 'end' });
    } else {
      renderTabs();
    }
  }

  function changeState(frame) {
    var entry = conversations.get(frame.conversation_id);
    if (!entry) { return; }
    entry.state = frame.state;
    if (frame.state !== 'with_peer') {
      conversations.delete(frame.conversation_id);
      var word = { bot: 'returned to the assistant', closed: 'closed', deleted: 'deleted by the person' }[frame.state] || frame.state;
      $('console-status').textContent = 'Conversation ' + word + '.';
      if (activeId === frame.conversation_id) { activeId = null; }
      var next = conversations.keys().next();
      if (!next.done) { select(next.value); } else { renderActive(); }
    }
    renderTabs();
  }

  function renderTabs() {
    var tabs = $('active-tabs');
    tabs.textContent = '';
    var n = 0;
    conversations.forEach(function (entry, id) {
      n += 1;
      var label = 'Person ' + n + ' · ' + summaryText(entry.summary || {}).slice(0, 40);
      var b = R.el('button', entry.crisis ? 'btn tab-urgent' : 'btn', (entry.crisis ? '⚠ Crisis · ' : '') + label);
      b.type = 'button';
      b.setAttribute('aria-pressed', id === activeId ? 'true' : 'false');
      b.addEventListener('click', function () { select(id); });
      tabs.appendChild(b);
    });
    $('active-empty').hidden = conversations.size > 0;
  }

  function select(id) {
    activeId = id;
    renderActive();
    renderTabs();
  }

  function renderActive() {
    var entry = activeId ? conversations.get(activeId) : null;
    $('conversation').hidden = !entry;
    if (!entry) { return; }
    var banner = $('crisis-alert');
    banner.textContent = '';
    banner.hidden = !entry.crisis;
    if (entry.crisis) {
      banner.setAttribute('role', 'alert');
      banner.appendChild(urgentMark(urgentLabel(entry.crisis.kind)));
      banner.appendChild(R.el('p', null, 'This person wrote about ' + article(KIND_LABELS[entry.crisis.kind] || 'crisis') +
        '. They were sent the crisis lines (see the transcript). Check they are safe now.'));
    }
    var dl = $('summary');
    dl.textContent = '';
    var s = entry.summary || {};
    [['Needs', needsText(s.needs)], ['Location', s.location], ['Insurance', s.insurance], ['Notes', s.notes]]
      .forEach(function (pair) {
        dl.appendChild(R.el('dt', null, pair[0]));
        dl.appendChild(R.el('dd', null, pair[1] || '—'));
      });
    var transcript = $('transcript');
    transcript.textContent = '';
    Array.from(entry.messages.keys()).sort(function (a, b) { return a - b; }).forEach(function (seq) {
      transcript.appendChild(R.messageElement(entry.messages.get(seq), null, 'peer'));
    });
    transcript.scrollTop = transcript.scrollHeight;
  }

  function showPresence(value) {
    status = value;
    var button = $('presence');
    button.setAttribute('aria-pressed', value === 'online' ? 'true' : 'false');
    button.textContent = value === 'online' ? "You're online" : "You're away";
  }

  $('presence').addEventListener('click', function () {
    chosenStatus = status === 'online' ? 'away' : 'online';
    send({ type: 'presence', status: chosenStatus });
  });

  $('peer-composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var box = $('peer-message');
    var text = box.value.trim();
    if (!text || !activeId) { return; }
    $('peer-error').textContent = '';
    if (send({ type: 'send', conversation_id: activeId, text: text })) { box.value = ''; }
  });
  $('peer-message').addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('peer-composer').requestSubmit();
    }
  });
  $('return-to-bot').addEventListener('click', function () {
    if (activeId) { send({ type: 'return_to_bot', conversation_id: activeId }); }
  });
  $('close-conversation').addEventListener('click', function () {
    if (activeId) { send({ type: 'close', conversation_id: activeId }); }
  });

  /* Lookup panel ---------------------------------------------------------------------- */
  function runSearch(params) {
    var query = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) { query.set(k, params[k]); } });
    $('lookup-status').textContent = 'Searching…';
    fetch('/api/v1/search?' + query.toString(), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) {
          $('lookup-status').textContent = (res.body.error && res.body.error.message) || 'Search failed.';
          showResults([]);
          return;
        }
        var q = res.body.query || {};
        var near = q.near && q.near.label ? ' near ' + q.near.label : '';
        $('lookup-status').textContent = res.body.total + ' found' + near + (res.body.relaxed ? ' (search widened)' : '') + '.';
        showResults(res.body.resources || []);
      })
      .catch(function () { $('lookup-status').textContent = 'The directory is not answering.'; });
  }

  function showResults(cards) {
    results = cards;
    var list = $('results');
    list.textContent = '';
    cards.forEach(function (card, i) {
      var li = R.el('li');
      var box = R.el('input');
      box.type = 'checkbox';
      box.id = 'pick-' + i;
      box.dataset.index = String(i);
      var label = R.el('label', null, ' Select ' + (card.name || 'result'));
      label.htmlFor = box.id;
      li.appendChild(box);
      li.appendChild(label);
      li.appendChild(R.cardElement(card));
      list.appendChild(li);
    });
    updateSendCards();
  }

  function chosenCards() {
    return Array.from(document.querySelectorAll('#results input[type=checkbox]:checked'))
      .map(function (box) { return results[Number(box.dataset.index)]; });
  }

  function updateSendCards() { $('send-cards').disabled = chosenCards().length === 0 || !activeId; }
  $('results').addEventListener('change', updateSendCards);

  $('send-cards').addEventListener('click', function () {
    var cards = chosenCards();
    if (!cards.length || !activeId) { return; }
    if (send({ type: 'send', conversation_id: activeId, cards: cards })) {
      $('lookup-status').textContent = 'Sent ' + cards.length + ' to the person.';
      showResults([]);
    }
  });

  $('lookup').addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(event.target);
    var params = {};
    data.forEach(function (v, k) { params[k] = String(v); });
    runSearch(params);
  });

  $('quick-lookup').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('quick').value.trim();
    if (!text) { return; }
    fetch('/peer/api/parse?q=' + encodeURIComponent(text), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var p = body.params || {};
        $('f-need').value = (p.need || '').split(',')[0] || '';
        $('f-near').value = p.near || '';
        $('f-insurance').value = p.insurance || '';
        runSearch(Object.assign({ radius_miles: $('f-radius').value }, p));
      })
      .catch(function () { $('lookup-status').textContent = 'Could not read that lookup.'; });
  });

  document.addEventListener('keydown', function (event) {
    var tag = (event.target && event.target.tagName) || '';
    if (event.key === '/' && tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT') {
      event.preventDefault();
      $('quick').focus();
    }
  });

  connect();
}());
