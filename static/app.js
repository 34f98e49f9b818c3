// planmap viewer: reads only the public HTTP API, as any other client would.
'use strict';
(function () {
  const COLORS = {
    railway: '#d62728', urban_rail: '#e377c2', highway: '#ff7f0e', airport: '#1f77b4',
    reservoir: '#17becf', water: '#3f51b5', park: '#2ca02c', protected_area: '#74c476',
    scenic: '#bcbd22', industrial_park: '#8c564b', port: '#9467bd', energy: '#f0a500',
    pipeline: '#a0522d', mining: '#4d4d4d'
  };
  const NOT_CATEGORIES = new Set(['projects', 'counties', 'prefectures']);

  // what tests and curious users can read: window.planmap
  const app = { ready: false, drawn: {}, total: 0, errors: [] };
  window.planmap = app;

  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const $ = (id) => document.getElementById(id);
  const status = (t) => { $('status').textContent = t; };

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.json();
  }

  // ---- state in the URL: #z/lat/lon&hide=a,b&doc=…&osm=1
  function readHash() {
    const h = new URLSearchParams(location.hash.replace(/^#/, '').replace(/^([\d.]+\/[-\d.]+\/[-\d.]+)/, 'map=$1'));
    const [z, lat, lon] = (h.get('map') || '').split('/').map(Number);
    return {
      // no view in the URL: the opening view fits Xinjiang once the outlines are in
      fit: !(Number.isFinite(z) && z > 0),
      z: Number.isFinite(z) && z > 0 ? z : 5,
      lat: Number.isFinite(lat) ? lat : 42.2,
      lon: Number.isFinite(lon) ? lon : 85.0,
      hide: new Set((h.get('hide') || '').split(',').filter(Boolean)),
      doc: h.get('doc') || '',
      osm: h.get('osm') === '1'
    };
  }
  const state = readHash();
  function writeHash() {
    const c = map.getCenter();
    const parts = [map.getZoom() + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4)];
    if (state.hide.size) parts.push('hide=' + [...state.hide].join(','));
    if (state.doc) parts.push('doc=' + encodeURIComponent(state.doc));
    if (state.osm) parts.push('osm=1');
    history.replaceState(null, '', '#' + parts.join('&'));
  }

  const map = L.map('map', { preferCanvas: true, zoomControl: true }).setView([state.lat, state.lon], state.z);
  // for tests and the curious; not enumerable, so that the app object stays serialisable
  Object.defineProperty(app, 'map', { value: map, enumerable: false });
  map.attributionControl.setPrefix('<a href="/api">planmap API</a>');
  const osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 18, attribution: '&copy; OpenStreetMap contributors'
  });
  const prefPane = map.createPane('prefectures');
  prefPane.style.zIndex = 350;

  let counties = null;
  let countyNames = {};
  let features = [];
  const layers = {};

  // a project's state by style: solid = done or working, half = being built, hollow = on paper
  const FILL = { completed: 0.9, operating: 0.9, building: 0.5, planned: 0.1, unknown: 0.5 };
  const DASH = { completed: null, operating: null, building: '8 4', planned: '2 5', unknown: '8 4' };

  function popupHtml(p) {
    const counties = (p.county_codes || []).map((c) => esc(countyNames[c] || c) + ' <span class="src">' + esc(c) + '</span>').join('、') || '—';
    // a list carries the first and the latest mention; the item, fetched on opening, all of them
    const shown = p.mentions || [p.first_mention, p.latest_mention].filter((m, i, a) => m && (i === 0 || JSON.stringify(m) !== JSON.stringify(a[0])));
    const more = !p.mentions && p.mention_count > shown.length ? '<p class="src">' + esc(p.mention_count) + ' mentions in ' + esc(p.plan_count) + ' plans; loading all…</p>' : '';
    const mentions = shown.map((m) =>
      '<li><blockquote>' + esc(m.quote) + '</blockquote><a class="src" href="' + esc(m.href) + '" target="_blank" rel="noopener" title="the plan\'s text at this line">' + esc(m.doc) + ', line ' + esc(m.line) + '</a></li>').join('');
    return '<div class="popup"><h3>' + esc(p.name) + '</h3><dl>' +
      '<dt>Category</dt><dd>' + esc(p.category) + '</dd>' +
      '<dt>Counties</dt><dd>' + counties + '</dd>' +
      (p.prefecture_code ? '<dt>Prefecture</dt><dd>' + esc(countyNames[p.prefecture_code] || p.prefecture_code) + '</dd>' : '') +
      '<dt>Status</dt><dd>' + esc(p.status || 'unknown') + '</dd>' +
      '<dt>Action</dt><dd>' + esc(p.action) + '</dd>' +
      '<dt>Investment</dt><dd>' + (p.investment_yi != null ? esc(p.investment_yi) + ' 亿元' : '—') + '</dd>' +
      '<dt>Located by</dt><dd>' + esc(p.located_by) + ' (precision: ' + esc(p.precision) + ', confidence ' + esc(p.confidence) + ')' +
      (p.precision === 'county' || p.precision === 'prefecture' ? '<br><i>somewhere in this ' + esc(p.precision) + '; drawn at its seat</i>' : '') +
      (p.precision === 'route' ? '<br><i>schematic: drawn through the places its name gives</i>' : '') + '</dd>' +
      '</dl>' + timelineHtml(p) + '<ol class="mentions">' + mentions + '</ol>' + more + '</div>';
  }

  function timelineHtml(p) {
    const t = p.timeline || [];
    if (t.length < 2) return '';
    return '<h4>Timeline</h4><ol class="timeline">' + t.map((e) =>
      '<li><b>' + esc(e.year != null ? e.year : '—') + '</b> ' + esc(e.status) + ' <span class="src">' + esc(e.doc) + '</span></li>').join('') + '</ol>';
  }

  // ---- place names: prefectures when zoomed out, counties when zoomed in, never overlapping
  const labels = L.layerGroup().addTo(map);
  const COUNTY_LABEL_ZOOM = 7;
  function labelAreas(countyFc, prefFc) {
    const add = (f, kind) => {
      const seat = f.properties.seat;
      if (!seat) return;
      const t = L.tooltip({ permanent: true, direction: 'center', className: 'area-label ' + kind, interactive: false })
        .setLatLng([seat[1], seat[0]]).setContent(esc(f.properties.name));
      t.kind = kind;
      labels.addLayer(t);
    };
    prefFc.features.forEach((f) => add(f, 'prefecture'));
    countyFc.features.forEach((f) => add(f, 'county'));
    map.on('zoomend moveend', declutter);
    declutter();
  }
  function declutter() {
    const z = map.getZoom();
    const kept = [];
    labels.eachLayer((t) => {
      const el = t.getElement();
      if (!el) return;
      const wanted = t.kind === 'county' ? z >= COUNTY_LABEL_ZOOM : z < COUNTY_LABEL_ZOOM;
      el.style.display = wanted ? '' : 'none';
      if (!wanted) return;
      const r = el.getBoundingClientRect();
      const clash = kept.some((k) => r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom);
      if (clash) el.style.display = 'none'; else kept.push(r);
    });
    app.labels = kept.length;
  }

  function makeLayer(cat) {
    const color = COLORS[cat] || '#000';
    return L.geoJSON(null, {
      // a click on a project opens its popup, not "what is here"
      pointToLayer: (f, ll) => {
        const p = f.properties;
        // placed only to a county or prefecture: a wide dashed ring at its seat, not a site
        const vague = p.precision === 'county' || p.precision === 'prefecture';
        return L.circleMarker(ll, {
          radius: vague ? 8 : 6,
          color: p.status === 'planned' || vague ? color : '#222',
          weight: p.status === 'planned' || vague ? 2 : 1,
          dashArray: vague ? '2 3' : null,
          fillColor: color,
          fillOpacity: vague ? 0.15 : (FILL[p.status] ?? 0.5),
          bubblingMouseEvents: false
        });
      },
      // routes drawn through the places their names give are schematic: always dashed
      style: (f) => ({ color, weight: 3, opacity: 0.85, dashArray: f.properties.precision === 'route' ? (DASH[f.properties.status] ?? '10 5') : (DASH[f.properties.status] ?? null), bubblingMouseEvents: false }),
      onEachFeature: (f, l) => {
        l.bindPopup(() => popupHtml(f.properties), { maxWidth: 360 });
        l.on('popupopen', (e) => completePopup(e.popup, f));
        l.feature = f;
      }
    });
  }

  // the whole project (every mention, the timeline) replaces the list's summary in an open popup
  async function completePopup(popup, f) {
    try {
      const full = await getJSON('/collections/projects/items/' + encodeURIComponent(f.id));
      if (popup.isOpen()) popup.setContent(popupHtml(full.properties));
    } catch (err) { fail(err); }
  }

  // ids of the projects the chosen plan names, asked of the server (a list does not carry
  // every mention)
  let docIds = null;
  async function loadDoc() {
    docIds = null;
    if (state.doc) {
      const fc = await loadAll('/collections/projects/items?limit=10000&doc=' + encodeURIComponent(state.doc));
      docIds = new Set(fc.map((f) => f.id));
    }
  }

  function visible(f) {
    return !state.doc || (docIds !== null && docIds.has(f.id));
  }

  function redraw() {
    for (const [cat, layer] of Object.entries(layers)) {
      layer.clearLayers();
      const mine = features.filter((f) => f.properties.category === cat && f.geometry && visible(f));
      layer.addData(mine);
      app.drawn[cat] = mine.length;
      const n = document.querySelector('[data-count="' + cat + '"]');
      if (n) n.textContent = mine.length;
      if (state.hide.has(cat)) map.removeLayer(layer); else layer.addTo(map);
    }
    const unplaced = features.filter((f) => !f.geometry && visible(f)).length;
    status(features.filter(visible).length + ' projects' + (unplaced ? ' (' + unplaced + ' without a location, listed in search)' : ''));
  }

  function legend(cols) {
    const box = $('legend');
    for (const c of cols) {
      const cat = c.id;
      const line = ['railway', 'highway', 'pipeline', 'urban_rail'].includes(cat);
      const label = document.createElement('label');
      label.innerHTML = '<input type="checkbox" data-layer="' + esc(cat) + '"' + (state.hide.has(cat) ? '' : ' checked') + '>' +
        '<span class="swatch' + (line ? ' line' : '') + '" style="background:' + (COLORS[cat] || '#000') + '"></span>' +
        esc(c.title) + '<span class="count" data-count="' + esc(cat) + '">0</span>';
      box.appendChild(label);
    }
    const key = document.createElement('p');
    key.className = 'status-key';
    key.textContent = 'solid: built or working · half: being built · hollow, dotted: planned · wide dashed ring: somewhere in that county, drawn at its seat · dashed line: a route drawn through the places its name gives';
    box.appendChild(key);
    box.addEventListener('change', (e) => {
      const cat = e.target.dataset.layer;
      if (!cat) return;
      if (e.target.checked) { state.hide.delete(cat); layers[cat].addTo(map); } else { state.hide.add(cat); map.removeLayer(layers[cat]); }
      writeHash();
    });
  }

  function openFeature(f) {
    if (!f.geometry) {
      completePopup(L.popup({ maxWidth: 360 }).setLatLng(map.getCenter()).setContent(popupHtml(f.properties)).openOn(map), f);
      return;
    }
    const layer = layers[f.properties.category];
    let target = null;
    layer.eachLayer((l) => { if (l.feature && l.feature.id === f.id) target = l; });
    if (!target) { // hidden by a filter: show it anyway
      completePopup(L.popup({ maxWidth: 360 }).setLatLng(L.geoJSON(f).getBounds().getCenter()).setContent(popupHtml(f.properties)).openOn(map), f);
      return;
    }
    if (!map.hasLayer(layer)) layer.addTo(map);
    if (target.getLatLng) map.setView(target.getLatLng(), Math.max(map.getZoom(), 8));
    else map.fitBounds(target.getBounds(), { maxZoom: 9 });
    target.openPopup();
  }

  let searchSeq = 0;
  async function search(q) {
    const seq = ++searchSeq;
    const list = $('results');
    if (!q) { list.innerHTML = ''; return; }
    const items = [];
    if (counties) {
      counties.eachLayer((l) => {
        const p = l.feature.properties;
        if (p.name.includes(q)) items.push({ label: p.name, kind: 'county', go: () => map.fitBounds(l.getBounds()) });
      });
    }
    const params = new URLSearchParams({ q, limit: '30' });
    if (state.doc) params.set('doc', state.doc);
    const fc = await getJSON('/collections/projects/items?' + params);
    if (seq !== searchSeq) return;
    for (const f of fc.features) items.push({ label: f.properties.name, kind: f.properties.category, go: () => openFeature(f) });
    list.innerHTML = '';
    for (const it of items.slice(0, 40)) {
      const li = document.createElement('li');
      li.innerHTML = esc(it.label) + '<span class="kind">' + esc(it.kind) + '</span>';
      li.addEventListener('click', it.go);
      list.appendChild(li);
    }
    if (!items.length) list.innerHTML = '<li>No match</li>';
  }

  async function whatIsHere(e) {
    const { lat, lng } = e.latlng;
    const lon = ((lng + 540) % 360) - 180;
    const at = await fetch('/counties/at?lon=' + lon.toFixed(5) + '&lat=' + lat.toFixed(5), { headers: { Accept: 'application/json' } });
    const county = at.ok ? (await at.json()).properties : null;
    const params = new URLSearchParams({ lon: lon.toFixed(5), lat: lat.toFixed(5), k: '5' });
    if (state.doc) params.set('doc', state.doc);
    const near = await getJSON('/search/nearest?' + params);
    const rows = near.features.map((f, i) => '<li><a href="#" data-near="' + i + '">' + esc(f.properties.name) + '</a> <span class="src">' +
      esc(f.properties.category) + ', ' + esc(f.properties.distance_km.toFixed(1)) + ' km</span></li>').join('');
    const html = '<div class="popup"><h3>' + (county ? esc(county.name) + ' <span class="src">' + esc(county.code) + ', ' + esc(county.project_count) + ' projects</span>' : 'Outside Xinjiang') +
      '</h3><p>Nearest projects:</p><ol>' + rows + '</ol></div>';
    const popup = L.popup({ maxWidth: 360 }).setLatLng(e.latlng).setContent(html).openOn(map);
    popup.getElement().querySelectorAll('[data-near]').forEach((a) => a.addEventListener('click', (ev) => {
      ev.preventDefault();
      openFeature(near.features[Number(a.dataset.near)]);
    }));
  }

  async function loadAll(url) {
    let out = [];
    while (url) {
      const page = await getJSON(url);
      out = out.concat(page.features);
      const next = (page.links || []).find((l) => l.rel === 'next');
      url = next ? new URL(next.href, location.href).pathname + new URL(next.href, location.href).search : null;
    }
    return out;
  }

  async function start() {
    const [cols, countyFc, prefFc, plans] = await Promise.all([
      getJSON('/collections'),
      getJSON('/collections/counties/items?limit=1000'),
      getJSON('/collections/prefectures/items?limit=1000'),
      getJSON('/plans')
    ]);
    for (const f of countyFc.features.concat(prefFc.features)) countyNames[f.properties.code] = f.properties.name;
    counties = L.geoJSON(countyFc, {
      style: { color: '#8899aa', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1 },
      onEachFeature: (f, l) => l.bindTooltip(f.properties.name + ' · ' + f.properties.project_count + ' projects', { sticky: true })
    }).addTo(map);
    const prefOutlines = L.geoJSON(prefFc, { pane: 'prefectures', interactive: false, style: { color: '#556677', weight: 1.6, fill: false } }).addTo(map);
    if (state.fit) map.fitBounds(prefOutlines.getBounds(), { padding: [8, 8] });
    labelAreas(countyFc, prefFc);
    if (state.osm) { osm.addTo(map); counties.setStyle({ fillOpacity: 0.2 }); $('osm-toggle').checked = true; }

    const sel = $('doc-filter');
    for (const p of plans.plans) {
      const o = document.createElement('option');
      o.value = p.doc;
      o.textContent = (p.title || p.doc) + (p.period ? ' (' + p.period + ')' : '') + ' · ' + p.projects;
      sel.appendChild(o);
    }
    sel.value = state.doc;
    sel.addEventListener('change', () => { state.doc = sel.value; loadDoc().then(redraw).catch(fail); writeHash(); });

    const catCols = cols.collections.filter((c) => !NOT_CATEGORIES.has(c.id));
    for (const c of catCols) layers[c.id] = makeLayer(c.id);
    legend(catCols);
    features = await loadAll('/collections/projects/items?limit=10000');
    await loadDoc();
    app.total = features.length;
    redraw();

    $('osm-toggle').addEventListener('change', (e) => {
      state.osm = e.target.checked;
      if (state.osm) { osm.addTo(map); counties.setStyle({ fillOpacity: 0.2 }); } else { map.removeLayer(osm); counties.setStyle({ fillOpacity: 1 }); }
      writeHash();
    });
    let timer = null;
    $('search').addEventListener('input', (e) => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value.trim()).catch(fail), 200); });
    $('search-form').addEventListener('submit', (e) => { e.preventDefault(); search($('search').value.trim()).catch(fail); });
    map.on('click', (e) => whatIsHere(e).catch(fail));
    map.on('moveend', writeHash);
    // a view pasted into the address bar of an open page
    window.addEventListener('hashchange', () => {
      const h = readHash();
      const c = map.getCenter();
      if (h.z !== map.getZoom() || Math.abs(h.lat - c.lat) > 1e-3 || Math.abs(h.lon - c.lng) > 1e-3) map.setView([h.lat, h.lon], h.z);
    });
    writeHash();
    app.ready = true;
  }

  // screen positions, for scripted checks of the page (tests/e2e/viewer.mjs)
  window.planmapScreenPoint = (lat, lon) => map.latLngToContainerPoint([lat, lon]);
  window.planmapLayerPoint = (cat) => {
    const r = map.getContainer().getBoundingClientRect();
    let hit = null;
    if (!layers[cat]) return null;
    layers[cat].eachLayer((l) => {
      if (hit || !l.getLatLng) return;
      const c = map.latLngToContainerPoint(l.getLatLng());
      if (c.x > 5 && c.y > 5 && c.x < r.width - 5 && c.y < r.height - 5) hit = { x: r.left + c.x, y: r.top + c.y };
    });
    return hit;
  };

  function fail(e) {
    app.errors.push(String(e));
    status('Error: ' + e.message);
  }

  start().catch(fail);
})();
