/* The chat widget: anonymous (id in sessionStorage only), resumable WebSocket, accessible.
 * Its words follow the conversation's language (the server's `language` on frames, or the
 * English / Español button), from the message catalog the page embeds (render.js). */
(function () {
  'use strict';
  var R = window.RNRender;
  var RNSocket = window.RNSocket;
  var translate = R.translate;
  var ID_KEY = 'rn.conversation';
  var SEQ_KEY = 'rn.lastSeq';
  var LANGUAGE_KEY = 'rn.language';
  var LANGUAGES = ['en', 'es'];

  var log = document.getElementById('log');
  var scroller = document.getElementById('scroller');
  var form = document.getElementById('composer');
  var input = document.getElementById('message');
  var formError = document.getElementById('form-error');
  var handoffStatus = document.getElementById('handoff-status');
  var connStatus = document.getElementById('conn-status');
  var crisisBanner = document.getElementById('crisis-banner');
  var endPeer = document.getElementById('end-peer');
  var talkToPeer = document.getElementById('talk-to-peer');
  var switchLanguage = document.getElementById('switch-language');
  var lang = known(sessionStorage.getItem(LANGUAGE_KEY)) || known(document.documentElement.lang) || 'en';
  var lastState = null;

  function known(language) { return LANGUAGES.indexOf(language) >= 0 ? language : null; }

  function t(message, params) { return translate(lang, message, params); }

  var socket = null;
  var retries = 0;
  var seen = new Set();
  var pending = new Map(); /* client_id -> {text, display, node} */
  var peerName = null;
  var conversationId = sessionStorage.getItem(ID_KEY) || newConversation();
  var lastSeq = 0; /* every seq up to here has been shown */

  function randomId() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function newConversation() {
    var id = randomId();
    sessionStorage.setItem(ID_KEY, id);
    sessionStorage.removeItem(SEQ_KEY);
    return id;
  }

  function send(frame) { return RNSocket.send(socket, frame); }

  function connect() {
    socket = RNSocket.open('/ws', { onOpen: greet, onFrame: handle, onClose: reconnectLater });
  }

  function greet() {
    retries = 0;
    connStatus.textContent = '';
    /* Start from nothing after a page load; the server replays the whole conversation. */
    send({ type: 'hello', conversation_id: conversationId, last_seq: lastSeq, language: lang });
    pending.forEach(function (item, clientId) {
      send({ type: 'message', client_id: clientId, text: item.text, display: item.display,
             language: lang });
    });
  }

  function reconnectLater() {
    retries += 1;
    var delay = Math.min(30000, 500 * Math.pow(2, retries)) * (0.75 + Math.random() / 2);
    connStatus.textContent = t('Connection lost. Reconnecting…');
    setTimeout(connect, delay);
  }

  function handle(frame) {
    if (known(frame.language) && frame.language !== lang) { useLanguage(frame.language); }
    if (frame.type === 'message') { showMessage(frame); }
    else if (frame.type === 'state') { showState(frame); }
    else if (frame.type === 'error') { showError(frame); }
    else if (frame.type === 'deleted') { afterDelete(); }
  }

  function showMessage(frame) {
    if (seen.has(frame.seq)) { return; }
    seen.add(frame.seq);
    while (seen.has(lastSeq + 1)) { lastSeq += 1; }
    var mine = frame.client_id && pending.get(frame.client_id);
    if (mine) {
      pending.delete(frame.client_id);
      mine.node.remove();
    }
    R.insertInOrder(log, R.messageElement(frame, sendButton, 'person', lang), frame.seq);
    var custom = frame.custom;
    if (custom && custom.type === 'crisis') { showCrisis(custom); }
    if (custom && custom.type === 'peer_joined') { peerName = custom.name; }
    retireAnsweredButtons();
    showNewest();
  }

  /* Buttons above the person's latest message were answered (or passed over): only the
   * newest choices stay live, which also keeps the tab order short. */
  function retireAnsweredButtons() {
    var people = log.querySelectorAll('.msg-person');
    if (!people.length) { return; }
    var latest = people[people.length - 1];
    log.querySelectorAll('.msg .buttons button:not([disabled])').forEach(function (button) {
      if (latest.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_PRECEDING) {
        button.disabled = true;
      }
    });
  }

  /* Keep the newest message in view: all of it when it fits, else its beginning. */
  function showNewest() {
    var shown = log.querySelectorAll('.msg:not([hidden])');
    var node = shown[shown.length - 1];
    if (!node) { return; }
    if (scroller.scrollHeight <= scroller.clientHeight + 1) {
      /* short windows: the page itself scrolls (see chat.css) */
      node.scrollIntoView({ block: node.offsetHeight > window.innerHeight ? 'start' : 'end' });
      return;
    }
    var room = scroller.clientHeight;
    var bottom = node.offsetTop + node.offsetHeight + 8;
    scroller.scrollTop = node.offsetHeight + 16 > room ? node.offsetTop - 8 : bottom - room;
  }

  function showCrisis(custom) {
    crisisBanner.textContent = '';
    crisisBanner.appendChild(R.el('h2', null,
      translate(custom.language || lang, 'You can reach someone right now')));
    crisisBanner.appendChild(R.linesList(custom.lines, custom.language));
    crisisBanner.hidden = false;
    document.body.classList.add('has-crisis');
  }

  function showState(frame) {
    lastState = frame;
    if (frame.peer_name) { peerName = frame.peer_name; }
    var text = '';
    if (frame.state === 'waiting') {
      text = frame.position
        ? t("You're number %(position)s in line for a peer recovery specialist.", { position: frame.position })
        : t("You're in line for a peer recovery specialist.");
      endPeer.textContent = t('Stop waiting for a peer');
    } else if (frame.state === 'with_peer') {
      text = peerName
        ? t("You're chatting with %(name)s, a peer recovery specialist.", { name: peerName })
        : t("You're chatting with a peer recovery specialist.");
      endPeer.textContent = t('End chat with peer');
    }
    if (handoffStatus.textContent !== text) { handoffStatus.textContent = text; }
    var inHandoff = frame.state === 'waiting' || frame.state === 'with_peer';
    if (inHandoff && document.activeElement === talkToPeer) { input.focus({ preventScroll: true }); }
    endPeer.hidden = !inHandoff;
    talkToPeer.hidden = inHandoff; /* already asked: "Stop waiting" / "End chat" takes its place */
  }

  function showError(frame) {
    if (frame.code === 'delete_failed' || frame.code === 'rate_limited') { connStatus.textContent = ''; }
    formError.textContent = frame.message || t('Something went wrong.');
    var mine = frame.client_id && pending.get(frame.client_id);
    if (mine) {
      pending.delete(frame.client_id);
      mine.node.remove();
      /* Nothing is lost: the text goes back into the box to shorten or resend. */
      if (!input.value && mine.text.charAt(0) !== '/') { input.value = mine.text; }
    }
  }

  function sendMessage(text, display) {
    formError.textContent = '';
    var clientId = randomId();
    var node = R.messageElement({ sender: 'person', text: display || text }, null, 'person', lang);
    node.classList.add('pending');
    log.appendChild(node);
    retireAnsweredButtons();
    showNewest();
    pending.set(clientId, { text: text, display: display || null, node: node });
    send({ type: 'message', client_id: clientId, text: text, display: display || null, language: lang });
  }

  /* A reply button: its choice is sent, its group is answered, and the box has focus again
   * (keyboard users do not have to tab back through the conversation). */
  function sendButton(payload, title, button) {
    if (button && button.parentNode) {
      button.parentNode.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    }
    sendMessage(payload, title);
    input.focus({ preventScroll: true });
  }

  /* The status line, the crisis banner or the phone's keyboard change the room the
   * conversation has: keep the newest message in view. */
  if (window.ResizeObserver) { new ResizeObserver(showNewest).observe(scroller); }

  function fitInput() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 4, 144) + 'px';
  }
  input.addEventListener('input', fitInput);

  function afterDelete() {
    log.textContent = '';
    seen.clear();
    pending.clear();
    lastSeq = 0;
    handoffStatus.textContent = '';
    endPeer.hidden = true;
    talkToPeer.hidden = false;
    crisisBanner.hidden = true;
    document.body.classList.remove('has-crisis');
    conversationId = newConversation();
    lastState = null;
    connStatus.textContent = t('Deleted. This conversation is erased from our server. You can start a new one.');
    send({ type: 'hello', conversation_id: conversationId, last_seq: 0, language: lang });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { formError.textContent = t('Type a message first.'); input.focus(); return; }
    if (text.length > 2000) {
      formError.textContent = t('That message is too long. Please keep it under %(limit)s characters.',
        { limit: (2000).toLocaleString('en-US') });
      return;
    }
    input.value = '';
    fitInput();
    sendMessage(text);
    input.focus({ preventScroll: true }); /* ready for the next message (keeps a phone's keyboard up) */
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.getElementById('share-location').addEventListener('click', function () {
    if (!navigator.geolocation) {
      formError.textContent = t("This browser can't share a location. You can type a ZIP code or city instead.");
      return;
    }
    connStatus.textContent = t('Getting your location…');
    navigator.geolocation.getCurrentPosition(function (pos) {
      connStatus.textContent = '';
      /* Only a tenth of a degree (about 11 km) leaves the device: see /privacy. */
      var lat = Math.round(pos.coords.latitude * 10) / 10;
      var lon = Math.round(pos.coords.longitude * 10) / 10;
      sendMessage('/share_location' + JSON.stringify({ lat: lat, lon: lon }), t('Shared my location'));
    }, function () {
      connStatus.textContent = '';
      formError.textContent = t("Couldn't get your location. You can type a ZIP code or city instead.");
    }, { timeout: 15000, maximumAge: 600000 });
  });

  /* English / Español: the assistant answers in the chosen language from then on (the
   * payload sets its chat_language slot), the widget's words change at once, and the button
   * then offers the other one, worded in that language (the catalog's "English" is the
   * name of each language in itself). */
  function offerLanguage(language) {
    switchLanguage.dataset.language = language;
    switchLanguage.lang = language;
    switchLanguage.textContent = translate(language, 'English');
    switchLanguage.setAttribute('aria-label', translate(language, 'English: continue in English'));
  }
  switchLanguage.addEventListener('click', function () {
    var language = switchLanguage.dataset.language;
    sendMessage('/choose_language{"chat_language": "' + language + '"}', translate(language, 'English'));
    useLanguage(language);
    input.focus({ preventScroll: true });
  });

  /* The page's own words in `language`: labels here, blocks with links from the page (one
   * per language, data-lang), the status line again. Messages already shown keep theirs. */
  function useLanguage(language) {
    lang = language;
    sessionStorage.setItem(LANGUAGE_KEY, language);
    document.documentElement.lang = language;
    document.title = t('Recovery Navigator – find recovery help near you');
    document.querySelectorAll('[data-lang]').forEach(function (block) {
      block.hidden = block.dataset.lang !== language;
    });
    /* [selector, attribute (none: the text), words] */
    var words = [
      ['.skip-link', null, t('Skip to main content')],
      ['#quick-exit', null, t('Quick exit')],
      ['#main h1', null, t('Chat with Recovery Navigator')],
      ['label[for="message"]', null, t('Your message')],
      ['#composer button[type="submit"]', null, t('Send')],
      ['#share-location', null, t('Share my location')],
      ['#talk-to-peer', null, t('Talk to a peer')],
      ['#end-peer', null, t('End chat with peer')],
      ['#delete-conversation', null, t('Delete this conversation')],
      ['#scroller', 'aria-label', t('Conversation history')],
      ['.intro', 'aria-label', t('About this chat')],
      ['#log', 'aria-label', t('Conversation')],
      ['.actions', 'aria-label', t('Chat options')],
      ['#message', 'placeholder', t('Try “detox near 21201”')]
    ];
    words.forEach(function (entry) {
      var node = document.querySelector(entry[0]);
      if (!node) { return; }
      if (entry[1]) { node.setAttribute(entry[1], entry[2]); } else { node.textContent = entry[2]; }
    });
    offerLanguage(language === 'es' ? 'en' : 'es');
    if (lastState) { showState(lastState); }
  }

  talkToPeer.addEventListener('click', function () {
    sendMessage('/request_peer', t('Talk to a peer'));
    input.focus({ preventScroll: true });
  });

  endPeer.addEventListener('click', function () {
    send({ type: 'end' });
    input.focus({ preventScroll: true });
  });

  document.getElementById('delete-conversation').addEventListener('click', function () {
    if (!window.confirm(t('Delete this conversation? This erases it from our server.'))) { return; }
    connStatus.textContent = t('Deleting this conversation…');
    if (send({ type: 'delete' })) { return; }
    /* No connection: the same erase over HTTP (holding the id is the permission). */
    fetch('/api/v1/conversations/' + encodeURIComponent(conversationId) + '?lang=' + lang,
      { method: 'DELETE' })
      .then(function (resp) {
        if (resp.status === 204) { afterDelete(); return; }
        return resp.json().then(function (body) { showError(body.error || {}); });
      })
      .catch(function () {
        connStatus.textContent = '';
        formError.textContent = t("Couldn't delete right now. Please try again in a moment.");
      });
  });

  document.getElementById('quick-exit').addEventListener('click', function () {
    sessionStorage.clear();
    if (socket) { try { socket.close(); } catch (e) { /* leaving anyway */ } }
    window.location.replace(document.body.dataset.exitUrl || 'https://weather.gov');
  });

  if (lang !== document.documentElement.lang) { useLanguage(lang); }
  connect();
}());
