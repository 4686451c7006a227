// Berth's built-in terminal: xterm.js over one WebSocket to a shell. Text frames carry keystrokes and output;
// binary frames carry control messages (resize). Every URL is relative, so the page works under the gateway's
// prefix and over https/wss alike.
(function () {
  'use strict';

  const container = document.getElementById('terminal');
  const status = document.getElementById('status');
  const statusText = document.getElementById('status-text');
  const reconnectButton = document.getElementById('reconnect');
  const encoder = new TextEncoder();

  const term = new Terminal({
    cursorBlink: true,
    fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
    fontSize: window.matchMedia('(max-width: 600px)').matches ? 12 : 14,
    scrollback: 5000,
    theme: {
      background: '#1e1e1e',
      foreground: '#d4d4d4',
      cursor: '#aeafad',
      selectionBackground: '#264f78'
    }
  });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(container);
  fit.fit();
  term.focus();

  let socket = null;

  function socketUrl() {
    const url = new URL('pty', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '?cols=' + term.cols + '&rows=' + term.rows;
    url.hash = '';
    return url.toString();
  }

  function sendResize() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(encoder.encode(JSON.stringify({ cols: term.cols, rows: term.rows })));
    }
  }

  function showDisconnected(message) {
    statusText.textContent = message;
    status.hidden = false;
    term.options.disableStdin = true;
    reconnectButton.focus();
  }

  function connect() {
    status.hidden = true;
    term.options.disableStdin = false;
    const ws = new WebSocket(socketUrl());
    socket = ws;
    ws.onopen = function () {
      fit.fit();
      sendResize();
      term.focus();
    };
    ws.onmessage = function (event) {
      term.write(event.data);
    };
    ws.onclose = function (event) {
      if (socket !== ws) {
        return;
      }
      socket = null;
      term.write('\r\n');
      showDisconnected(event.reason === 'shell exited'
        ? 'The shell has exited \u2014 reconnect for a new one (your files are kept).'
        : 'Disconnected \u2014 reconnect to start a new shell (your files are kept).');
    };
  }

  term.onData(function (data) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(data);
    }
  });
  term.onResize(sendResize);

  reconnectButton.addEventListener('click', function () {
    connect();
  });

  new ResizeObserver(function () {
    fit.fit();
  }).observe(container);

  connect();
})();
