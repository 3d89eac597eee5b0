// Starts the app and its service worker. It is a file of its own, not an
// inline script, because the Content-Security-Policy allows only scripts
// from our origin. `cargo xtask dist` rewrites the paths below to the
// content-hashed file names.
// The staff screens' page (staff.html, served under /staff) is marked: it
// starts the whole app; every other page the citizens' smaller bundle.
const staff = document.documentElement.dataset.bundle === 'staff';
const app = staff ? await import('/didar-staff.js') : await import('/didar.js');
app.default({ module_or_path: staff ? '/didar-staff_bg.wasm' : '/didar_bg.wasm' });

// Service worker: precaches the shell so the app starts offline. A new
// version waits until the person chooses to update (the app shows a
// toast), so nobody's half-filled form is reloaded away under them.
if ('serviceWorker' in navigator) {
  let applying = false;

  const announce = () => {
    window.__didarUpdateReady = true;
    window.dispatchEvent(new Event('didar:update-ready'));
  };

  navigator.serviceWorker.register('/sw.js').then((registration) => {
    if (registration.waiting && navigator.serviceWorker.controller) announce();
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) announce();
      });
    });
    window.addEventListener('didar:apply-update', () => {
      applying = true;
      if (registration.waiting) registration.waiting.postMessage('skip-waiting');
    });
    // Long-open tabs (a check-in desk all day) still learn of new versions.
    setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
  }).catch((error) => console.warn('service worker not registered:', error.message));

  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (applying) window.location.reload();
  });
}
