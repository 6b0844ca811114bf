// The clinic page's chat widget: Bot Framework Web Chat, served by the bot itself (lib/webchat/webchat.js).
//
// A real patient portal would render this page with a short-lived portal token it signed for the signed-in
// patient (see docs/channels-website.md); the server turns it into a Direct Line token whose user is the
// verified patient. This demo simulates the portal with query parameters: ?name=Maria%20Lopez&id=patient-42.
// A name or id from the browser is only a display name and a visitor id: it proves nothing.
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var displayName = (params.get('name') || '').trim().slice(0, 100);
  var portalToken = params.get('portalToken') || undefined;

  function randomId() {
    var bytes = new Uint8Array(8);
    window.crypto.getRandomValues(bytes);
    return 'v-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // Anonymous visitors keep one random id in this browser, so the bot recognises them when they come back.
  function visitorId() {
    var fromPortal = params.get('id');
    if (fromPortal) {
      return fromPortal;
    }

    try {
      var stored = window.localStorage.getItem('clinicbot.visitorId');
      if (!stored) {
        stored = randomId();
        window.localStorage.setItem('clinicbot.visitorId', stored);
      }

      return stored;
    } catch (e) {
      return randomId();
    }
  }

  function showError() {
    document.getElementById('webchat-error').hidden = false;
  }

  async function start() {
    var response = await fetch('api/webchat/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ visitorId: visitorId(), portalToken: portalToken })
    });
    if (!response.ok) {
      showError();
      return;
    }

    var session = await response.json();
    var directLine = window.WebChat.createDirectLine({ token: session.token, domain: session.domain });

    // Tell the bot who is here as soon as the conversation is connected, so it can greet them by name.
    var store = window.WebChat.createStore({}, function (api) {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            api.dispatch({
              type: 'WEB_CHAT/SEND_EVENT',
              payload: { name: 'webchat/join', value: { name: displayName || null } }
            });
          }

          return next(action);
        };
      };
    });

    window.WebChat.renderWebChat({
      directLine: directLine,
      store: store,
      userID: session.userId,
      username: displayName || undefined,
      locale: 'en-US',
      styleOptions: {
        hideUploadButton: true,
        botAvatarInitials: 'RP',
        accent: '#0f5e56',
        bubbleFromUserBackground: '#e3f1ef'
      }
    }, document.getElementById('webchat'));

    document.querySelector('#webchat').focus();
  }

  start().catch(function () { showError(); });
})();
