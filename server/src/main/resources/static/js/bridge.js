// The holder's local card bridge (cardrenew agent, docs/AGENT.md). Every failure to reach it is a
// BridgeUnavailable, so the page can tell "not running" from an answer.

export class BridgeUnavailable extends Error {}

/** An answer of the bridge that is not a success: carries its JSON error (code, ...). */
export class BridgeRefused extends Error {
  constructor(status, body) {
    super(body && body.code ? body.code : 'HTTP ' + status);
    this.status = status;
    this.body = body || {};
  }
}

export class Bridge {
  constructor(url) {
    this.url = url.replace(/\/$/, '');
  }

  async call(method, path, body) {
    let response;
    try {
      const init = { method, cache: 'no-store', credentials: 'omit' };
      if (body !== undefined) {
        init.headers = { 'Content-Type': 'application/json' };
        init.body = JSON.stringify(body);
      }
      response = await fetch(this.url + path, init);
    } catch (e) {
      throw new BridgeUnavailable(String(e));
    }
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      throw new BridgeUnavailable('not a bridge answer');
    }
    if (!response.ok) {
      throw new BridgeRefused(response.status, json);
    }
    return json;
  }

  hello() { return this.call('GET', '/v1/bridge'); }
  tokens() { return this.call('GET', '/v1/tokens').then(r => r.tokens || []); }
  /** Starts a session; the PIN string is dropped by the caller right after. */
  start(token, pin, lang) { return this.call('POST', '/v1/sessions', { token, pin, lang }); }
  poll(id, after) { return this.call('GET', '/v1/sessions/' + encodeURIComponent(id) + '?after=' + after); }
  renew(id) { return this.call('POST', '/v1/sessions/' + encodeURIComponent(id) + '/renew', {}); }
  confirm(id, pin) { return this.call('POST', '/v1/sessions/' + encodeURIComponent(id) + '/pin', { pin }); }
  cancel(id) { return this.call('POST', '/v1/sessions/' + encodeURIComponent(id) + '/cancel', {}); }
}
