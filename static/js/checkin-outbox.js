// Sending check-ins, and the queue of those that could not be sent.
//
// Every scan carries a nonce made on the device; the server answers a nonce it has seen
// with its first answer and adds no row, so a scan may be sent again safely. A scan that
// cannot reach the server is queued in IndexedDB (checkin-store.js) and the queue is sent
// from ONE place, flush(), which runs on page load, on the `online` event, on a timer and
// after any request that reached the server (a server outage with the Wi-Fi up never
// fires `online`). There is no Background Sync on purpose: two senders would send every
// record twice. One flush at a time.

import { queue } from './checkin-store.js';

const REQUEST_TIMEOUT_MS = 8000; // poor Wi-Fi at the door: give up and queue, never hang
const RETRY_EVERY_MS = 15000;

// What to do with an answer: 'done' (an answer to keep: success or a final refusal),
// 'retry' (the network or the server failed: keep it queued), 'auth' (logged out or
// wrong role: keep it, stop sending), 'csrf' (stale token: fetch a new one and retry),
// 'keep' (422: the record itself is faulty, e.g. a device clock far off; or 403 with
// outside_checkin_window: the door of the event is shut for this login; keep it, held out of
// the automatic sending, for staff to send again (an organizer may) or delete: data is never
// dropped).
export function classify(status, data) {
  if (status === 0 || status >= 500 || status === 429) return 'retry';
  if (doorClosed(status, data)) return 'keep';
  if (status === 401 || status === 403) return 'auth';
  if (status === 400 && data && data.error && data.error.code === 'csrf_failed') return 'csrf';
  if (status === 422) return 'keep';
  return 'done';
}

// The server's answer outside the door's hours (eventsapp/checkin/window.py).
export function doorClosed(status, data) {
  return status === 403 && !!(data && data.error && data.error.code === 'outside_checkin_window');
}

export function newNonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The device's clock as ISO 8601 with its offset (2025-07-11T18:42:05+09:00).
export function deviceTime(date = new Date()) {
  const pad = (n) => String(Math.abs(Math.trunc(n))).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

export class Outbox {
  // csrf(): the current token; refreshCsrf(): fetch a new one; onDelivered(item, answer):
  // a queued record got its answer; onState({pending, held, offline, auth}): redraw the
  // status, `held` being the records the server refused as faulty.
  constructor({ csrf, refreshCsrf, onDelivered, onState }) {
    Object.assign(this, { csrf, refreshCsrf, onDelivered, onState });
    this.offline = !navigator.onLine;
    this.auth = false;
    this.flushing = null;
    window.addEventListener('online', () => { this.offline = false; this.flush(); });
    window.addEventListener('offline', () => { this.offline = true; this.report(); });
    setInterval(() => this.flush(), RETRY_EVERY_MS);
  }

  async post(url, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': this.csrf() },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      let data = null;
      try { data = await response.json(); } catch (error) { /* an HTML error page */ }
      this.reached(response.status, data);
      return { status: response.status, data };
    } catch (error) {
      this.offline = true;
      this.report();
      return { status: 0, data: null };
    } finally {
      clearTimeout(timer);
    }
  }

  // POST, fetching a new CSRF token once if the old one was refused.
  async send(url, body) {
    let answer = await this.post(url, body);
    if (classify(answer.status, answer.data) === 'csrf' && await this.refreshCsrf()) {
      answer = await this.post(url, body);
    }
    return answer;
  }

  // Called after any request that reached the server: the network is back.
  reached(status, data = null) {
    const wasDown = this.offline;
    this.offline = false;
    this.auth = classify(status, data) === 'auth';
    if (status < 500 && !this.auth && (wasDown || !this.flushing)) setTimeout(() => this.flush(), 0);
    this.report();
  }

  async enqueue(item) {
    await queue.add(item);
    await this.report();
  }

  async report() {
    const items = await queue.all();
    const held = items.filter((item) => item.held);
    this.onState({ pending: items.length - held.length, held, offline: this.offline || !navigator.onLine, auth: this.auth });
  }

  // Staff send a held record again (say, once the device's clock is right).
  async resend(item) {
    await queue.release(item);
    await this.flush();
  }

  flush() {
    if (!this.flushing) {
      this.flushing = this.sendQueued().finally(() => { this.flushing = null; this.report(); });
    }
    return this.flushing;
  }

  async sendQueued() {
    if (!navigator.onLine) return;
    for (const item of await queue.all()) {
      if (item.held) continue;
      const answer = await this.send(item.url, item.body);
      const verdict = classify(answer.status, answer.data);
      if (verdict === 'done') {
        await queue.remove(item.nonce);
        await this.onDelivered(item, answer);
      } else if (verdict === 'keep') {
        const message = (answer.data && answer.data.error && answer.data.error.message) || `HTTP ${answer.status}`;
        await queue.hold(item, { status: answer.status, message });
      } else {
        return; // the network, the server or the login is down: the rest would fail alike
      }
    }
  }
}
