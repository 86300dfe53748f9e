/* Rendering shared by the chat widget and the peer console.
 * Every piece of text goes through textContent: message text and directory records can never
 * become HTML or script.
 *
 * Words come from the message catalog (web/locale, docs/web.md "Translations"): the chat page
 * embeds the Spanish messages of this file and chat.js in #rn-messages; English is the msgid
 * itself. The peer console embeds none and always renders in English (perspective 'peer'). */
(function () {
  'use strict';

  var MESSAGES = readMessages();

  function readMessages() {
    var node = document.getElementById('rn-messages');
    if (!node) { return {}; }
    try { return JSON.parse(node.textContent) || {}; } catch (e) { return {}; }
  }

  /* "%(name)s" placeholders, as in the catalog's Python-format messages. */
  function fill(text, params) {
    return String(text).replace(/%\((\w+)\)s/g, function (whole, name) {
      var value = params ? params[name] : undefined;
      return value === undefined || value === null ? whole : String(value);
    });
  }

  function translate(language, message, params) {
    var found = (MESSAGES[language] || {})[message];
    return fill(typeof found === 'string' && found ? found : message, params);
  }

  /* English and Spanish share one plural rule (web/i18n.py checks it): a form for 1, another
   * for every other number. `num` is the number, as in Python's translate_plural. */
  function translatePlural(language, singular, plural, n, params) {
    var forms = (MESSAGES[language] || {})[singular];
    var index = n === 1 ? 0 : 1;
    var text = Array.isArray(forms) && forms[index] ? forms[index] : [singular, plural][index];
    var all = { num: n };
    Object.keys(params || {}).forEach(function (key) { all[key] = params[key]; });
    return fill(text, all);
  }

  function insuranceLabel(language, key) {
    var labels = {
      medicaid: translate(language, 'Medicaid'),
      medicare: translate(language, 'Medicare'),
      private: translate(language, 'Private insurance'),
      military: translate(language, 'Military insurance'),
      ihs_tribal: translate(language, 'IHS/Tribal'),
      self_pay: translate(language, 'Self-pay'),
      sliding_fee: translate(language, 'Sliding fee'),
      payment_assistance: translate(language, 'Payment assistance'),
      free: translate(language, 'Free'),
      state_funded: translate(language, 'State-funded')
    };
    return labels[key] || key;
  }

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

  function relativeTime(iso, language) {
    var then = Date.parse(iso);
    if (isNaN(then)) { return null; }
    var minutes = Math.round((Date.now() - then) / 60000);
    if (minutes < 1) { return translate(language, 'just now'); }
    if (minutes < 60) {
      return translatePlural(language, '%(num)s minute ago', '%(num)s minutes ago', minutes);
    }
    var hours = Math.round(minutes / 60);
    if (hours < 48) {
      return translatePlural(language, '%(num)s hour ago', '%(num)s hours ago', hours);
    }
    var days = Math.round(hours / 24);
    return translatePlural(language, '%(num)s day ago', '%(num)s days ago', days);
  }

  function addressText(card) {
    var place = [card.city, [card.state, card.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    return [card.address, place].filter(Boolean).join(', ');
  }

  /* The lines' links are worded in the language of the reply around them (a crisis
   * payload's `language`; English when it has none). */
  function linesList(lines, language) {
    var ul = el('ul', 'lines');
    (lines || []).forEach(function (line) {
      var li = el('li');
      li.appendChild(el('span', null, line.name + ': '));
      if (line.phone) {
        li.appendChild(telLink(line.phone, translate(language, 'Call %(phone)s', { phone: line.phone })));
      }
      if (line.text) {
        if (line.phone) { li.appendChild(document.createTextNode(' · ')); }
        li.appendChild(smsLink(line.text === line.phone
          ? translate(language, 'Text %(number)s', { number: line.text }) : line.text));
      }
      ul.appendChild(li);
    });
    return ul;
  }

  /* "3 of 20 beds open": the unit (contract §2: beds, slots or spots) is part of the words. */
  function capacityText(cap, language) {
    var n = cap.available;
    var params = { available: n, total: cap.total };
    var withTotal = typeof cap.total === 'number';
    if (cap.unit === 'beds') {
      return withTotal
        ? translatePlural(language, '%(available)s of %(total)s beds open', '%(available)s of %(total)s beds open', n, params)
        : translatePlural(language, '%(available)s bed open', '%(available)s beds open', n, params);
    }
    if (cap.unit === 'slots') {
      return withTotal
        ? translatePlural(language, '%(available)s of %(total)s slots open', '%(available)s of %(total)s slots open', n, params)
        : translatePlural(language, '%(available)s slot open', '%(available)s slots open', n, params);
    }
    return withTotal
      ? translatePlural(language, '%(available)s of %(total)s spots open', '%(available)s of %(total)s spots open', n, params)
      : translatePlural(language, '%(available)s spot open', '%(available)s spots open', n, params);
  }

  /* "Spanish spoken" where a card's `languages` has "es": always for a person reading
   * Spanish, and in English only when the search asked for Spanish. */
  function spanishSpoken(card, language, query) {
    if (!Array.isArray(card.languages) || card.languages.indexOf('es') < 0) { return false; }
    var q = query || {};
    return language === 'es' || q.language === 'es' || q.prefer_language === 'es';
  }

  /* One card, in `language` (English without). `query` is the search's echo (contract §3). */
  function cardElement(card, language, query) {
    var t = function (message, params) { return translate(language, message, params); };
    var article = el('article', 'card');
    article.appendChild(el('h3', null, card.name || t('Unnamed service')));
    if (card.organization && card.organization !== card.name) {
      article.appendChild(el('p', 'small', card.organization));
    }
    var facts = [];
    var meeting = card.meeting || null;
    if (meeting && meeting.next) { facts.push(t('Next meeting: %(when)s', { when: meeting.next })); }
    if (meeting && meeting.online) { facts.push(t('Online meeting')); }
    if (typeof card.distance_miles === 'number') {
      facts.push(t('%(miles)s miles away', { miles: card.distance_miles }));
    }
    if (facts.length) { article.appendChild(el('p', null, facts.join(' · '))); }
    if (meeting && meeting.types && meeting.types.length) {
      article.appendChild(el('p', 'small', meeting.types.map(function (type) { return type.name; }).join(', ')));
    }
    if (meeting) {
      if (card.open_now === true) { article.appendChild(el('p', 'open', t('Meeting now'))); }
    } else if (card.open_now === true) { article.appendChild(el('p', 'open', t('Open now'))); }
    else if (card.open_now === false) { article.appendChild(el('p', 'closed', t('Closed now'))); }
    if (card.hours) { article.appendChild(el('p', 'small', t('Hours: %(hours)s', { hours: card.hours }))); }
    if (card.phone) {
      var p = el('p');
      p.appendChild(telLink(card.phone, t('Call %(phone)s', { phone: card.phone })));
      article.appendChild(p);
    }
    var address = addressText(card);
    /* no street address (a service that comes to people, or serves an area): say where it
     * serves, without directions to a ZIP code's centre */
    if (address && !card.address) {
      article.appendChild(el('p', null, t('Serves the area around %(place)s', { place: address })));
    } else if (address) {
      var ap = el('p', null, address + ' ');
      var maps = el('a', null, t('Directions'));
      maps.href = 'https://www.google.com/maps/search/?api=1&query=' + encodeURIComponent(address);
      maps.target = '_blank';
      maps.rel = 'noopener noreferrer';
      maps.setAttribute('aria-label', card.name
        ? t('Directions to %(name)s (opens a map)', { name: card.name })
        : t('Directions to this place (opens a map)'));
      ap.appendChild(maps);
      article.appendChild(ap);
    }
    if (spanishSpoken(card, language, query)) {
      article.appendChild(el('p', 'small', t('Spanish spoken')));
    }
    if (card.peer_run === true) { article.appendChild(el('p', 'small', t('Peer-run'))); }
    if (card.cost) { article.appendChild(el('p', 'small', t('Cost: %(cost)s', { cost: card.cost }))); }
    if (card.insurance && card.insurance.length) {
      article.appendChild(el('p', 'small', t('Accepts: %(payments)s', {
        payments: card.insurance.map(function (key) { return insuranceLabel(language, key); }).join(', ')
      })));
    }
    var offers = Array.isArray(card.offers) ? card.offers.filter(function (o) {
      return typeof o === 'string' && o;
    }) : [];
    if (offers.length) {
      article.appendChild(el('p', 'small', t('Also offers: %(offers)s', { offers: offers.join(', ') })));
    }
    var cap = card.capacity;
    if (cap && typeof cap.available === 'number') {
      var text = capacityText(cap, language);
      var when = cap.updated_at ? relativeTime(cap.updated_at, language) : null;
      if (when) { text = t('%(capacity)s, updated %(when)s', { capacity: text, when: when }); }
      var capacityNode = el('p', null, text);
      /* older than 24 hours: say so, as the admin pages do (resources_db/freshness.py) */
      if (Date.now() - Date.parse(cap.updated_at) > 24 * 3600 * 1000) {
        capacityNode.className = 'capacity-stale';
        capacityNode.appendChild(document.createTextNode(' ' + t('(may have changed: call to check)')));
      }
      article.appendChild(capacityNode);
    }
    var site = card.website ? safeHttpUrl(card.website) : null;
    if (site) {
      var wp = el('p', 'small');
      var wa = el('a', null, meeting && meeting.online ? t('Join online') : t('Website'));
      wa.href = site;
      wa.target = '_blank';
      wa.rel = 'noopener noreferrer';
      wp.appendChild(wa);
      article.appendChild(wp);
    }
    if (card.last_verified) {
      article.appendChild(el('p', 'small muted', t('Information last checked %(date)s', { date: card.last_verified })));
    }
    return article;
  }

  function senderLabel(frame, language) {
    if (frame.sender === 'peer') {
      return frame.author
        ? translate(language, '%(name)s (peer recovery specialist)', { name: frame.author })
        : translate(language, 'Peer (peer recovery specialist)');
    }
    if (frame.sender === 'person') { return translate(language, 'You'); }
    if (frame.sender === 'bot') { return translate(language, 'Assistant (automated)'); }
    if (frame.sender === 'system') { return translate(language, 'Notice'); }
    return frame.sender;
  }

  /* One message bubble. onButton(payload, title) is called when a button is pressed. The
   * person's widget passes its language; the peer console ('peer') is always English. */
  function messageElement(frame, onButton, perspective, language) {
    var words = perspective === 'peer' ? 'en' : (language || 'en');
    var node = el('div', 'msg msg-' + frame.sender);
    if (typeof frame.seq === 'number') { node.dataset.seq = String(frame.seq); }
    var who = senderLabel(frame, words);
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
      (custom.resources || []).forEach(function (card) {
        node.appendChild(cardElement(card, words, custom.query));
      });
      if (custom.relaxed) {
        node.appendChild(el('p', 'small', translate(words, 'Nothing matched exactly, so this search was widened.')));
      }
    } else if (custom && (custom.type === 'crisis' || custom.type === 'lines')) {
      node.appendChild(linesList(custom.lines, perspective === 'peer' ? 'en' : (custom.language || words)));
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
    el: el, cardElement: cardElement, linesList: linesList,
    translate: translate, translatePlural: translatePlural,
    messageElement: messageElement,
    insertInOrder: insertInOrder, telLink: telLink, smsLink: smsLink, linkedText: linkedText
  };
}());
