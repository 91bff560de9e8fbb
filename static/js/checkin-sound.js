// Short tones for the door (WebAudio, no audio file): staff hear the result without
// looking at the screen. Browsers start audio only after a tap, so the context is created
// or resumed on the first pointer or key press.

let context = null;
let enabled = true;

const TONES = {
  ok: [[880, 0, 0.12]], // one high beep
  already: [[520, 0, 0.12], [520, 0.18, 0.12]], // two middle beeps
  error: [[220, 0, 0.35]], // one low buzz
  queued: [[660, 0, 0.1], [880, 0.12, 0.1]], // rising: saved on the device
};

function ensureContext() {
  const AudioContext = window.AudioContext || window.webkitAudioContext;
  if (!AudioContext) return null;
  if (!context) context = new AudioContext();
  if (context.state === 'suspended') context.resume().catch(() => {});
  return context;
}

export function unlockOnFirstGesture() {
  const unlock = () => {
    ensureContext();
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

export function setSound(on) {
  enabled = on;
}

export function play(kind) {
  if (!enabled || !context || context.state !== 'running') return;
  const start = context.currentTime + 0.01;
  for (const [frequency, offset, duration] of TONES[kind] || TONES.error) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = kind === 'error' ? 'square' : 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + duration);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + duration + 0.02);
  }
}
