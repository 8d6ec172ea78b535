"""Open every page of the built docs site (_docs/) in headless Chromium and check it: it loads, every image
is decoded (no missing or broken image), every link to another page of the site resolves, and the report page
shows the results table. Usage: python .ci/check_docs.py [_docs] [--shots DIR]. Exit 1 on any failure; exit 0 with
a message when no Chromium is installed (`make browser` installs it on Debian/Ubuntu)."""
import argparse, functools, http.server, sys, threading
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote
from heracleum.app import HeadlessChromium, find_chromium, free_port   # the one DevTools driver, documented in 06a_app

PAGE_CHECK = """(() => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => (i.getAttribute('src') || '').slice(0, 80));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
      .filter(h => !/^(https?:|mailto:|#|data:|javascript:)/.test(h)).map(h => h.split('#')[0]).filter(h => h);
  const tables = [...document.querySelectorAll('table')].map(t => ({head: t.querySelector('tr') ? t.querySelector('tr').innerText : '',
                                                               rows: t.querySelectorAll('tr').length}));
  return {title: document.title, images: imgs.length, broken, links, tables, text: document.body.innerText.length};
})()"""


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

def check(site: Path, shots: Path | None = None, require: bool = False) -> list:
    "Problems found on the pages of `site` (empty: all good)."
    pages = sorted(site.glob('*.html'))
    if not pages: return [f'{site}: no HTML pages; run make docs']
    problems = [f'{site}: no {name} page' for name in ('07_compare', '07a_report')
                if not any(p.name.startswith(name) for p in pages)]
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
            r = browser.js(PAGE_CHECK)
            bad_links = sorted({h for h in r['links'] if not ((f := site_file(site, f'{base}/{page.name}', h)) and f.exists())})
            line = f'{page.name:22s} {r["images"]:3d} images, {len(r["broken"])} broken, {len(r["links"]):3d} site links, {len(bad_links)} dead, {len(r["tables"])} tables'
            print(line)
            problems += [f'{page.name}: image not loaded: {b}' for b in r['broken']]
            problems += [f'{page.name}: dead link: {h}' for h in bad_links]
            if r['text'] < 200: problems.append(f'{page.name}: almost no text ({r["text"]} characters)')
            if page.name.startswith('07a_report'):                # the comparison's results table (07a's slow section)
                results = [t for t in r['tables'] if 'test IoU' in t['head']]
                if not results or results[0]['rows'] < 3: problems.append(f'{page.name}: no results table with a "test IoU" column and rows')
                else: print(f'{"":22s} results table: {results[0]["rows"] - 1} rows')
            if shots: shots.mkdir(parents=True, exist_ok=True); browser.screenshot(shots/f'{page.stem}.png')
    finally:
        if browser: browser.close()
        srv.shutdown()
    return problems


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('site', nargs='?', default='_docs'); ap.add_argument('--shots', default=None, help='save a screenshot of each page here')
    ap.add_argument('--require', action='store_true', help='fail (instead of skipping) when no Chromium is installed')
    a = ap.parse_args()
    problems = check(Path(a.site), Path(a.shots) if a.shots else None, a.require)
    for p in problems: print('FAIL', p)
    print(f'check_docs: {"ok" if not problems else f"{len(problems)} problems"}')
    sys.exit(1 if problems else 0)
