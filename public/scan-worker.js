// The door's QR decoder off the page's thread (issue 12): frames from
// scan.js in, the first QR code's text out. The wasm decoder (`scan/`,
// quircs) is fetched when the camera first opens, from the service
// worker's cache on a field device, so scanning works offline.
import init, { decode } from '/didar-scan.js';

const ready = init({ module_or_path: '/didar-scan_bg.wasm' });

self.onmessage = async ({ data }) => {
  await ready;
  const text = decode(new Uint8Array(data.pixels), data.width, data.height);
  self.postMessage({ text: text ?? null });
};
