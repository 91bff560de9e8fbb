// The live count of the door (templates/checkin/_counts.html): polls the counts API every
// few seconds, on the scanner page and on the organizers' live view. Pauses while the
// page is hidden; refreshes at once after a check-in on this device ('checkin:changed').
// A successful poll tells the scanner that the server is reachable ('checkin:reachable'),
// so that its queue is sent even when the browser never fired `online`; a failed one says
// 'checkin:unreachable'. When a number moved, 'checkin:counts' carries the new counts (the
// 未受付 list, not-arrived.js, fetches itself again then).

const POLL_MS = 5000;

function start(panel) {
  const updated = panel.querySelector('[data-counts-updated]');
  const clock = new Intl.DateTimeFormat('ja-JP', {
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Tokyo',
  });
  let lastGood = null;
  let timer = null;
  let inFlight = false;

  async function refresh() {
    clearTimeout(timer);
    if (document.hidden) return; // resumed by visibilitychange
    if (!inFlight) {
      inFlight = true;
      try {
        const response = await fetch(panel.dataset.countsUrl, {
          credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const counts = await response.json();
        let moved = false;
        for (const cell of panel.querySelectorAll('[data-count]')) {
          const value = counts[cell.dataset.count];
          if (value !== undefined && cell.textContent !== String(value)) {
            cell.textContent = String(value);
            moved = true;
          }
        }
        if (moved) window.dispatchEvent(new CustomEvent('checkin:counts', { detail: counts }));
        lastGood = new Date();
        updated.textContent = updated.dataset.textUpdated.replace('{time}', clock.format(lastGood));
        panel.classList.remove('counts-stale');
        window.dispatchEvent(new Event('checkin:reachable'));
      } catch (error) {
        if (lastGood) updated.textContent = updated.dataset.textStale.replace('{time}', clock.format(lastGood));
        panel.classList.add('counts-stale');
        window.dispatchEvent(new Event('checkin:unreachable'));
      } finally {
        inFlight = false;
      }
    }
    timer = setTimeout(refresh, POLL_MS);
  }

  document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
  window.addEventListener('checkin:changed', () => refresh());
  window.addEventListener('online', () => refresh());
  refresh();
}

document.querySelectorAll('[data-counts-url].counts-panel').forEach(start);
