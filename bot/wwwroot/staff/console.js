// ClinicBot staff console. Patient and staff text is only ever put into the page with textContent (never innerHTML),
// so a message such as "<script>…</script>" shows as text.
(() => {
  'use strict';

  const state = { me: null, csrf: null, selected: null, handoff: null, connection: null, knownWaiting: new Set(), knownUrgent: null, sound: true, departments: [] };
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'className') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-TOKEN'] = state.csrf;
    const response = await fetch('/api/staff' + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) { window.location.href = '/staff/sign-in?returnUrl=%2Fstaff'; throw new Error('Signed out'); }
    const data = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
    if (!response.ok) throw new Error((data && (data.detail || data.title)) || ('HTTP ' + response.status));
    return data;
  }

  const minutes = (seconds) => seconds == null ? '' : (seconds < 60 ? '<1 min' : Math.round(seconds / 60) + ' min');
  const time = (iso) => iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';

  function beep() {
    if (!state.sound) return;
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880; gain.gain.value = 0.08;
      tone.connect(gain); gain.connect(audio.destination);
      tone.start(); tone.stop(audio.currentTime + 0.25);
    } catch { /* no audio: the badge still shows */ }
  }

  // A red flag: three rising tones, repeated, so it is heard over a busy desk (a new chat is one short tone).
  function alarm() {
    if (!state.sound) return;
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.3, 0.6, 1.2, 1.5, 1.8].forEach((at, i) => {
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = [660, 880, 1100][i % 3]; gain.gain.value = 0.15;
        tone.connect(gain); gain.connect(audio.destination);
        tone.start(audio.currentTime + at); tone.stop(audio.currentTime + at + 0.22);
      });
    } catch { /* no audio: the banner still shows */ }
  }

  function status(text) { $('chat-status').textContent = text || ''; }

  // ---- Queue ----
  async function loadQueue() {
    const data = await api('GET', '/queue');
    const root = $('queue');
    root.replaceChildren();
    const urgentIds = new Set((data.urgent || []).map((item) => item.id));
    if (urgentIds.size) {
      // Red flags first, whatever queue they wait in: the patient has already been given the emergency number.
      root.append(el('section', { className: 'department urgent-alerts', role: 'alert', 'aria-label': 'Urgent: red flags' },
        el('h2', { text: 'Urgent: a patient may be in danger' }),
        el('ul', { className: 'queue-list' }, ...data.urgent.map((item) => queueItem(item, true)))));
    }
    if (state.knownUrgent && [...urgentIds].some((id) => !state.knownUrgent.has(id))) alarm();
    state.knownUrgent = urgentIds;
    let waitingCount = 0;
    let newChat = false;
    const seen = new Set();
    for (const department of data.departments) {
      const section = el('section', { className: 'department', dataset: { department: department.key } },
        el('h2', { text: department.teamName }),
        el('p', { className: 'muted', text: department.staffOnline ? 'Staff online' : 'Nobody online' }));
      const list = el('ul', { className: 'queue-list' });
      for (const item of department.waiting) {
        waitingCount++;
        seen.add(item.id);
        if (!state.knownWaiting.has(item.id)) newChat = true;
        // Already at the top under Urgent; listed once so it cannot be mistaken for a second chat.
        if (!urgentIds.has(item.id)) list.append(queueItem(item, true));
      }
      for (const item of department.active) list.append(queueItem(item, false));
      if (!list.children.length) list.append(el('li', { className: 'muted', text: 'No chats' }));
      section.append(list);
      root.append(section);
    }
    if (newChat && state.knownWaiting.size + seen.size > 0 && [...seen].some((id) => !state.knownWaiting.has(id))) beep();
    state.knownWaiting = seen;
    const badge = $('waiting-badge');
    badge.textContent = String(waitingCount);
    badge.hidden = waitingCount === 0;
    document.title = (urgentIds.size ? '\u26A0 URGENT ' : '') + (waitingCount ? '(' + waitingCount + ') ' : '') + 'ClinicBot staff console';
  }

  function queueItem(item, waiting) {
    const badges = el('span', { className: 'badges' });
    if (item.context && item.context.redFlag) badges.append(el('span', { className: 'badge urgent', text: 'Red flag: ' + item.context.redFlag }));
    else if (item.priority === 'Urgent') badges.append(el('span', { className: 'badge urgent', text: 'Urgent' }));
    else if (item.priority === 'High') badges.append(el('span', { className: 'badge high', text: 'High' }));
    if (item.escalated) badges.append(el('span', { className: 'badge escalated', text: 'Escalated' }));
    if (item.flaggedAbusive) badges.append(el('span', { className: 'badge', text: 'Abusive' }));
    const meta = waiting
      ? '#' + item.position + ' · waiting ' + minutes(item.waitedSeconds) + ' · est. ' + minutes(item.estimatedWaitSeconds)
      : 'with ' + (item.acceptedByName || 'staff');
    return el('li', { className: 'queue-item' + (item.id === state.selected ? ' selected' : ''), dataset: { handoffId: item.id } },
      el('button', { type: 'button', className: 'open-chat', dataset: { handoffId: item.id }, onclick: () => openChat(item.id) },
        el('strong', { text: item.patientName || 'Patient' }), ' ', badges,
        el('span', { className: 'request', text: item.request || '' }),
        el('span', { className: 'muted', text: meta + ' · ' + item.reason + ' · ' + item.channel })));
  }

  // ---- Chat ----
  async function openChat(id) {
    if (state.selected && state.selected !== id && state.connection) {
      state.connection.invoke('Unwatch', state.selected).catch(() => {});
    }
    state.selected = id;
    const data = await api('GET', '/handoffs/' + encodeURIComponent(id));
    state.handoff = data.handoff;
    if (state.connection) await state.connection.invoke('Watch', id).catch(() => {});
    renderChat(data);
    document.querySelectorAll('.queue-item').forEach((node) => node.classList.toggle('selected', node.dataset.handoffId === id));
  }

  function renderChat(data) {
    const h = data.handoff;
    $('chat').hidden = false;
    $('chat-title').textContent = (h.patientName || 'Patient') + ' · ' + h.departmentName + ' · ' + h.status;
    const fields = $('context-fields');
    fields.replaceChildren();
    const add = (label, value) => { if (value !== null && value !== undefined && value !== '') fields.append(el('dt', { text: label }), el('dd', { text: value })); };
    add('Patient', (h.patientName || '(no name given)') + ' · ' + h.patientUserId);
    add('Channel', h.channel);
    add('Request', h.request);
    add('Reason', h.reason);
    add('Sentiment', h.sentiment);
    add('Priority', h.priority + (h.escalated ? ' (escalated)' : ''));
    add('Waiting since', new Date(h.waitingSince).toLocaleString());
    add('Transfer note', h.transferNote);
    for (const [key, value] of Object.entries(h.context || {})) add(key, value);
    const followUps = $('context-follow-ups');
    followUps.replaceChildren(...(data.followUps.length ? data.followUps.map((f) => el('li', { text: f.question + ' (due ' + new Date(f.dueBy).toLocaleString() + ')' })) : [el('li', { className: 'muted', text: 'None' })]));
    $('transcript').replaceChildren(...data.transcript.map((line) => el('li', { className: 'line ' + line.role.toLowerCase() },
      el('span', { className: 'who', text: line.role + ' ' + time(line.at) }), el('span', { className: 'text', text: line.text }))));
    $('messages').replaceChildren();
    data.messages.forEach(appendMessage);
    const mine = h.status === 'Active' && (h.acceptedBy === state.me.id || state.me.role !== 'agent');
    $('accept').hidden = h.status !== 'Waiting';
    $('send-form').hidden = !mine;
    $('end-form').hidden = h.status === 'Ended';
    $('transfer-form').hidden = h.status === 'Ended';
    $('escalate').hidden = h.status === 'Ended';
    status('');
  }

  function appendMessage(m) {
    if (!state.selected || m.handoffId !== state.selected) return;
    const list = $('messages');
    if (list.querySelector('[data-seq="' + m.seq + '"]')) return;
    const who = m.sender === 'Patient' ? 'Patient' : m.sender === 'System' ? 'System' : (m.authorName || 'Staff');
    list.append(el('li', { className: 'line ' + m.sender.toLowerCase() + (m.internal ? ' internal' : ''), dataset: { seq: String(m.seq) } },
      el('span', { className: 'who', text: who + (m.internal ? ' · internal note' : '') + ' ' + time(m.at) }),
      el('span', { className: 'text', text: m.text })));
    list.lastElementChild.scrollIntoView({ block: 'nearest' });
  }

  async function act(path, body, done) {
    try {
      const result = await api('POST', '/handoffs/' + encodeURIComponent(state.selected) + path, body);
      if (result && result.delivered === false) status('Saved, but the patient could not be reached right now.');
      if (done) done(result);
      await Promise.all([openChat(state.selected), loadQueue()]);
    } catch (error) {
      status(error.message);
    }
  }

  // ---- Follow-ups ----
  async function loadFollowUps() {
    const items = await api('GET', '/follow-ups');
    const badge = $('follow-up-badge');
    badge.textContent = String(items.length);
    badge.hidden = items.length === 0;
    $('follow-ups').replaceChildren(...items.map((f) => {
      const answer = el('textarea', { rows: '3', maxlength: '4000', placeholder: 'Answer for the patient', className: 'answer' });
      const learn = el('input', { type: 'checkbox', className: 'add-to-kb' });
      const result = el('p', { className: 'status' });
      const form = el('form', { className: 'answer-form', onsubmit: async (event) => {
        event.preventDefault();
        try {
          const r = await api('POST', '/follow-ups/' + encodeURIComponent(f.id) + '/answer', { answer: answer.value, addToKnowledgeBase: learn.checked });
          result.textContent = r.outcome === 'Delivered' ? 'Sent to the patient.' : 'Saved: the chat could not be reached, please call or email the patient.';
          setTimeout(loadFollowUps, 1500);
        } catch (error) { result.textContent = error.message; }
      } }, answer, el('label', {}, learn, ' Add to knowledge base'), el('button', { type: 'submit', className: 'primary', text: 'Answer' }), result);
      return el('li', { className: 'card', dataset: { followUpId: f.id } },
        el('h3', { text: f.question }),
        el('p', { className: 'muted', text: 'Patient said: ' + f.originalText }),
        el('p', { className: 'muted', text: (f.patientName || 'Patient') + ' · ' + f.channel + ' · ' + f.department + ' · asked ' + new Date(f.askedAt).toLocaleString() + ' · due ' + new Date(f.dueBy).toLocaleString() }),
        el('p', { className: 'muted', text: 'Contact: ' + ([f.contactPhone, f.contactEmail].filter(Boolean).join(', ') || 'this chat only') }),
        form);
    }));
  }

  // ---- Cases ----
  async function loadCases() {
    const items = await api('GET', '/cases');
    $('cases').replaceChildren(...items.map((c) => {
      const result = el('p', { className: 'status' });
      const textForm = (label, path, placeholder, value) => {
        const input = el('textarea', { rows: '2', maxlength: '2000', placeholder });
        input.value = value || '';
        return el('form', { className: 'case-form', onsubmit: async (event) => {
          event.preventDefault();
          try {
            const r = await api('POST', '/cases/' + encodeURIComponent(c.reference) + path, { text: input.value });
            result.textContent = r.deliveredToPatient === false ? 'Saved; the patient could not be reached in chat.' : 'Saved.';
            setTimeout(loadCases, 1500);
          } catch (error) { result.textContent = error.message; }
        } }, input, el('button', { type: 'submit', text: label }));
      };
      const forms = [textForm('Add note', '/notes', 'Internal note')];
      if (state.me.role !== 'agent' && !c.approvedRemedy) forms.push(textForm('Approve remedy and tell the patient', '/remedy', 'e.g. a free follow-up session'));
      if (c.source === 'FacebookComment') forms.push(textForm('Save public reply draft', '/public-reply', 'Public reply (no health details)', c.draftPublicReply));
      return el('li', { className: 'card', dataset: { caseReference: c.reference } },
        el('h3', { text: c.reference + ' · ' + c.severity + ' · ' + c.status }),
        el('p', { text: c.summary }),
        el('p', { className: 'muted', text: (c.patientName || 'Patient') + ' · ' + c.source + ' · ' + new Date(c.createdAt).toLocaleString() }),
        el('p', { className: 'muted', text: 'Patient wrote: ' + c.originalText }),
        c.link && /^https:\/\//.test(c.link) ? el('a', { href: c.link, text: 'Open the comment', target: '_blank', rel: 'noopener noreferrer' }) : el('span', {}),
        c.approvedRemedy ? el('p', { text: 'Approved remedy: ' + c.approvedRemedy }) : el('span', {}),
        el('ul', {}, ...(c.staffNotes || []).map((n) => el('li', { text: new Date(n.at).toLocaleString() + ' ' + n.author + ': ' + n.text }))),
        ...forms, result);
    }));
  }

  async function loadConversations() {
    const items = await api('GET', '/conversations');
    $('conversations').replaceChildren(...items.map((c) => el('li', { className: 'card' },
      el('strong', { text: c.patientName || c.patientUserId }), ' ',
      el('span', { className: 'muted', text: c.channel + ' · last active ' + new Date(c.lastAt).toLocaleString() }), ' ',
      el('button', { type: 'button', text: 'Join conversation', onclick: async () => {
        try {
          const r = await api('POST', '/conversations/' + encodeURIComponent(c.conversationId) + '/pull');
          selectTab('queue');
          await loadQueue();
          await openChat(r.id);
        } catch (error) { alert(error.message); }
      } }))));
  }

  async function loadAudit() {
    const items = await api('GET', '/audit');
    $('audit').replaceChildren(...items.map((a) => el('tr', {},
      el('td', { text: new Date(a.at).toLocaleString() }), el('td', { text: a.staffName }), el('td', { text: a.action }),
      el('td', { text: a.handoffId || '' }), el('td', { text: a.conversationId || '' }), el('td', { text: a.detail || '' }))));
  }

  function selectTab(name) {
    document.querySelectorAll('.tabs [role=tab]').forEach((tab) => tab.classList.toggle('active', tab.dataset.tab === name));
    document.querySelectorAll('.panel').forEach((panel) => { panel.hidden = panel.id !== 'panel-' + name; });
    if (name === 'follow-ups') loadFollowUps();
    if (name === 'conversations') loadConversations();
    if (name === 'cases') loadCases();
    if (name === 'audit') loadAudit();
  }

  // ---- Live connection ----
  async function connect() {
    const connection = new signalR.HubConnectionBuilder().withUrl('/staff/hub').withAutomaticReconnect().build();
    connection.on('handoffChanged', (change) => {
      loadQueue().catch(() => {});
      if (change.id === state.selected) openChat(change.id).catch(() => {});
    });
    connection.on('message', appendMessage);
    connection.onreconnecting(() => { $('connection').textContent = 'reconnecting…'; });
    connection.onreconnected(() => { $('connection').textContent = 'online'; if (state.selected) connection.invoke('Watch', state.selected).catch(() => {}); });
    connection.onclose(() => { $('connection').textContent = 'offline'; });
    state.connection = connection;
    await connection.start();
    $('connection').textContent = 'online';
  }

  async function start() {
    state.me = await api('GET', '/me');
    state.csrf = state.me.csrfToken;
    $('me-name').textContent = state.me.displayName;
    $('me-role').textContent = state.me.role;
    $('tab-audit').hidden = state.me.role === 'agent';
    state.departments = await api('GET', '/departments');
    $('transfer-department').replaceChildren(...state.departments.map((d) => el('option', { value: d.key, text: d.teamName })));

    document.querySelectorAll('.tabs [role=tab]').forEach((tab) => tab.addEventListener('click', () => selectTab(tab.dataset.tab)));
    $('accept').addEventListener('click', () => act('/accept'));
    $('escalate').addEventListener('click', () => act('/escalate', { note: $('transfer-note').value || null }));
    $('send-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = $('message-input').value;
      if (!text.trim()) return;
      act('/send', { text }, () => { $('message-input').value = ''; });
    });
    $('message-input').addEventListener('input', () => {
      if (state.connection && state.selected) state.connection.invoke('Typing', state.selected).catch(() => {});
    });
    $('note-form').addEventListener('submit', (event) => { event.preventDefault(); act('/notes', { text: $('note-input').value }, () => { $('note-input').value = ''; }); });
    $('transfer-form').addEventListener('submit', (event) => { event.preventDefault(); act('/transfer', { department: $('transfer-department').value, note: $('transfer-note').value || null }, () => { $('transfer-note').value = ''; }); });
    $('end-form').addEventListener('submit', (event) => { event.preventDefault(); act('/end', { outcome: $('end-outcome').value }); });
    $('sound-toggle').addEventListener('click', () => { state.sound = !state.sound; $('sound-toggle').textContent = state.sound ? 'Sound on' : 'Sound off'; });
    $('sign-out').addEventListener('click', async () => { await api('POST', '/sign-out').catch(() => {}); window.location.href = '/staff/sign-in'; });

    state.knownUrgent = new Set();
    await loadQueue();
    loadFollowUps().catch(() => {});
    // The on-call email links straight to the alert: /staff#handoff=H-…
    const openLinked = () => {
      const linked = /^#handoff=([\w-]+)$/.exec(window.location.hash);
      if (linked) openChat(decodeURIComponent(linked[1])).catch((error) => status(error.message));
    };
    window.addEventListener('hashchange', openLinked);
    openLinked();
    await connect().catch(() => { $('connection').textContent = 'offline'; });
    setInterval(() => loadQueue().catch(() => {}), 15000);
  }

  document.addEventListener('DOMContentLoaded', () => { start().catch((error) => { document.body.prepend(el('p', { className: 'error', text: 'The console could not start: ' + error.message })); }); });
})();
