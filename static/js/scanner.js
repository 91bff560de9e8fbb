// The door's scanner page: camera → ticket → check-in, with a queue for when the network
// is gone. Server contract: docs/architecture.md
// (*JSON API*, *The door*) and eventsapp/checkin/api.py. Pieces:
//   checkin-camera.js  the rear camera and the QR decoder
//   checkin-outbox.js  sending, the offline queue and its one flush()
//   checkin-roster.js  the downloaded ticket list (names, hashes) for offline answers
//   checkin-store.js   IndexedDB (queue, downloaded ticket list)
//   checkin-sound.js   tones
//   not-arrived.js     the 未受付 list (its taps are sent from here, see wireNotArrived)
//   sw.js              the service worker that keeps this page and its files for offline reloads

import { cameraAvailable, cameraProblem, startScanner } from './checkin-camera.js';
import { Outbox, classify, deviceTime, doorClosed, newNonce } from './checkin-outbox.js';
import { Roster } from './checkin-roster.js';
import { play, setSound, unlockOnFirstGesture } from './checkin-sound.js';
import { lists, queue, wipeFinishedLists, wipePersonalData } from './checkin-store.js';

const LIST_REFRESH_MS = 60000;
const UNDO_WINDOW_MS = 5 * 60 * 1000; // the server refuses an undo after 5 minutes too
// A typed 受付番号: at most this many digits, as eventsapp/registration/numbers.py (a test compares them).
const NUMBER_MAX_DIGITS = 9;
const NUMBER_SHAPE = new RegExp(`^[0-9]{1,${NUMBER_MAX_DIGITS}}$`);

const root = document.getElementById('checkin');
const cfg = root.dataset;
const eventId = Number(cfg.eventId);
const texts = root.querySelector('[data-texts]').dataset;
const $ = (selector) => root.querySelector(selector);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? '');
const clock = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' });
const hhmm = (iso) => clock.format(iso ? new Date(iso) : new Date());

// ---- the downloaded ticket list -------------------------------------------------------

const roster = new Roster();

function useList(list) {
  roster.use(list);
  const info = $('[data-list-line]');
  if (Date.parse(cfg.endsAt) < Date.now()) info.textContent = texts.listOver;
  else if (!list) info.textContent = texts.listNone;
  else info.textContent = fill(texts.listInfo, { n: list.tickets.length, time: hhmm(list.generated_at) });
}

const findTicket = (body) => roster.find(body);
const markTicket = (number, change) => roster.mark(number, change);

async function downloadList() {
  if (Date.parse(cfg.endsAt) < Date.now()) {
    await wipeFinishedLists();
    useList(null);
    return;
  }
  try {
    const response = await fetch(cfg.ticketsUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const data = response.status === 403 ? await response.json().catch(() => null) : null;
    outbox.reached(response.status, data);
    if (doorClosed(response.status, data)) {
      // The door's hours are over (or not yet begun): the server's page says so in place of the scanner.
      location.reload();
      return;
    }
    if (!response.ok) return;
    await roster.replace(await response.json());
    useList(roster.list);
  } catch (error) {
    // Offline: keep the copy we have.
  }
}

// ---- the result panel ------------------------------------------------------------------

const panel = $('#result');
let admitBody = null;

function show(kind, { head, name = '', kana = '', org = '', note = '', admit = null }) {
  panel.hidden = false;
  panel.className = `result result-${kind}`;
  $('[data-result-head]').textContent = head;
  $('[data-result-name]').textContent = name;
  $('[data-result-kana]').textContent = kana;
  $('[data-result-org]').textContent = org;
  $('[data-result-note]').textContent = note;
  admitBody = admit;
  $('[data-admit]').hidden = !admit;
  const tone = { ok: 'ok', queued: 'queued', already: 'already', refused: 'error', pending: 'queued' }[kind];
  if (tone) play(tone);
}

function showAnswer(answer, body) {
  const data = answer.data || {};
  const person = { name: data.name || '', kana: data.kana || '', org: data.organization || '' };
  if (answer.status === 201) {
    show('ok', { head: texts.checkedIn, ...person, note: fill(texts.number, { number: data.registration_id }) });
  } else if (answer.status === 200) {
    show('already', { head: fill(texts.already, { time: hhmm(data.checked_in_at) }), ...person });
  } else {
    const error = data.error || {};
    const admit = error.code === 'waitlisted' ? body : null;
    const ticket = body.registration_id != null ? roster.byNumber.get(body.registration_id) : null;
    show('refused', {
      head: texts.refused, note: error.message || `HTTP ${answer.status}`, admit,
      name: ticket ? ticket.name : '', kana: ticket ? ticket.kana : '',
    });
  }
}

// ---- check-in ---------------------------------------------------------------------------

let lastCheckin = null; // {registration_id?, nonce, name, at}
const deviceId = (() => {
  try {
    let id = localStorage.getItem('checkin-device');
    if (!id) localStorage.setItem('checkin-device', (id = `door-${newNonce().slice(0, 8)}`));
    return id;
  } catch (error) {
    return 'door';
  }
})();

function remember(registrationId, nonce, name) {
  lastCheckin = { registration_id: registrationId, nonce, name, at: Date.now() };
  drawUndo();
}

async function checkIn(fields, { detectedAt = performance.now() } = {}) {
  const body = { ...fields, nonce: newNonce(), scanned_at: deviceTime(), device: deviceId };
  const ticket = await findTicket(body);
  // Known to be offline (the last request failed, or the browser says so): no 8 s wait.
  const answer = outbox.offline || !navigator.onLine ? { status: 0, data: null } : await outbox.send(cfg.checkinUrl, body);
  const verdict = classify(answer.status, answer.data);
  if (verdict === 'retry' || verdict === 'auth' || verdict === 'csrf') {
    await checkInOffline(body, ticket);
  } else {
    showAnswer(answer, body);
    const data = answer.data || {};
    if (answer.status === 201 || answer.status === 200) {
      markTicket(data.registration_id, { checkedInAt: data.checked_in_at, local: null });
      if (answer.status === 201) remember(data.registration_id, body.nonce, data.name);
      window.dispatchEvent(new Event('checkin:changed'));
    }
  }
  performance.measure('scan-to-confirmation', { start: detectedAt, end: performance.now() });
}

// No answer from the server: decide with the downloaded list, and queue what it cannot refuse.
async function checkInOffline(body, ticket) {
  const seenAt = ticket && roster.seenAt(ticket);
  const person = ticket ? { name: ticket.name, kana: ticket.kana, org: ticket.organization } : {};
  if (ticket && seenAt) {
    show('already', { head: fill(texts.already, { time: hhmm(seenAt) }), ...person });
  } else if (ticket && ticket.status === 'cancelled' && !body.admit) {
    show('refused', { head: texts.refused, ...person, note: texts.cancelledOffline });
  } else if (ticket && ticket.status === 'waitlisted' && !body.admit) {
    show('refused', { head: texts.refused, ...person, admit: body, note: texts.waitlistedOffline });
  } else {
    await outbox.enqueue({
      nonce: body.nonce, url: cfg.checkinUrl, body, event_id: eventId, queued_at: new Date().toISOString(),
      label: ticket ? ticket.name : (body.registration_id != null ? fill(texts.number, { number: body.registration_id }) : ''),
    });
    if (ticket) {
      markTicket(ticket.number, { local: body.scanned_at });
      show('queued', { head: texts.checkedInOffline, ...person, note: texts.queuedNote });
      remember(null, body.nonce, ticket.name);
    } else {
      show('pending', { head: texts.unknownOffline, note: texts.unknownOfflineNote });
      remember(null, body.nonce, body.registration_id != null ? fill(texts.number, { number: body.registration_id }) : '');
    }
  }
}

// A queued record got its answer from the server.
async function delivered(item, answer) {
  const data = answer.data || {};
  if (answer.status === 201 || answer.status === 200) {
    markTicket(data.registration_id, { checkedInAt: data.checked_in_at, local: null });
  } else {
    const ticket = await findTicket(item.body);
    if (ticket) markTicket(ticket.number, { local: null });
    const error = (data.error && data.error.message) || `HTTP ${answer.status}`;
    const entry = document.createElement('li');
    entry.textContent = `${hhmm(item.body.scanned_at)} ${item.label || ''} — ${error}`;
    $('[data-refused-list]').append(entry);
    $('[data-refused-box]').hidden = false;
  }
  if (lastCheckin && lastCheckin.nonce === item.nonce) {
    // Ours to undo only if this record made the check-in (200: someone else's came first).
    if (answer.status === 201) lastCheckin.registration_id = data.registration_id;
    else lastCheckin = null;
    drawUndo();
  }
  window.dispatchEvent(new Event('checkin:changed'));
}

// A queued scan dropped before the server had it: off the queue, and off the device's list.
async function forgetQueued(item) {
  await queue.remove(item.nonce);
  const ticket = await findTicket(item.body);
  if (ticket) markTicket(ticket.number, { local: null });
}

// ---- undo -------------------------------------------------------------------------------

let undoTimer = null;

function drawUndo() {
  const box = $('[data-undo-box]');
  clearTimeout(undoTimer);
  askUndo(false);
  if (!lastCheckin || Date.now() - lastCheckin.at > UNDO_WINDOW_MS) {
    box.hidden = true;
    return;
  }
  $('[data-undo-button]').textContent = fill(texts.undo, { name: lastCheckin.name });
  box.hidden = false;
  undoTimer = setTimeout(drawUndo, UNDO_WINDOW_MS - (Date.now() - lastCheckin.at) + 50);
}

// The confirmation step: the undo button asks first, in place (no dialog to dismiss by mistake).
function askUndo(asking) {
  $('[data-undo-ask]').hidden = !asking;
  $('[data-undo-button]').hidden = asking;
  if (asking) {
    $('[data-undo-question]').textContent = fill(texts.undoQuestion, { name: lastCheckin ? lastCheckin.name : '' });
    $('[data-undo-yes]').focus();
  }
}

async function undo() {
  const last = lastCheckin;
  askUndo(false);
  if (!last) return;
  if (outbox.flushing) await outbox.flushing; // the record may be on its way right now
  const queued = (await queue.all()).find((item) => item.nonce === last.nonce);
  if (queued) { // not sent yet: simply forget it
    await forgetQueued(queued);
  } else {
    if (last.registration_id == null) { // refused or answered 200 in the meantime: nothing of ours
      lastCheckin = null;
      drawUndo();
      return;
    }
    const answer = await outbox.send(cfg.undoUrl, { registration_id: last.registration_id });
    if (answer.status === 0) {
      show('refused', { head: texts.refused, name: last.name, note: texts.undoOffline });
      return;
    }
    if (answer.status !== 200) {
      showAnswer(answer, {});
      return;
    }
    markTicket(last.registration_id, { checkedInAt: null, local: null });
  }
  lastCheckin = null;
  drawUndo();
  show('undone', { head: texts.undone, name: last.name });
  outbox.report();
  window.dispatchEvent(new Event('checkin:changed'));
}

// ---- status line ------------------------------------------------------------------------

function drawStatus({ pending, held, offline, auth }) {
  const line = $('#net-status');
  line.hidden = false;
  line.className = `net-status ${offline ? 'net-offline' : pending || held.length ? 'net-pending' : 'net-online'}`;
  if (auth) line.textContent = fill(texts.statusAuth, { n: pending });
  else if (offline) line.textContent = fill(texts.statusOffline, { n: pending });
  else if (pending) line.textContent = fill(texts.statusSending, { n: pending });
  else if (held.length) line.textContent = fill(texts.statusHeld, { n: held.length });
  else line.textContent = texts.statusOnline;
  root.dataset.pending = String(pending);
  drawHeld(held);
}

// Records the server refused as faulty: kept on the device until staff send or delete them.
function drawHeld(held) {
  const list = $('[data-held-list]');
  list.replaceChildren(...held.map((item) => {
    const entry = document.createElement('li');
    const what = document.createElement('span');
    what.textContent = `${hhmm(item.body.scanned_at)} ${item.label || ''} — ${item.held.message}`;
    const resend = document.createElement('button');
    resend.type = 'button';
    resend.textContent = texts.resend;
    resend.addEventListener('click', () => outbox.resend(item));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger';
    remove.textContent = texts.remove;
    remove.addEventListener('click', async () => {
      if (!window.confirm(fill(texts.removeConfirm, { label: item.label || hhmm(item.body.scanned_at) }))) return;
      await forgetQueued(item);
      outbox.report();
    });
    entry.append(what, ' ', resend, ' ', remove);
    return entry;
  }));
  $('[data-held-box]').hidden = held.length === 0;
}

// ---- the page's wiring -----------------------------------------------------------------

function csrf() {
  return document.querySelector('meta[name=csrf-token]').content;
}

// A page reloaded from the service worker's copy may carry an old token: fetch the page again.
async function refreshCsrf() {
  try {
    const response = await fetch(location.pathname, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok || response.redirected) return false;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const token = page.querySelector('meta[name=csrf-token]');
    if (!token) return false;
    document.querySelector('meta[name=csrf-token]').content = token.content;
    return true;
  } catch (error) {
    return false;
  }
}

const outbox = new Outbox({ csrf, refreshCsrf, onDelivered: delivered, onState: drawStatus });

function wireManualEntry() {
  const form = $('[data-manual]');
  const input = form.querySelector('input');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const digits = input.value.normalize('NFKC').trim();
    if (!NUMBER_SHAPE.test(digits)) {
      show('refused', { head: texts.refused, note: texts.numberInvalid });
      return;
    }
    input.value = '';
    // Keep the keyboard up for the next number, but bring the answer into view.
    input.focus({ preventScroll: true });
    checkIn({ registration_id: Number(digits), method: 'number' })
      .then(() => panel.scrollIntoView({ block: 'nearest' }));
  });
}

// A tap on the 未受付 list (templates/checkin/_not_arrived.html): sent like a typed number,
// through the API and its offline queue, answered in the result panel with its undo; the
// form's own POST is only for pages without this script.
function wireNotArrived() {
  root.addEventListener('submit', async (event) => {
    const form = event.target.closest('form[data-tap]');
    if (!form) return;
    event.preventDefault();
    const registrationId = Number(form.elements.registration_id.value);
    const button = form.querySelector('button');
    button.disabled = true;
    await checkIn({ registration_id: registrationId, method: 'search' });
    if (!panel.classList.contains('result-refused')) form.closest('li').remove(); // in, or queued
    button.disabled = false;
    panel.scrollIntoView({ block: 'nearest' });
  });
}

let camera = null;
const CAMERA_TEXTS = { denied: 'cameraDenied', missing: 'cameraMissing', busy: 'cameraBusy', failed: 'cameraFailed' };

async function toggleCamera() {
  const button = $('[data-camera-toggle]');
  const message = $('[data-camera-message]');
  if (camera) {
    camera.stop();
    camera = null;
    button.textContent = texts.cameraStart;
    message.textContent = '';
    return;
  }
  button.disabled = true;
  message.textContent = texts.cameraStarting;
  try {
    camera = await startScanner({
      video: $('#camera-video'),
      wasmUrl: cfg.wasmUrl,
      onCode: (text, detectedAt) => checkIn({ ticket: text, method: 'qr' }, { detectedAt }),
    });
    button.textContent = texts.cameraStop;
    message.textContent = texts.cameraReady;
    root.dataset.camera = 'on';
  } catch (error) {
    // Words for staff, never the browser's error name (checkin-camera.js cameraProblem).
    const problem = cameraProblem(error);
    message.textContent = texts[CAMERA_TEXTS[problem]];
    button.textContent = texts.cameraStart;
    root.dataset.camera = 'error';
    root.dataset.cameraProblem = problem;
  } finally {
    button.disabled = false;
  }
}

function wireCamera() {
  $('[data-camera]').hidden = false;
  if (!window.isSecureContext || !cameraAvailable()) {
    // Plain HTTP on a LAN address: the browser gives no camera at all (README, *Phones need HTTPS*).
    const problem = window.isSecureContext ? 'missing' : 'insecure';
    $('[data-camera-message]').textContent = problem === 'insecure' ? texts.insecure : texts.cameraMissing;
    $('[data-camera-toggle]').hidden = true;
    root.dataset.camera = 'unavailable';
    root.dataset.cameraProblem = problem;
    return;
  }
  $('[data-camera-toggle]').addEventListener('click', toggleCamera);
  const sound = $('[data-sound-toggle]');
  sound.addEventListener('click', () => {
    const on = sound.getAttribute('aria-pressed') !== 'true';
    sound.setAttribute('aria-pressed', String(on));
    setSound(on);
  });
  toggleCamera();
}

// Register the worker and have it keep a fresh copy of this page for offline reloads.
async function prepareOffline() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope });
    const registration = await navigator.serviceWorker.ready;
    await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      registration.active.postMessage({ type: 'cache-page', url: location.pathname }, [channel.port2]);
      setTimeout(resolve, 10000);
    });
  } catch (error) {
    // No service worker (plain HTTP on a LAN address): the page still works online.
  }
}

// The site's logout form (base.html): say so if scans are still unsent (they stay on the
// device and go out the next time the scanner is open), wipe the device's copies, log out.
function wipeOnLogout() {
  const form = document.querySelector('form[action$="/logout"]');
  if (!form) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const unsent = await queue.count().catch(() => 0);
    if (unsent && !window.confirm(fill(texts.logoutUnsent, { n: unsent }))) return;
    const timeout = new Promise((resolve) => setTimeout(resolve, 1500));
    await Promise.race([wipePersonalData().catch(() => {}), timeout]);
    form.submit(); // submit() fires no submit event: no second round
  });
}

async function start() {
  panel.hidden = false; // the idle panel from the start: nothing moves when the first result comes
  unlockOnFirstGesture();
  wipeOnLogout();
  wireManualEntry();
  wireCamera();
  wireNotArrived();
  $('[data-undo-button]').addEventListener('click', () => askUndo(true));
  $('[data-undo-yes]').addEventListener('click', undo);
  $('[data-undo-no]').addEventListener('click', () => {
    askUndo(false);
    $('[data-undo-button]').focus();
  });
  $('[data-admit]').addEventListener('click', () => {
    if (admitBody) {
      const { nonce, scanned_at, device, ...fields } = admitBody; // a new nonce: it is a new request
      checkIn({ ...fields, admit: true });
    }
  });
  window.addEventListener('checkin:reachable', () => outbox.reached(200));
  await wipeFinishedLists();
  useList((await lists.get(eventId)) || null);
  await outbox.report();
  outbox.flush();
  await Promise.all([downloadList(), prepareOffline()]);
  setInterval(downloadList, LIST_REFRESH_MS);
  root.dataset.ready = 'true';
}

start();
