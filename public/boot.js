// Starts the service worker, then the app. It is a file of its own, not an
// inline script, because the Content-Security-Policy allows only scripts
// from our origin. `cargo xtask dist` rewrites the paths below to the
// content-hashed file names.
//
// Updates live here, outside the app, in plain DOM: a release whose app
// fails to start (a broken module, a panic at start) must still be able to
// take the next fix, so the worker is registered before the app is
// imported, and neither the offer nor the recovery needs the app.
// - The app runs: a new version waits until the person chooses to update
//   (a button), so nobody's half-filled form is reloaded away under them.
// - The app failed to start: there is nothing of the person's to lose, so
//   a waiting version is applied and the page reloads by itself; until one
//   comes, the page says so and looks for one, ever less often.

// The staff pages are marked: field.html (sign-in, the staff home, the
// door) starts a field device's bundle, staff.html the whole app; every
// other page the citizens' smaller bundle. (The paths stay literal: the
// build rewrites them to the hashed names.)
const bundle = document.documentElement.dataset.bundle;
// The app's language switch, as the app keeps it (`i18n::remember`).
let english = false;
try {
  english = localStorage.getItem('didar.lang') === '"en"';
} catch {
  // Storage refused (private browsing): Persian, the default.
}
const say = (fa, en) => (english ? en : fa);

let failed = false;
let applying = false;

/// Shows `text` with one button in `box`, replacing what it held.
function show(box, text, label, action) {
  const message = document.createElement('span');
  message.textContent = text;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button-small';
  button.textContent = label;
  button.addEventListener('click', action);
  box.replaceChildren(message, ' ', button);
  return box;
}

/// The waiting version takes over; the page reloads once it controls it.
function apply(registration) {
  if (registration?.waiting) {
    applying = true;
    registration.waiting.postMessage('skip-waiting');
  } else {
    window.location.reload();
  }
}

/// A new version is installed and waits.
function ready(registration) {
  if (failed) {
    apply(registration);
    return;
  }
  if (document.querySelector('[data-testid="update-toast"]')) return;
  const toast = document.createElement('div');
  toast.className = 'toast';
  toast.setAttribute('role', 'status');
  toast.dataset.testid = 'update-toast';
  show(
    toast,
    say('نسخهٔ تازه‌ای از برنامه آماده است.', 'A new version of the app is ready.'),
    say('به‌روزرسانی', 'Update'),
    () => apply(registration),
  );
  document.body.append(toast);
}

function watch(registration) {
  const check = () => {
    if (registration.waiting && navigator.serviceWorker.controller) ready(registration);
  };
  check();
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') check();
    });
  });
  // Long-open tabs (a check-in desk all day) still learn of new versions.
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
  return registration;
}

const worker = 'serviceWorker' in navigator
  ? navigator.serviceWorker.register('/sw.js').then(watch, (error) => {
    console.warn('service worker not registered:', error.message);
  })
  : Promise.resolve();
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (applying) window.location.reload();
  });
}

try {
  const [app, module] = bundle === 'staff'
    ? [await import('/didar-staff.js'), '/didar-staff_bg.wasm']
    : bundle === 'field'
      ? [await import('/didar-field.js'), '/didar-field_bg.wasm']
      : [await import('/didar.js'), '/didar_bg.wasm'];
  await app.default({ module_or_path: module });
} catch (error) {
  failed = true;
  console.warn('Didar did not start:', error);
  const box = document.querySelector('.boot') ?? document.body.appendChild(document.createElement('div'));
  box.className = 'boot';
  box.setAttribute('role', 'alert');
  box.dataset.testid = 'boot-failed';
  const registration = await worker;
  show(
    box,
    say(
      'دیدار باز نشد. نسخهٔ تازه‌ای که این مشکل را رفع کند، به محض آماده شدن خودکار بارگذاری می‌شود؛ می‌توانید صفحه را هم دوباره بارگذاری کنید.',
      'Didar did not start. A new version that fixes it loads by itself as soon as it is ready; you can also reload the page.',
    ),
    say('بارگذاری دوباره', 'Reload'),
    () => apply(registration),
  );
  if (registration?.waiting) {
    apply(registration);
  } else if (registration) {
    // The fix may not be released yet: look again after 5 s, 10 s, 20 s, …
    // up to every 5 minutes, so broken phones do not flood the server.
    let delay = 5000;
    const look = () => setTimeout(() => {
      delay = Math.min(delay * 2, 5 * 60 * 1000);
      registration.update().catch(() => {}).finally(look);
    }, delay);
    registration.update().catch(() => {}).finally(look);
  }
}
