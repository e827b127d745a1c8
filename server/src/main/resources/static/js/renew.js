// The renewal page: finds the card bridge and the card, asks for the PIN, shows the status, drives the
// bridge's renewal session (renew, second PIN) and shows every outcome. No inline script (CSP).
import { Bridge, BridgeUnavailable, BridgeRefused } from './bridge.js';
import { bridgeReach, whyUnreachable, olderThan } from './local-network.js';

const $ = id => document.getElementById(id);
const main = $('main');
const lang = main.dataset.lang;
const brand = main.dataset.brand;
const bridge = new Bridge(main.dataset.bridge);
const minimumVersion = main.dataset.minVersion;
// Only these notices are about reaching the bridge; each says what happened and what to do.
const REACH_NOTICES = ['bridge-missing', 'lna-ask', 'lna-again', 'lna-asking', 'lna-denied', 'page-insecure', 'bridge-old'];

const messages = {};
document.querySelectorAll('#messages [data-msg]').forEach(e => { messages[e.dataset.msg] = e.textContent; });
const msg = (key, ...args) => (messages[key] || key).replace(/\{(\d+)\}/g, (_, i) => args[i] ?? '');
const dateFormat = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-TW',
  { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
    timeZoneName: 'short', timeZone: 'Asia/Taipei' });
const date = iso => (iso ? dateFormat.format(new Date(iso)) : '—');

// The flow's steps as the holder sees them: reading card → generating keys → sending to CA → writing → done.
const STEP_GROUP = {
  LOGIN: 'read', READ_CARD: 'read', CHALLENGE: 'read', STATUS: 'read',
  GENERATE_KEYS: 'keys', CREATE_CSRS: 'keys', SEND_TO_CA: 'ca',
  WRITE_TO_CARD: 'write', VERIFY: 'write', CONFIRM: 'write', DELETE_OLD: 'write', DONE: 'done'
};
const GROUPS = ['read', 'keys', 'ca', 'write', 'done'];

let cards = [];
let card = null;
let session = null;
let version = -1;
let decided = false;
let following = false;
let detecting = false;

function show(name) {
  document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== 'view-' + name; });
  const heading = $('h-' + name);
  document.title = heading.textContent + ' – ' + brand;
  heading.focus();
}

function announce(text) {
  $('announce').textContent = text;
}

/**
 * The start: asks the browser's Local Network Access permission first (bridgeReach), so that the bridge is
 * called at once only where no question will pop up; otherwise the holder presses "Find my card" or is told
 * how to allow the site again.
 */
async function begin(first) {
  resetStart();
  const reach = await bridgeReach(first === true ? permissionChanged : undefined);
  if (reach === 'ask') {
    return reachNotice('lna-ask', false);
  }
  if (reach === 'denied') {
    return reachNotice('lna-denied', true);
  }
  return detect();
}

/** The holder changed the permission (answered the question, or in the site settings): start over. */
function permissionChanged(state) {
  if (!detecting && !$('view-start').hidden && state !== 'prompt') {
    begin(false);
  }
}

function resetStart() {
  show('start');
  for (const id of [...REACH_NOTICES, 'card-none', 'card-found', 'card-choice', 'card-unfinished', 'show-status', 'recheck']) {
    $(id).hidden = true;
  }
  $('start-checking').hidden = false;
}

function reachNotice(id, recheck) {
  $('start-checking').hidden = true;
  $(id).hidden = false;
  $('recheck').hidden = !recheck;
  announce($(id).querySelector('h2').textContent);
  return false;
}

/** The bridge did not answer: the permission state and the page's origin tell blocked from not running. */
async function unreachable() {
  switch (await whyUnreachable()) {
    case 'insecure':
      return reachNotice('page-insecure', true);
    case 'denied':
      return reachNotice('lna-denied', true);
    case 'ask':
      // Asked and dismissed, or no question at all (the agent is not running): say both, ask again.
      $('lna-again').hidden = false;
      return reachNotice('lna-ask', false);
    default:
      return reachNotice('bridge-missing', true);
  }
}

/** "Find my card": the first call to the bridge, from the holder's press; the browser may ask now. */
async function connect() {
  resetStart();
  $('start-checking').hidden = true;
  $('lna-asking').hidden = false;
  return detect();
}

async function detect() {
  if (detecting) {
    return false;
  }
  detecting = true;
  try {
    return await findCards();
  } finally {
    detecting = false;
  }
}

async function findCards() {
  if ($('lna-asking').hidden) {
    resetStart();
  }
  card = null;
  let hello;
  try {
    hello = await bridge.hello();
    cards = (await bridge.tokens()).filter(t => t.label);
  } catch (e) {
    $('lna-asking').hidden = true;
    return unreachable();
  }
  $('lna-asking').hidden = true;
  main.dataset.bridgeReached = 'true'; // history.js may call the bridge from now on
  if (olderThan(hello.version, minimumVersion)) {
    // The holder may still go on (the bridge API is unchanged), but is told to update.
    $('bridge-old-what').textContent = hello.version
      ? msg('bridge.old.what', hello.version, minimumVersion) : msg('bridge.old.none', minimumVersion);
    $('bridge-old').hidden = false;
  }
  $('start-checking').hidden = true;
  if (cards.length === 0) {
    $('card-none').hidden = false;
    $('recheck').hidden = false;
    announce(msg('card.none'));
    return false;
  }
  if (cards.length === 1) {
    choose(cards[0]);
    $('card-found').textContent = msg('start.card', card.label);
    $('card-found').hidden = false;
  } else {
    const select = $('card-select');
    select.replaceChildren(...cards.map((t, i) => new Option(t.label, String(i))));
    choose(cards[0]);
    $('card-choice').hidden = false;
  }
  $('show-status').hidden = false;
  return true;
}

function choose(token) {
  card = token;
  $('card-unfinished').hidden = !token.unfinishedRenewal;
}

function askPin() {
  show('pin');
  const warning = $('pin-warning');
  const pin = card && card.pin ? card.pin : {};
  warning.textContent = pin.locked ? msg('pin.locked') : pin.finalTry ? msg('pin.finalTry') : pin.countLow ? msg('pin.countLow') : '';
  warning.hidden = !warning.textContent;
  $('pin').value = '';
  $('pin').removeAttribute('aria-invalid');
  $('pin-error').hidden = true;
  $('pin').focus();
}

async function startSession(event) {
  event.preventDefault();
  const input = $('pin');
  const pin = input.value;
  input.value = '';
  if (!pin) {
    $('pin-error').hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  decided = false;
  show('reading');
  try {
    const started = await bridge.start(card.label, pin, lang);
    session = started.id;
    version = -1;
    follow();
  } catch (e) {
    failure(e);
  }
}

async function follow() {
  if (following) {
    return;
  }
  following = true;
  try {
    for (;;) {
      const s = await bridge.poll(session, version);
      version = s.version;
      if (render(s)) {
        break;
      }
    }
  } catch (e) {
    failure(e);
  } finally {
    following = false;
  }
}

/** Shows a session; true when the page now waits for the holder or the session is over. */
function render(s) {
  switch (s.state) {
    case 'RUNNING':
      progress(s.step);
      return false;
    case 'DECIDE':
      showStatus(s.status, true);
      return true;
    case 'NOT_RENEWABLE':
      showStatus(s.status, false);
      return true;
    case 'CONFIRM_PIN':
      progress(s.step);
      askConfirm();
      return true;
    case 'RENEWED':
      showSuccess(s.result);
      return true;
    case 'FAILED':
      showError(s.error || { code: 'UNEXPECTED' }, s.step);
      return true;
    default:
      showError({ code: 'CANCELLED' }, s.step);
      return true;
  }
}

function progress(step) {
  if (!decided) {
    return; // status phase: the reading view stays
  }
  if ($('view-progress').hidden) {
    show('progress');
  }
  const done = step === 'DONE';
  const current = GROUPS.indexOf(STEP_GROUP[step] || 'read');
  document.querySelectorAll('#steps li').forEach((li, i) => {
    const finished = done || i < current;
    li.classList.toggle('finished', finished);
    if (!finished && i === current) {
      li.setAttribute('aria-current', 'step');
      announce(li.firstElementChild.textContent);
    } else {
      li.removeAttribute('aria-current');
    }
    li.querySelector('.state').textContent = finished ? msg('step.finished') : i === current ? msg('step.current') : '';
  });
}

function showStatus(st, canProceed) {
  const sentence = $('status-sentence');
  const detail = $('status-detail');
  let tone = 'bad';
  let text;
  let more = '';
  switch (st.status) {
    case 'RENEWABLE':
      text = msg('status.RENEWABLE');
      tone = 'ok';
      if (st.renewalState === 'EXPIRED_UNCONFIRMED') {
        // issue 12: the card's last renewal was closed unconfirmed; the holder hears why they renew again
        more = msg('status.previousRenewalClosed');
      }
      break;
    case 'NOT_YET_RENEWABLE':
      text = msg('status.NOT_YET_RENEWABLE', date(st.renewalWindowOpens));
      tone = 'wait';
      break;
    case 'RENEWAL_IN_PROGRESS':
      text = msg('status.RENEWAL_IN_PROGRESS');
      tone = 'wait';
      break;
    case 'ALREADY_RENEWED':
      text = canProceed ? msg('status.RENEWAL_IN_PROGRESS') : msg('status.ALREADY_RENEWED');
      tone = canProceed ? 'wait' : 'ok';
      break;
    default: // EXPIRED, REVOKED, UNKNOWN: the seed's "invalid" wording
      text = msg('status.invalid');
      more = st.status === 'EXPIRED' ? msg('status.EXPIRED', date(st.notAfter)) : msg('status.' + st.status);
  }
  sentence.textContent = text;
  sentence.className = 'verdict ' + tone;
  detail.textContent = more;
  detail.hidden = !more;
  const subject = st.subject || {};
  $('subject-c').textContent = subject.country || '—';
  $('subject-o').textContent = subject.organization || '—';
  $('subject-cn').textContent = subject.commonName || '—';
  $('subject-serial').textContent = subject.serialNumber || '—';
  $('valid-from').textContent = date(st.notBefore);
  $('valid-until').textContent = date(st.notAfter);
  $('renew').hidden = !(canProceed && st.status === 'RENEWABLE');
  $('resume-renewal').hidden = !(canProceed && st.status !== 'RENEWABLE');
  show('status');
}

async function proceed() {
  decided = true;
  show('progress');
  progress('GENERATE_KEYS');
  try {
    await bridge.renew(session);
    follow();
  } catch (e) {
    failure(e);
  }
}

function askConfirm() {
  show('confirm');
  $('confirm-pin').value = '';
  $('confirm-error').hidden = true;
  $('confirm-pin').focus();
}

async function confirmWrite(event) {
  event.preventDefault();
  const input = $('confirm-pin');
  const pin = input.value;
  input.value = '';
  if (!pin) {
    $('confirm-error').hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  show('progress');
  try {
    await bridge.confirm(session, pin);
    follow();
  } catch (e) {
    failure(e);
  }
}

async function cancelSession() {
  try {
    if (session) {
      await bridge.cancel(session);
    }
  } catch (e) {
    // the session is gone already: nothing to release
  }
}

function showSuccess(result) {
  $('old-from').textContent = date(result.previous && result.previous.notBefore);
  $('old-until').textContent = date(result.previous && result.previous.notAfter);
  $('new-from').textContent = date(result.renewed && result.renewed.notBefore);
  $('new-until').textContent = date(result.renewed && result.renewed.notAfter);
  $('success-resumed').hidden = !result.resumed;
  $('success-restarted').hidden = !result.previousRenewalClosed;
  session = null;
  show('success');
}

function failure(e) {
  if (e instanceof BridgeRefused && e.body.code && e.body.code !== 'NO_SESSION') {
    showError(e.body);
  } else if (session || decided) {
    showError({ code: 'BRIDGE_LOST' });
  } else if (e instanceof BridgeUnavailable || e instanceof BridgeRefused) {
    detect();
  } else {
    showError({ code: 'UNEXPECTED', message: String(e) });
  }
}

function showError(err, step) {
  let what;
  let todo;
  let warning = '';
  let resumable = true;
  switch (err.code) {
    case 'WRONG_PIN':
      what = msg('error.WRONG_PIN.what');
      todo = msg('error.WRONG_PIN.todo');
      warning = err.pinWarning === 'FINAL_TRY' ? msg('pin.finalTry') : err.pinWarning === 'COUNT_LOW' ? msg('pin.countLow') : '';
      break;
    case 'PIN_LOCKED':
      what = msg('error.PIN_LOCKED.what');
      todo = msg('error.PIN_LOCKED.todo');
      resumable = false;
      break;
    case 'NO_TOKEN':
      what = err.reason === 'CARD_REMOVED' ? msg('error.CARD_REMOVED.what') : msg('error.NO_CARD.what');
      todo = err.reason === 'CARD_REMOVED' ? msg('error.CARD_REMOVED.todo') : msg('card.none');
      break;
    case 'BRIDGE_LOST':
      what = msg('error.BRIDGE_LOST.what');
      todo = msg('error.BRIDGE_LOST.todo');
      break;
    case 'RA_REFUSED':
      what = msg('error.RA_REFUSED.what', err.raMessage || err.raCode || '');
      todo = msg('error.generic.todo');
      break;
    case 'RA_UNREACHABLE':
      what = msg('error.RA_UNREACHABLE.what');
      todo = msg('error.RA_UNREACHABLE.todo');
      break;
    case 'SERVER_NOT_TRUSTED':
      // The site's TLS certificate was refused by the agent: only the IT support can fix it, so no "Resume".
      what = msg('error.SERVER_NOT_TRUSTED.what');
      todo = msg('error.SERVER_NOT_TRUSTED.todo');
      resumable = false;
      break;
    case 'TOKEN_BUSY':
      what = msg('error.TOKEN_BUSY.what');
      todo = msg('error.TOKEN_BUSY.todo');
      break;
    case 'CARD_FULL':
      // Nothing lost; history.js lists the old decryption keys under this view for the holder to remove one.
      what = msg('error.CARD_FULL.what');
      todo = msg('error.CARD_FULL.todo');
      break;
    case 'CANCELLED':
      what = msg('error.CANCELLED.what');
      todo = msg('error.generic.todo');
      resumable = decided;
      break;
    default:
      what = msg('error.generic.what');
      todo = msg('error.generic.todo');
  }
  $('error-what').textContent = what;
  $('error-todo').textContent = todo;
  $('error-warning').textContent = warning;
  $('error-warning').hidden = !warning;
  const code = [err.code, err.reason, err.raCode, step].filter(Boolean).join(' / ');
  $('error-code').textContent = msg('error.code') + ': ' + code;
  $('error-code').hidden = false;
  $('error-resume').hidden = !resumable;
  // After a wrong first PIN nothing is in progress: the same button simply asks for the PIN again.
  $('error-resume').textContent = err.code === 'WRONG_PIN' && step === 'LOGIN' ? msg('error.pinAgain') : msg('error.resume');
  session = null;
  decided = false;
  show('error');
}

/** Back to the same card's PIN: a new session picks the interrupted renewal up where it stopped. */
async function resume() {
  const label = card && card.label;
  if (await detect()) {
    const again = cards.findIndex(t => t.label === label);
    if (again >= 0) {
      choose(cards[again]);
      $('card-select').value = String(again);
      askPin();
    }
  }
}

// Leaving the page while the session waits for the holder frees the card at once (else after the
// agent's holder time-out); nothing has been written at those points.
window.addEventListener('pagehide', () => {
  if (session && !following && navigator.sendBeacon) {
    navigator.sendBeacon(bridge.url + '/v1/sessions/' + encodeURIComponent(session) + '/cancel', '');
  }
});

$('show-status').addEventListener('click', askPin);
$('recheck').addEventListener('click', () => begin(false));
$('lna-connect').addEventListener('click', connect);
$('card-select').addEventListener('change', e => choose(cards[Number(e.target.value)]));
$('pin-form').addEventListener('submit', startSession);
$('pin-back').addEventListener('click', detect);
$('renew').addEventListener('click', proceed);
$('resume-renewal').addEventListener('click', proceed);
$('status-finish').addEventListener('click', async () => { await cancelSession(); session = null; detect(); });
$('confirm-form').addEventListener('submit', confirmWrite);
$('confirm-cancel').addEventListener('click', async () => { await cancelSession(); follow(); });
$('error-retry').addEventListener('click', detect);
$('error-resume').addEventListener('click', resume);

begin(true);
