// Local Network Access (Chrome 142+, Edge 143+; docs/AGENT.md): a page from the Internet reaches the card
// bridge on 127.0.0.1 only once the holder allowed it (or an enterprise policy did), and only from https.

// Chrome 145+ names the bridge's permission 'loopback-network'; Chrome 142-144 had one 'local-network-access'
// for all local addresses; 'local-network' is the other half of the split, asked last.
const PERMISSION_NAMES = ['loopback-network', 'local-network-access', 'local-network'];

/**
 * The browser's permission for this page to reach the bridge: 'granted', 'prompt' (not asked yet, or the
 * question was dismissed), 'denied', or 'unknown' when the browser has no such permission (Firefox, Safari,
 * older Chromium): those reach the bridge with plain CORS. Never throws.
 *
 * @param onChange called with the new state when the holder answers or changes the site settings
 */
export async function permissionState(onChange) {
  if (!navigator.permissions || !navigator.permissions.query) {
    return 'unknown';
  }
  for (const name of PERMISSION_NAMES) {
    let status;
    try {
      status = await navigator.permissions.query({ name });
    } catch (e) {
      continue; // a TypeError for a name this browser does not know: try the next one
    }
    if (onChange) {
      status.onchange = () => onChange(status.state);
    }
    return status.state;
  }
  return 'unknown';
}

/**
 * Whether a page may call the bridge now, the one rule for every page that uses it (renewal, console sign-in):
 * 'call' where no question will pop up (granted, a local page, a browser without the permission, an http page
 * which cannot be granted anyway); 'ask' when the browser would ask, so the first call must come from the
 * holder's press (a user gesture, as the browsers want); 'denied' when the holder or a policy refused it.
 *
 * @param onChange called with the new permission state when the holder answers or changes the site settings
 */
export async function bridgeReach(onChange) {
  const state = await permissionState(onChange);
  if (window.isSecureContext && !pageIsLocal(location.hostname)) {
    if (state === 'prompt') {
      return 'ask';
    }
    if (state === 'denied') {
      return 'denied';
    }
  }
  return 'call';
}

/**
 * Why the bridge did not answer: 'insecure' (an http page, which the browser never lets reach it),
 * 'denied' (blocked by the permission), 'ask' (the question was dismissed, or none came because the agent is
 * not running: say both and let the holder press again), or 'missing' (the agent is not running).
 */
export async function whyUnreachable() {
  const state = await permissionState();
  if (!window.isSecureContext) {
    return 'insecure';
  }
  if (!pageIsLocal(location.hostname) && state === 'denied') {
    return 'denied';
  }
  if (!pageIsLocal(location.hostname) && state === 'prompt') {
    return 'ask';
  }
  return 'missing';
}

/**
 * True when the page itself is on this computer by name (localhost, *.localhost): loopback calling loopback,
 * which the browser never asks about. A page at a literal IP address is not assumed local, since the browser
 * may be told to treat any address as public (the LocalNetworkAccessIpAddressSpaceOverrides policy): it gets
 * the "find my card" button, one click more.
 */
export function pageIsLocal(hostname) {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/**
 * True when the bridge's reported version is older than the server's minimum, or it reports none (an agent
 * from before versions were reported). Numeric dotted parts only: "0.1.0" meets "0.1.0-SNAPSHOT".
 */
export function olderThan(version, minimum) {
  const parts = v => String(v).split(/[-+]/)[0].split('.').map(p => parseInt(p, 10) || 0);
  if (!minimum) {
    return false;
  }
  if (!version) {
    return true;
  }
  const have = parts(version);
  const need = parts(minimum);
  for (let i = 0; i < Math.max(have.length, need.length); i++) {
    const a = have[i] || 0;
    const b = need[i] || 0;
    if (a !== b) {
      return a < b;
    }
  }
  return false;
}
