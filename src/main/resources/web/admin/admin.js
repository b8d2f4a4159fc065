// admin.js: the admin page — live resource figures and charts from /admin/resources, the job
// run log with run-now buttons, and the usage report with CSV export. All text goes into the
// page as text nodes (never HTML), and in token mode an admin key is asked for once per tab.

const KEY_STORE = 'aichatbot.adminKey';

async function call(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) headers.Authorization = 'Bearer ' + key;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401 || response.status === 403) {
    const entered = window.prompt(response.status === 401 ? 'Admin API key:' : 'This key is not an admin key. Admin API key:');
    if (entered) {
      sessionStorage.setItem(KEY_STORE, entered.trim());
      return call(path, options);
    }
    throw new Error('an admin key is needed');
  }
  if (!response.ok) {
    let message = 'HTTP ' + response.status;
    try { message = (await response.json()).error.message; } catch (ignored) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
}

const mib = bytes => (bytes / 1048576).toFixed(1);

function showNow(now) {
  const figures = [
    ['RSS', mib(now.rssBytes) + ' MiB'], ['Heap used', mib(now.heapUsedBytes) + ' MiB'],
    ['Heap max', mib(now.heapMaxBytes) + ' MiB'], ['CPU', (Math.max(0, now.processCpu) * 100).toFixed(1) + ' %'],
    ['Threads', now.threads], ['Open files', now.openFiles],
  ];
  for (const [name, value] of Object.entries(now.app || {})) figures.push([name, value]);
  const list = document.getElementById('now');
  list.replaceChildren(...figures.map(([name, value]) => {
    const box = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = name;
    dd.textContent = String(value);
    box.append(dt, dd);
    return box;
  }));
}

/** A small line chart on a canvas: enough for a bounded history, no library needed. */
function chart(id, values) {
  const canvas = document.getElementById(id);
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 480;
  const height = canvas.clientHeight || 160;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const styles = getComputedStyle(document.body);
  g.strokeStyle = styles.color;
  g.fillStyle = styles.color;
  g.font = '11px system-ui, sans-serif';
  if (values.length === 0) return;
  const max = Math.max(1, ...values) * 1.1;
  const step = values.length > 1 ? (width - 40) / (values.length - 1) : 0;
  g.globalAlpha = 0.35;
  g.beginPath();
  g.moveTo(36, 4);
  g.lineTo(36, height - 16);
  g.lineTo(width, height - 16);
  g.stroke();
  g.globalAlpha = 1;
  g.fillText(max.toFixed(max < 10 ? 1 : 0), 2, 12);
  g.fillText('0', 24, height - 18);
  g.strokeStyle = '#2f6fed';
  g.lineWidth = 2;
  g.beginPath();
  values.forEach((value, i) => {
    const x = 36 + i * step;
    const y = (height - 16) - (value / max) * (height - 24);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

async function refreshResources() {
  const data = await (await call('/admin/resources')).json();
  showNow(data.now);
  const history = data.history;
  chart('chart-rss', history.map(s => s.rssBytes / 1048576));
  chart('chart-heap', history.map(s => s.heapUsedBytes / 1048576));
  chart('chart-cpu', history.map(s => Math.max(0, s.processCpu) * 100));
  chart('chart-turns', history.map(s => (s.app && s.app.turnsActive) || 0));
}

async function refreshJobs() {
  const data = await (await call('/admin/jobs')).json();
  const buttons = document.getElementById('job-buttons');
  if (buttons.childElementCount === 0) {
    for (const name of data.jobs) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Run ' + name + ' now';
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await call('/admin/jobs/' + encodeURIComponent(name) + '/run', { method: 'POST' });
          setStatus(name + ' ran');
        } catch (error) {
          setStatus(name + ': ' + error.message);
        } finally {
          button.disabled = false;
          refreshJobs();
        }
      });
      buttons.appendChild(button);
    }
  }
  document.getElementById('runs').replaceChildren(...data.runs.map(run => {
    const row = document.createElement('tr');
    cell(row, run.job);
    cell(row, run.startedAt);
    cell(row, run.endedAt);
    cell(row, run.outcome, run.outcome === 'ok' ? 'ok' : run.outcome === 'running' ? '' : 'failed');
    cell(row, run.rowsTouched);
    cell(row, run.message);
    return row;
  }));
}

function usageQuery() {
  const from = document.getElementById('usage-from').value;
  const to = document.getElementById('usage-to').value;
  const params = new URLSearchParams();
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  return params;
}

async function refreshUsage() {
  const data = await (await call('/admin/usage?' + usageQuery())).json();
  document.getElementById('usage').replaceChildren(...data.rows.map(r => {
    const row = document.createElement('tr');
    [r.day, r.user, r.model, r.requests, r.errors, r.inputTokens, r.outputTokens, r.costUsd.toFixed(6), r.averageLatencyMs]
      .forEach(value => cell(row, value));
    return row;
  }));
}

async function downloadCsv() {
  const params = usageQuery();
  params.set('format', 'csv');
  const blob = await (await call('/admin/usage?' + params)).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'usage.csv';
  link.click();
  URL.revokeObjectURL(link.href);
}

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

async function tick() {
  try {
    await refreshResources();
    setStatus('Updated ' + new Date().toLocaleTimeString());
  } catch (error) {
    setStatus('Could not load: ' + error.message);
  }
}

document.getElementById('usage-form').addEventListener('submit', event => {
  event.preventDefault();
  refreshUsage().catch(error => setStatus(error.message));
});
document.getElementById('usage-csv').addEventListener('click', () => downloadCsv().catch(error => setStatus(error.message)));

await tick();
refreshJobs().catch(error => setStatus(error.message));
refreshUsage().catch(error => setStatus(error.message));
setInterval(tick, 5000);
setInterval(() => refreshJobs().catch(() => {}), 30000);
