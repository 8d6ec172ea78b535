"""Benchmark of 02_labels: the 2023 project's real CVAT export (T37VCD, 484 tiles) -> one 10980 x 10980 mask GeoTIFF.

Run with `make bench`; results are printed and written to bench/results/labels.json. Acceptance (issue 3): at most
15 s on 2 cores with peak RSS under 1.5 GB. Two measurements, each in its own process: `cvat_to_mask` + `write_mask`
alone (the merge the 2023 code needed 10-15 minutes for), and the whole `heracleum_labels` CLI, which also traces
the mask into polygons with area_ha and writes the label report. Skipped, with a message, where the real file is absent.
"""
import json, os, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import measure

root = Path(__file__).resolve().parents[1]
real = Path(os.environ.get('HERACLEUM_REAL', root.parent / 'shared' / 'real')) / 'annotations.xml'
out = root / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
if not real.exists(): sys.exit(print(f'bench_labels skipped: {real} is not here (the 2023 export ships only in the heracleum workplace)'))

merge = f'''
import time; t0 = time.perf_counter()
from heracleum.labels import cvat_to_mask, write_mask
from heracleum.core import Grid
t1 = time.perf_counter()
g = Grid.from_tile("T37VCD")
mask, stats = cvat_to_mask({str(real)!r}, g)
t2 = time.perf_counter()
write_mask(mask, g, {str(out / 'real_labels_merge.tif')!r})
t3 = time.perf_counter()
print(f"import {{t1 - t0:.2f}} s, merge {{t2 - t1:.2f}} s, write COG {{t3 - t2:.2f}} s; shape {{mask.shape}}, {{stats['images']}} images, "
      f"{{stats['shapes']}}, {{stats['positive_tiles']}} positive tiles, {{int((mask == 1).sum())}} hogweed px")
'''
rows = []
r = measure([sys.executable, '-c', merge])
rows.append(dict(step='cvat_to_mask + write_mask (real T37VCD)', wall_s=r['wall_s'], peak_rss_mb=r['peak_rss_mb'], detail=r['stdout'].strip()))
cli = Path(sys.executable).parent / 'heracleum_labels'
r = measure([cli, '--annotations', real, '--grid', 'T37VCD', '--out', out / 'real_labels_cli.tif'])
rows.append(dict(step='heracleum_labels CLI (mask + polygons + report)', wall_s=r['wall_s'], peak_rss_mb=r['peak_rss_mb'], detail=r['stdout'].strip()))
for row in rows:
    ok = row['wall_s'] <= 15 and row['peak_rss_mb'] < 1536
    row['target'] = '<= 15 s, < 1.5 GB: ' + ('met' if ok else 'MISSED')
    print(f"{row['step']}: {row['wall_s']} s wall, peak RSS {row['peak_rss_mb']} MB ({row['target']})\n  {row['detail']}")
(out / 'labels.json').write_text(json.dumps(rows, indent=2))
