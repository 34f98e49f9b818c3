// planmap viewer: reads only the public HTTP API, as any other client would.
'use strict';
(function () {
  const COLORS = {
    railway: '#d62728', urban_rail: '#e377c2', highway: '#ff7f0e', airport: '#1f77b4',
    reservoir: '#17becf', water: '#3f51b5', park: '#2ca02c', protected_area: '#74c476',
    scenic: '#bcbd22', industrial_park: '#8c564b', port: '#9467bd', energy: '#f0a500',
    pipeline: '#a0522d', mining: '#4d4d4d'
  };
  const NOT_CATEGORIES = new Set(['projects', 'counties', 'prefectures', 'places']);
  // what the map, the table and the shading need of every project; a popup fetches the rest.
  // Quotes are most of a project's bytes: leaving them out keeps 100k projects loadable.
  const LIST_PROPERTIES = 'name,category,county_codes,prefecture_code,status,precision,plan_count,investment_yi';
  // projects closer than this many pixels share one numbered marker
  const CLUSTER_RADIUS = 44;
  const MAX_ZOOM = 18;
  // rows drawn in the table; the count and the downloads cover every project in view
  const TABLE_ROWS = 500;
  // members listed in a cluster's popup
  const CLUSTER_MEMBERS = 200;
  // above this many projects the map is drawn from the server's vector tiles, and the table,
  // the legend's counts and the shading are asked of the server: downloading and clustering
  // every project would take seconds and hundreds of MB (120,000 projects: 2.2 s, 109 MB of
  // heap). `tiles=1` or `tiles=0` in the URL chooses either way.
  const TILE_MODE_ABOVE = 50000;
  // the most projects a download of the view fetches when drawing from tiles
  const DOWNLOAD_MAX = 50000;
  // how near a click must be to a project drawn from tiles, in pixels
  const HIT_PX = 7;

  // what tests and curious users can read: window.planmap
  const app = { ready: false, mode: null, tiles: null, drawn: {}, total: 0, errors: [], table: 0, tableIds: [], clusters: 0, points: 0, shaded: null, timings: {} };
  window.planmap = app;

  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const $ = (id) => document.getElementById(id);
  const status = (t) => { $('status').textContent = t; };
  const t0 = performance.now();

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.json();
  }

  // ---- state in the URL: #z/lat/lon&hide=a,b&doc=…&shade=…&osm=1
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
      shade: ['projects', 'investment'].includes(h.get('shade')) ? h.get('shade') : '',
      osm: h.get('osm') === '1',
      tiles: ['0', '1'].includes(h.get('tiles')) ? h.get('tiles') : ''
    };
  }
  const state = readHash();
  function writeHash() {
    const c = map.getCenter();
    const parts = [map.getZoom() + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4)];
    if (state.hide.size) parts.push('hide=' + [...state.hide].join(','));
    if (state.doc) parts.push('doc=' + encodeURIComponent(state.doc));
    if (state.shade) parts.push('shade=' + state.shade);
    if (state.osm) parts.push('osm=1');
    if (state.tiles) parts.push('tiles=' + state.tiles);
    history.replaceState(null, '', '#' + parts.join('&'));
  }

  const map = L.map('map', { preferCanvas: true, zoomControl: true, maxZoom: MAX_ZOOM }).setView([state.lat, state.lon], state.z);
  // for tests and the curious; not enumerable, so that the app object stays serialisable
  Object.defineProperty(app, 'map', { value: map, enumerable: false });
  map.attributionControl.setPrefix('<a href="/api">planmap API</a>');
  const osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: MAX_ZOOM, attribution: '&copy; OpenStreetMap contributors'
  });
  const prefPane = map.createPane('prefectures');
  prefPane.style.zIndex = 350;
  // place names above the outlines and lines, under the projects' markers; set just below
  // the seat, where a county's numbered marker sits
  const labelPane = map.createPane('labels');
  labelPane.style.zIndex = 450;
  labelPane.style.pointerEvents = 'none';
  // projects drawn from tiles: over the counties, under the names; clicks pass to the map,
  // which asks the server what is under the pointer
  const tilePane = map.createPane('projectTiles');
  tilePane.style.zIndex = 440;
  tilePane.style.pointerEvents = 'none';

  let counties = null;
  const countyNames = {};
  let features = [];
  const byId = new Map();
  const lineLayers = {};
  const categories = [];

  // a project's state by style: solid = done or working, half = being built, hollow = on paper
  const FILL = { completed: 0.9, operating: 0.9, building: 0.5, planned: 0.1, unknown: 0.5 };
  const DASH = { completed: null, operating: null, building: '8 4', planned: '2 5', unknown: '8 4' };

  // one collator for every sort: far faster than localeCompare over 100k names
  const collator = new Intl.Collator('zh');
  const countyList = (codes) => (codes || []).map((c) => countyNames[c] || c).join('、');

  function popupHtml(p) {
    const counties = (p.county_codes || []).map((c) => esc(countyNames[c] || c) + ' <span class="src">' + esc(c) + '</span>').join('、') || '—';
    // a list carries no quotes; the item, fetched on opening, carries every mention
    const mentions = (p.mentions || []).map((m) =>
      '<li><blockquote>' + esc(m.quote) + '</blockquote><a class="src" href="' + esc(m.href) + '" target="_blank" rel="noopener" title="the plan\'s text at this line">' + esc(m.doc) + ', line ' + esc(m.line) + '</a></li>').join('');
    const row = (label, value) => value === undefined ? '' : '<dt>' + label + '</dt><dd>' + value + '</dd>';
    return '<div class="popup"><h3>' + esc(p.name) + '</h3><dl>' +
      row('Category', esc(p.category)) +
      row('Counties', counties) +
      (p.prefecture_code ? row('Prefecture', esc(countyNames[p.prefecture_code] || p.prefecture_code)) : '') +
      row('Status', esc(p.status || 'unknown')) +
      (p.action !== undefined ? row('Action', esc(p.action)) : '') +
      row('Investment', p.investment_yi != null ? esc(p.investment_yi) + ' 亿元' : '—') +
      row('Located by', (p.located_by !== undefined ? esc(p.located_by) + ' ' : '') + '(precision: ' + esc(p.precision) + (p.confidence !== undefined ? ', confidence ' + esc(p.confidence) : '') + ')' +
        (p.precision === 'county' || p.precision === 'prefecture' ? '<br><i>somewhere in this ' + esc(p.precision) + '; drawn at its seat</i>' : '') +
        (p.precision === 'route' ? '<br><i>schematic: drawn through the places its name gives</i>' : '')) +
      '</dl>' + timelineHtml(p) +
      (p.mentions ? '<ol class="mentions">' + mentions + '</ol>' : '<p class="src">Loading what the plans say…</p>') + '</div>';
  }

  function timelineHtml(p) {
    const t = p.timeline || [];
    if (t.length < 2) return '';
    return '<h4>Timeline</h4><ol class="timeline">' + t.map((e) =>
      '<li><b>' + esc(e.year != null ? e.year : '—') + '</b> ' + esc(e.status) + ' <span class="src">' + esc(e.doc) + '</span></li>').join('') + '</ol>';
  }

  // the whole project (every mention, the timeline) replaces the list's summary in an open popup
  async function completePopup(popup, f) {
    select(f.id);
    try {
      const full = await getJSON('/collections/projects/items/' + encodeURIComponent(f.id));
      if (popup.isOpen()) popup.setContent(popupHtml(full.properties));
    } catch (err) { fail(err); }
  }

  function projectPopup(f, latlng) {
    completePopup(L.popup({ maxWidth: 360 }).setLatLng(latlng).setContent(popupHtml(f.properties)).openOn(map), f);
  }

  // ---- place names: prefectures when zoomed out, counties when zoomed in, never overlapping
  const labels = L.layerGroup().addTo(map);
  const COUNTY_LABEL_ZOOM = 7;
  // the zoom from which each kind of gazetteer place is named: townships and farms only once
  // the map is close enough for a thousand of them not to crowd out the rest
  const PLACE_LABEL_ZOOM = { port: 7, airport: 7, landmark: 8, zone: 9, division: 9, township: 10, farm: 10 };
  // ports of entry and airports from the gazetteer, named beside a small sign (drawn by CSS:
  // a symbol glyph from a fallback font would change the label's width after it is placed)
  function labelAreas(countyFc, prefFc, placeFc) {
    const add = (f, kind, at, text) => {
      if (!at) return;
      const t = L.tooltip({ permanent: true, direction: kind === 'place' ? 'right' : 'bottom', offset: kind === 'place' ? [2, 0] : [0, 8], className: 'area-label ' + kind, interactive: false, pane: 'labels' })
        .setLatLng([at[1], at[0]]).setContent(text);
      t.kind = kind;
      t.minZoom = kind === 'place' ? (PLACE_LABEL_ZOOM[f.properties.kind] || 10) : 0;
      labels.addLayer(t);
    };
    prefFc.features.forEach((f) => add(f, 'prefecture', f.properties.seat, esc(f.properties.name)));
    countyFc.features.forEach((f) => add(f, 'county', f.properties.seat, esc(f.properties.name)));
    // the labels placed first win a clash: ports and airports before landmarks before townships
    const places = placeFc.features.slice().sort((a, b) => (PLACE_LABEL_ZOOM[a.properties.kind] || 10) - (PLACE_LABEL_ZOOM[b.properties.kind] || 10));
    places.forEach((f) => add(f, 'place', f.geometry && f.geometry.coordinates, '<span class="sign ' + esc(f.properties.kind) + '" title="' + esc(f.properties.kind) + '"></span>' + esc(f.properties.name)));
    map.on('zoomend moveend', declutter);
    declutter();
  }
  function declutter() {
    const z = map.getZoom();
    const kept = [];
    labels.eachLayer((t) => {
      const el = t.getElement();
      if (!el) return;
      const wanted = t.kind === 'prefecture' ? z < COUNTY_LABEL_ZOOM : z >= Math.max(COUNTY_LABEL_ZOOM, t.minZoom);
      // hidden, not removed from layout: Leaflet places a label by its size, which a hidden
      // (display: none) label does not have
      el.style.visibility = wanted ? '' : 'hidden';
      if (!wanted) return;
      const r = el.getBoundingClientRect();
      const clash = kept.some((k) => r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom);
      if (clash) el.style.visibility = 'hidden'; else kept.push(r);
    });
    app.labels = kept.length;
  }

  // ---- what is shown: a category not hidden, and named by the chosen plan
  let docIds = null;
  async function loadDoc() {
    docIds = null;
    // drawn from tiles, the plan is a clause of the filter the server applies
    if (state.doc && !tileMode) {
      // ids of the projects the chosen plan names, asked of the server (a list does not carry
      // every mention)
      const fc = await loadAll('/collections/projects/items?limit=10000&properties=&doc=' + encodeURIComponent(state.doc));
      docIds = new Set(fc.map((f) => f.id));
    }
  }
  const shown = (f) => !state.hide.has(f.properties.category) && (!state.doc || (docIds !== null && docIds.has(f.id)));
  const isPoint = (f) => f.geometry && f.geometry.type === 'Point';

  // ---- points: clustered by screen distance (supercluster); a cluster lists its members
  const clusterLayer = L.layerGroup().addTo(map);
  const pointLayer = L.layerGroup().addTo(map);
  let index = null;
  const drawnPoints = new Map();

  function pointMarker(f) {
    const p = f.properties;
    const color = COLORS[p.category] || '#000';
    const [lon, lat] = f.geometry.coordinates;
    // placed only to a county or prefecture: a wide dashed ring at its seat, not a site
    const vague = p.precision === 'county' || p.precision === 'prefecture';
    const m = L.circleMarker([lat, lon], {
      radius: vague ? 8 : 6,
      color: p.status === 'planned' || vague ? color : '#222',
      weight: p.status === 'planned' || vague ? 2 : 1,
      dashArray: vague ? '2 3' : null,
      fillColor: color,
      fillOpacity: vague ? 0.15 : (FILL[p.status] ?? 0.5),
      bubblingMouseEvents: false
    });
    m.bindPopup(() => popupHtml(f.properties), { maxWidth: 360 });
    m.on('popupopen', (e) => completePopup(e.popup, f));
    m.feature = f;
    return m;
  }

  function buildClusters() {
    const pts = features.filter((f) => isPoint(f) && shown(f));
    index = new Supercluster({ radius: CLUSTER_RADIUS, maxZoom: MAX_ZOOM, minPoints: 2 });
    index.load(pts);
    clusterLayer.clearLayers();
    pointLayer.clearLayers();
    drawn.clear();
    drawnPoints.clear();
    renderClusters();
  }

  // drawn markers by key ('c' + cluster id, 'p' + project id): a move redraws only what
  // changed, so the marker of an open popup stays when the popup pans the map
  const drawn = new Map();
  function renderClusters() {
    if (!index) return;
    const b = map.getBounds().pad(0.25);
    const bbox = [Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()), Math.min(180, b.getEast()), Math.min(85, b.getNorth())];
    const wanted = new Map();
    for (const c of index.getClusters(bbox, Math.round(map.getZoom()))) wanted.set(c.properties.cluster ? 'c' + c.properties.cluster_id : 'p' + c.id, c);
    for (const [key, m] of drawn) {
      if (wanted.has(key)) continue;
      (m.cluster ? clusterLayer : pointLayer).removeLayer(m);
      drawn.delete(key);
      if (!m.cluster) drawnPoints.delete(m.feature.id);
    }
    for (const [key, c] of wanted) {
      if (drawn.has(key)) continue;
      const [lon, lat] = c.geometry.coordinates;
      if (c.properties.cluster) {
        const n = c.properties.point_count;
        const size = 24 + Math.min(26, Math.round(Math.log10(n) * 11));
        const m = L.marker([lat, lon], {
          icon: L.divIcon({ className: 'cluster', html: '<div>' + esc(c.properties.point_count_abbreviated) + '</div>', iconSize: [size, size] }),
          title: n + ' projects here: open the list',
          riseOnHover: true
        });
        m.cluster = c;
        m.on('click', () => openCluster(c, [lat, lon]));
        // focusable (Tab); Leaflet hands Enter on it over as a keypress
        m.on('keypress', (e) => { if (e.originalEvent.key === 'Enter') openCluster(c, [lat, lon]); });
        clusterLayer.addLayer(m);
        drawn.set(key, m);
      } else {
        const m = pointMarker(c);
        pointLayer.addLayer(m);
        drawnPoints.set(c.id, m);
        drawn.set(key, m);
      }
    }
    app.clusters = clusterLayer.getLayers().length;
    app.points = pointLayer.getLayers().length;
  }

  function openCluster(c, latlng) {
    const id = c.properties.cluster_id;
    const members = index.getLeaves(id, CLUSTER_MEMBERS);
    const zoom = index.getClusterExpansionZoom(id);
    // members on one spot (a county seat) never part by zooming: the list is the way in
    listPopup(members, c.properties.point_count, latlng, zoom <= MAX_ZOOM ? zoom : null);
  }

  // a list of the projects at one place, each opening its own popup; `zoom`: where they part
  function listPopup(members, n, latlng, zoom) {
    members = members.slice().sort((a, b) => collator.compare(a.properties.name, b.properties.name));
    const html = '<div class="popup"><h3>' + esc(n) + ' projects here</h3>' +
      (zoom !== null ? '<p><a href="#" data-zoom="1">Zoom in to part them</a></p>' : '<p class="src">All on one spot (most are placed at a county seat).</p>') +
      '<ul class="members">' + members.map((f, i) => '<li><a href="#" data-member="' + i + '"><span class="dot" style="background:' + (COLORS[f.properties.category] || '#000') + '"></span>' + esc(f.properties.name) + '</a> <span class="src">' + esc(f.properties.category) + ' · ' + esc(f.properties.status) + '</span></li>').join('') + '</ul>' +
      (n > members.length ? '<p class="src">and ' + esc(n - members.length) + ' more: zoom in, or see the table</p>' : '') + '</div>';
    const popup = L.popup({ maxWidth: 360 }).setLatLng(latlng).setContent(html).openOn(map);
    const el = popup.getElement();
    el.querySelectorAll('[data-member]').forEach((a) => a.addEventListener('click', (ev) => {
      ev.preventDefault();
      const f = members[Number(a.dataset.member)];
      projectPopup(f, isPoint(f) ? [f.geometry.coordinates[1], f.geometry.coordinates[0]] : latlng);
    }));
    const z = el.querySelector('[data-zoom]');
    if (z) z.addEventListener('click', (ev) => { ev.preventDefault(); map.closePopup(); map.setView(latlng, zoom); });
  }

  // ---- many projects: drawn from the server's vector tiles (MVT), one canvas a tile
  let tileMode = false;
  let tileLayer = null;
  let decodeTile = null;
  // what the server counts of the projects the filters keep (/collections/projects/stats)
  let stats = null;

  const cqlText = (s) => "'" + String(s).replace(/'/g, "''") + "'";
  // the viewer's filters as one CQL2 expression: tiles, lists and figures all take it
  function cqlFilter() {
    const parts = [];
    if (state.hide.size) parts.push('category NOT IN (' + [...state.hide].sort().map(cqlText).join(', ') + ')');
    if (state.doc) parts.push('A_OVERLAPS(docs, (' + cqlText(state.doc) + '))');
    return parts.join(' AND ');
  }
  function filtered(params) {
    const f = cqlFilter();
    if (f) params.set('filter', f);
    return params;
  }
  const dashes = (d) => (d || '').split(' ').filter(Boolean).map(Number);

  // the tile's projects in the styles of the GeoJSON layers: areas, then routes, then points
  function drawTile(canvas, bytes, size, counts) {
    const layer = decodeTile(bytes).layers.projects;
    if (!layer) return;
    const ctx = canvas.getContext('2d');
    ctx.scale(canvas.width / size, canvas.height / size);
    const k = size / layer.extent;
    const feats = [];
    for (let i = 0; i < layer.length; i++) feats.push(layer.feature(i));
    feats.sort((a, b) => b.type - a.type);
    for (const f of feats) {
      const p = f.properties;
      counts[p.category] = (counts[p.category] || 0) + 1;
      const color = COLORS[p.category] || '#000';
      const rings = f.loadGeometry();
      ctx.globalAlpha = 1;
      if (f.type === 1) {
        const vague = p.precision === 'county' || p.precision === 'prefecture';
        for (const ring of rings) {
          for (const pt of ring) {
            ctx.beginPath();
            ctx.arc(pt.x * k, pt.y * k, vague ? 7 : 5, 0, 2 * Math.PI);
            ctx.globalAlpha = vague ? 0.15 : (FILL[p.status] ?? 0.5);
            ctx.fillStyle = color;
            ctx.fill();
            ctx.globalAlpha = 1;
            ctx.setLineDash(vague ? [2, 3] : []);
            ctx.lineWidth = p.status === 'planned' || vague ? 2 : 1;
            ctx.strokeStyle = p.status === 'planned' || vague ? color : '#222';
            ctx.stroke();
          }
        }
        continue;
      }
      ctx.beginPath();
      for (const ring of rings) {
        ring.forEach((pt, i) => (i ? ctx.lineTo(pt.x * k, pt.y * k) : ctx.moveTo(pt.x * k, pt.y * k)));
        if (f.type === 3) ctx.closePath();
      }
      if (f.type === 3) {
        ctx.globalAlpha = 0.25;
        ctx.fillStyle = color;
        ctx.fill('evenodd');
        ctx.globalAlpha = 0.85;
      }
      // routes drawn through the places their names give are schematic: always dashed
      ctx.setLineDash(dashes(p.precision === 'route' ? (DASH[p.status] ?? '10 5') : DASH[p.status]));
      ctx.lineWidth = f.type === 3 ? 1.5 : 3;
      ctx.globalAlpha = 0.85;
      ctx.strokeStyle = color;
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  function makeTileLayer() {
    const loaded = new Set();
    const Layer = L.GridLayer.extend({
      createTile(coords, done) {
        const canvas = L.DomUtil.create('canvas', 'leaflet-tile');
        const size = this.getTileSize();
        const ratio = window.devicePixelRatio || 1;
        canvas.width = size.x * ratio;
        canvas.height = size.y * ratio;
        canvas.counts = {};
        const q = filtered(new URLSearchParams()).toString();
        const url = '/collections/projects/tiles/WebMercatorQuad/' + coords.z + '/' + coords.y + '/' + coords.x + (q ? '?' + q : '');
        fetch(url).then((r) => {
          if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
          return r.arrayBuffer();
        }).then((bytes) => {
          drawTile(canvas, bytes, size.x, canvas.counts);
          done(null, canvas);
        }).catch((err) => { fail(err); done(err, canvas); });
        return canvas;
      }
    });
    // one world: no tile is asked for beyond the grid's edges
    const layer = new Layer({ pane: 'projectTiles', maxZoom: MAX_ZOOM, noWrap: true });
    layer.on('tileload', (e) => loaded.add(e.tile));
    layer.on('tileunload', (e) => loaded.delete(e.tile));
    layer.on('loading', () => { if (app.tiles) app.tiles.ready = false; });
    // every tile in view drawn: what they hold, for tests and the curious
    layer.on('load', () => {
      const categories = {};
      let n = 0;
      for (const t of loaded) for (const [c, v] of Object.entries(t.counts)) { categories[c] = (categories[c] || 0) + v; n += v; }
      app.tiles = { ready: true, filter: cqlFilter(), tiles: loaded.size, features: n, categories };
      if (app.timings.tiles_ms === undefined) app.timings.tiles_ms = Math.round(performance.now() - t0);
    });
    return layer;
  }

  // a box of HIT_PX around a point of the map, in degrees, as the API's bbox
  function boxAround(latlng, px) {
    const c = map.latLngToContainerPoint(latlng);
    const sw = map.containerPointToLatLng([c.x - px, c.y + px]);
    const ne = map.containerPointToLatLng([c.x + px, c.y - px]);
    return clampBox([sw.lng, sw.lat, ne.lng, ne.lat]);
  }
  const clampBox = (b) => [Math.max(-180, b[0]), Math.max(-90, b[1]), Math.min(180, b[2]), Math.min(90, b[3])];
  const bboxParam = (b) => b.map((v) => v.toFixed(6)).join(',');

  // a click on a map drawn from tiles: the server says which projects are under the pointer
  async function whatIsUnder(e) {
    const params = filtered(new URLSearchParams({ bbox: bboxParam(boxAround(e.latlng, HIT_PX)), limit: String(CLUSTER_MEMBERS), properties: LIST_PROPERTIES }));
    const fc = await getJSON('/collections/projects/items?' + params);
    const hits = fc.features;
    if (!hits.length) return whatIsHere(e);
    if (hits.length === 1) return projectPopup(hits[0], isPoint(hits[0]) ? [hits[0].geometry.coordinates[1], hits[0].geometry.coordinates[0]] : e.latlng);
    const spot = (f) => isPoint(f) && f.geometry.coordinates.join(',');
    const together = hits.every((f) => spot(f) && spot(f) === spot(hits[0]));
    listPopup(hits, fc.numberMatched, e.latlng, together || map.getZoom() >= MAX_ZOOM ? null : Math.min(MAX_ZOOM, map.getZoom() + 3));
  }

  async function redrawTiles() {
    app.tiles = { ready: false, filter: cqlFilter() };
    if (map.hasLayer(tileLayer)) tileLayer.redraw(); else tileLayer.addTo(map);
    const s = await getJSON('/collections/projects/stats?' + filtered(new URLSearchParams()));
    stats = s;
    for (const cat of categories) {
      app.drawn[cat] = s.categories[cat] || 0;
      const n = document.querySelector('[data-count="' + cat + '"]');
      if (n) n.textContent = app.drawn[cat];
    }
    status(s.numberMatched + ' projects shown of ' + app.total + ', drawn from vector tiles' + (s.unlocated ? ' (' + s.unlocated + ' without a location, listed in search)' : ''));
    shade();
    updateTable();
  }

  // ---- routes and areas: one canvas layer per category
  function makeLineLayer(cat) {
    const color = COLORS[cat] || '#000';
    return L.geoJSON(null, {
      // routes drawn through the places their names give are schematic: always dashed
      style: (f) => ({ color, weight: 3, opacity: 0.85, dashArray: f.properties.precision === 'route' ? (DASH[f.properties.status] ?? '10 5') : (DASH[f.properties.status] ?? null), bubblingMouseEvents: false }),
      onEachFeature: (f, l) => {
        l.bindPopup(() => popupHtml(f.properties), { maxWidth: 360 });
        l.on('popupopen', (e) => completePopup(e.popup, f));
        l.feature = f;
      }
    });
  }

  function redraw() {
    if (tileMode) {
      redrawTiles().catch(fail);
      return;
    }
    for (const cat of categories) {
      const layer = lineLayers[cat];
      layer.clearLayers();
      const mine = features.filter((f) => f.properties.category === cat && f.geometry && shown(f));
      layer.addData(mine.filter((f) => !isPoint(f)));
      app.drawn[cat] = mine.length;
      const n = document.querySelector('[data-count="' + cat + '"]');
      if (n) n.textContent = mine.length;
    }
    buildClusters();
    const visible = features.filter(shown);
    const unplaced = visible.filter((f) => !f.geometry).length;
    status(visible.length + ' projects shown of ' + features.length + (unplaced ? ' (' + unplaced + ' without a location, listed in search)' : ''));
    shade();
    updateTable();
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
    key.textContent = 'solid: built or working · half: being built · hollow, dotted: planned · wide dashed ring: somewhere in that county, drawn at its seat · dashed line: a route drawn through the places its name gives · ' +
      (tileMode ? 'drawn from vector tiles (a large portfolio): click a project for its popup, or the list of those under the pointer' : 'numbered circle: that many projects, click for the list');
    box.appendChild(key);
    box.addEventListener('change', (e) => {
      const cat = e.target.dataset.layer;
      if (!cat) return;
      if (e.target.checked) state.hide.delete(cat); else state.hide.add(cat);
      redraw();
      writeHash();
    });
  }

  // ---- the table of the projects in view that match the filters
  const sort = { key: 'name', dir: 1 };
  let tableRows = [];
  let selectedId = null;

  // a feature's bounding box [w, s, e, n], computed once
  function bboxOf(f) {
    if (f._bbox) return f._bbox;
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    const walk = (c) => {
      if (typeof c[0] === 'number') { b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]); } else c.forEach(walk);
    };
    const g = f.geometry;
    (g.type === 'GeometryCollection' ? g.geometries : [g]).forEach((x) => walk(x.coordinates));
    Object.defineProperty(f, '_bbox', { value: b, enumerable: false });
    return b;
  }
  // does segment a-b touch the box r? (Liang–Barsky clipping)
  function segmentHits(a, b, r) {
    let t0 = 0, t1 = 1;
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const edges = [[-dx, a[0] - r[0]], [dx, r[2] - a[0]], [-dy, a[1] - r[1]], [dy, r[3] - a[1]]];
    for (const [p, q] of edges) {
      if (p === 0) { if (q < 0) return false; continue; }
      const t = q / p;
      if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
    }
    return true;
  }
  // is the feature in the box r = [w, s, e, n]? the same test the server's bbox queries make
  function inBox(f, r) {
    const b = bboxOf(f);
    if (b[0] > r[2] || b[2] < r[0] || b[1] > r[3] || b[3] < r[1]) return false;
    if (b[0] >= r[0] && b[2] <= r[2] && b[1] >= r[1] && b[3] <= r[3]) return true;
    const lines = (g) => {
      switch (g.type) {
        case 'Point': return [[g.coordinates, g.coordinates]];
        case 'MultiPoint': return g.coordinates.map((c) => [c, c]);
        case 'LineString': return [g.coordinates];
        case 'MultiLineString': return g.coordinates;
        case 'Polygon': return g.coordinates;
        case 'MultiPolygon': return g.coordinates.flat();
        case 'GeometryCollection': return g.geometries.flatMap(lines);
        default: return [];
      }
    };
    for (const line of lines(f.geometry)) {
      for (let i = 0; i + 1 < line.length; i++) if (segmentHits(line[i], line[i + 1], r)) return true;
      if (line.length === 1 && segmentHits(line[0], line[0], r)) return true;
    }
    return false;
  }
  function viewBox() {
    const b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  const SORTS = {
    name: (f) => f.properties.name,
    category: (f) => f.properties.category,
    county: (f) => countyList(f.properties.county_codes),
    status: (f) => f.properties.status || '',
    plans: (f) => f.properties.plan_count || 0
  };
  function updateTable() {
    if (tileMode) {
      updateTableFromServer().catch(fail);
      return;
    }
    const r = viewBox();
    const rows = features.filter((f) => f.geometry && shown(f) && inBox(f, r));
    const key = SORTS[sort.key];
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      const c = typeof x === 'number' ? x - y : collator.compare(x, y);
      return sort.dir * (c || collator.compare(a.properties.name, b.properties.name));
    });
    showTable(rows, rows.length);
  }
  // drawn from tiles, the server picks and orders the rows: names by code point, counties by
  // code, ties by name
  const SERVER_SORT = { name: 'name', category: 'category', county: 'county_codes', status: 'status', plans: 'plan_count' };
  let tableSeq = 0;
  async function updateTableFromServer() {
    const seq = ++tableSeq;
    const key = (sort.dir < 0 ? '-' : '') + SERVER_SORT[sort.key] + (sort.key === 'name' ? '' : ',name');
    const params = filtered(new URLSearchParams({ bbox: bboxParam(clampBox(viewBox())), limit: String(TABLE_ROWS), properties: LIST_PROPERTIES, sortby: key }));
    const fc = await getJSON('/collections/projects/items?' + params);
    if (seq !== tableSeq) return;
    showTable(fc.features, fc.numberMatched);
    app.tableFilter = params.get('filter') || '';
  }
  // the projects in view, for a download: drawn from tiles, fetched (up to DOWNLOAD_MAX)
  async function rowsInView() {
    if (!tileMode) return tableRows;
    if (app.table > DOWNLOAD_MAX) {
      status(app.table + ' projects in view: zoom in to download at most ' + DOWNLOAD_MAX + ', or page through the API (/collections/projects/items?bbox=…)');
      return null;
    }
    const params = filtered(new URLSearchParams({ bbox: bboxParam(clampBox(viewBox())), limit: '10000', properties: LIST_PROPERTIES }));
    return loadAll('/collections/projects/items?' + params);
  }
  function showTable(rows, total) {
    app.tableShownAt = performance.now();
    tableRows = rows;
    const body = document.querySelector('#projects-table tbody');
    body.innerHTML = rows.slice(0, TABLE_ROWS).map((f, i) => {
      const p = f.properties;
      return '<tr tabindex="0" data-row="' + i + '"' + (f.id === selectedId ? ' class="selected"' : '') + '><td>' + esc(p.name) + '</td><td><span class="dot" style="background:' + (COLORS[p.category] || '#000') + '"></span>' + esc(p.category) +
        '</td><td>' + esc(countyList(p.county_codes) || '—') + '</td><td>' + esc(p.status || 'unknown') + '</td><td>' + esc(p.plan_count ?? '') + '</td></tr>';
    }).join('');
    $('table-count').textContent = total + ' in view' + (total > TABLE_ROWS ? ', the first ' + TABLE_ROWS + ' listed (zoom in for the rest; downloads have all)' : '');
    app.table = total;
    app.tableIds = rows.map((f) => f.id);
  }
  function select(id) {
    selectedId = id;
    document.querySelectorAll('#projects-table tr.selected').forEach((tr) => tr.classList.remove('selected'));
    const i = tableRows.findIndex((f) => f.id === id);
    const tr = i >= 0 ? document.querySelector('#projects-table tr[data-row="' + i + '"]') : null;
    if (tr) { tr.classList.add('selected'); tr.scrollIntoView({ block: 'nearest' }); }
  }
  function tableEvents() {
    const body = document.querySelector('#projects-table tbody');
    const go = (e) => {
      const tr = e.target.closest('tr[data-row]');
      if (tr) openFeature(tableRows[Number(tr.dataset.row)]);
    };
    body.addEventListener('click', go);
    body.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(e); } });
    document.querySelector('#projects-table thead').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-sort]');
      if (!b) return;
      sort.dir = sort.key === b.dataset.sort ? -sort.dir : (b.dataset.sort === 'plans' ? -1 : 1);
      sort.key = b.dataset.sort;
      document.querySelectorAll('#projects-table th').forEach((th) => {
        const mine = th.querySelector('button').dataset.sort === sort.key;
        th.setAttribute('aria-sort', mine ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
      });
      updateTable();
    });
    $('table-toggle').addEventListener('click', () => {
      const scroll = $('table-scroll');
      scroll.hidden = !scroll.hidden;
      $('table-box').classList.toggle('collapsed', scroll.hidden);
      $('table-toggle').setAttribute('aria-expanded', String(!scroll.hidden));
      $('table-toggle').textContent = scroll.hidden ? 'Show table' : 'Hide table';
      map.invalidateSize();
    });
    $('download-geojson').addEventListener('click', () => rowsInView().then((rows) => rows && save('planmap-projects.geojson', 'application/geo+json',
      JSON.stringify({ type: 'FeatureCollection', features: rows.map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: f.properties })) }))).catch(fail));
    $('download-csv').addEventListener('click', () => rowsInView().then((rows) => rows && save('planmap-projects.csv', 'text/csv', csv(rows))).catch(fail));
  }
  function save(name, type, text) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }
  function wkt(g) {
    const pt = (c) => c[0] + ' ' + c[1];
    const ring = (cs) => '(' + cs.map(pt).join(', ') + ')';
    switch (g.type) {
      case 'Point': return 'POINT (' + pt(g.coordinates) + ')';
      case 'MultiPoint': return 'MULTIPOINT (' + g.coordinates.map((c) => '(' + pt(c) + ')').join(', ') + ')';
      case 'LineString': return 'LINESTRING ' + ring(g.coordinates);
      case 'MultiLineString': return 'MULTILINESTRING (' + g.coordinates.map(ring).join(', ') + ')';
      case 'Polygon': return 'POLYGON (' + g.coordinates.map(ring).join(', ') + ')';
      case 'MultiPolygon': return 'MULTIPOLYGON (' + g.coordinates.map((p) => '(' + p.map(ring).join(', ') + ')').join(', ') + ')';
      case 'GeometryCollection': return 'GEOMETRYCOLLECTION (' + g.geometries.map(wkt).join(', ') + ')';
      default: return '';
    }
  }
  function csv(rows) {
    const cell = (v) => { const s = String(v ?? ''); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    const head = ['id', 'name', 'category', 'county_codes', 'counties', 'prefecture_code', 'status', 'plan_count', 'investment_yi', 'precision', 'wkt'];
    const lines = [head.join(',')];
    for (const f of rows) {
      const p = f.properties;
      lines.push([f.id, p.name, p.category, (p.county_codes || []).join(' '), countyList(p.county_codes), p.prefecture_code, p.status, p.plan_count, p.investment_yi, p.precision, wkt(f.geometry)].map(cell).join(','));
    }
    return lines.join('\r\n') + '\r\n';
  }

  // ---- counties shaded by what the shown projects hold
  // light to mid blue-grey: the projects' own colours stay readable on every class
  const SHADES = ['#eceff6', '#cdd5e8', '#a8b5d6', '#8092c2', '#5a6ca8'];
  let shadeOf = {};
  function countyStyle(f) {
    const v = shadeOf[f.properties.code];
    const fill = state.shade && v > 0 ? shadeColor(v) : '#f4f1ea';
    return { color: '#8899aa', weight: 0.7, fillColor: fill, fillOpacity: state.osm ? (state.shade ? 0.6 : 0.2) : 1 };
  }
  let breaks = [];
  const shadeColor = (v) => SHADES[Math.min(SHADES.length - 1, breaks.filter((b) => v > b).length)];
  function shade() {
    shadeOf = {};
    if (state.shade && tileMode) {
      for (const [code, c] of Object.entries(stats ? stats.counties : {})) shadeOf[code] = state.shade === 'projects' ? c.projects : c.investment_yi;
    } else if (state.shade) {
      for (const f of features) {
        if (!shown(f)) continue;
        const codes = f.properties.county_codes || [];
        if (state.shade === 'projects') codes.forEach((c) => { shadeOf[c] = (shadeOf[c] || 0) + 1; });
        // a project over several counties counts a share in each
        else if (f.properties.investment_yi != null && codes.length) codes.forEach((c) => { shadeOf[c] = (shadeOf[c] || 0) + f.properties.investment_yi / codes.length; });
      }
    }
    // class limits at the quintiles of the counties that have any
    const vals = Object.values(shadeOf).filter((v) => v > 0).sort((a, b) => a - b);
    breaks = [...new Set([0.2, 0.4, 0.6, 0.8].map((q) => vals[Math.floor(q * (vals.length - 1))]).filter((v) => v !== undefined))];
    if (counties) counties.setStyle(countyStyle);
    const key = $('shade-key');
    if (!state.shade) { key.innerHTML = ''; app.shaded = null; return; }
    const fmt = (v) => state.shade === 'projects' ? String(Math.round(v)) : v.toFixed(v < 10 ? 1 : 0);
    const limits = [0, ...breaks, vals.length ? vals[vals.length - 1] : 0];
    key.innerHTML = (vals.length ? limits.slice(1).map((hi, i) => '<span class="box" style="background:' + SHADES[i] + '"></span>' + (i === 0 ? '≤ ' : fmt(limits[i]) + '–') + fmt(hi)).join(' ') : 'nothing to shade') +
      '<br>' + (state.shade === 'projects' ? 'projects shown, by county' : '亿元 stated for the projects shown; a project over several counties counts a share in each');
    app.shaded = { mode: state.shade, counties: vals.length, colours: new Set(Object.values(shadeOf).filter((v) => v > 0).map(shadeColor)).size };
  }

  function openFeature(f) {
    if (!f.geometry) {
      projectPopup(f, map.getCenter());
      return;
    }
    if (isPoint(f)) {
      const [lon, lat] = f.geometry.coordinates;
      map.setView([lat, lon], Math.max(map.getZoom(), 9), { animate: false });
      renderClusters(); // in case the view did not change
      const m = drawnPoints.get(f.id);
      // inside a cluster (on a spot it shares) or hidden by a filter: its own popup anyway
      if (m) m.openPopup(); else projectPopup(f, [lat, lon]);
      return;
    }
    let target = null;
    lineLayers[f.properties.category].eachLayer((l) => { if (l.feature && l.feature.id === f.id) target = l; });
    const bounds = L.geoJSON(f).getBounds();
    map.fitBounds(bounds, { maxZoom: 9, animate: false });
    if (target) target.openPopup(); else projectPopup(f, bounds.getCenter());
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
    const params = new URLSearchParams({ q, limit: '30', properties: LIST_PROPERTIES });
    if (state.doc) params.set('doc', state.doc);
    const fc = await getJSON('/collections/projects/items?' + params);
    if (seq !== searchSeq) return;
    for (const f of fc.features) items.push({ label: f.properties.name, kind: f.properties.category, go: () => openFeature(byId.get(f.id) || f) });
    list.innerHTML = '';
    for (const it of items.slice(0, 40)) {
      const li = document.createElement('li');
      li.tabIndex = 0;
      li.innerHTML = esc(it.label) + '<span class="kind">' + esc(it.kind) + '</span>';
      li.addEventListener('click', it.go);
      li.addEventListener('keydown', (e) => { if (e.key === 'Enter') it.go(); });
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
      const f = near.features[Number(a.dataset.near)];
      openFeature(byId.get(f.id) || f);
    }));
  }

  // every page of a listing; after the first, the rest two at a time (the server has the
  // count, and a portfolio of 100k projects is ten pages)
  async function loadAll(url) {
    const first = await getJSON(url);
    const out = first.features;
    const pages = [];
    const total = first.numberMatched ?? out.length;
    const size = out.length;
    for (let off = size; size > 0 && off < total; off += size) pages.push(off);
    const sep = url.includes('?') ? '&' : '?';
    const results = new Array(pages.length);
    let next = 0;
    const worker = async () => {
      while (next < pages.length) {
        const i = next++;
        results[i] = (await getJSON(url + sep + 'offset=' + pages[i])).features;
      }
    };
    await Promise.all([worker(), worker()]);
    for (const r of results) out.push(...r);
    return out;
  }

  async function start() {
    const [cols, countyFc, prefFc, placeFc, plans, probe] = await Promise.all([
      getJSON('/collections'),
      getJSON('/collections/counties/items?limit=1000'),
      getJSON('/collections/prefectures/items?limit=1000'),
      getJSON('/collections/places/items?limit=10000&properties=name,kind'),
      getJSON('/plans'),
      getJSON('/collections/projects/items?limit=1&properties=')
    ]);
    app.total = probe.numberMatched;
    tileMode = state.tiles === '1' || (state.tiles !== '0' && app.total > TILE_MODE_ABOVE);
    app.mode = tileMode ? 'tiles' : 'features';
    // the decoder's modules load only for a map drawn from tiles
    if (tileMode) decodeTile = (await import('/static/mvt.js')).decode;
    for (const f of countyFc.features.concat(prefFc.features)) countyNames[f.properties.code] = f.properties.name;
    counties = L.geoJSON(countyFc, {
      style: countyStyle,
      onEachFeature: (f, l) => l.bindTooltip(() => f.properties.name + ' · ' + (state.shade === 'investment'
        ? (shadeOf[f.properties.code] || 0).toFixed(1) + ' 亿元 stated'
        : (state.shade ? (shadeOf[f.properties.code] || 0) + ' projects shown' : f.properties.project_count + ' projects')), { sticky: true })
    }).addTo(map);
    const prefOutlines = L.geoJSON(prefFc, { pane: 'prefectures', interactive: false, style: { color: '#556677', weight: 1.6, fill: false } }).addTo(map);
    if (state.fit) map.fitBounds(prefOutlines.getBounds(), { padding: [8, 8] });
    labelAreas(countyFc, prefFc, placeFc);
    if (state.osm) { osm.addTo(map); $('osm-toggle').checked = true; }

    const sel = $('doc-filter');
    for (const p of plans.plans) {
      const o = document.createElement('option');
      o.value = p.doc;
      o.textContent = (p.title || p.doc) + (p.period ? ' (' + p.period + ')' : '') + ' · ' + p.projects;
      sel.appendChild(o);
    }
    sel.value = state.doc;
    sel.addEventListener('change', () => { state.doc = sel.value; loadDoc().then(redraw).catch(fail); writeHash(); });
    $('shade').value = state.shade;
    $('shade').addEventListener('change', (e) => { state.shade = e.target.value; shade(); writeHash(); });

    const catCols = cols.collections.filter((c) => !NOT_CATEGORIES.has(c.id));
    for (const c of catCols) {
      categories.push(c.id);
      lineLayers[c.id] = makeLineLayer(c.id).addTo(map);
    }
    legend(catCols);
    tableEvents();
    if (tileMode) {
      tileLayer = makeTileLayer();
      await redrawTiles();
    } else {
      const tLoad = performance.now();
      features = await loadAll('/collections/projects/items?limit=10000&properties=' + LIST_PROPERTIES);
      app.timings.load_ms = Math.round(performance.now() - tLoad);
      for (const f of features) byId.set(f.id, f);
      await loadDoc();
      app.total = features.length;
      const tDraw = performance.now();
      redraw();
      app.timings.draw_ms = Math.round(performance.now() - tDraw);
    }

    $('osm-toggle').addEventListener('change', (e) => {
      state.osm = e.target.checked;
      if (state.osm) osm.addTo(map); else map.removeLayer(osm);
      counties.setStyle(countyStyle);
      writeHash();
    });
    let timer = null;
    $('search').addEventListener('input', (e) => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value.trim()).catch(fail), 200); });
    $('search-form').addEventListener('submit', (e) => { e.preventDefault(); search($('search').value.trim()).catch(fail); });
    map.on('click', (e) => (tileMode ? whatIsUnder(e) : whatIsHere(e)).catch(fail));
    map.on('moveend', () => { renderClusters(); updateTable(); writeHash(); });
    // a view pasted into the address bar of an open page
    window.addEventListener('hashchange', () => {
      const h = readHash();
      const c = map.getCenter();
      if (h.z !== map.getZoom() || Math.abs(h.lat - c.lat) > 1e-3 || Math.abs(h.lon - c.lng) > 1e-3) map.setView([h.lat, h.lon], h.z);
    });
    writeHash();
    app.timings.ready_ms = Math.round(performance.now() - t0);
    app.ready = true;
  }

  // screen positions, for scripted checks of the page (tests/e2e/viewer.mjs): a single
  // project's marker or a cluster's, inside the map
  function onScreen(layer, pick) {
    const r = map.getContainer().getBoundingClientRect();
    let hit = null;
    layer.eachLayer((l) => {
      if (hit || !l.getLatLng || !pick(l)) return;
      const c = map.latLngToContainerPoint(l.getLatLng());
      if (c.x > 30 && c.y > 30 && c.x < r.width - 30 && c.y < r.height - 30) hit = { x: r.left + c.x, y: r.top + c.y, n: l.cluster ? l.cluster.properties.point_count : 1, id: l.feature ? l.feature.id : null };
    });
    return hit;
  }
  window.planmapScreenPoint = (lat, lon) => map.latLngToContainerPoint([lat, lon]);
  window.planmapMarkerPoint = (cat) => onScreen(pointLayer, (l) => !cat || l.feature.properties.category === cat);
  window.planmapClusterPoint = () => onScreen(clusterLayer, () => true);

  function fail(e) {
    app.errors.push(String(e));
    status('Error: ' + e.message);
  }

  start().catch(fail);
})();
