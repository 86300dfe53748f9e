/* The WebSocket of the chat widget (chat.js) and of the peer console (peer.js): opened on this
 * host (wss: under https), each frame that is JSON handed over parsed (anything else is
 * dropped), and a frame sent only while the socket is open. What to do on open and on close
 * (saying so, waiting, reconnecting) stays with each page. */
(function () {
  'use strict';

  /* A new socket on `path` ('/ws'); handlers: onOpen(), onFrame(frame), onClose(event). */
  function open(path, handlers) {
    var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    var socket = new WebSocket(scheme + '//' + location.host + path);
    socket.addEventListener('open', handlers.onOpen);
    socket.addEventListener('message', function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handlers.onFrame(frame);
    });
    socket.addEventListener('close', handlers.onClose);
    return socket;
  }

  /* Sends `frame` as JSON; false when there is no open socket to send it on. */
  function send(socket, frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  window.RNSocket = { open: open, send: send };
}());
