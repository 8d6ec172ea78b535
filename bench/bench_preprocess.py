"""Benchmark of 01_preprocess on a full Sentinel-2 tile: a synthetic 10980 x 10980, 14-band L2A scene.

Run with `make bench`; results are printed and written to bench/results/preprocess.json. Acceptance (issue 3): the
preprocessing (reflectance + valid mask + 3 indices written as COG) with peak RSS under 3 GB. The full-size input is
the 2048 px synthetic scene mirrored across T37VCD's grid (built once, cached in bench/results/); `heracleum_preprocess`
then runs on it and on the 2048 px scene in separate processes, so the per-megapixel rates form a ratio in one run.
"""
import json, sys
from pathlib import Path
import numpy as np, rasterio
sys.path.insert(0, str(Path(__file__).parent))
from common import measure
from heracleum.synthetic import synthetic_scene
from heracleum.core import Grid

root = Path(__file__).resolve().parents[1]
out = root / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
small = synthetic_scene(out / 'synthetic_2048', size=2048, seed=0)['scene']
big = out / 'synthetic_10980' / 'scene.tif'

def mirrored(n: int, k: int) -> np.ndarray:
    "Indices 0..k-1 running forward, backward, forward, ... for n positions (a seamless mirrored tiling)."
    i = np.arange(n); return np.where((i // k) % 2 == 0, i % k, k - 1 - i % k)

if not big.exists():
    big.parent.mkdir(parents=True, exist_ok=True)
    g = Grid.from_tile('T37VCD')
    with rasterio.open(small) as src:
        data, tags, desc, nodata = src.read(), src.tags(), src.descriptions, src.nodata
    rows, cols = mirrored(g.height, data.shape[1]), mirrored(g.width, data.shape[2])
    part = big.with_name('.scene.part.tif')
    with rasterio.open(part, 'w', driver='GTiff', count=data.shape[0], dtype='uint16', nodata=nodata, tiled=True,
                       blockxsize=512, blockysize=512, compress='DEFLATE', ZLEVEL=1, predictor=2, BIGTIFF='YES', **g.profile()) as dst:
        for r0 in range(0, g.height, 512):
            r = rows[r0:r0 + 512]
            dst.write(data[:, r][:, :, cols], window=rasterio.windows.Window(0, r0, g.width, len(r)))
        for i, d in enumerate(desc, 1): dst.set_band_description(i, d)
        dst.update_tags(**tags)
    part.rename(big)
    print(f'built {big} ({big.stat().st_size / 1e9:.2f} GB)')

cli = Path(sys.executable).parent / 'heracleum_preprocess'
rows = []
for name, scene in (('2048 x 2048', small), ('10980 x 10980', big)):
    r = measure([cli, '--scene', scene, '--out', out / f'preprocess_{name.split()[0]}'])
    with rasterio.open(scene) as s: mpx = s.width * s.height / 1e6
    rows.append(dict(scene=name, wall_s=r['wall_s'], peak_rss_mb=r['peak_rss_mb'], mpx=round(mpx, 1), mpx_per_s=round(mpx / r['wall_s'], 3)))
    print(f"{name}: {r['wall_s']} s wall, peak RSS {r['peak_rss_mb']} MB, {rows[-1]['mpx_per_s']} Mpx/s")
rows.append(dict(rss_ratio_10980_over_2048=round(rows[1]['peak_rss_mb'] / rows[0]['peak_rss_mb'], 2),
                 rate_ratio_10980_over_2048=round(rows[1]['mpx_per_s'] / rows[0]['mpx_per_s'], 2),
                 target='peak RSS < 3 GB for 10980 x 10980: ' + ('met' if rows[1]['peak_rss_mb'] < 3072 else 'MISSED')))
sizes = {p.name: round(p.stat().st_size / 1e9, 2) for p in (out / 'preprocess_10980').glob('*.tif')}
rows[-1]['output_gb'] = sizes
print(json.dumps(rows[-1]))
(out / 'preprocess.json').write_text(json.dumps(rows, indent=2))
