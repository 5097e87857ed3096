// ivfuse calibrate --ui: collects IR/visible point pairs from clicks and shows what the server makes
// of them. The fit, its errors and the preview are the server's (api/fit, api/preview: the same
// PointCalibrator as calibrate --points); this page keeps only the clicks. Plain DOM, no framework.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const marks = { ir: document.getElementById('ir-marks'), vis: document.getElementById('vis-marks') };
  const summary = document.getElementById('summary');
  const message = document.getElementById('message');
  const rows = document.querySelector('#pairs tbody');
  const previewSection = document.getElementById('preview-section');
  const preview = document.getElementById('preview');

  let session = null;   // sizes and model, from api/session
  const pairs = [];     // {ir: [x, y], vis: [x, y]} in image pixels, pixel centres at integers
  let pending = null;   // the first half of the next pair: {side: 'ir' | 'vis', at: [x, y]}
  let report = null;    // the server's fit of the current pairs, or null
  let request = 0;      // answers to older requests than the latest are dropped

  const post = (path, body) => fetch(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const pairsBody = () => ({ pairs: pairs.map(p => [...p.ir, ...p.vis]) });
  const fmt = (v, digits = 1) => v.toFixed(digits);

  function showMessage(text, kind = '') {
    message.textContent = text;
    message.className = kind;
  }

  function unreachable(e) {
    showMessage(`The calibrate command does not answer (${e.message}): is it still running?`, 'error');
  }

  /**
   * Image pixel under a click: the overlay's box spans the image from -0.5 to size - 0.5. Mouse
   * coordinates in whole CSS pixels name the screen pixel's corner; the click is on its centre.
   */
  function imagePoint(side, event) {
    const box = marks[side].getBoundingClientRect();
    const size = session[side];
    const centre = v => (Number.isInteger(v) ? v + 0.5 : v);
    return [(centre(event.clientX) - box.left) / box.width * size.width - 0.5,
      (centre(event.clientY) - box.top) / box.height * size.height - 0.5];
  }

  function onClick(side, event) {
    if (!session || document.body.dataset.fit === 'saved') return;
    const at = imagePoint(side, event);
    if (pending && pending.side !== side) {
      pairs.push(side === 'vis' ? { ir: pending.at, vis: at } : { ir: at, vis: pending.at });
      pending = null;
      refit();
    } else {
      pending = { side, at }; // a second click on the same image moves the pending point
    }
    render();
  }

  function undo() {
    if (pending) {
      pending = null;
    } else if (pairs.length) {
      pairs.pop();
      refit();
    }
    render();
  }

  function remove(index) {
    pairs.splice(index, 1);
    refit();
    render();
  }

  /** Fits the current pairs (when there are enough) and shows the result; an unreachable server is said so. */
  function refit() {
    fit().catch(unreachable);
  }

  async function fit() {
    const mine = ++request;
    report = null;
    previewSection.hidden = true;
    if (pairs.length < session.min_pairs) {
      document.body.dataset.fit = 'waiting';
      summary.textContent = `${pairs.length} pair${pairs.length === 1 ? '' : 's'}: a ${session.model} needs at least`
        + ` ${session.min_pairs}`;
      showMessage('');
      return;
    }
    document.body.dataset.fit = 'fitting';
    const answer = await post('api/fit', pairsBody());
    const body = await answer.json();
    if (mine !== request) return;
    if (!answer.ok) {
      document.body.dataset.fit = 'error';
      summary.textContent = `${pairs.length} pairs: no fit`;
      showMessage(body.error, 'error');
      render();
      return;
    }
    report = body;
    const outliers = report.points.filter(p => p.outlier).length;
    summary.textContent = `RMS reprojection error ${fmt(report.rms_px, 2)} px over ${pairs.length} pairs`
      + ` (${outliers} outlier${outliers === 1 ? '' : 's'}, more than ${session.outlier_px} px off)`;
    summary.dataset.rms = report.rms_px;
    showMessage('');
    render();
    document.body.dataset.fit = 'ok';
    const picture = await post('api/preview', pairsBody());
    if (mine !== request || !picture.ok) return;
    const url = URL.createObjectURL(await picture.blob());
    preview.onload = () => URL.revokeObjectURL(url);
    preview.src = url;
    previewSection.hidden = false;
  }

  async function save() {
    const answer = await post('api/save', pairsBody());
    const body = await answer.json();
    if (!answer.ok) {
      showMessage(`Not saved: ${body.error}`, 'error');
      return;
    }
    document.body.dataset.fit = 'saved';
    document.querySelectorAll('button').forEach(b => { b.disabled = true; }); // the table's Delete too
    showMessage(`Saved ${body.written.join(' and ')}. ${body.summary}. You can close this page.`, 'saved');
  }

  async function quit() {
    await post('api/quit', {});
    document.body.dataset.fit = 'quit';
    document.querySelectorAll('button').forEach(b => { b.disabled = true; }); // the table's Delete too
    showMessage('Quit without saving: nothing was written. You can close this page.');
  }

  function mark(side, at, label, kind) {
    const size = session[side];
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('class', `mark ${kind}`);
    const circle = document.createElementNS(SVG, 'circle');
    circle.setAttribute('cx', at[0]);
    circle.setAttribute('cy', at[1]);
    circle.setAttribute('r', Math.max(size.width, size.height) / 90);
    const text = document.createElementNS(SVG, 'text');
    text.setAttribute('x', at[0] + Math.max(size.width, size.height) / 70);
    text.setAttribute('y', at[1] - Math.max(size.width, size.height) / 70);
    text.setAttribute('font-size', Math.max(size.width, size.height) / 30);
    text.textContent = label;
    g.append(circle, text);
    marks[side].append(g);
  }

  function render() {
    for (const side of ['ir', 'vis']) marks[side].replaceChildren();
    rows.replaceChildren();
    pairs.forEach((p, i) => {
      const point = report && report.points[i];
      const kind = point && point.outlier ? 'outlier' : '';
      mark('ir', p.ir, String(i + 1), kind);
      mark('vis', p.vis, String(i + 1), kind);
      const row = rows.insertRow();
      row.className = kind;
      row.dataset.pair = String(i + 1);
      for (const text of [String(i + 1), `${fmt(p.ir[0])}, ${fmt(p.ir[1])}`, `${fmt(p.vis[0])}, ${fmt(p.vis[1])}`,
        point ? fmt(point.error_px, 2) + (point.outlier ? ' outlier' : '') : '–']) {
        row.insertCell().textContent = text;
      }
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'delete';
      del.textContent = 'Delete';
      del.title = `delete pair ${i + 1}`;
      del.addEventListener('click', () => remove(i));
      row.insertCell().append(del);
    });
    if (pending) mark(pending.side, pending.at, String(pairs.length + 1), 'pending');
  }

  async function start() {
    session = await (await fetch('api/session')).json();
    for (const side of ['ir', 'vis']) {
      const size = session[side];
      marks[side].setAttribute('viewBox', `-0.5 -0.5 ${size.width} ${size.height}`);
      marks[side].setAttribute('preserveAspectRatio', 'none');
      marks[side].addEventListener('click', e => onClick(side, e));
      document.getElementById(`${side}-size`).textContent = `${size.width}×${size.height}`;
    }
    document.getElementById('undo').addEventListener('click', undo);
    document.getElementById('save').addEventListener('click', () => save().catch(unreachable));
    document.getElementById('quit').addEventListener('click', () => quit().catch(unreachable));
    document.addEventListener('keydown', e => { if (e.key === 'z' && !e.ctrlKey && !e.metaKey) undo(); });
    await fit();
    render();
    document.body.dataset.ready = 'true';
  }

  start().catch(e => showMessage(`The page could not start: ${e}`, 'error'));
})();
