// The rear camera and the QR decoder of the scanner page.
//
// Decoder: the browser's own BarcodeDetector where it reads QR codes (Android Chrome),
// otherwise the barcode-detector ponyfill (zxing-cpp in WebAssembly) from /static/vendor/,
// told where its .wasm lives so that it never asks a CDN. Measured on this project's
// machines with the fake camera: first decode ≈ 0.35–0.55 s after load, 10–17 ms a
// 640×480 frame, and it still reads a noisy low-contrast frame that jsQR-based decoders
// miss (see the README).

const SCAN_INTERVAL_MS = 120; // ≈ 8 decodes a second: quick enough, kind to a phone's battery
const SAME_CODE_GONE_MS = 2000; // a ticket held in view counts once; it must leave the frame first

async function makeDetector(wasmUrl) {
  if ('BarcodeDetector' in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes('qr_code')) return new window.BarcodeDetector({ formats: ['qr_code'] });
    } catch (error) { /* no working native detector: use the ponyfill */ }
  }
  const api = window.BarcodeDetectionAPI;
  if (!api) throw new Error('QR decoder not loaded');
  api.prepareZXingModule({
    overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  });
  return new api.BarcodeDetector({ formats: ['qr_code'] });
}

// Start the camera in `video` and call onCode(text, detectedAt) for each new code in view.
// Returns {stop()}. Throws the getUserMedia error (NotAllowedError, NotFoundError…).
export async function startScanner({ video, wasmUrl, onCode }) {
  const stream = await navigator.mediaDevices.getUserMedia({
    // 'environment' as a preference, never {exact: …}: a laptop or a fake camera has no rear one.
    video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: false,
  });
  video.srcObject = stream;
  await video.play();
  const detector = await makeDetector(wasmUrl);

  let running = true;
  let busy = false;
  let lastText = null;
  let lastSeen = 0;

  async function tick() {
    if (!running) return;
    if (!busy && video.readyState >= 2) {
      busy = true;
      try {
        const codes = await detector.detect(video);
        const now = performance.now();
        const text = codes.length ? codes[0].rawValue : null;
        if (text) {
          const isNew = text !== lastText || now - lastSeen > SAME_CODE_GONE_MS;
          lastText = text;
          lastSeen = now;
          if (isNew) onCode(text, now);
        }
      } catch (error) {
        // A frame that cannot be read (camera switching, page hidden): try the next one.
      } finally {
        busy = false;
      }
    }
    if (running) setTimeout(tick, SCAN_INTERVAL_MS);
  }
  tick();

  return {
    stop() {
      running = false;
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
    },
  };
}

// What went wrong when the camera would not start, as one of the scanner page's messages
// (templates/checkin/scanner.html, data-camera-*): the browser's error names are for us, not
// for staff at the door.
export function cameraProblem(error) {
  switch (error && error.name) {
    case 'NotAllowedError': // the user or the browser's settings said no
    case 'PermissionDeniedError': // older Chromium
      return 'denied';
    case 'NotFoundError': // no camera at all
    case 'DevicesNotFoundError':
    case 'OverconstrainedError': // none that fits what we asked (we never ask for an exact one)
      return 'missing';
    case 'NotReadableError': // there is one, but another app holds it
    case 'TrackStartError':
      return 'busy';
    default:
      return 'failed';
  }
}

export function cameraAvailable() {
  return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}
