// The student page while a workspace starts: lists the engine's steps as they happen (server-sent events from
// /workspaces/{id}/events, or polling /workspaces/{id}/status where EventSource fails), notes a slow start, and
// reloads the page when the workspace settles (the server then renders the IDE, the error panel or a start button).
(function () {
  'use strict';
  var root = document.getElementById('progress');
  if (!root) { return; }
  var script = document.currentScript || document.querySelector('script[data-waiting]');
  var waitingLabel = script ? script.getAttribute('data-waiting') : '';
  var list = root.querySelector('.steps');
  var slow = root.querySelector('.still-waiting');
  var after = Number(root.getAttribute('data-after') || '0');
  var seen = {};
  var waitingItem = null;
  var slowTimer = null;
  var finished = false;

  function time(at) {
    if (!at) { return ''; }
    var d = new Date(at);
    return isNaN(d) ? '' : d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
  }

  function quietFor10s() {
    if (slowTimer) { clearTimeout(slowTimer); }
    slow.hidden = true;
    slowTimer = setTimeout(function () { slow.hidden = false; }, 10000);
  }

  function item(kind, at, text) {
    var li = document.createElement('li');
    li.className = 'step step-' + kind;
    var t = document.createElement('time');
    t.textContent = time(at);
    if (at) { t.setAttribute('datetime', at); }
    var m = document.createElement('span');
    m.className = 'step-message';
    m.textContent = text;
    li.appendChild(t);
    li.appendChild(m);
    return li;
  }

  function step(e) {
    if (seen[e.id]) { return; }
    seen[e.id] = true;
    after = Math.max(after, e.id);
    if (e.kind === 'waiting') {
      // "Still waiting (5 s)", "(10 s)", …: one line that updates, not a growing list.
      var w = item('waiting', e.at, e.message);
      if (waitingItem) { list.replaceChild(w, waitingItem); } else { list.appendChild(w); }
      waitingItem = w;
      return;
    }
    if (waitingItem) { waitingItem.remove(); waitingItem = null; }
    list.querySelectorAll('.step-current').forEach(function (li) { li.classList.remove('step-current'); });
    var li = item(e.kind, e.at, e.message);
    if (e.kind !== 'error') { li.classList.add('step-current'); }
    list.appendChild(li);
    if (e.kind === 'step' && e.state === 'STARTING' && /^Starting the environment/.test(e.message) && waitingLabel) {
      var pending = item('waiting', null, waitingLabel);
      list.appendChild(pending);
      waitingItem = pending;
    }
    quietFor10s();
  }

  function state(s) {
    if (finished) { return; }
    if (s.view && s.view !== 'PROGRESS') {
      finished = true;
      if (source) { source.close(); }
      location.reload();
    }
  }

  var source = null;
  var polling = false;

  function poll() {
    if (finished) { return; }
    var url = root.getAttribute('data-status').replace(/([?&])after=\d+/, '$1after=' + after);
    fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        s.events.forEach(step);
        state(s);
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  function startPolling() {
    if (polling) { return; }
    polling = true;
    if (source) { source.close(); }
    poll();
  }

  quietFor10s();
  if (!window.EventSource) {
    startPolling();
    return;
  }
  source = new EventSource(root.getAttribute('data-events'));
  source.addEventListener('step', function (m) { step(JSON.parse(m.data)); });
  source.addEventListener('state', function (m) { state(JSON.parse(m.data)); });
  source.onerror = function () {
    // CLOSED: refused (401/403, no event stream): poll instead. CONNECTING: the browser reconnects by itself,
    // sending Last-Event-ID.
    if (source.readyState === EventSource.CLOSED) { startPolling(); }
  };
})();
