// The fallback docs site's only script: Pagefind's search box (it loads its index over HTTP, so not from file://)
// and a copy button on each code block.
const box = document.getElementById('search');
if (location.protocol === 'file:') box.textContent = 'search: serve the site (make docs says how)';
else if (typeof PagefindUI !== 'undefined')      // results link from wherever the site is served (its folder: this file's)
  new PagefindUI({element: '#search', showSubResults: true, showImages: false,
                  baseUrl: new URL('.', document.currentScript.src).pathname});
document.querySelectorAll('.hd-main .highlight').forEach(block => {
  const b = Object.assign(document.createElement('button'), {type: 'button', className: 'hd-copy', textContent: 'copy'});
  b.onclick = () => navigator.clipboard.writeText(block.querySelector('pre').innerText)
    .then(() => { b.textContent = 'copied'; setTimeout(() => b.textContent = 'copy', 1500); });
  block.prepend(b);
});
