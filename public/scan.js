// The door's camera (issue 12): scans QR codes from the rear camera and
// hands each code's text to the app. `BarcodeDetector` where the browser
// has it; otherwise frames go to a worker with a wasm decoder
// (scan-worker.js), so the page never stalls while a frame is read.
//
// The camera is asked for each time the scanner opens (an installed PWA
// on iOS loses the permission when reopened), and released when it
// closes.

const EVERY_MS = 150;
// Frames are read at most this wide: enough for a phone held to a screen
// or a printed receipt, and a quarter of the pixels of 1280.
const MAX_WIDTH = 640;

async function detectorOrNull() {
  if (!('BarcodeDetector' in self)) return null;
  try {
    const formats = await self.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new self.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/// Starts scanning into `video`; `onCode(text)` for each code read,
/// `onProblem(name)` if the camera cannot be used (`NotAllowedError`,
/// `NotFoundError`, …). Resolves to a handle whose `stop()` releases the
/// camera, or to null.
export async function startScan(video, onCode, onProblem) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: 'environment' } },
      audio: false,
    });
  } catch (error) {
    onProblem(String(error?.name ?? error));
    return null;
  }
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play().catch(() => {});
  const detector = await detectorOrNull();
  const worker = detector ? null : new Worker('/scan-worker.js', { type: 'module' });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let busy = false;
  let stopped = false;
  let timer = 0;
  if (worker) {
    worker.onmessage = ({ data }) => {
      busy = false;
      if (data.text && !stopped) onCode(data.text);
    };
    worker.onerror = () => {
      busy = false;
    };
  }
  const tick = async () => {
    if (stopped) return;
    if (!busy && video.readyState >= 2 && video.videoWidth > 0) {
      busy = true;
      if (detector) {
        const codes = await detector.detect(video).catch(() => []);
        busy = false;
        if (codes.length && !stopped) onCode(codes[0].rawValue);
      } else {
        const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        worker.postMessage({ pixels: image.data.buffer, width: canvas.width, height: canvas.height }, [image.data.buffer]);
      }
    }
    timer = setTimeout(tick, EVERY_MS);
  };
  tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      worker?.terminate();
      video.srcObject = null;
    },
  };
}
