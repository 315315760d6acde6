// ripplemap explorer: the page. Vanilla JS, no dependency, nothing from the internet.
// Every text from the inventory is put in the DOM with textContent and createElement,
// never parsed as markup.
'use strict';

(function () {
  // ---------------------------------------------------------------- i18n
  // Both dictionaries must have the same keys (tests/explorer.rs checks it).
  const I18N = {
    // i18n:en:start
    en: {
      title: 'ripplemap explorer',
      skip: 'Skip to results',
      mode_label: 'Mode',
      mode_impact: 'Failure',
      mode_change: 'Change',
      large_text: 'Large text',
      scenario: 'Scenario',
      search_label: 'Find a system, site, agency or link',
      search_help: 'Type an id or a name (정부 finds 정부24). ↑ ↓ to choose, Enter to add, Esc to close.',
      search_none: 'Nothing matches “{q}”',
      search_more: '{n} more matches: type more',
      selected: 'Selected',
      nothing_selected: 'Nothing selected yet: search above and press Enter.',
      clear_all: 'Clear all',
      remove: 'Remove {name}',
      outage_length: 'Outage length',
      presets: 'Preset lengths',
      forever: 'for ever',
      hours_n: '{n} h',
      export: 'Export',
      export_md: 'Assessment (Markdown)',
      export_json: 'JSON',
      export_svg: 'SVG',
      copy_link: 'Copy link',
      copied: 'Link copied',
      copy_failed: 'Copy this link: {url}',
      nothing_to_export: 'Nothing to export yet',
      affected_title: 'Affected',
      retest_title: 'Who must retest',
      graph_title: 'Blast radius',
      filter_state: 'State',
      filter_grade: 'Grade',
      filter_agency: 'Agency',
      all: 'all',
      none_agency: '(no agency)',
      ungraded: 'ungraded',
      group_by: 'Group by',
      group_agency: 'agency',
      group_site: 'site',
      col_state: 'State',
      col_hour: 'Hour',
      col_system: 'System',
      col_grade: 'Grade',
      col_agency: 'Agency',
      col_depth: 'Depth',
      col_path: 'Witness path',
      state_down: 'down',
      state_degraded: 'degraded',
      state_seed: 'failed',
      state_changed: 'changed',
      state_direct: 'retest',
      state_indirect: 'notify',
      showing: 'Showing {shown} of {total}',
      showing_filtered: 'Showing {shown} of {total} (filtered from {all})',
      show_more: 'Show {n} more',
      summary_down: 'Down',
      summary_degraded: 'Degraded',
      summary_affected: 'Affected',
      summary_direct: 'Must retest',
      summary_critical: 'Most critical grade',
      summary_agencies: 'Agencies',
      summary_horizon: 'Outage',
      no_scenario: 'Choose what fails (or changes) to see who is affected, when and why.',
      no_affected: 'Nothing else is affected.',
      rows_limited: '(the first {n} loaded: filter to narrow)',
      no_match: 'No affected node matches the filters.',
      try_label: 'Try:',
      try_site: '{name} ({n} systems)',
      loading: 'Computing…',
      graph_more: '+ {n} more',
      graph_by: 'by agency:',
      graph_depth: 'depth {d}',
      graph_seeds: 'failed',
      graph_changed: 'changed',
      graph_capped: 'Drawing {drawn} of {total} nodes; the rest are counted in dashed boxes.',
      graph_all: 'Drawing all {total} nodes. Click a node for its neighbourhood and witness path.',
      at_hour: 'at {h}',
      close: 'Close',
      add_to_scenario: 'Add to scenario',
      providers: 'Depends on (providers)',
      consumers: 'Depended on by (consumers)',
      neighbours_none: 'none',
      neighbours_more: 'Showing {shown} of {total}',
      fact_kind: 'Kind',
      fact_agency: 'Agency',
      fact_grade: 'Grade',
      fact_sites: 'Sites',
      fact_tags: 'Tags',
      link_terms: '{kind}, {mode}, tolerance {tol}, {effect}',
      group_named: 'group {g}',
      banner_title: 'The inventory changed but does not load: still showing version {v}, loaded {at}.',
      reloaded: 'Inventory reloaded (version {v}).',
      inventory_info: '{inv}: {nodes} nodes, {links} links, {agencies} agencies · policy: {errors} errors, {warnings} warnings',
      error_title: 'Cannot compute this scenario:',
      did_you_mean: 'Did you mean:',
      replace_with: 'Use {id}',
      kind_system: 'system',
      kind_service: 'service',
      kind_site: 'site',
      kind_network: 'network',
      kind_external: 'external',
      type_node: 'system',
      type_site: 'site',
      type_agency: 'agency',
      type_link: 'link',
      type_site_change: 'site',
      inactive_in_change: 'Agencies apply to failures only',
      footer: 'ripplemap: if this system fails or changes, what else breaks, when, and why?',
      request_failed: 'The explorer did not answer ({status}).',
    },
    // i18n:en:end
    // i18n:ko:start
    ko: {
      title: 'ripplemap 영향 탐색기',
      skip: '결과로 건너뛰기',
      mode_label: '모드',
      mode_impact: '장애',
      mode_change: '변경',
      large_text: '큰 글씨',
      scenario: '시나리오',
      search_label: '시스템, 센터, 기관 또는 연계 찾기',
      search_help: 'ID나 이름을 입력하세요 (정부 → 정부24). ↑ ↓ 로 고르고 Enter로 추가, Esc로 닫기.',
      search_none: '“{q}”와 일치하는 항목이 없습니다',
      search_more: '일치 항목 {n}개 더: 더 입력하세요',
      selected: '선택',
      nothing_selected: '아직 선택한 항목이 없습니다: 위에서 찾아 Enter를 누르세요.',
      clear_all: '모두 지우기',
      remove: '{name} 빼기',
      outage_length: '장애 지속 시간',
      presets: '미리 정한 시간',
      forever: '무기한',
      hours_n: '{n}시간',
      export: '내보내기',
      export_md: '영향평가서 (Markdown)',
      export_json: 'JSON',
      export_svg: 'SVG',
      copy_link: '링크 복사',
      copied: '링크를 복사했습니다',
      copy_failed: '이 링크를 복사하세요: {url}',
      nothing_to_export: '아직 내보낼 결과가 없습니다',
      affected_title: '영향 받는 시스템',
      retest_title: '재시험 대상',
      graph_title: '영향 범위',
      filter_state: '상태',
      filter_grade: '등급',
      filter_agency: '기관',
      all: '전체',
      none_agency: '(기관 없음)',
      ungraded: '등급 없음',
      group_by: '묶음 기준',
      group_agency: '기관',
      group_site: '센터',
      col_state: '상태',
      col_hour: '시각',
      col_system: '시스템',
      col_grade: '등급',
      col_agency: '기관',
      col_depth: '단계',
      col_path: '영향 경로',
      state_down: '중단',
      state_degraded: '저하',
      state_seed: '장애',
      state_changed: '변경',
      state_direct: '재시험',
      state_indirect: '통보',
      showing: '{total}개 중 {shown}개 표시',
      showing_filtered: '{total}개 중 {shown}개 표시 (전체 {all}개에서 거름)',
      show_more: '{n}개 더 보기',
      summary_down: '중단',
      summary_degraded: '저하',
      summary_affected: '영향',
      summary_direct: '재시험',
      summary_critical: '최고 중요 등급',
      summary_agencies: '기관',
      summary_horizon: '장애 시간',
      no_scenario: '장애(또는 변경) 대상을 고르면 무엇이, 언제, 왜 영향을 받는지 보여 줍니다.',
      no_affected: '영향 받는 다른 시스템이 없습니다.',
      rows_limited: '(앞의 {n}개만 불러옴: 필터로 좁히세요)',
      no_match: '필터에 맞는 영향 노드가 없습니다.',
      try_label: '예:',
      try_site: '{name} (시스템 {n}개)',
      loading: '계산 중…',
      graph_more: '+ {n}개 더',
      graph_by: '기관별:',
      graph_depth: '{d}단계',
      graph_seeds: '장애',
      graph_changed: '변경',
      graph_capped: '노드 {total}개 중 {drawn}개를 그립니다. 나머지는 점선 상자에 개수로 표시합니다.',
      graph_all: '노드 {total}개를 모두 그립니다. 노드를 누르면 연계와 영향 경로를 봅니다.',
      at_hour: '{h} 시점',
      close: '닫기',
      add_to_scenario: '시나리오에 추가',
      providers: '의존하는 대상 (제공자)',
      consumers: '의존하는 시스템 (소비자)',
      neighbours_none: '없음',
      neighbours_more: '{total}개 중 {shown}개 표시',
      fact_kind: '종류',
      fact_agency: '기관',
      fact_grade: '등급',
      fact_sites: '센터',
      fact_tags: '태그',
      link_terms: '{kind}, {mode}, 허용 {tol}, {effect}',
      group_named: '그룹 {g}',
      banner_title: '연계 목록이 바뀌었지만 읽을 수 없습니다: {at}에 읽은 버전 {v}을 계속 보여 줍니다.',
      reloaded: '연계 목록을 다시 읽었습니다 (버전 {v}).',
      inventory_info: '{inv}: 노드 {nodes}개, 연계 {links}개, 기관 {agencies}개 · 정책: 오류 {errors}건, 경고 {warnings}건',
      error_title: '이 시나리오를 계산할 수 없습니다:',
      did_you_mean: '이것을 찾으셨나요:',
      replace_with: '{id} 사용',
      kind_system: '시스템',
      kind_service: '공통 서비스',
      kind_site: '센터',
      kind_network: '네트워크',
      kind_external: '외부',
      type_node: '시스템',
      type_site: '센터',
      type_agency: '기관',
      type_link: '연계',
      type_site_change: '센터',
      inactive_in_change: '기관 선택은 장애 모드에만 적용됩니다',
      footer: 'ripplemap: 이 시스템이 멈추거나 바뀌면 무엇이, 언제, 왜 멈추는가?',
      request_failed: '탐색기가 응답하지 않았습니다 ({status}).',
    },
    // i18n:ko:end
  };

  // ---------------------------------------------------------------- constants
  const SVGNS = 'http://www.w3.org/2000/svg';
  const FOREVER = 169; // the slider's last step
  const ROWS_STEP = 500; // table rows rendered at a time
  const ROWS_LIMIT = 2000; // rows asked of the server at most (filters narrow them there)
  const GRAPH_MAX = 150; // nodes drawn at most
  const GRAPH_COLUMN_MAX = 30; // nodes drawn per depth column at most
  const GRAPH_DEPTH_MAX = 10; // deeper nodes are drawn in the last column
  const COLORS = {
    seed: '#7f0000', down: '#c62828', degraded: '#f9a825', changed: '#0d47a1',
    direct: '#1565c0', reached: '#64b5f6', text: '#111111', light: '#ffffff',
    edge: '#9e9e9e', path: '#b71c1c', box: '#f5f5f5', border: '#424242',
  };

  // ---------------------------------------------------------------- state
  const state = {
    mode: 'impact',
    items: [], // {type: node|site|agency|link, id, name}
    hours: null, // null: for ever
    lang: 'en',
    large: false,
    groupBy: 'agency',
    filters: { state: '', grade: '', agency: '' },
    sort: { key: 'hour', dir: 1 },
    shown: ROWS_STEP,
    doc: null, // the last API document (parsed)
    docText: '', // the same, as received
    docMode: null,
    focus: null, // id whose witness path is highlighted
    status: null,
    inventory: null,
    brief: {}, // id -> {name, kind, agency, grade, sites} of drawn nodes
    seq: 0,
    searchSeq: 0,
    suggestions: [],
    active: -1,
    panelId: null,
    lastError: null,
  };

  const $ = (id) => document.getElementById(id);

  function t(key, vars) {
    const dict = I18N[state.lang] || I18N.en;
    let s = dict[key];
    if (s === undefined) s = I18N.en[key] === undefined ? key : I18N.en[key];
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
    }
    return s;
  }

  function num(n) {
    return Number(n).toLocaleString(state.lang === 'ko' ? 'ko-KR' : 'en-US');
  }

  function fmtHours(h) {
    if (h === null || h === undefined) return t('forever');
    const r = Math.round(h * 10) / 10;
    return t('hours_n', { n: num(r) });
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'text') e.textContent = v;
        else if (k === 'class') e.className = v;
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined) continue;
        e.setAttribute(k, String(v));
      }
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  // ---------------------------------------------------------------- API
  // Never throws: a server that went away is an answer with status 0.
  async function api(path) {
    let resp;
    let text;
    try {
      resp = await fetch(path, { headers: { Accept: 'application/json' } });
      text = await resp.text();
    } catch (e) {
      return { ok: false, status: 0, text: '', body: null };
    }
    let body = null;
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = null;
    }
    return { ok: resp.ok, status: resp.status, text, body };
  }

  function qs(pairs) {
    const p = new URLSearchParams();
    for (const [k, v] of pairs) p.append(k, v);
    return p.toString();
  }

  // The API query of the current scenario: [path, pairs].
  function scenarioQuery() {
    const pairs = [];
    if (state.mode === 'impact') {
      for (const it of state.items) {
        if (it.type === 'node') pairs.push(['fail', it.id]);
        else if (it.type === 'link') pairs.push(['fail_link', it.id]);
        else if (it.type === 'site') pairs.push(['fail_where', 'site=' + it.id]);
        else if (it.type === 'agency') pairs.push(['fail_where', 'agency=' + it.id]);
      }
      if (state.hours !== null) pairs.push(['hours', String(state.hours)]);
      return ['/api/impact', pairs];
    }
    for (const it of state.items) {
      if (it.type === 'node' || it.type === 'site') pairs.push(['system', it.id]);
      else if (it.type === 'link') pairs.push(['link', it.id]);
    }
    return ['/api/change', pairs];
  }

  // The table's filters and the row limit, as the API takes them: the server filters, so
  // that a national-scale answer stays small (the summary still counts every row).
  function rowPairs() {
    const pairs = [['limit', String(ROWS_LIMIT)]];
    const f = state.filters;
    if (state.mode === 'impact' && f.state) pairs.push(['state', f.state]);
    if (f.grade) pairs.push(['grade', f.grade === 'none' ? 'ungraded' : f.grade]);
    if (f.agency) pairs.push(['agency', f.agency]);
    return pairs;
  }

  function activeItems() {
    return state.items.filter((it) => state.mode === 'impact' || it.type !== 'agency');
  }

  // ---------------------------------------------------------------- URL
  function writeUrl() {
    const p = new URLSearchParams();
    if (state.mode !== 'impact') p.append('mode', state.mode);
    for (const it of state.items) p.append(it.type, it.id);
    if (state.hours !== null) p.append('hours', String(state.hours));
    if (state.groupBy !== 'agency') p.append('group', state.groupBy);
    if (urlLang) p.append('lang', state.lang);
    const s = p.toString();
    const url = location.pathname + (s ? '?' + s : '');
    if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  }

  let urlLang = false;

  function readUrl() {
    const p = new URLSearchParams(location.search);
    state.mode = p.get('mode') === 'change' ? 'change' : 'impact';
    state.items = [];
    const seen = new Set();
    for (const [k, v] of p) {
      if (!['node', 'site', 'agency', 'link'].includes(k) || !v) continue;
      const key = k + '\u0000' + v;
      if (seen.has(key)) continue;
      seen.add(key);
      state.items.push({ type: k, id: v, name: k === 'agency' ? v : '' });
    }
    const h = p.get('hours');
    const hv = h === null ? NaN : Number(h);
    state.hours = Number.isFinite(hv) && hv >= 0 ? hv : null;
    state.groupBy = p.get('group') === 'site' ? 'site' : 'agency';
    const lang = p.get('lang');
    if (lang === 'ko' || lang === 'en') {
      state.lang = lang;
      urlLang = true;
    }
  }

  // Names of the nodes and sites named in the URL.
  async function fillNames() {
    const ids = state.items.filter((it) => (it.type === 'node' || it.type === 'site') && !it.name);
    if (!ids.length) return;
    const r = await api('/api/nodes?' + qs(ids.slice(0, 500).map((it) => ['id', it.id])));
    if (!r.ok || !r.body) return;
    for (const it of state.items) {
      const b = r.body.nodes[it.id];
      if (b && !it.name) it.name = b.name;
      if (b && !it.kind) it.kind = b.kind;
    }
  }

  // ---------------------------------------------------------------- static labels
  function applyLabels() {
    document.documentElement.lang = state.lang;
    for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
    for (const e of document.querySelectorAll('[data-i18n-label]')) {
      e.setAttribute('aria-label', t(e.dataset.i18nLabel));
    }
    const toggle = $('lang-toggle');
    toggle.textContent = state.lang === 'ko' ? 'English' : '한국어';
    toggle.lang = state.lang === 'ko' ? 'en' : 'ko';
    document.title = t('title');
    fillSelect($('group-by'), [['agency', t('group_agency')], ['site', t('group_site')]], state.groupBy);
    $('table-title').textContent = state.mode === 'impact' ? t('affected_title') : t('retest_title');
    $('hours-box').hidden = state.mode !== 'impact';
    $('mode-impact').setAttribute('aria-selected', String(state.mode === 'impact'));
    $('mode-change').setAttribute('aria-selected', String(state.mode === 'change'));
    $('size-toggle').setAttribute('aria-pressed', String(state.large));
    document.body.classList.toggle('large', state.large);
    showHours();
    showInventory();
  }

  function fillSelect(select, options, value) {
    clear(select);
    for (const [v, label] of options) {
      const o = el('option', { value: v, text: label });
      if (v === value) o.selected = true;
      select.append(o);
    }
  }

  function showHours() {
    const slider = $('hours');
    slider.value = String(state.hours === null ? FOREVER : Math.min(168, Math.round(state.hours)));
    const label = fmtHours(state.hours);
    $('hours-out').textContent = label;
    slider.setAttribute('aria-valuetext', label);
  }

  function showInventory() {
    const info = $('inventory-info');
    const st = state.status;
    const inv = state.inventory;
    if (!st || !inv) {
      info.textContent = '';
      return;
    }
    info.textContent = t('inventory_info', {
      inv: st.inventory,
      nodes: num(st.nodes),
      links: num(st.links),
      agencies: num(inv.stats.agencies),
      errors: num(inv.policy.errors),
      warnings: num(inv.policy.warnings),
    });
    $('version').textContent = 'v' + st.ripplemap;
  }

  function showBanner() {
    const st = state.status;
    const banner = $('banner');
    if (!st || st.ok) {
      banner.hidden = true;
      return;
    }
    banner.hidden = false;
    $('banner-title').textContent = t('banner_title', {
      v: st.version,
      at: new Date(st.loaded_at * 1000).toLocaleString(state.lang === 'ko' ? 'ko-KR' : 'en-US'),
    });
    $('banner-lines').textContent = st.diagnostics.join('\n');
  }

  // ---------------------------------------------------------------- chips
  function itemLabel(it) {
    const type = it.type === 'node' && it.kind ? t('kind_' + it.kind) : t('type_' + it.type);
    if (it.type === 'agency' || it.type === 'link' || !it.name || it.name === it.id) {
      return type + ': ' + it.id;
    }
    return type + ': ' + it.name + ' (' + it.id + ')';
  }

  function renderChips() {
    const ul = $('chips');
    clear(ul);
    if (!state.items.length) {
      ul.append(el('li', { class: 'muted small', text: t('nothing_selected') }));
    }
    state.items.forEach((it, i) => {
      const inactive = state.mode === 'change' && it.type === 'agency';
      const label = itemLabel(it);
      const li = el('li', {
        class: 'chip chip-' + it.type + (inactive ? ' inactive' : ''),
        title: inactive ? t('inactive_in_change') : null,
        'data-id': it.id,
        'data-type': it.type,
      });
      li.append(el('span', { text: label }));
      li.append(el('button', {
        type: 'button',
        class: 'chip-remove',
        'aria-label': t('remove', { name: label }),
        text: '×',
        onclick: () => {
          state.items.splice(i, 1);
          changed();
          $('search').focus();
        },
      }));
      ul.append(li);
    });
    $('clear-all').hidden = state.items.length < 2;
  }

  function addItem(it) {
    if (!state.items.some((x) => x.type === it.type && x.id === it.id)) {
      state.items.push({ type: it.type, id: it.id, name: it.name || '', kind: it.kind || '' });
    }
    changed();
  }

  // ---------------------------------------------------------------- search
  const runSearch = debounce(async () => {
    const q = $('search').value.trim();
    const seq = ++state.searchSeq;
    if (!q) {
      closeSuggestions();
      return;
    }
    const r = await api('/api/search?' + qs([['q', q]]));
    if (seq !== state.searchSeq) return;
    if (!r.ok || !r.body) {
      closeSuggestions();
      return;
    }
    showSuggestions(r.body, q);
  }, 120);

  function showSuggestions(doc, q) {
    const ul = $('suggestions');
    clear(ul);
    state.suggestions = doc.results;
    state.active = doc.results.length ? 0 : -1;
    if (!doc.results.length) {
      ul.append(el('li', { class: 'muted', role: 'presentation', text: t('search_none', { q }) }));
    }
    doc.results.forEach((h, i) => {
      const li = el('li', {
        id: 'opt-' + i,
        role: 'option',
        class: 'option option-' + h.type,
        'aria-selected': 'false',
        'data-id': h.id,
      });
      const badge = h.type === 'node' && h.node_kind ? t('kind_' + h.node_kind) : t('type_' + h.type);
      li.append(el('span', { class: 'badge badge-' + h.type, text: badge }));
      li.append(el('span', { class: 'opt-name', text: h.name }));
      if (h.type !== 'agency' && h.id !== h.name) li.append(el('span', { class: 'opt-id', text: h.id }));
      const extra = [];
      if (h.agency) extra.push(h.agency);
      if (h.grade) extra.push(t('fact_grade') + ' ' + h.grade);
      if (h.count !== undefined && h.count !== null) extra.push(num(h.count));
      if (extra.length) li.append(el('span', { class: 'opt-extra', text: extra.join(' · ') }));
      li.addEventListener('mousedown', (ev) => {
        ev.preventDefault();
        choose(i);
      });
      ul.append(li);
    });
    if (doc.total > doc.results.length) {
      ul.append(el('li', {
        class: 'muted small',
        role: 'presentation',
        text: t('search_more', { n: num(doc.total - doc.results.length) }),
      }));
    }
    ul.hidden = false;
    $('search').setAttribute('aria-expanded', 'true');
    markActive();
  }

  function markActive() {
    const input = $('search');
    state.suggestions.forEach((_, i) => {
      const li = $('opt-' + i);
      if (!li) return;
      const on = i === state.active;
      li.setAttribute('aria-selected', String(on));
      li.classList.toggle('active', on);
      if (on) li.scrollIntoView({ block: 'nearest' });
    });
    if (state.active >= 0) input.setAttribute('aria-activedescendant', 'opt-' + state.active);
    else input.removeAttribute('aria-activedescendant');
  }

  function closeSuggestions() {
    const ul = $('suggestions');
    ul.hidden = true;
    clear(ul);
    state.suggestions = [];
    state.active = -1;
    $('search').setAttribute('aria-expanded', 'false');
    $('search').removeAttribute('aria-activedescendant');
  }

  function choose(i) {
    const h = state.suggestions[i];
    if (!h) return;
    $('search').value = '';
    closeSuggestions();
    addItem({ type: h.type, id: h.id, name: h.name, kind: h.node_kind });
  }

  function onSearchKey(ev) {
    const open = !$('suggestions').hidden && state.suggestions.length > 0;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (!open) {
        runSearch();
        return;
      }
      state.active = (state.active + 1) % state.suggestions.length;
      markActive();
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!open) return;
      state.active = (state.active - 1 + state.suggestions.length) % state.suggestions.length;
      markActive();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (open) choose(Math.max(0, state.active));
    } else if (ev.key === 'Escape') {
      if (!$('suggestions').hidden) {
        ev.preventDefault();
        closeSuggestions();
      } else if ($('search').value) {
        ev.preventDefault();
        $('search').value = '';
      }
    } else if (ev.key === 'Backspace' && !$('search').value && state.items.length) {
      state.items.pop();
      changed();
    }
  }

  // ---------------------------------------------------------------- scenario
  function changed() {
    state.shown = ROWS_STEP;
    state.focus = null;
    writeUrl();
    renderChips();
    updateExportLink();
    compute();
  }

  const computeSoon = debounce(() => compute(), 250);

  async function compute() {
    const seq = ++state.seq;
    const [path, pairs] = scenarioQuery();
    if (!pairs.some(([k]) => k !== 'hours')) {
      state.doc = null;
      state.docText = '';
      state.lastError = null;
      render();
      return;
    }
    $('summary').setAttribute('aria-busy', 'true');
    document.body.classList.add('busy');
    const t0 = performance.now();
    let r;
    try {
      r = await api(path + '?' + qs(pairs.concat(rowPairs())));
    } catch (e) {
      r = { ok: false, status: 0, body: null, text: '' };
    }
    if (seq !== state.seq) return;
    const t1 = performance.now();
    if (r.ok && r.body) {
      state.doc = r.body;
      state.docText = r.text;
      state.docMode = state.mode;
      state.lastError = null;
      await fetchBriefs();
      if (seq !== state.seq) return;
    } else {
      state.doc = null;
      state.docText = '';
      state.lastError = r.body && r.body.error
        ? r.body
        : { error: t('request_failed', { status: r.status }), suggestions: [] };
    }
    render();
    // How long the last scenario took, for measurements (web/test/timing.mjs).
    document.body.dataset.fetchMs = String(Math.round(t1 - t0));
    document.body.dataset.renderMs = String(Math.round(performance.now() - t1));
    document.body.classList.remove('busy');
    $('summary').removeAttribute('aria-busy');
  }

  // Kind and sites of the nodes the graph will draw (for grouping by site).
  async function fetchBriefs() {
    if (state.groupBy !== 'site' || !state.doc) return;
    const ids = graphModel().drawn.map((n) => n.id).filter((id) => !state.brief[id]);
    if (!ids.length) return;
    const r = await api('/api/nodes?' + qs(ids.slice(0, 500).map((id) => ['id', id])));
    if (r.ok && r.body) Object.assign(state.brief, r.body.nodes);
  }

  function render() {
    renderChips();
    renderError();
    renderSummary();
    const a = performance.now();
    renderTable();
    const b = performance.now();
    renderGraph();
    document.body.dataset.tableMs = String(Math.round(b - a));
    document.body.dataset.graphMs = String(Math.round(performance.now() - b));
  }

  function renderError() {
    const box = $('error');
    clear(box);
    const e = state.lastError;
    if (!e) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.append(el('strong', { text: t('error_title') }), ' ', el('span', { text: e.error }));
    if (e.suggestions && e.suggestions.length) {
      const wrong = (e.error.match(/`([^`]*)`/) || [])[1];
      box.append(el('span', { text: ' ' + t('did_you_mean') + ' ' }));
      for (const s of e.suggestions) {
        box.append(el('button', {
          type: 'button',
          class: 'suggestion',
          text: t('replace_with', { id: s }),
          onclick: () => {
            const it = state.items.find((x) => x.id === wrong);
            if (it) {
              it.id = s;
              it.name = '';
            }
            fillNames().then(changed);
          },
        }));
      }
    }
  }

  function summaryItem(label, value, id) {
    const d = el('div', { class: 'stat' });
    const v = el('span', { class: 'stat-value', text: value });
    if (id) {
      v.id = id;
    }
    d.append(v, el('span', { class: 'stat-label', text: label }));
    return d;
  }

  // Quick starts: the sites hosting the most systems.
  function tryButtons() {
    const div = el('div', { class: 'try' });
    const sites = state.inventory ? state.inventory.stats.sites.slice() : [];
    sites.sort((a, b) => b.hosted - a.hosted || (a.id < b.id ? -1 : 1));
    if (!sites.length) return div;
    div.append(el('span', { class: 'muted', text: t('try_label') }));
    for (const s of sites.slice(0, 3)) {
      div.append(el('button', {
        type: 'button',
        text: t('try_site', { name: s.name, n: num(s.hosted) }),
        onclick: () => addItem({ type: 'site', id: s.id, name: s.name }),
      }));
    }
    return div;
  }

  function renderSummary() {
    const box = $('summary');
    clear(box);
    const doc = state.doc;
    $('results').hidden = !doc;
    if (!doc) {
      if (!state.lastError) {
        box.append(el('p', { class: 'hint', text: t('no_scenario') }));
        box.append(tryButtons());
      }
      return;
    }
    const s = doc.summary;
    const critical = (g) => (g === null || g === undefined ? '–' : String(g));
    if (state.docMode === 'impact') {
      const total = s.down + s.degraded;
      const a = summaryItem(t('summary_affected'), num(total), 'count-affected');
      a.querySelector('.stat-value').dataset.count = String(total);
      box.append(
        a,
        summaryItem(t('summary_down'), num(s.down), 'count-down'),
        summaryItem(t('summary_degraded'), num(s.degraded), 'count-degraded'),
        summaryItem(t('summary_critical'), critical(s.most_critical_down)),
        summaryItem(t('summary_agencies'), num(s.agencies.length)),
        summaryItem(t('summary_horizon'), fmtHours(doc.scenario.horizon_hours)),
      );
    } else {
      const a = summaryItem(t('summary_affected'), num(s.affected), 'count-affected');
      a.querySelector('.stat-value').dataset.count = String(s.affected);
      box.append(
        a,
        summaryItem(t('summary_direct'), num(s.direct), 'count-direct'),
        summaryItem(t('summary_critical'), critical(s.most_critical)),
        summaryItem(t('summary_agencies'), num(s.agencies.length)),
      );
    }
  }

  // ---------------------------------------------------------------- table
  // Rows of the current document, in one shape for both modes.
  function rows() {
    const doc = state.doc;
    if (!doc) return [];
    if (state.docMode === 'impact') {
      const seeds = new Set(doc.scenario.failed);
      return doc.affected.map((a) => ({
        id: a.id, name: a.name, state: a.state, hour: a.at_hours, depth: a.depth,
        path: a.path, grade: a.grade, agency: a.agency, seed: seeds.has(a.id) && a.depth === 0,
      }));
    }
    return doc.affected.map((a) => ({
      id: a.id, name: a.name, state: a.depth === 1 ? 'direct' : 'indirect', hour: null,
      depth: a.depth, path: a.path, grade: a.grade, agency: a.agency, seed: false,
    }));
  }

  function stateLabel(r) {
    if (r.seed) return t('state_seed');
    return t('state_' + r.state);
  }

  function columns() {
    const cols = [['state', 'col_state']];
    if (state.docMode === 'impact') cols.push(['hour', 'col_hour']);
    cols.push(['name', 'col_system'], ['grade', 'col_grade'], ['agency', 'col_agency'],
      ['depth', 'col_depth'], ['path', 'col_path']);
    return cols;
  }

  function compare(a, b, key) {
    const order = { seed: 0, down: 1, direct: 1, degraded: 2, indirect: 2 };
    const val = (r) => {
      switch (key) {
        case 'state': return r.seed ? 0 : order[r.state];
        case 'hour': return r.hour === null ? Infinity : r.hour;
        case 'grade': return r.grade === null || r.grade === undefined ? 99 : r.grade;
        case 'depth': return r.depth;
        case 'agency': return r.agency || '\uffff';
        case 'path': return r.path.join(' ');
        default: return r.name + '\u0000' + r.id;
      }
    };
    const x = val(a);
    const y = val(b);
    if (x < y) return -1;
    if (x > y) return 1;
    return 0;
  }

  // The server applied the state (of a failure), grade and agency filters; a change's
  // direct/indirect filter is applied here.
  function filteredRows(all) {
    const f = state.filters;
    if (state.docMode !== 'change' || !f.state) return all;
    return all.filter((r) => r.state === f.state);
  }

  // How many rows meet the filters in the whole result (the server may have sent fewer).
  function matchedRows(loaded) {
    const shown = state.doc && state.doc.shown;
    return shown ? shown.matched : loaded;
  }

  function renderFilters(all) {
    const states = state.docMode === 'change'
      ? [['', t('all')], ['direct', t('state_direct')], ['indirect', t('state_indirect')]]
      : [['', t('all')], ['down', t('state_down')], ['degraded', t('state_degraded')]];
    if (!states.some(([v]) => v === state.filters.state)) state.filters.state = '';
    fillSelect($('filter-state'), states, state.filters.state);
    fillSelect($('filter-grade'), [['', t('all')], ['1', '1'], ['2', '2'], ['3', '3'], ['4', '4'],
      ['none', t('ungraded')]], state.filters.grade);
    // Every agency of the whole result (rows may be limited), and the one chosen.
    const summary = state.doc ? state.doc.summary.agencies || [] : [];
    const agencies = [...new Set(summary.concat(all.map((r) => r.agency || '\u0000'))
      .concat(state.filters.agency ? [state.filters.agency] : []))].sort();
    if (state.filters.agency && !agencies.includes(state.filters.agency)) state.filters.agency = '';
    fillSelect($('filter-agency'), [['', t('all')]].concat(
      agencies.map((a) => [a, a === '\u0000' ? t('none_agency') : a])), state.filters.agency);
  }

  function renderTable() {
    const head = $('affected-head');
    const body = $('affected-body');
    clear(head);
    clear(body);
    const all = rows();
    renderFilters(all);
    const cols = columns();
    for (const [key, label] of cols) {
      const th = el('th', { scope: 'col' });
      const sorted = state.sort.key === key;
      if (sorted) th.setAttribute('aria-sort', state.sort.dir > 0 ? 'ascending' : 'descending');
      const b = el('button', {
        type: 'button',
        class: 'sort',
        'data-key': key,
        text: t(label) + (sorted ? (state.sort.dir > 0 ? ' ▲' : ' ▼') : ''),
        onclick: () => {
          state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
          renderTable();
          const again = head.querySelector('button[data-key="' + key + '"]');
          if (again) again.focus();
        },
      });
      th.append(b);
      head.append(th);
    }
    const list = filteredRows(all);
    const key = state.sort.key;
    const dir = state.sort.dir;
    list.sort((a, b) => compare(a, b, key) * dir || compare(a, b, 'hour') || compare(a, b, 'depth')
      || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const shown = list.slice(0, state.shown);
    for (const r of shown) {
      const tr = el('tr', {
        class: 'row-' + (r.seed ? 'seed' : r.state) + (state.focus === r.id ? ' focused' : ''),
        'data-id': r.id,
        tabindex: '0',
      });
      tr.addEventListener('click', () => focusNode(r.id));
      tr.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          focusNode(r.id);
        }
      });
      for (const [k] of cols) {
        let cell;
        switch (k) {
          case 'state':
            cell = el('td', {}, el('span', { class: 'state state-' + (r.seed ? 'seed' : r.state), text: stateLabel(r) }));
            break;
          case 'hour': cell = el('td', { class: 'num', text: fmtHours(r.hour) }); break;
          case 'name':
            cell = el('td', {}, el('span', { class: 'name', text: r.name }), el('span', { class: 'id', text: r.id }));
            break;
          case 'grade': cell = el('td', { class: 'num', text: r.grade ? String(r.grade) : '–' }); break;
          case 'agency': cell = el('td', { text: r.agency || '–' }); break;
          case 'depth': cell = el('td', { class: 'num', text: String(r.depth) }); break;
          default: cell = el('td', { class: 'path', text: r.path.join(' → ') });
        }
        tr.append(cell);
      }
      body.append(tr);
    }
    if (state.doc && !all.length) {
      // Rows the filters left out are not "nothing affected".
      const filtered = state.doc.shown && state.doc.shown.total > 0;
      body.append(el('tr', {}, el('td', {
        colspan: String(cols.length), class: 'muted', text: t(filtered ? 'no_match' : 'no_affected'),
      })));
    }
    const count = $('table-count');
    const matched = state.docMode === 'change' && state.filters.state ? list.length : matchedRows(list.length);
    const whole = state.doc && state.doc.shown ? state.doc.shown.total : all.length;
    if (!state.doc) count.textContent = '';
    else if (matched === whole) count.textContent = t('showing', { shown: num(shown.length), total: num(matched) });
    else count.textContent = t('showing_filtered', { shown: num(shown.length), total: num(matched), all: num(whole) });
    if (state.doc && matched > list.length) {
      count.textContent += ' ' + t('rows_limited', { n: num(list.length) });
    }
    const more = $('show-more');
    more.hidden = list.length <= shown.length;
    more.textContent = t('show_more', { n: num(Math.min(ROWS_STEP, list.length - shown.length)) });
  }

  // ---------------------------------------------------------------- graph
  // Which nodes to draw (at most GRAPH_MAX, GRAPH_COLUMN_MAX per depth column, witness
  // paths kept whole) and what to count in boxes.
  function graphModel() {
    const all = rows();
    const byId = new Map(all.map((r) => [r.id, r]));
    const seeds = [];
    if (state.docMode === 'change' && state.doc) {
      for (const id of state.doc.changed) {
        seeds.push({ id, name: (state.items.find((x) => x.id === id) || {}).name || id,
          state: 'changed', hour: null, depth: 0, path: [id], grade: null, agency: null, seed: true });
      }
      for (const s of seeds) byId.set(s.id, s);
    }
    const every = seeds.concat(all);
    const col = (r) => Math.min(r.depth, GRAPH_DEPTH_MAX);
    // One number per row (seeds, then grade, down before degraded, earlier, shallower),
    // computed once: tens of thousands of rows sort in milliseconds.
    const key = (r) => (r.seed ? 0 : 1e13)
      + (r.grade === null || r.grade === undefined ? 9 : r.grade) * 1e12
      + (r.state === 'down' || r.state === 'direct' ? 0 : 1e11)
      + Math.min(r.hour === null ? 0 : r.hour, 1e5) * 1e5 + Math.min(r.depth, 99999);
    const keyed = every.map((r, i) => [key(r), i]);
    keyed.sort((a, b) => a[0] - b[0] || (every[a[1]].id < every[b[1]].id ? -1 : 1));
    const order = keyed.map(([, i]) => every[i]);
    if (state.focus && byId.has(state.focus)) {
      const f = byId.get(state.focus);
      order.splice(order.indexOf(f), 1);
      order.unshift(f);
    }
    const chosen = new Set();
    const perCol = new Map();
    for (const r of order) {
      if (chosen.size >= GRAPH_MAX) break;
      if (chosen.has(r.id)) continue;
      const need = r.path.filter((id) => byId.has(id) && !chosen.has(id));
      if (chosen.size + need.length > GRAPH_MAX) continue;
      const fits = need.every((id) => {
        const c = col(byId.get(id));
        const extra = need.filter((x) => col(byId.get(x)) === c).length;
        return (perCol.get(c) || 0) + extra <= GRAPH_COLUMN_MAX || r.id === state.focus;
      });
      if (!fits) continue;
      for (const id of need) {
        chosen.add(id);
        const c = col(byId.get(id));
        perCol.set(c, (perCol.get(c) || 0) + 1);
      }
    }
    const drawn = every.filter((r) => chosen.has(r.id));
    const hidden = every.filter((r) => !chosen.has(r.id));
    // Rows the server held back (the limit) count in the total, not in any box.
    const shown = state.doc && state.doc.shown;
    const held = shown ? shown.matched - shown.rows : 0;
    return { drawn, hidden, byId, total: every.length + held, col };
  }

  function groupOf(r) {
    if (state.groupBy === 'site') {
      const b = state.brief[r.id];
      if (b && b.kind === 'site') return r.id;
      return b && b.sites && b.sites.length ? b.sites.join(', ') : '–';
    }
    return r.agency || '–';
  }

  function truncate(s, n) {
    const chars = Array.from(s.replace(/\s+/g, ' '));
    return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : chars.join('');
  }

  function renderGraph() {
    const box = $('graph');
    clear(box);
    const note = $('graph-note');
    note.textContent = '';
    if (!state.doc) return;
    const m = graphModel();
    if (!m.total) return;
    note.textContent = m.hidden.length
      ? t('graph_capped', { drawn: num(m.drawn.length), total: num(m.total) })
      : t('graph_all', { total: num(m.total) });
    // Rows the server held back (the limit) are in no box: say so.
    const shown = state.doc.shown;
    if (shown && shown.matched > shown.rows) {
      note.textContent += ' ' + t('rows_limited', { n: num(shown.rows) });
    }

    const NODE_W = 200;
    const NODE_H = 44;
    const GAP_X = 70;
    const GAP_Y = 8;
    const GROUP_HEAD = 22;
    const TOP = 34;
    const COL_W = NODE_W + GAP_X;

    // Columns by depth, groups inside columns.
    const columnsMap = new Map();
    for (const r of m.drawn) {
      const c = m.col(r);
      if (!columnsMap.has(c)) columnsMap.set(c, new Map());
      const g = groupOf(r);
      const groups = columnsMap.get(c);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(r);
    }
    const hiddenByCol = new Map();
    for (const r of m.hidden) {
      const c = m.col(r);
      if (!hiddenByCol.has(c)) hiddenByCol.set(c, []);
      hiddenByCol.get(c).push(r);
    }
    const cols = [...new Set([...columnsMap.keys(), ...hiddenByCol.keys()])].sort((a, b) => a - b);
    const colIndex = new Map(cols.map((c, i) => [c, i]));
    const pos = new Map();
    const shapes = [];
    let height = 0;
    for (const c of cols) {
      const x = 10 + colIndex.get(c) * COL_W;
      let y = TOP;
      // What is not drawn first, where it is seen without scrolling.
      const rest = hiddenByCol.get(c);
      if (rest && rest.length) {
        const counts = new Map();
        for (const r of rest) counts.set(r.agency || '–', (counts.get(r.agency || '–') || 0) + 1);
        const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        const lines = top.slice(0, 3).map(([a, n]) => truncate(a, 22) + ' ' + num(n));
        if (top.length > 3) lines.push('…');
        const h = 46 + lines.length * 16;
        shapes.push({ kind: 'more', x, y, w: NODE_W, h, n: rest.length, lines,
          full: top.slice(0, 20).map(([a, n]) => a + ' ' + num(n)).join('\n') + (top.length > 20 ? '\n…' : '') });
        y += h + 10;
      }
      const groups = columnsMap.get(c) || new Map();
      const names = [...groups.keys()].sort();
      for (const g of names) {
        const members = groups.get(g).sort((a, b) => compare(a, b, 'state') || compare(a, b, 'hour')
          || compare(a, b, 'grade') || (a.id < b.id ? -1 : 1));
        const gy = y;
        y += GROUP_HEAD;
        for (const r of members) {
          pos.set(r.id, { x, y, r });
          y += NODE_H + GAP_Y;
        }
        shapes.push({ kind: 'group', x: x - 6, y: gy, w: NODE_W + 12, h: y - gy, label: g });
        y += 10;
      }
      height = Math.max(height, y);
    }
    const width = 10 + cols.length * COL_W;
    const root = svg('svg', {
      xmlns: SVGNS,
      width,
      height: height + 10,
      viewBox: '0 0 ' + width + ' ' + (height + 10),
      role: 'img',
      'aria-label': t('graph_title'),
      'font-family': 'Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, sans-serif',
      'font-size': '13',
    });
    root.append(svg('rect', { x: 0, y: 0, width, height: height + 10, fill: '#ffffff' }));
    for (const c of cols) {
      const x = 10 + colIndex.get(c) * COL_W;
      const label = c === 0 ? (state.docMode === 'change' ? t('graph_changed') : t('graph_seeds'))
        : t('graph_depth', { d: c === GRAPH_DEPTH_MAX ? c + '+' : c });
      root.append(svg('text', { x, y: 18, 'font-weight': 'bold', fill: COLORS.text }, label));
    }
    for (const s of shapes) {
      if (s.kind === 'group') {
        root.append(svg('rect', { x: s.x, y: s.y, width: s.w, height: s.h, rx: 6, fill: '#fafafa', stroke: '#bdbdbd' }));
        const tl = svg('text', { x: s.x + 6, y: s.y + 15, fill: '#424242', 'font-size': '12' }, truncate(s.label, 30));
        tl.append(svg('title', {}, s.label));
        root.append(tl);
      }
    }
    // Witness edges: each drawn node from the one before it on its path.
    const focusPath = new Set();
    if (state.focus && m.byId.has(state.focus)) {
      const p = m.byId.get(state.focus).path;
      for (let i = 1; i < p.length; i++) focusPath.add(p[i - 1] + '\u0000' + p[i]);
    }
    const edges = svg('g', { fill: 'none' });
    for (const [id, p] of pos) {
      const path = p.r.path;
      if (path.length < 2) continue;
      const from = pos.get(path[path.length - 2]);
      if (!from) continue;
      const hot = focusPath.has(path[path.length - 2] + '\u0000' + id);
      const x1 = from.x + NODE_W;
      const y1 = from.y + NODE_H / 2;
      const x2 = p.x;
      const y2 = p.y + NODE_H / 2;
      const back = x2 <= x1;
      const d = back
        ? 'M' + x1 + ',' + y1 + ' C' + (x1 + 40) + ',' + y1 + ' ' + (x2 - 40) + ',' + y2 + ' ' + x2 + ',' + y2
        : 'M' + x1 + ',' + y1 + ' C' + (x1 + GAP_X / 2) + ',' + y1 + ' ' + (x2 - GAP_X / 2) + ',' + y2 + ' ' + x2 + ',' + y2;
      edges.append(svg('path', {
        d,
        stroke: hot ? COLORS.path : COLORS.edge,
        'stroke-width': hot ? 3.5 : 1.2,
        'data-edge': path[path.length - 2] + '>' + id,
      }));
    }
    root.append(edges);
    for (const [id, p] of pos) {
      const r = p.r;
      const fill = r.seed ? (state.docMode === 'change' ? COLORS.changed : COLORS.seed)
        : state.docMode === 'change' ? (r.state === 'direct' ? COLORS.direct : COLORS.reached)
          : r.state === 'down' ? COLORS.down : COLORS.degraded;
      const dark = r.seed || r.state === 'down' || r.state === 'direct';
      const fg = dark ? COLORS.light : COLORS.text;
      const g = svg('g', {
        class: 'node',
        tabindex: '0',
        role: 'button',
        'data-id': id,
        transform: 'translate(' + p.x + ',' + p.y + ')',
      });
      const onPath = state.focus && (m.byId.get(state.focus) || { path: [] }).path.includes(id);
      g.append(svg('rect', {
        width: NODE_W,
        height: NODE_H,
        rx: 6,
        fill,
        stroke: onPath ? COLORS.path : COLORS.border,
        'stroke-width': onPath ? 3.5 : 1,
      }));
      g.append(svg('text', { x: 8, y: 18, fill: fg, 'font-weight': 'bold' }, truncate(r.name, 20)));
      const second = state.docMode === 'impact'
        ? id + ' · ' + (r.seed ? '0 h' : t('at_hour', { h: fmtHours(r.hour) }))
        : id + (r.grade ? ' · G' + r.grade : '');
      g.append(svg('text', { x: 8, y: 36, fill: fg, 'font-size': '12' }, truncate(second, 28)));
      g.append(svg('title', {}, r.name + ' (' + id + ')\n' + stateLabel(r)
        + (r.hour !== null && r.hour !== undefined ? ' · ' + fmtHours(r.hour) : '')
        + '\n' + r.path.join(' → ')));
      g.addEventListener('click', () => focusNode(id));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          focusNode(id);
        }
      });
      root.append(g);
    }
    for (const s of shapes) {
      if (s.kind !== 'more') continue;
      const g = svg('g', { class: 'more', transform: 'translate(' + s.x + ',' + s.y + ')' });
      g.append(svg('rect', { width: s.w, height: s.h, rx: 6, fill: COLORS.box, stroke: COLORS.border, 'stroke-dasharray': '5 4' }));
      g.append(svg('text', { x: 8, y: 22, fill: COLORS.text, 'font-weight': 'bold' }, t('graph_more', { n: num(s.n) })));
      g.append(svg('text', { x: 8, y: 40, fill: COLORS.text, 'font-size': '12' }, t('graph_by')));
      s.lines.forEach((line, i) => {
        g.append(svg('text', { x: 16, y: 57 + i * 16, fill: COLORS.text, 'font-size': '12' }, line));
      });
      g.append(svg('title', {}, s.full));
      root.append(g);
    }
    box.append(root);
  }

  // ---------------------------------------------------------------- node panel
  function focusNode(id) {
    state.focus = id;
    renderTable();
    renderGraph();
    openPanel(id);
  }

  async function openPanel(id) {
    state.panelId = id;
    const r = await api('/api/node/' + encodeURIComponent(id));
    if (state.panelId !== id) return;
    const panel = $('node-panel');
    if (!r.ok || !r.body) {
      panel.hidden = true;
      return;
    }
    const n = r.body;
    panel.hidden = false;
    $('node-title').textContent = n.name + ' (' + n.id + ')';
    const facts = $('node-facts');
    clear(facts);
    const fact = (k, v) => facts.append(el('dt', { text: t(k) }), el('dd', { text: v }));
    fact('fact_kind', t('kind_' + n.kind));
    fact('fact_agency', n.agency || '–');
    fact('fact_grade', n.grade ? String(n.grade) : t('ungraded'));
    if (n.sites.length) fact('fact_sites', n.sites.join(', '));
    if (n.tags.length) fact('fact_tags', n.tags.join(', '));
    const add = $('node-add');
    add.onclick = () => addItem({ type: 'node', id: n.id, name: n.name, kind: n.kind });
    neighbours($('node-providers'), $('node-providers-note'), n.providers, n.providers_total);
    neighbours($('node-consumers'), $('node-consumers-note'), n.consumers, n.consumers_total);
  }

  function neighbours(ul, note, list, total) {
    clear(ul);
    note.textContent = total > list.length ? t('neighbours_more', { shown: num(list.length), total: num(total) }) : '';
    if (!list.length) ul.append(el('li', { class: 'muted', text: t('neighbours_none') }));
    for (const x of list) {
      const li = el('li');
      li.append(el('button', {
        type: 'button',
        class: 'link-button',
        text: x.name + ' (' + x.id + ')',
        onclick: () => openPanel(x.id),
      }));
      let terms = t('link_terms', { kind: x.link_kind, mode: x.mode, tol: x.tolerance, effect: x.effect });
      if (x.group) terms += ', ' + t('group_named', { g: x.group });
      li.append(el('span', { class: 'muted small', text: ' ' + terms }));
      li.append(el('span', { class: 'id', text: x.link }));
      ul.append(li);
    }
  }

  // ---------------------------------------------------------------- exports
  function updateExportLink() {
    const pairs = [];
    for (const it of activeItems()) {
      if (it.type === 'node' || (it.type === 'site' && state.mode === 'change')) pairs.push(['system', it.id]);
      else if (it.type === 'site') pairs.push(['where', 'site=' + it.id]);
      else if (it.type === 'agency') pairs.push(['where', 'agency=' + it.id]);
      else if (it.type === 'link') pairs.push(['link', it.id]);
    }
    if (state.mode === 'impact' && state.hours !== null) {
      const mins = Math.round(state.hours * 60);
      pairs.push(['window', Math.floor(mins / 60) + 'h' + (mins % 60 ? (mins % 60) + 'm' : '')]);
    }
    const a = $('export-md');
    a.href = pairs.length ? '/api/assess?' + qs(pairs) : '#';
    a.setAttribute('aria-disabled', String(!pairs.length));
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function note(text) {
    $('export-note').textContent = text;
  }

  // ---------------------------------------------------------------- status
  async function pollStatus() {
    let r;
    try {
      r = await api('/api/status');
    } catch (e) {
      return;
    }
    if (!r.ok || !r.body) return;
    const before = state.status;
    state.status = r.body;
    if (before && before.version !== r.body.version) {
      const inv = await api('/api/inventory');
      if (inv.ok && inv.body) state.inventory = inv.body;
      note(t('reloaded', { v: r.body.version }));
      state.brief = {};
      compute();
    }
    showInventory();
    showBanner();
  }

  // ---------------------------------------------------------------- wiring
  function wire() {
    const search = $('search');
    search.addEventListener('input', runSearch);
    search.addEventListener('keydown', onSearchKey);
    search.addEventListener('blur', () => setTimeout(closeSuggestions, 150));
    $('clear-all').addEventListener('click', () => {
      state.items = [];
      changed();
    });
    $('hours').addEventListener('input', () => {
      const v = Number($('hours').value);
      state.hours = v >= FOREVER ? null : v;
      showHours();
      writeUrl();
      updateExportLink();
      computeSoon();
    });
    for (const b of document.querySelectorAll('.presets button')) {
      b.addEventListener('click', () => {
        state.hours = b.dataset.hours === 'forever' ? null : Number(b.dataset.hours);
        showHours();
        changed();
      });
    }
    $('mode-impact').addEventListener('click', () => setMode('impact'));
    $('mode-change').addEventListener('click', () => setMode('change'));
    for (const id of ['mode-impact', 'mode-change']) {
      $(id).addEventListener('keydown', (ev) => {
        if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
          ev.preventDefault();
          setMode(state.mode === 'impact' ? 'change' : 'impact');
          $(state.mode === 'impact' ? 'mode-impact' : 'mode-change').focus();
        }
      });
    }
    $('lang-toggle').addEventListener('click', () => {
      state.lang = state.lang === 'ko' ? 'en' : 'ko';
      urlLang = true;
      writeUrl();
      applyLabels();
      render();
    });
    $('size-toggle').addEventListener('click', () => {
      state.large = !state.large;
      try {
        localStorage.setItem('ripplemap.large', state.large ? '1' : '0');
      } catch (e) { /* private mode */ }
      applyLabels();
    });
    for (const [id, key] of [['filter-state', 'state'], ['filter-grade', 'grade'], ['filter-agency', 'agency']]) {
      $(id).addEventListener('change', () => {
        state.filters[key] = $(id).value;
        state.shown = ROWS_STEP;
        if (key === 'state' && state.mode === 'change') renderTable();
        else compute();
      });
    }
    $('group-by').addEventListener('change', async () => {
      state.groupBy = $('group-by').value === 'site' ? 'site' : 'agency';
      writeUrl();
      await fetchBriefs();
      renderGraph();
    });
    $('show-more').addEventListener('click', () => {
      state.shown += ROWS_STEP;
      renderTable();
    });
    $('node-close').addEventListener('click', () => {
      $('node-panel').hidden = true;
      state.panelId = null;
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !$('node-panel').hidden && document.activeElement !== $('search')) {
        $('node-panel').hidden = true;
        state.panelId = null;
      }
    });
    $('export-md').addEventListener('click', (ev) => {
      if ($('export-md').getAttribute('href') === '#') {
        ev.preventDefault();
        note(t('nothing_to_export'));
      }
    });
    $('export-json').addEventListener('click', async () => {
      if (!state.docText) return note(t('nothing_to_export'));
      // The whole document, as the command line writes it: no row limit, no filter.
      const [path, pairs] = scenarioQuery();
      const r = await api(path + '?' + qs(pairs));
      if (!r.ok) return note(t('request_failed', { status: r.status }));
      download('ripplemap-' + state.docMode + '.json', 'application/json', r.text);
      return undefined;
    });
    $('export-svg').addEventListener('click', () => {
      const s = $('graph').querySelector('svg');
      if (!s) return note(t('nothing_to_export'));
      const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(s);
      download('ripplemap-' + state.docMode + '.svg', 'image/svg+xml', text);
      return undefined;
    });
    $('copy-link').addEventListener('click', async () => {
      const url = location.href;
      try {
        await navigator.clipboard.writeText(url);
        note(t('copied'));
      } catch (e) {
        note(t('copy_failed', { url }));
      }
    });
  }

  function setMode(mode) {
    if (state.mode === mode) return;
    state.mode = mode;
    state.filters.state = '';
    state.sort = { key: mode === 'impact' ? 'hour' : 'depth', dir: 1 };
    applyLabels();
    changed();
  }

  async function start() {
    readUrl();
    try {
      state.large = localStorage.getItem('ripplemap.large') === '1';
    } catch (e) { /* private mode */ }
    const [st, inv] = await Promise.all([api('/api/status'), api('/api/inventory')]);
    if (st.ok) state.status = st.body;
    if (inv.ok) state.inventory = inv.body;
    if (!urlLang) {
      const fromServer = state.status && state.status.lang;
      state.lang = fromServer || ((navigator.language || '').toLowerCase().startsWith('ko') ? 'ko' : 'en');
    }
    if (state.mode === 'change') state.sort = { key: 'depth', dir: 1 };
    wire();
    applyLabels();
    showBanner();
    await fillNames();
    changed();
    setInterval(pollStatus, 3000);
    document.body.dataset.ready = 'true';
  }

  window.addEventListener('DOMContentLoaded', start);
}());
