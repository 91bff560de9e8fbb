// The 未受付 list (templates/checkin/_not_arrived.html) on the scanner page and the organizers'
// live view. The server renders it; this script fetches it again, whole, from its URL when the
// door's numbers move ('checkin:counts' from live-count.js, so check-ins at other devices show
// too) or after a check-in or undo on this device ('checkin:changed'), and swaps it in.
// When the server cannot be reached (offline, or the page itself came from the service
// worker's copy), the list stays but says that it may be out of date, with the time it was
// made. On the scanner page a tap still works offline (scanner.js queues it); on the live
// page the buttons wait for the network.

const clock = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' });

function start(first) {
  let section = first;
  let inFlight = false;
  let again = false;
  let stale = false;
  const queuesOffline = Boolean(section.closest('#checkin')); // the scanner page sends taps itself

  function mark(isStale) {
    stale = isStale;
    const notice = section.querySelector('[data-not-arrived-stale]');
    section.classList.toggle('not-arrived-stale-list', isStale);
    notice.hidden = !isStale;
    if (isStale) {
      const made = new Date(section.dataset.generatedAt);
      notice.textContent = notice.dataset.textStale.replace('{time}', clock.format(made));
    }
    if (!queuesOffline) {
      for (const button of section.querySelectorAll('form[data-tap] button')) button.disabled = isStale;
    }
  }

  async function refresh() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const response = await fetch(section.dataset.notArrivedUrl, {
        credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' },
      });
      if (!response.ok || response.redirected) throw new Error(`HTTP ${response.status}`);
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = page.querySelector('section.not-arrived');
      if (!fresh) throw new Error('no list in the answer');
      const adopted = document.importNode(fresh, true);
      section.replaceWith(adopted);
      section = adopted;
      mark(false);
    } catch (error) {
      mark(true);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  window.addEventListener('checkin:counts', refresh);
  window.addEventListener('checkin:changed', refresh);
  window.addEventListener('online', refresh);
  window.addEventListener('offline', () => mark(true));
  window.addEventListener('checkin:unreachable', () => mark(true));
  window.addEventListener('checkin:reachable', () => { if (stale) refresh(); });
  if (!navigator.onLine) mark(true);
}

const list = document.querySelector('section.not-arrived[data-not-arrived-url]');
if (list) start(list);
