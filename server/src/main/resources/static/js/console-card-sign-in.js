// Officer sign-in with the officer's own smart card (issue 7): the console gives a one-time sign-in challenge, the
// local bridge signs exactly the console sign-in proof of its nonce (POST /v1/sign-in), and this page posts the proof
// to /console/card-sign-in itself, so the console session cookie is set in this browser. The PIN goes only
// to the bridge on 127.0.0.1, is never stored, and a refusal is never retried automatically.
import { Bridge, BridgeRefused, BridgeUnavailable } from './bridge.js';
import { bridgeReach, whyUnreachable } from './local-network.js';

const section = document.getElementById('card-sign-in');
const form = document.getElementById('card-form');
const select = document.getElementById('card-token');
const pinInput = document.getElementById('card-pin');
const submit = document.getElementById('card-submit');
const message = document.getElementById('card-message');
const status = document.getElementById('card-status');
const bridge = new Bridge(section.dataset.bridge);
const NOTICES = ['card-lna-ask', 'card-lna-again', 'card-lna-asking', 'card-lna-denied'];
let loading = false;

function text(key) {
  const span = document.querySelector('#card-messages [data-msg="' + key + '"]');
  return span ? span.textContent : key;
}

function fail(key) {
  status.textContent = '';
  message.textContent = text(key);
  submit.disabled = false;
}

function notice(id) {
  NOTICES.forEach(n => { document.getElementById(n).hidden = true; });
  if (id) {
    document.getElementById(id).hidden = false;
  }
}

/**
 * As on the renewal page: the bridge is called at once only where the browser will not ask; otherwise the
 * officer presses "Find my card" (the browser's question comes from that press), or is told how to allow it.
 */
async function start(first) {
  const reach = await bridgeReach(first === true ? permissionChanged : undefined);
  if (reach === 'ask') {
    submit.disabled = true;
    return notice('card-lna-ask');
  }
  if (reach === 'denied') {
    submit.disabled = true;
    return notice('card-lna-denied');
  }
  return loadCards();
}

/** The officer answered the browser's question, or changed the site settings: start over. */
function permissionChanged(state) {
  if (!loading && state !== 'prompt') {
    start(false);
  }
}

/** "Find my card": the first call to the bridge, from the officer's press. */
function connect() {
  notice('card-lna-asking');
  return loadCards();
}

async function loadCards() {
  let tokens;
  loading = true;
  try {
    tokens = (await bridge.tokens()).filter(t => t.label);
  } catch (e) {
    const why = e instanceof BridgeUnavailable ? await whyUnreachable() : 'failed';
    notice(why === 'denied' ? 'card-lna-denied' : why === 'ask' ? 'card-lna-ask' : null);
    if (why === 'ask') {
      // Asked and dismissed, or no question at all (the agent is not running): say both, ask again.
      document.getElementById('card-lna-again').hidden = false;
    } else if (why !== 'denied') {
      fail(why === 'failed' ? 'failed' : 'noBridge');
    }
    submit.disabled = true;
    return;
  } finally {
    loading = false;
  }
  notice(null);
  submit.disabled = false;
  select.replaceChildren(...tokens.map(t => {
    const option = document.createElement('option');
    option.value = t.label;
    option.textContent = t.label;
    return option;
  }));
  if (tokens.length === 0) {
    fail('noCard');
    submit.disabled = true;
  }
}

async function signIn(event) {
  event.preventDefault();
  message.textContent = '';
  status.textContent = text('working');
  submit.disabled = true;
  let pin = pinInput.value;
  pinInput.value = '';
  try {
    const challenge = await fetch(section.dataset.challenges, { method: 'POST', cache: 'no-store',
      headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(r => {
      if (!r.ok) { throw new Error('challenge ' + r.status); }
      return r.json();
    });
    let proof;
    try {
      proof = await bridge.call('POST', '/v1/sign-in', { token: select.value, pin, nonce: challenge.nonce });
    } finally {
      pin = null;
    }
    const answer = await fetch(section.dataset.signIn, { method: 'POST', cache: 'no-store', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', [section.dataset.csrfHeader]: section.dataset.csrf },
      body: JSON.stringify({ challengeId: challenge.challengeId, certificate: proof.certificate,
        signature: proof.signature, signatureAlgorithm: proof.signatureAlgorithm }) });
    if (answer.status === 204) {
      window.location.assign(section.dataset.start);
      return;
    }
    fail(answer.status === 401 ? 'refused' : 'failed');
  } catch (e) {
    if (e instanceof BridgeUnavailable) {
      fail('noBridge');
    } else if (e instanceof BridgeRefused && e.body.code === 'WRONG_PIN') {
      fail('wrongPin');
    } else if (e instanceof BridgeRefused && e.body.code === 'PIN_LOCKED') {
      fail('pinLocked');
    } else if (e instanceof BridgeRefused && e.body.code === 'NO_CERTIFICATE') {
      fail('refused');
    } else {
      fail('failed');
    }
  }
}

form.addEventListener('submit', signIn);
document.getElementById('card-lna-connect').addEventListener('click', connect);
start(true);
