/* Rendering shared by the chat widget and the peer console.
 * Every piece of text goes through textContent: message text and directory records can never
 * become HTML or script. */
(function () {
  'use strict';

  var INSURANCE_LABELS = {
    medicaid: 'Medicaid', medicare: 'Medicare', private: 'Private insurance',
    military: 'Military insurance', ihs_tribal: 'IHS/Tribal', self_pay: 'Self-pay',
    sliding_fee: 'Sliding fee', payment_assistance: 'Payment assistance', free: 'Free',
    state_funded: 'State-funded'
  };
  var SENDER_LABELS = { person: 'You', bot: 'Assistant (automated)', system: 'Notice' };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* "410-752-3500 ext. 113" dials the number, pauses, then the extension. */
  function telHref(phone) {
    var parts = String(phone).split(/\s*(?:ext\.?|extension|x)\s*/i);
    var main = parts[0].replace(/[^0-9+]/g, '');
    var ext = parts.length > 1 ? parts[1].replace(/[^0-9]/g, '') : '';
    return 'tel:' + main + (ext ? ',' + ext : '');
  }

  function telLink(phone, label) {
    var a = el('a', null, label || phone);
    a.href = telHref(phone);
    return a;
  }

  function smsLink(text) {
    /* "Text your ZIP code to 435748" or "988": the number is the last group of digits. */
    var match = String(text).match(/(\d{3,6})\s*$/);
    if (!match) { return el('span', null, text); }
    var a = el('a', null, text);
    a.href = 'sms:' + match[1];
    return a;
  }

  /* Numbers in the words of the assistant, a notice or a peer are links too: the numbers of the
   * message's own lines (tel:, or sms: for a text-only line) and any number written like
   * 410-555-0100. A person's own words are never changed. */
  var DASHED_NUMBER = '(?:1-)?\\d{3}-\\d{3}-\\d{4}';

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

  function lineNumbers(lines) {
    var hrefs = {};
    (lines || []).forEach(function (line) {
      if (line.phone) { hrefs[line.phone] = telHref(line.phone); }
      if (line.text && line.text !== line.phone) {
        var match = String(line.text).match(/(\d{3,6})\s*$/);
        if (match && !hrefs[match[1]]) { hrefs[match[1]] = 'sms:' + match[1]; }
      }
    });
    return hrefs;
  }

  function linkedText(text, lines) {
    var p = el('p');
    var hrefs = lineNumbers(lines);
    var known = Object.keys(hrefs)
      .sort(function (a, b) { return b.length - a.length; })
      .map(escapeRegExp);
    var pattern = new RegExp('(^|[^\\d-])(' + known.concat([DASHED_NUMBER]).join('|') + ')(?![\\d-])', 'g');
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var start = match.index + match[1].length;
      var number = match[2];
      p.appendChild(document.createTextNode(text.slice(last, start)));
      var a = el('a', null, number);
      a.href = hrefs[number] || telHref(number);
      p.appendChild(a);
      last = start + number.length;
    }
    p.appendChild(document.createTextNode(text.slice(last)));
    return p;
  }

  function safeHttpUrl(value) {
    try {
      var url = new URL(String(value));
      return (url.protocol === 'https:' || url.protocol === 'http:') ? url.href : null;
    } catch (e) { return null; }
  }

  function relativeTime(iso) {
    var then = Date.parse(iso);
    if (isNaN(then)) { return null; }
    var minutes = Math.round((Date.now() - then) / 60000);
    if (minutes < 1) { return 'just now'; }
    if (minutes < 60) { return minutes + (minutes === 1 ? ' minute ago' : ' minutes ago'); }
    var hours = Math.round(minutes / 60);
    if (hours < 48) { return hours + (hours === 1 ? ' hour ago' : ' hours ago'); }
    var days = Math.round(hours / 24);
    return days + ' days ago';
  }

  function addressText(card) {
    var place = [card.city, [card.state, card.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    return [card.address, place].filter(Boolean).join(', ');
  }

  /* The words of the lines' links, in the language of the reply around them (a crisis
   * payload's `language`; English when it has none). */
  var LINE_WORDS = {
    en: { call: 'Call ', text: 'Text ', reach: 'You can reach someone right now' },
    es: { call: 'Llamar al ', text: 'Enviar un texto al ', reach: 'Puedes hablar con alguien ahora mismo' }
  };

  function lineWords(language) { return LINE_WORDS[language] || LINE_WORDS.en; }

  function linesList(lines, language) {
    var words = lineWords(language);
    var ul = el('ul', 'lines');
    (lines || []).forEach(function (line) {
      var li = el('li');
      li.appendChild(el('span', null, line.name + ': '));
      if (line.phone) { li.appendChild(telLink(line.phone, words.call + line.phone)); }
      if (line.text) {
        if (line.phone) { li.appendChild(document.createTextNode(' · ')); }
        li.appendChild(smsLink(line.text === line.phone ? words.text + line.text : line.text));
      }
      ul.appendChild(li);
    });
    return ul;
  }

  function cardElement(card) {
    var article = el('article', 'card');
    article.appendChild(el('h3', null, card.name || 'Unnamed service'));
    if (card.organization && card.organization !== card.name) {
      article.appendChild(el('p', 'small', card.organization));
    }
    var facts = [];
    var meeting = card.meeting || null;
    if (meeting && meeting.next) { facts.push('Next meeting: ' + meeting.next); }
    if (meeting && meeting.online) { facts.push('Online meeting'); }
    if (typeof card.distance_miles === 'number') { facts.push(card.distance_miles + ' miles away'); }
    if (facts.length) { article.appendChild(el('p', null, facts.join(' · '))); }
    if (meeting && meeting.types && meeting.types.length) {
      article.appendChild(el('p', 'small', meeting.types.map(function (t) { return t.name; }).join(', ')));
    }
    if (meeting) {
      if (card.open_now === true) { article.appendChild(el('p', 'open', 'Meeting now')); }
    } else if (card.open_now === true) { article.appendChild(el('p', 'open', 'Open now')); }
    else if (card.open_now === false) { article.appendChild(el('p', 'closed', 'Closed now')); }
    if (card.hours) { article.appendChild(el('p', 'small', 'Hours: ' + card.hours)); }
    if (card.phone) {
      var p = el('p');
      p.appendChild(telLink(card.phone, 'Call ' + card.phone));
      article.appendChild(p);
    }
    var address = addressText(card);
    /* no street address (a service that comes to people, or serves an area): say where it
     * serves, without directions to a ZIP code's centre */
    if (address && !card.address) {
      article.appendChild(el('p', null, 'Serves the area around ' + address));
    } else if (address) {
      var ap = el('p', null, address + ' ');
      var maps = el('a', null, 'Directions');
      maps.href = 'https://www.google.com/maps/search/?api=1&query=' + encodeURIComponent(address);
      maps.target = '_blank';
      maps.rel = 'noopener noreferrer';
      maps.setAttribute('aria-label', 'Directions to ' + (card.name || 'this place') + ' (opens a map)');
      ap.appendChild(maps);
      article.appendChild(ap);
    }
    if (card.peer_run === true) { article.appendChild(el('p', 'small', 'Peer-run')); }
    if (card.cost) { article.appendChild(el('p', 'small', 'Cost: ' + card.cost)); }
    if (card.insurance && card.insurance.length) {
      article.appendChild(el('p', 'small', 'Accepts: ' + card.insurance.map(function (k) {
        return INSURANCE_LABELS[k] || k;
      }).join(', ')));
    }
    var offers = Array.isArray(card.offers) ? card.offers.filter(function (o) {
      return typeof o === 'string' && o;
    }) : [];
    if (offers.length) { article.appendChild(el('p', 'small', 'Also offers: ' + offers.join(', '))); }
    var cap = card.capacity;
    if (cap && typeof cap.available === 'number') {
      var text = cap.available + (typeof cap.total === 'number' ? ' of ' + cap.total : '') +
        ' ' + (cap.unit || 'spots') + ' open';
      var when = cap.updated_at ? relativeTime(cap.updated_at) : null;
      if (when) { text += ', updated ' + when; }
      var capacityNode = el('p', null, text);
      /* older than 24 hours: say so, as the admin pages do (resources_db/freshness.py) */
      if (Date.now() - Date.parse(cap.updated_at) > 24 * 3600 * 1000) {
        capacityNode.className = 'capacity-stale';
        capacityNode.appendChild(document.createTextNode(' (may have changed: call to check)'));
      }
      article.appendChild(capacityNode);
    }
    var site = card.website ? safeHttpUrl(card.website) : null;
    if (site) {
      var wp = el('p', 'small');
      var wa = el('a', null, meeting && meeting.online ? 'Join online' : 'Website');
      wa.href = site;
      wa.target = '_blank';
      wa.rel = 'noopener noreferrer';
      wp.appendChild(wa);
      article.appendChild(wp);
    }
    if (card.last_verified) {
      article.appendChild(el('p', 'small muted', 'Information last checked ' + card.last_verified));
    }
    return article;
  }

  function senderLabel(frame) {
    if (frame.sender === 'peer') {
      return (frame.author ? frame.author : 'Peer') + ' (peer recovery specialist)';
    }
    return SENDER_LABELS[frame.sender] || frame.sender;
  }

  /* One message bubble. onButton(payload, title) is called when a button is pressed. */
  function messageElement(frame, onButton, perspective) {
    var node = el('div', 'msg msg-' + frame.sender);
    if (typeof frame.seq === 'number') { node.dataset.seq = String(frame.seq); }
    var who = senderLabel(frame);
    if (perspective === 'peer' && frame.sender === 'person') { who = 'Person'; }
    node.appendChild(el('span', 'who', who));
    var custom = frame.custom;
    /* A `lines` notice lists its numbers as links right below its words: those stay plain. */
    var linkNumbers = frame.sender !== 'person' && !(custom && custom.type === 'lines');
    if (frame.text) {
      node.appendChild(linkNumbers
        ? linkedText(frame.text, custom && custom.lines)
        : el('p', null, frame.text));
    }
    if (custom && custom.type === 'resources') {
      (custom.resources || []).forEach(function (card) { node.appendChild(cardElement(card)); });
      if (custom.relaxed) {
        node.appendChild(el('p', 'small', 'Nothing matched exactly, so this search was widened.'));
      }
    } else if (custom && (custom.type === 'crisis' || custom.type === 'lines')) {
      node.appendChild(linesList(custom.lines, custom.language));
    }
    var shown = frame.text || (frame.buttons && frame.buttons.length) ||
      (custom && ['resources', 'crisis', 'lines'].indexOf(custom.type) >= 0);
    if (!shown) { node.hidden = true; } /* e.g. a bare handoff payload: the status line says it */
    if (frame.buttons && frame.buttons.length) {
      var group = el('div', 'buttons');
      frame.buttons.forEach(function (b) {
        var button = el('button', 'btn', b.title || b.payload);
        button.type = 'button';
        if (onButton) {
          button.addEventListener('click', function () {
            if (!button.disabled) { onButton(b.payload, b.title || b.payload, button); }
          });
        } else {
          button.disabled = true;
        }
        group.appendChild(button);
      });
      node.appendChild(group);
    }
    return node;
  }

  /* Insert a bubble into a log in seq order (frames can arrive out of order on reconnect). */
  function insertInOrder(log, node, seq) {
    var children = log.children;
    for (var i = children.length - 1; i >= 0; i--) {
      var other = Number(children[i].dataset.seq);
      if (!isNaN(other) && other < seq) {
        log.insertBefore(node, children[i].nextSibling);
        return;
      }
    }
    log.insertBefore(node, log.firstChild);
  }

  window.RNRender = {
    el: el, cardElement: cardElement, linesList: linesList, lineWords: lineWords,
    messageElement: messageElement,
    insertInOrder: insertInOrder, telLink: telLink, smsLink: smsLink, linkedText: linkedText
  };
}());
