// ivfuse status page: polls the JSON API (api/pairs) and keeps one tile per camera pair, with its
// latest snapshot. Plain DOM, no framework, no external assets. Paths are relative to the page,
// so a reverse proxy may mount the service under a prefix.
'use strict';

(() => {
  // How often the pair list and every tile's snapshot are fetched: 1.5 s, or ?refresh=SECONDS
  // (0.2 to 60) in the page's address, e.g. a wall display on a slow link: /?refresh=5.
  const POLL_MS = (() => {
    const seconds = Number(new URLSearchParams(location.search).get('refresh'));
    return seconds >= 0.2 && seconds <= 60 ? Math.round(seconds * 1000) : 1500;
  })();
  const NOTICE_MS = 6000;                // how long an action's error stays in its tile
  const TOKEN_KEY = 'ivfuse.token';      // sessionStorage: the bearer token the user entered
  const VIEW_KEY = 'ivfuse.view';        // localStorage: what the snapshots show
  const PROBLEMS_KEY = 'ivfuse.problems-only';
  const STATE_LABELS = {
    'online': 'online', 'starting': 'starting', 'reconnecting': 'reconnecting', 'ir-down': 'IR down',
    'vis-down': 'VIS down', 'failed': 'failed', 'stopped': 'stopped',
  };

  const grid = document.getElementById('grid');
  const template = document.getElementById('tile-template');
  const counts = document.getElementById('counts');
  const conn = document.getElementById('conn');
  const empty = document.getElementById('empty');
  const tokenForm = document.getElementById('token-form');
  const tokenInput = document.getElementById('token-input');
  const tokenMessage = document.getElementById('token-message');
  const viewSelect = document.getElementById('view');
  const problemsOnly = document.getElementById('problems-only');

  const tiles = new Map(); // pair id -> Tile
  let token = sessionStorage.getItem(TOKEN_KEY);
  let view = localStorage.getItem(VIEW_KEY) || 'fused';
  let pollTimer = 0;
  let polling = false;
  let pollAgain = false;
  let waitingForToken = false;

  /** The API answered 401: polling stops until the user gives a token. */
  class Unauthorized extends Error {}

  async function api(path, options = {}) {
    const headers = new Headers(options.headers || {});
    if (token) {
      headers.set('Authorization', 'Bearer ' + token);
    }
    const response = await fetch(path, { ...options, headers, cache: 'no-store' });
    if (response.status === 401) {
      throw new Unauthorized();
    }
    return response;
  }

  /** The message of an error response: its JSON "error", else the status line. */
  async function errorMessage(response) {
    try {
      const body = await response.json();
      if (body && typeof body.error === 'string') {
        return body.error;
      }
    } catch (notJson) {
      // fall through to the status
    }
    return 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : '');
  }

  function pairPath(id) {
    return 'api/pairs/' + encodeURIComponent(id);
  }

  // ---- polling -------------------------------------------------------------------------------

  /** Fetches the pair list and renders it; runs every POLL_MS, and at once after an action. */
  async function poll() {
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    clearTimeout(pollTimer);
    try {
      const response = await api('api/pairs');
      if (!response.ok) {
        throw new Error(await errorMessage(response));
      }
      const body = await response.json();
      render(Array.isArray(body.pairs) ? body.pairs : []);
      setConnection(true, 'updated ' + new Date().toLocaleTimeString());
      document.body.dataset.loaded = 'true';
    } catch (e) {
      if (e instanceof Unauthorized) {
        askForToken();
      } else {
        setConnection(false, 'connection lost: ' + e.message + ' (retrying)');
      }
    } finally {
      polling = false;
    }
    if (!waitingForToken) {
      pollTimer = setTimeout(poll, pollAgain ? 0 : POLL_MS);
    }
    pollAgain = false;
  }

  function setConnection(ok, text) {
    conn.textContent = text;
    conn.classList.toggle('lost', !ok);
    document.body.classList.toggle('offline', !ok); // every tile's figures are old now
  }

  function render(pairs) {
    const listed = new Set();
    let previous = null;
    for (const pair of pairs) {
      if (typeof pair.id !== 'string' || listed.has(pair.id)) {
        continue;
      }
      listed.add(pair.id);
      let tile = tiles.get(pair.id);
      if (!tile) {
        tile = new Tile(pair.id);
        tiles.set(pair.id, tile);
      }
      tile.update(pair);
      // Keep the grid in the API's (config) order, moving only tiles that are out of place.
      const expected = previous ? previous.nextSibling : grid.firstChild;
      if (tile.el !== expected) {
        grid.insertBefore(tile.el, expected);
      }
      previous = tile.el;
      tile.refreshSnapshot();
    }
    for (const [id, tile] of tiles) {
      if (!listed.has(id)) {
        tile.remove();
      }
    }
    renderCounts(pairs);
    empty.hidden = tiles.size > 0;
  }

  function renderCounts(pairs) {
    const byState = new Map();
    for (const pair of pairs) {
      byState.set(pair.state, (byState.get(pair.state) || 0) + 1);
    }
    const items = [];
    const total = document.createElement('li');
    total.textContent = pairs.length + (pairs.length === 1 ? ' pair' : ' pairs');
    items.push(total);
    for (const state of Object.keys(STATE_LABELS)) {
      if (byState.has(state)) {
        const li = document.createElement('li');
        li.dataset.state = state;
        li.textContent = byState.get(state) + ' ' + STATE_LABELS[state];
        items.push(li);
      }
    }
    counts.replaceChildren(...items);
  }

  // ---- the token form ------------------------------------------------------------------------

  function askForToken() {
    if (waitingForToken) {
      return;
    }
    waitingForToken = true;
    clearTimeout(pollTimer);
    const rejected = Boolean(token);
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    tokenMessage.textContent = rejected ? 'The token was rejected; enter a valid one.' : 'This service needs an access token.';
    tokenMessage.classList.toggle('error', rejected);
    tokenForm.hidden = false;
    grid.hidden = true;
    empty.hidden = true;
    setConnection(false, 'token needed');
    tokenInput.value = '';
    tokenInput.focus();
  }

  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = tokenInput.value.trim();
    if (!value) {
      return;
    }
    token = value;
    sessionStorage.setItem(TOKEN_KEY, value);
    tokenInput.value = '';
    tokenForm.hidden = true;
    grid.hidden = false;
    waitingForToken = false;
    setConnection(true, 'connecting…');
    poll();
  });

  // ---- tiles ---------------------------------------------------------------------------------

  function number(value, digits) {
    return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
  }

  function milliseconds(value) {
    return number(value, typeof value === 'number' && value < 10 ? 1 : 0);
  }

  class Tile {
    constructor(id) {
      this.id = id;
      this.el = template.content.firstElementChild.cloneNode(true);
      this.el.dataset.pair = id;
      this.field = (name) => this.el.querySelector('.' + name);
      this.img = this.field('snapshot');
      this.img.alt = 'latest frame of ' + id;
      this.field('pair-id').textContent = id;
      this.field('pair-id').title = id;
      this.el.classList.add('no-frame-yet');
      this.snapshotUrl = null;     // blob URL on show
      this.loadingSnapshot = false;
      this.removed = false;
      this.notice = null;          // {text, until}: an action's error
      this.pair = null;

      this.img.addEventListener('load', () => {
        this.img.dataset.loaded = 'true';
        this.el.classList.remove('no-frame-yet', 'stale');
      });
      this.field('restart').addEventListener('click', () => this.restart());
      this.field('remove').addEventListener('click', () => this.confirmRemove(true));
      this.field('cancel-remove').addEventListener('click', () => this.confirmRemove(false));
      this.field('confirm-remove').addEventListener('click', () => this.delete());
    }

    update(pair) {
      this.pair = pair;
      const state = typeof pair.state === 'string' ? pair.state : 'unknown';
      this.el.dataset.state = state;
      const stateEl = this.field('state');
      stateEl.textContent = STATE_LABELS[state] || state;
      const reason = typeof pair.reason === 'string' ? pair.reason : '';
      this.field('reason').textContent = reason;
      this.field('reason').title = reason;
      this.field('fps').textContent = number(pair.fps, 1);
      const inputs = pair.input_fps || {};
      this.field('input-fps').textContent = number(inputs.ir, 1) + ' / ' + number(inputs.vis, 1);
      const latency = pair.latency_ms || {};
      this.field('latency').textContent = milliseconds(latency.p50) + ' / ' + milliseconds(latency.p99) + ' ms';
      this.renderDrops(pair.drops || {});
      this.field('frames').textContent = typeof pair.frames === 'number' ? pair.frames.toLocaleString('en-US') : '–';
      const restarts = this.field('restarts');
      restarts.textContent = typeof pair.restarts === 'number' ? String(pair.restarts) : '–';
      restarts.classList.toggle('warn', pair.restarts > 0);
      this.renderFooter();
    }

    renderDrops(drops) {
      const parts = Object.entries(drops).filter(([, n]) => typeof n === 'number');
      const total = parts.reduce((sum, [, n]) => sum + n, 0);
      const dd = this.field('drops');
      const detail = parts.map(([kind, n]) => kind + ' ' + n).join(' · ');
      dd.textContent = String(total);
      dd.title = detail;
      dd.classList.toggle('warn', total > 0);
      const detailEl = this.field('drops-detail');
      detailEl.textContent = detail;
      detailEl.title = detail;
    }

    renderFooter() {
      const engine = this.field('engine');
      if (this.notice && Date.now() < this.notice.until) {
        engine.textContent = this.notice.text;
        engine.classList.add('error');
      } else {
        this.notice = null;
        const pair = this.pair || {};
        const outputs = Array.isArray(pair.outputs) ? pair.outputs : [];
        engine.textContent = (pair.engine || '') + (outputs.length ? ' → ' + outputs.join(', ') : '');
        engine.classList.remove('error');
      }
      engine.title = engine.textContent;
    }

    showNotice(text) {
      this.notice = { text, until: Date.now() + NOTICE_MS };
      this.renderFooter();
    }

    /** Fetches the latest snapshot (with the token) and shows it once decoded; skips if one is on its way. */
    async refreshSnapshot() {
      if (this.loadingSnapshot || this.removed || document.hidden) { // a background tab fetches no pictures
        return;
      }
      this.loadingSnapshot = true;
      try {
        const response = await api(pairPath(this.id) + '/snapshot.jpg?view=' + encodeURIComponent(view));
        if (response.status === 404) { // removed since the last poll (another operator, a reload)
          poll();
          return;
        }
        if (!response.ok) {
          // 503: no frame yet (a new or restarted pair); keep the last one, greyed, if there was one.
          this.el.classList.add(this.img.dataset.loaded ? 'stale' : 'no-frame-yet');
          return;
        }
        const blob = await response.blob();
        const url = URL.createObjectURL(blob);
        const decoded = new Image();
        decoded.src = url;
        try {
          await decoded.decode(); // swap only a complete picture in: no flicker, no broken image
        } catch (undecodable) {
          URL.revokeObjectURL(url);
          this.el.classList.add('stale');
          return;
        }
        if (this.removed) {
          URL.revokeObjectURL(url);
          return;
        }
        const old = this.snapshotUrl;
        this.snapshotUrl = url;
        this.img.src = url;
        if (old) {
          URL.revokeObjectURL(old);
        }
      } catch (e) {
        if (e instanceof Unauthorized) {
          askForToken();
        } else {
          this.el.classList.add('stale');
        }
      } finally {
        this.loadingSnapshot = false;
      }
    }

    async restart() {
      const button = this.field('restart');
      button.disabled = true;
      try {
        const response = await api(pairPath(this.id) + '/restart', { method: 'POST' });
        if (!response.ok) {
          this.showNotice('restart failed: ' + await errorMessage(response));
          return;
        }
        try {
          this.update(await response.json());
        } catch (noBody) {
          // the next poll shows the state
        }
        poll();
      } catch (e) {
        this.actionFailed('restart', e);
      } finally {
        button.disabled = false;
      }
    }

    /** Remove asks first, in the tile: Confirm or Cancel. */
    confirmRemove(asking) {
      this.field('buttons').hidden = asking;
      this.field('confirm').hidden = !asking;
      this.field('confirm-text').textContent = 'Remove ' + this.id + '?';
      if (asking) {
        this.field('cancel-remove').focus();
      }
    }

    async delete() {
      const confirm = this.field('confirm-remove');
      confirm.disabled = true;
      try {
        const response = await api(pairPath(this.id), { method: 'DELETE' });
        if (response.ok || response.status === 404) { // 404: it is gone already
          this.remove();
          poll();
          return;
        }
        this.showNotice('remove failed: ' + await errorMessage(response));
        this.confirmRemove(false);
      } catch (e) {
        this.actionFailed('remove', e);
        this.confirmRemove(false);
      } finally {
        confirm.disabled = false;
      }
    }

    actionFailed(action, e) {
      if (e instanceof Unauthorized) {
        askForToken();
      } else {
        this.showNotice(action + ' failed: ' + e.message);
      }
    }

    remove() {
      this.removed = true;
      this.el.remove();
      tiles.delete(this.id);
      if (this.snapshotUrl) {
        URL.revokeObjectURL(this.snapshotUrl);
        this.snapshotUrl = null;
      }
      empty.hidden = tiles.size > 0 || !document.body.dataset.loaded;
    }
  }

  // ---- controls ------------------------------------------------------------------------------

  viewSelect.value = view;
  if (viewSelect.value !== view) { // a stored view this page no longer offers
    view = 'fused';
    viewSelect.value = view;
  }
  viewSelect.addEventListener('change', () => {
    view = viewSelect.value;
    localStorage.setItem(VIEW_KEY, view);
    for (const tile of tiles.values()) {
      tile.refreshSnapshot();
    }
  });

  problemsOnly.checked = localStorage.getItem(PROBLEMS_KEY) === 'true';
  document.body.classList.toggle('problems-only', problemsOnly.checked);
  problemsOnly.addEventListener('change', () => {
    localStorage.setItem(PROBLEMS_KEY, String(problemsOnly.checked));
    document.body.classList.toggle('problems-only', problemsOnly.checked);
  });

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !waitingForToken) {
      poll(); // back in front: fresh figures and pictures at once
    }
  });

  poll();
})();
