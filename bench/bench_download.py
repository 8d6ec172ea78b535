"""Benchmark of 00a_synthetic: `heracleum_synthetic` wall time and peak memory, per scene size.

Run with `make bench`; results are printed and written to bench/results/download.json. The acceptance target is
at most 30 s for --size 2048 on 2 cores.
"""
import json, resource, subprocess, sys, time
from pathlib import Path

root = Path(__file__).resolve().parents[1]
cli = Path(sys.executable).parent / 'heracleum_synthetic'
out = root / 'bench' / 'results'
out.mkdir(parents=True, exist_ok=True)
rows = []
for size in (512, 2048):
    t0 = time.perf_counter()
    subprocess.run([str(cli), '--size', str(size), '--seed', '0', '--out', str(out / f'synthetic_{size}')],
                   capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # sizes ascend: the max is this run's
    rows.append(dict(size=size, wall_s=round(wall, 2), peak_rss_mb=round(rss_mb), mpx_per_s=round(size * size / 1e6 / wall, 3)))
    print(f'synthetic --size {size}: {wall:.1f} s wall, peak RSS {rss_mb:.0f} MB')
rows.append(dict(ratio_2048_over_512=round(rows[1]['wall_s'] / rows[0]['wall_s'], 2)))
(out / 'download.json').write_text(json.dumps(rows, indent=2))
print(json.dumps(rows))
