"""Open every page of the built docs site (_docs/) in headless Chromium and check it: it loads, every image
is decoded (no missing or broken image), every link to another page of the site resolves, the report page
shows the results table, and a reader can find their way: the chapter list of nbs/sidebar.yml is there with every
chapter in order and this page marked, the previous/next links lead to the chapters before and after it, no cell
prompt (`In [ ]:`, `Out[ ]:`) is shown, and the search box (Pagefind's, in the fallback site) finds "Lion" in the
model and train chapters. Usage: python .ci/check_docs.py [_docs] [--shots DIR] [--figures nbs/images].
Exit 1 on any failure; exit 0 with a message when no Chromium is installed (`make browser` installs it)."""
import argparse, base64, functools, http.server, json, sys, threading
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote
from heracleum.app import HeadlessChromium, find_chromium, free_port   # the one DevTools driver, documented in 06a_app
from render_docs import chapters                                     # the chapters, read from nbs/sidebar.yml

PAGE_CHECK = r"""(() => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => (i.getAttribute('src') || '').slice(0, 80));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
      .filter(h => !/^(https?:|mailto:|#|data:|javascript:)/.test(h)).map(h => h.split('#')[0]).filter(h => h);
  const tables = [...document.querySelectorAll('table')].map(t => ({head: t.querySelector('tr') ? t.querySelector('tr').innerText : '',
                                                               rows: t.querySelectorAll('tr').length}));
  // the reader's way around: the fallback site's frame, or Quarto's (#quarto-sidebar, .page-navigation)
  const side = document.querySelector('nav.hd-sidebar, #quarto-sidebar');
  const nav = side ? [...side.querySelectorAll('a[href]')].filter(a => !a.closest('.sidebar-tools-main, .sidebar-header'))
      .map(a => ({href: a.href, current: a.classList.contains('active') || a.getAttribute('aria-current') === 'page'})) : null;
  const pn = sel => { const a = document.querySelector(sel); return a ? a.href : null; };
  const promptEls = [...document.querySelectorAll('.jp-InputPrompt, .jp-OutputPrompt')].filter(e => e.offsetParent && e.innerText.trim());
  const promptText = document.body.innerText.match(/\b(In|Out)\s?\[[\d\s]*\]:/g) || [];
  return {title: document.title, images: imgs.length, broken, links, tables, text: document.body.innerText.length,
          nav, prev: pn('a[rel=prev], .nav-page-previous a'), next: pn('a[rel=next], .nav-page-next a'),
          prompts: promptEls.length + promptText.length, promptText: promptText.slice(0, 3),
          map: document.querySelectorAll('figure.hd-map a[href]').length,
          search: !!document.querySelector('#search .pagefind-ui__search-input, #quarto-search')};
})()"""

SEARCH = """(async () => {   // what the search box shows for `q`, and every page Pagefind's index finds it on
  const input = document.querySelector('#search .pagefind-ui__search-input');
  input.value = %s; input.dispatchEvent(new Event('input', {bubbles: true}));
  const pf = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
  const r = await pf.search(%s);
  const pages = await Promise.all(r.results.map(x => x.data()));
  return pages.map(p => p.url);
})()"""
SHOWN = "document.querySelectorAll('#search .pagefind-ui__result').length"


def serve(root: Path) -> tuple:
    "A quiet static file server on 127.0.0.1 for `root`; (server, base url)."
    handler = functools.partial(type('Quiet', (http.server.SimpleHTTPRequestHandler,), {'log_message': lambda *a: None}), directory=str(root))
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', free_port()), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}'


def site_file(site: Path, page_url: str, href: str) -> Path | None:
    "The file of the site that link `href` on `page_url` points to; None if it leaves the site."
    u = urlparse(urljoin(page_url, href))
    if u.netloc != urlparse(page_url).netloc: return None
    f = (site/unquote(u.path).lstrip('/')).resolve()
    return f if f.is_relative_to(site.resolve()) else None

def page_name(site: Path, url: str | None) -> str | None:
    "The site page that absolute `url` is, as 'index', '00_core', ...; None if it is none."
    if url is None: return None
    f = site_file(site, url, url)
    if f is None: return None
    if f.is_dir(): f = f/'index.html'
    return f.relative_to(site.resolve()).with_suffix('').as_posix() if f.exists() else None

def way_problems(site: Path, page: Path, r: dict, order: list) -> list:
    "What is wrong with the way around on `page`: its chapter list, its previous/next links, its cell prompts."
    name, out = page.stem, []
    if r['nav'] is None: return [f'{page.name}: no chapter list (sidebar)']
    listed = [page_name(site, a['href']) for a in r['nav']]
    if listed != order: out.append(f'{page.name}: the chapter list is {listed}, not the {len(order)} chapters of nbs/sidebar.yml')
    current = [page_name(site, a['href']) for a in r['nav'] if a['current']]
    if name in order and current != [name]: out.append(f'{page.name}: the chapter list marks {current} as the current page')
    if name in order:
        i = order.index(name)
        for side, want in (('prev', order[i - 1] if i else None), ('next', order[i + 1] if i + 1 < len(order) else None)):
            got = page_name(site, r[side])
            if got != want: out.append(f'{page.name}: the {side} link leads to {got or r[side]}, not to {want}')
    if r['prompts']: out.append(f'{page.name}: {r["prompts"]} cell prompts shown, e.g. {r["promptText"]}')
    return out

def search_problems(browser, site: Path, base: str, query: str = 'Lion', where=('04_model', '05_train')) -> list:
    "Type `query` into the search box of the landing page: it must show results and find every page of `where`."
    browser.open(f'{base}/index.html')
    if not browser.wait_for("!!document.querySelector('#search .pagefind-ui__search-input')", 10): return ['index.html: no search box']
    found = [page_name(site, u) for u in browser.js(SEARCH % (json.dumps(query), json.dumps(query)))]
    shown = browser.wait_for(SHOWN, 10) or 0
    print(f'{"search":22s} "{query}": {shown} results shown in the box, found on {len(found)} pages: {", ".join(map(str, found))}')
    out = [f'search "{query}": not found on {w}' for w in where if w not in found]
    return out + ([f'search "{query}": the search box shows no result'] if not shown else [])

FIGURES = {'index': 'docs_landing.jpg', '07_compare': 'docs_compare.jpg'}   # the site's pictures in nbs/images/

def figures(browser, base: str, out: Path):
    "The landing page and 07_compare as a reader first sees them, 1280 x 2000 px, as small JPEGs in `out`."
    browser.cdp('Emulation.setDeviceMetricsOverride', width=1280, height=2000, deviceScaleFactor=1, mobile=False)
    for page, name in FIGURES.items():
        browser.open(f'{base}/{page}.html')
        browser.wait_for("!!document.querySelector('#search .pagefind-ui__search-input')", 5)
        jpeg = base64.b64decode(browser.cdp('Page.captureScreenshot', format='jpeg', quality=45)['data'])
        (out/name).write_bytes(jpeg); print(f'{"figure":22s} {out/name}: {len(jpeg) // 1024} KB')

def check(site: Path, shots: Path | None = None, require: bool = False, figs: Path | None = None) -> list:
    "Problems found on the pages of `site` (empty: all good)."
    pages = sorted(site.glob('*.html'))
    order = chapters()
    if not pages: return [f'{site}: no HTML pages; run make docs']
    problems = [f'{site}: no {name} page' for name in ('07_compare', '07a_report')
                if not any(p.name.startswith(name) for p in pages)]
    problems += [f'{site}: no page for the chapter {c} of nbs/sidebar.yml' for c in order if not (site/f'{c}.html').exists()]
    problems += [f'{p.name}: not in the chapter list (nbs/sidebar.yml)' for p in pages if p.stem not in order]
    exe = find_chromium()
    if exe is None:
        msg = 'no Chromium on PATH (make browser installs it on Debian/Ubuntu)'
        if require: return problems + [msg]
        print(f'check_docs: skipped, {msg}'); return problems
    srv, base = serve(site)
    browser = None
    try:
        browser = HeadlessChromium(exe, size=(1280, 1600))
        for page in pages:
            browser.open(f'{base}/{page.name}')
            if (site/'pagefind').is_dir(): browser.wait_for("!!document.querySelector('#search .pagefind-ui__search-input')", 5)
            r = browser.js(PAGE_CHECK)
            bad_links = sorted({h for h in r['links'] if not ((f := site_file(site, f'{base}/{page.name}', h)) and f.exists())})
            line = f'{page.name:22s} {r["images"]:3d} images, {len(r["broken"])} broken, {len(r["links"]):3d} site links, {len(bad_links)} dead, {len(r["tables"])} tables'
            way = way_problems(site, page, r, order)
            nav = len(r['nav']) if r['nav'] is not None else 0
            print(f'{line}, {nav} chapters listed, prev/next {"ok" if not way else "WRONG"}, {r["prompts"]} prompts')
            problems += way
            if (site/'pagefind').is_dir() and not r['search']: problems.append(f'{page.name}: no search box')
            if page.stem == 'index' and r['nav'] is not None and (site/'site.js').exists() and not r['map']:
                problems.append('index.html: the architecture map has no links into the chapters')
            problems += [f'{page.name}: image not loaded: {b}' for b in r['broken']]
            problems += [f'{page.name}: dead link: {h}' for h in bad_links]
            if r['text'] < 200: problems.append(f'{page.name}: almost no text ({r["text"]} characters)')
            if page.name.startswith('07a_report'):                # the comparison's results table (07a's slow section)
                results = [t for t in r['tables'] if 'test IoU' in t['head']]
                if not results or results[0]['rows'] < 3: problems.append(f'{page.name}: no results table with a "test IoU" column and rows')
                else: print(f'{"":22s} results table: {results[0]["rows"] - 1} rows')
            if shots: shots.mkdir(parents=True, exist_ok=True); browser.screenshot(shots/f'{page.stem}.png')
        if (site/'pagefind').is_dir(): problems += search_problems(browser, site, base)
        else: print(f'{"search":22s} no Pagefind index in {site} (Quarto\'s own search is not checked)')
        print(f'{"":22s} {len(pages)} pages checked; {len(order)} chapters in nbs/sidebar.yml')
        if figs: figures(browser, base, figs)
    finally:
        if browser: browser.close()
        srv.shutdown()
    return problems


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('site', nargs='?', default='_docs'); ap.add_argument('--shots', default=None, help='save a screenshot of each page here')
    ap.add_argument('--require', action='store_true', help='fail (instead of skipping) when no Chromium is installed')
    ap.add_argument('--figures', default=None, help='save the screenshots of the landing page and 07_compare here (nbs/images)')
    a = ap.parse_args()
    problems = check(Path(a.site), Path(a.shots) if a.shots else None, a.require, Path(a.figures) if a.figures else None)
    for p in problems: print('FAIL', p)
    print(f'check_docs: {"ok" if not problems else f"{len(problems)} problems"}')
    sys.exit(1 if problems else 0)
