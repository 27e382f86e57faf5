import { loginFailure, loginNotice, loginTarget } from './loginTarget.js';
import './login.css';

// The login page: two small forms posting JSON to /api/login. Plain DOM, no framework: it
// must load fast and hold under the CSP (this module is its only script).

const message = document.getElementById('login-message') as HTMLElement;
const show = (text: string, bad = true) => {
  message.textContent = text;
  message.dataset.bad = String(bad);
};
show(loginNotice(location.search));

async function submit(body: Record<string, string>, form: HTMLFormElement): Promise<void> {
  const button = form.querySelector('button');
  if (button) button.disabled = true;
  try {
    const res = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (res.ok) {
      location.replace(loginTarget(location.search));
      return;
    }
    const retry = Number(res.headers.get('retry-after')) || undefined;
    show(loginFailure(res.status, retry));
  } catch {
    show('The server cannot be reached.');
  } finally {
    if (button) button.disabled = false;
  }
}

const tokenForm = document.getElementById('token-form') as HTMLFormElement;
tokenForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const token = String(new FormData(tokenForm).get('token') ?? '').trim();
  void submit({ token }, tokenForm);
});

const passwordForm = document.getElementById('password-form') as HTMLFormElement;
passwordForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const data = new FormData(passwordForm);
  void submit(
    { username: String(data.get('username') ?? ''), password: String(data.get('password') ?? '') },
    passwordForm,
  );
});
