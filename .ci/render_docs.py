"""The docs site where Quarto cannot be installed: nbdev's processed notebooks rendered by nbconvert into a site a
reader can find their way in, as Quarto's is for nbdev. Usage: python .ci/render_docs.py [--out _docs].

Why these means: nbconvert already renders the pages (it is a dependency of nbdev), so the site is one Jinja
template that extends nbconvert's own `lab` page (.ci/templates/heracleum-site/: a top bar, the chapter sidebar,
previous/next, show_doc cards, 10 lines of JavaScript) plus Pagefind for search: one package from the index
(`pagefind[bin]`, a 5 MB wheel, no dependencies) that indexes the built HTML and ships its own search box.
mkdocs with mkdocs-jupyter and mkdocs-material would bring 18 packages and re-render the notebooks with their own
nbconvert template, and the chapter order would have to be copied into mkdocs.yml.
The chapters and their order are read from nbs/sidebar.yml, the file Quarto's build (GitHub) reads, written here
by nbdev as `nbdev_docs` writes it; the titles from each notebook's front matter."""
import argparse, os, re, shutil, subprocess, sys
from pathlib import Path
import nbformat, yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT/'.ci'/'templates'/'heracleum-site'
PAGE_SUFFIXES = ('.ipynb', '.qmd', '.md')                  # what Quarto renders into a page of the site


def chapters(sidebar: Path = ROOT/'nbs'/'sidebar.yml') -> list:
    "The site's pages in the order of Quarto's sidebar (nbs/sidebar.yml), as page names: ['index', '00_core', ...]."
    def walk(items):
        for it in items or []:
            if isinstance(it, str): yield it
            elif isinstance(it, dict):
                if it.get('href'): yield it['href']
                yield from walk(it.get('contents'))
    side = yaml.safe_load(Path(sidebar).read_text(encoding='utf-8'))['website']['sidebar']
    side = side[0] if isinstance(side, list) else side
    return [str(Path(p).with_suffix('')) for p in walk(side.get('contents')) if Path(p).suffix in PAGE_SUFFIXES]


def proc_nbs():
    "nbdev's processing of nbs/ into _proc/ and the sidebar, as `nbdev_docs` does them before Quarto renders."
    # not `nbdev_proc_nbs`: without Quarto it first tries to download and install it (and then reinstalls the package)
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar, _def_file_re
    from nbdev.serve import proc_nbs
    refresh_quarto_yml()
    nbdev_sidebar.__wrapped__(file_glob=None, file_re=_def_file_re)   # the arguments nbdev_docs passes it
    proc_nbs()


SOURCE_LINK = re.compile(r'\[source\]\(([^)\s]+)\)\{[^}]*\}')     # show_doc's "[source](url){target=... style=...}"

def prepare(nb) -> dict:
    """Turn what Quarto reads and nbconvert does not into what nbconvert renders, in place: the front matter (-> a
    title and a summary), '#| echo: false' (-> no input shown), show_doc's source links and its cells (-> a tag that
    the CSS styles as a card). The front matter, as a dict."""
    meta = {}
    for i, c in enumerate(nb.cells):
        c.metadata.pop('has_sd', None); sd = c.pop('has_sd', False)   # not allowed by the notebook schema
        if c.cell_type == 'raw' and c.source.startswith('---'):
            meta = yaml.safe_load(c.source.strip().strip('-')) or {}
            nb.cells[i] = nbformat.v4.new_markdown_cell(f'# {meta.get("title", "")}\n\n> {meta.get("description", "")}')
            continue
        if c.cell_type != 'code': continue
        tags = c.metadata.setdefault('tags', [])
        if re.search(r'^#\|\s*echo:\s*false', c.source, re.M) and 'remove_input' not in tags: tags.append('remove_input')
        if (sd or re.search(r'^\s*show_doc\(', c.source, re.M)) and 'show-doc' not in tags: tags.append('show-doc')
        for o in c.get('outputs', []):
            if 'text/markdown' in o.get('data', {}):
                link = r'<a class="sd-source" href="\1" target="_blank" rel="noopener">source</a>'
                o['data']['text/markdown'] = SOURCE_LINK.sub(link, o['data']['text/markdown'])
    if 'title' not in meta:                                   # no front matter (or prepared before): its first heading
        h1 = next((m for c in nb.cells if c.cell_type == 'markdown' and (m := re.match(r'#\s+(.+)', c.source))), None)
        if h1: meta['title'] = h1.group(1).strip()
    return meta


def inline_svg_maps(page: str, images: Path) -> str:
    "Put each SVG picture of `images` that has links (the architecture map) into the page itself, so they can be followed."
    def inline(m):
        f = images/Path(m.group('src')).name
        if not f.exists() or '<a ' not in (svg := f.read_text(encoding='utf-8')): return m.group(0)
        svg = re.sub(r'^<\?xml[^>]*>\s*', '', svg)
        return f'<figure class="hd-map" role="group" aria-label="{m.group("alt")}">{svg}</figure>'
    return re.sub(r'<img\s+alt="(?P<alt>[^"]*)"\s+src="(?P<src>images/[^"]+\.svg)"\s*/?>', inline, page)


def render(proc: Path, out: Path) -> list:
    "The pages of _proc/ rendered into `out` with the site frame; the page names."
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    order = chapters()
    nbs = {p.stem: p for p in sorted(proc.glob('*.ipynb'))}
    missing = [c for c in order if c not in nbs]
    if missing: sys.exit(f'render_docs: nbs/sidebar.yml lists {missing}, not in {proc}/')
    loose = [n for n in nbs if n not in order]                  # rendered too (Quarto renders every notebook), not listed
    if loose: print(f'render_docs: not in nbs/sidebar.yml, rendered without a place in the chapter list: {loose}', file=sys.stderr)
    books = {n: nbformat.read(nbs[n], as_version=4) for n in nbs}
    metas = {n: prepare(nb) for n, nb in books.items()}
    for n, nb in books.items(): nbformat.write(nb, nbs[n])    # README.md is made from the prepared index
    title = lambda n: metas[n].get('title') or n
    site_title = yaml.safe_load((ROOT/'nbs'/'nbdev.yml').read_text(encoding='utf-8'))['website']['title']
    ex = HTMLExporter(template_name=TEMPLATE.name, extra_template_basedirs=[str(TEMPLATE.parent)],
                      exclude_input_prompt=True, exclude_output_prompt=True)
    ex.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}), enabled=True)
    out.mkdir(parents=True, exist_ok=True)
    if (ROOT/'nbs'/'images').is_dir(): shutil.copytree(ROOT/'nbs'/'images', out/'images', dirs_exist_ok=True)
    for f in ('site.css', 'site.js'): shutil.copy(TEMPLATE/'static'/f, out/f)
    for n, nb in books.items():
        i = order.index(n) if n in order else None
        link = lambda k: {'href': f'{k}.html', 'title': title(k)}
        site = {'title': site_title,
                'chapters': [dict(link(k), current=k == n) for k in order],
                'prev': link(order[i - 1]) if i else None,
                'next': link(order[i + 1]) if i is not None and i + 1 < len(order) else None}
        page, _ = ex.from_notebook_node(nb, resources={'metadata': {'name': f'{title(n)} – {site_title}'}, 'site': site})
        page = re.sub(r'href="([\w.-]+)\.ipynb(#[^"]*)?"', r'href="\1.html\2"', page)   # links between notebooks
        page = inline_svg_maps(page, out/'images')
        (out/f'{n}.html').write_text(page, encoding='utf-8')
    return list(nbs)


def search_index(out: Path):
    "Pagefind's index of the pages' main text and its search box, into `out`/pagefind/."
    subprocess.run([sys.executable, '-m', 'pagefind', '--site', str(out), '--silent',
                    '--exclude-selectors', 'a.anchor-link'], check=True)     # not the headings' "¶" links


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='_docs'); ap.add_argument('--no_proc', action='store_true', help='use _proc/ as it is')
    a = ap.parse_args()
    os.chdir(ROOT)
    if not a.no_proc: proc_nbs()
    pages = render(ROOT/'_proc', ROOT/a.out)
    search_index(ROOT/a.out)
    print(f'render_docs: {len(pages)} pages, {len(chapters())} chapters (nbs/sidebar.yml), search index in {a.out}/pagefind/')
