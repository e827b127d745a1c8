// Officer sign-in with the officer's own smart card (issue 7): the console gives a one-time challenge, the
// local bridge signs exactly the status proof of its nonce (POST /v1/sign-in), and this page posts the proof
// to /console/card-sign-in itself, so the console session cookie is set in this browser. The PIN goes only
// to the bridge on 127.0.0.1, is never stored, and a refusal is never retried automatically.
import { Bridge, BridgeRefused, BridgeUnavailable } from './bridge.js';

const section = document.getElementById('card-sign-in');
const form = document.getElementById('card-form');
const select = document.getElementById('card-token');
const pinInput = document.getElementById('card-pin');
const submit = document.getElementById('card-submit');
const message = document.getElementById('card-message');
const status = document.getElementById('card-status');
const bridge = new Bridge(section.dataset.bridge);

function text(key) {
  const span = document.querySelector('#card-messages [data-msg="' + key + '"]');
  return span ? span.textContent : key;
}

function fail(key) {
  status.textContent = '';
  message.textContent = text(key);
  submit.disabled = false;
}

async function loadCards() {
  let tokens;
  try {
    tokens = (await bridge.tokens()).filter(t => t.label);
  } catch (e) {
    fail(e instanceof BridgeUnavailable ? 'noBridge' : 'failed');
    submit.disabled = true;
    return;
  }
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
loadCards();
