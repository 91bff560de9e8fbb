// The event's ticket list as downloaded before the doors open (GET …/tickets): names,
// statuses and SHA-256 hashes of the ticket tokens — never the tokens — so that the page
// can say who a ticket belongs to, and catch a second scan, with no network.
// Offline check-ins not yet confirmed by the server live in list.local (number → device time).

import { lists } from './checkin-store.js';

export async function sha256hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Roster {
  constructor() {
    this.use(null);
  }

  use(list) {
    this.list = list;
    this.byHash = new Map(list ? list.tickets.map((t) => [t.ticket_hash, t]) : []);
    this.byNumber = new Map(list ? list.tickets.map((t) => [t.number, t]) : []);
  }

  // Keep a fresh download, with the offline check-ins it cannot know about yet.
  async replace(fresh) {
    fresh.local = (this.list && this.list.local) || {};
    await lists.put(fresh);
    this.use(fresh);
  }

  // The ticket a check-in body names ({ticket} or {registration_id}), or null.
  async find(body) {
    if (body.registration_id != null) return this.byNumber.get(body.registration_id) || null;
    if (!crypto.subtle || typeof body.ticket !== 'string') return null;
    return this.byHash.get(await sha256hex(body.ticket)) || null;
  }

  // When the ticket was checked in, by the server's list or offline on this device.
  seenAt(ticket) {
    return ticket.checked_in_at || (this.list && this.list.local && this.list.local[ticket.number]) || null;
  }

  // local = a device time marks an offline check-in, null clears it (the server has it, or
  // it was undone), undefined leaves it; checkedInAt updates the server's time.
  mark(number, { checkedInAt, local }) {
    const ticket = this.byNumber.get(number);
    if (!this.list || !ticket) return;
    this.list.local = this.list.local || {};
    if (local === null) delete this.list.local[number];
    else if (local) this.list.local[number] = local;
    if (checkedInAt !== undefined) ticket.checked_in_at = checkedInAt;
    lists.put(this.list);
  }
}
