/* The peer console: queue, claimed conversations, lookup panel. Keyboard first. */
(function () {
  'use strict';
  var R = window.RNRender;
  var $ = function (id) { return document.getElementById(id); };

  var socket = null;
  var retries = 0;
  var status = 'online';
  var conversations = new Map(); /* id -> {summary, messages: Map(seq -> frame), state} */
  var activeId = null;
  var results = [];

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    $('console-status').textContent = 'Not connected. Reconnecting…';
    return false;
  }

  function connect() {
    var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(scheme + '//' + location.host + '/peer/ws');
    socket.addEventListener('open', function () {
      retries = 0;
      $('console-status').textContent = 'Connected.';
      if (status === 'away') { send({ type: 'presence', status: 'away' }); }
    });
    socket.addEventListener('message', function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handle(frame);
    });
    socket.addEventListener('close', function (event) {
      retries += 1;
      if (event.code === 1008 || event.code === 4001) { location.href = '/peer/login'; return; }
      $('console-status').textContent = 'Connection lost. Reconnecting…';
      setTimeout(connect, Math.min(30000, 500 * Math.pow(2, retries)));
    });
  }

  setInterval(function () { send({ type: 'heartbeat' }); }, 30000);

  function handle(frame) {
    if (frame.type === 'queue') { showQueue(frame.items || []); }
    else if (frame.type === 'transcript') { showTranscript(frame); }
    else if (frame.type === 'message') { addMessage(frame); }
    else if (frame.type === 'conversation_state') { changeState(frame); }
    else if (frame.type === 'presence') { showPresence(frame.status); }
    else if (frame.type === 'error') {
      $('peer-error').textContent = frame.message || 'That did not work.';
      $('console-status').textContent = frame.message || '';
    }
  }

  function summaryText(summary) {
    var parts = [];
    if (summary.needs && summary.needs.length) { parts.push('Needs: ' + summary.needs.join(', ')); }
    if (summary.location) { parts.push('Near: ' + summary.location); }
    if (summary.insurance) { parts.push('Insurance: ' + summary.insurance); }
    if (summary.notes) { parts.push(summary.notes); }
    return parts.join(' · ') || 'No summary yet.';
  }

  function minutesSince(iso) {
    var m = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    return m === 0 ? 'just now' : m + ' min';
  }

  function showQueue(items) {
    var list = $('queue');
    list.textContent = '';
    items.forEach(function (item) {
      var li = R.el('li');
      li.dataset.conversation = item.conversation_id;
      li.appendChild(R.el('p', null, '#' + item.position + ' · waiting ' + minutesSince(item.waiting_since)));
      li.appendChild(R.el('p', null, summaryText(item.summary || {})));
      var claim = R.el('button', 'btn btn-primary', 'Claim');
      claim.type = 'button';
      claim.setAttribute('aria-label', 'Claim person #' + item.position + ': ' + summaryText(item.summary || {}));
      claim.addEventListener('click', function () {
        send({ type: 'claim', conversation_id: item.conversation_id });
      });
      li.appendChild(claim);
      list.appendChild(li);
    });
    $('queue-empty').hidden = items.length > 0;
    $('queue-count').textContent = items.length ? '(' + items.length + ')' : '';
  }

  function showTranscript(frame) {
    var entry = conversations.get(frame.conversation_id) || { messages: new Map() };
    entry.summary = frame.summary || {};
    entry.state = frame.state;
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
      var b = R.el('button', 'btn', 'Person ' + n + ' · ' + summaryText(entry.summary || {}).slice(0, 40));
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
    var dl = $('summary');
    dl.textContent = '';
    var s = entry.summary || {};
    [['Needs', (s.needs || []).join(', ')], ['Location', s.location], ['Insurance', s.insurance], ['Notes', s.notes]]
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
    send({ type: 'presence', status: status === 'online' ? 'away' : 'online' });
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
