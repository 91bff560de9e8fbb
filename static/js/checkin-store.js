// IndexedDB of the door's device: the queue of scans not yet sent, and each event's
// downloaded ticket list (names and ticket hashes, to show who it is and to catch
// duplicates while offline). Plain IndexedDB wrapped in promises; no library.
//
//   queue: {nonce, url, body, event_id, label, queued_at, held?}     key: nonce
//          `held` {status, message}: the server refused the record itself (422); it is kept
//          but not sent again until staff send it again or delete it.
//   lists: {event_id, ends_at, generated_at, tickets: [...], local}  key: event_id
//          `local` maps a ticket number to the device time of an offline check-in.

const DB_NAME = 'eventsapp-checkin';
const DB_VERSION = 1;

let opening = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function open() {
  if (!opening) {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'nonce' });
      if (!db.objectStoreNames.contains('lists')) db.createObjectStore('lists', { keyPath: 'event_id' });
    };
    opening = request(req);
  }
  return opening;
}

async function run(storeName, mode, action) {
  const db = await open();
  const tx = db.transaction(storeName, mode);
  // Resolve only once the transaction is complete: a reload right after must find the write.
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  const result = await request(action(tx.objectStore(storeName)));
  await done;
  return result;
}

export const queue = {
  add: (item) => run('queue', 'readwrite', (store) => store.put(item)),
  remove: (nonce) => run('queue', 'readwrite', (store) => store.delete(nonce)),
  all: async () => {
    const items = await run('queue', 'readonly', (store) => store.getAll());
    return items.sort((a, b) => a.queued_at.localeCompare(b.queued_at));
  },
  count: () => run('queue', 'readonly', (store) => store.count()),
  // Keep the record, marked with the server's answer, out of the automatic sending.
  hold: (item, held) => run('queue', 'readwrite', (store) => store.put({ ...item, held })),
  release: (item) => {
    const record = { ...item };
    delete record.held;
    return run('queue', 'readwrite', (store) => store.put(record));
  },
};

export const lists = {
  get: (eventId) => run('lists', 'readonly', (store) => store.get(eventId)),
  put: (list) => run('lists', 'readwrite', (store) => store.put(list)),
  remove: (eventId) => run('lists', 'readwrite', (store) => store.delete(eventId)),
  all: () => run('lists', 'readonly', (store) => store.getAll()),
};

// Logging out of a shared tablet: the names go at once, and so do the offline copies of
// the scanner pages (they show who was logged in). Unsent scans stay until sent.
export async function wipePersonalData() {
  for (const list of await lists.all()) await lists.remove(list.event_id);
  if (!('caches' in window)) return;
  for (const name of await caches.keys()) {
    if (!name.startsWith('checkin-')) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (!new URL(request.url).pathname.startsWith('/static/')) await cache.delete(request);
    }
  }
}

// Names stay on a device no longer than needed: every list whose event is over goes.
// Unsent scans are kept until the server has them.
export async function wipeFinishedLists(now = Date.now()) {
  for (const list of await lists.all()) {
    if (Date.parse(list.ends_at) < now) await lists.remove(list.event_id);
  }
}
