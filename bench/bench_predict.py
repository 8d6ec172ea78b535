"""Benchmark of 06_predict: whole-scene hogweed maps, end to end against the network alone, and memory on a full tile.

Run with `make bench`; results are printed and written to bench/results/predict.json. Acceptance (issue 6):
- overhead of `predict_scene` (reading, normalising, blending, writing the COGs) <= 15 % of its time: the end-to-end
  map throughput (scene Mpx/s) is compared with the network's forward throughput over the same number of windows of
  the same size and batch, measured in the same process right before (timed on up to 256 windows, scaled to the
  scene's window count);
- peak RSS under 3 GB for a synthetic 10980 x 10980 scene (the reflectance.tif that bench_preprocess leaves in
  bench/results/preprocess_10980; skipped with a message if it is not there) with the fast (quick-profile) model.
The network is the quick profile's (U-Net ResNet-18, 15 bands), randomly initialised: speed does not depend on the
weights. Each measurement runs in its own process (bench/common.py: wall time and the process's own peak RSS).
"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))

def child(reflectance, out_dir, win_px=256, batch=8):
    "In a fresh process: network-only time over the scene's windows, then predict_scene; print a JSON line."
    import numpy as np, rasterio, torch
    from heracleum.datasets import BAND_SETS
    from heracleum.model import build_model
    from heracleum.train import profile_config
    from heracleum.predict import TrainedModel, predict_scene, window_origins
    cfg = profile_config('quick', bands='all_indices')
    bands = BAND_SETS[cfg.bands]
    torch.manual_seed(0)
    stats = dict(bands=list(bands), lo=[0.0] * len(bands), hi=[0.5] * len(bands))
    model = TrainedModel(build_model(cfg.model, bands).eval(), cfg, stats)
    with rasterio.open(reflectance) as src: h, w = src.height, src.width
    n_win = len(window_origins(h, win_px, win_px // 2)) * len(window_origins(w, win_px, win_px // 2))
    x = np.random.default_rng(0).random((batch, len(bands), win_px, win_px), np.float32)
    model(x[:1])                                                           # warm-up
    n_timed = min(n_win, 256)                        # the per-window rate is steady: a full tile's 7 000 windows are extrapolated
    t0, done = time.perf_counter(), 0
    while done < n_timed: model(x[:min(batch, n_timed - done)]); done += batch
    net_s = (time.perf_counter() - t0) * n_win / n_timed
    rec = predict_scene(reflectance, model, out_dir, win_px=win_px, batch_size=batch, progress=False)
    mpx = h * w / 1e6
    print(json.dumps(dict(mpx=round(mpx, 2), windows=n_win, network_timed_windows=n_timed, network_only_s=round(net_s, 2), network_only_mpx_per_s=round(mpx / net_s, 4),
                          end_to_end_s=rec['seconds'], end_to_end_mpx_per_s=rec['mpx_per_s'], network_in_run_s=rec['network_seconds'],
                          overhead=round(1 - net_s / rec['seconds'], 4))))

if __name__ == '__main__' and len(sys.argv) > 1 and sys.argv[1] == '--child':
    child(sys.argv[2], sys.argv[3]); sys.exit()

from common import measure
root = Path(__file__).resolve().parents[1]
out = root / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
bin_ = Path(sys.executable).parent
small = out / 'preprocess_2048' / 'reflectance.tif'
if not small.exists():
    import subprocess
    from heracleum.synthetic import synthetic_scene
    scene = synthetic_scene(out / 'synthetic_2048', size=2048, seed=0)['scene']
    subprocess.run([bin_/'heracleum_preprocess', '--scene', scene, '--out', small.parent, '--no_tiles'], check=True, capture_output=True)
rows = []
for name, refl in (('2048 x 2048', small), ('10980 x 10980', out / 'preprocess_10980' / 'reflectance.tif')):
    if not refl.exists():
        print(f'skipped {name}: {refl} not found; run bench/bench_preprocess.py first'); continue
    r = measure([sys.executable, __file__, '--child', refl, out / f'predict_{name.split()[0]}'])
    row = dict(scene=name, **json.loads(r['stdout'].strip().splitlines()[-1]), wall_s=r['wall_s'], peak_rss_mb=r['peak_rss_mb'])
    rows.append(row)
    print(f"{name}: end to end {row['end_to_end_mpx_per_s']} Mpx/s, network alone {row['network_only_mpx_per_s']} Mpx/s, "
          f"overhead {100 * row['overhead']:.1f} % (target <= 15 %), peak RSS {row['peak_rss_mb']} MB")
for row in rows:
    row['targets'] = dict(overhead='met' if row['overhead'] <= 0.15 else 'MISSED',
                          peak_rss=('met' if row['peak_rss_mb'] < 3072 else 'MISSED') if row['scene'].startswith('10980') else None)
(out / 'predict.json').write_text(json.dumps(rows, indent=2))
