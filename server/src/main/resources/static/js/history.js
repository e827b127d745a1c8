// The card's decryption history on the renewal page (issue 12): the old encryption keys a card keeps so that
// documents encrypted to them stay readable, and the holder's explicit removal of one (e.g. when the card is
// full: error CARD_FULL). Shown under the start and error views; self-contained beside renew.js. No inline
// script (CSP); the PIN goes to the bridge once and the field is cleared.
import { Bridge, BridgeRefused } from './bridge.js';

const $ = id => document.getElementById(id);
const main = $('main');
const section = $('decryption-history');
const bridge = new Bridge(main.dataset.bridge);
const text = key => (section.querySelector('[data-msg="' + key + '"]') || {}).textContent || key;
const fill = (pattern, ...args) => pattern.replace(/\{(\d+)\}/g, (_, i) => args[i] ?? '');
const dateFormat = new Intl.DateTimeFormat(main.dataset.lang === 'en' ? 'en-GB' : 'zh-TW',
  { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Taipei' });
const date = iso => (iso ? dateFormat.format(new Date(iso)) : '—');

let refreshing = false;

async function refresh() {
  if (refreshing) {
    return;
  }
  refreshing = true;
  try {
    const tokens = (await bridge.tokens()).filter(t => (t.decryptionHistory || []).length > 0);
    render(tokens);
  } catch (e) {
    section.hidden = true;
  } finally {
    refreshing = false;
  }
}

function render(tokens) {
  const list = $('history-list');
  list.replaceChildren();
  tokens.forEach(token => token.decryptionHistory.forEach(old => {
    const li = document.createElement('li');
    const line = document.createElement('span');
    line.textContent = fill(text('entry'), token.label, old.serial, date(old.notBefore), date(old.notAfter));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = text('remove');
    remove.setAttribute('aria-label', fill(text('removeLabel'), old.serial));
    remove.addEventListener('click', () => ask(token.label, old.serial));
    li.append(line, ' ', remove);
    list.append(li);
  }));
  // A removal's result stays in view, also when no old key is left to list (the holder must see it worked).
  section.hidden = tokens.length === 0 && !$('history-result').textContent;
}

function ask(label, serial) {
  $('history-confirm-text').textContent = fill(text('confirm'), serial);
  $('history-form').dataset.token = label;
  $('history-form').dataset.serial = serial;
  $('history-form').hidden = false;
  $('history-pin').value = '';
  $('history-pin').focus();
}

async function removeChosen(event) {
  event.preventDefault();
  const form = $('history-form');
  const pin = $('history-pin').value;
  $('history-pin').value = '';
  if (!pin) {
    return;
  }
  try {
    await bridge.call('POST', '/v1/history/remove', { token: form.dataset.token, pin, serial: form.dataset.serial });
    $('history-result').textContent = fill(text('removed'), form.dataset.serial);
  } catch (e) {
    $('history-result').textContent = fill(text('failed'), e instanceof BridgeRefused ? e.body.code : String(e));
  }
  form.hidden = true;
  await refresh();
}

$('history-form').addEventListener('submit', removeChosen);
$('history-cancel').addEventListener('click', () => { $('history-form').hidden = true; });
// Refreshed whenever the start or the error view (CARD_FULL) is shown; hidden on every other view.
const observed = [$('view-start'), $('view-error')];
// The bridge is called only once renew.js reached it (data-bridge-reached): never before the holder's press
// where the browser asks the Local Network Access permission (docs/AGENT.md).
const reached = () => main.dataset.bridgeReached === 'true';
const watcher = new MutationObserver(() => {
  if (!observed.some(v => !v.hidden)) {
    section.hidden = true;
  } else if (reached()) {
    refresh();
  }
});
document.querySelectorAll('.view').forEach(v => watcher.observe(v, { attributes: true, attributeFilter: ['hidden'] }));
watcher.observe(main, { attributes: true, attributeFilter: ['data-bridge-reached'] });
if (reached()) {
  refresh();
}
