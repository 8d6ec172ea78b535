"""Benchmark of 06_predict: whole-scene hogweed maps, against the network alone, today's layout and the full tile.

Run with `make bench`; results are printed and written to bench/results/predict.json. Acceptance (issue 18):
- small scene (the chapters' 1024 x 1024 example): end-to-end map time over the time of ONE bare network pass over
  the scene's pixels (same window size, batch and precision, no overlap) at most 1.6; the default maps such a scene in
  one window; 2 x 2 windows of 576 px (`win_px=768`) and the first versions' layout (256 px windows overlapping by
  half, fp32) are measured the same way in the same run;
- full synthetic tile (10980 x 10980, 15 bands; the reflectance.tif that bench_preprocess leaves in
  bench/results/preprocess_10980, skipped with a message without it): at most 3 minutes end to end, peak RSS under
  2 GB, overhead (reading, normalising, batching, blending, writing the COGs) at most 10 % over the network's time for
  the same windows measured alone in the same process, on inputs ready in its layout (channels last) and dtype; the
  tile is mapped TILE_RUNS = 3 times (one run moves by +-12 % on a shared 2-core machine): the median run is the row,
  the targets are judged on it (peak RSS: on the worst run), and every run is listed;
- the default map agrees with the first versions' fp32 half-overlap map (IoU >= 0.99, probability difference <= 2/254
  at 99.9 % of pixels), reported on the small scene and on a 2048 x 2048 crop of the tile; also against the map of
  the whole scene in one window (fp32: no window border inside, the network's own map).
The model is the chapters' example all-bands model (`example_runs`, trained here once, cached in bench/results/).
Each map runs in its own process (bench/common.py: wall time and the process's own peak RSS).
"""
import json, math, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))

TILE_RUNS = 3                                                                      # the full tile: the median of 3
OLD = dict(win_px=256, margin_px=0, overlap_px=128, batch_size=8, precision='fp32')      # the first versions'

def child(checkpoint, reflectance, out_dir, layout: str):
    "In a fresh process: the network alone on a few windows of the layout's size, then the map; a JSON line."
    import numpy as np, rasterio
    from dataclasses import replace
    from heracleum.predict import load_model, predict_scene, window_layout, MARGIN_PX, OVERLAP_PX
    kw = json.loads(layout); precision = kw.pop('precision', 'auto')
    model = load_model(checkpoint, 'cpu', precision)
    with rasterio.open(reflectance) as src: h, w = src.height, src.width
    win, ys, xs = window_layout(h, w, kw.get('win_px'), kw.get('margin_px', MARGIN_PX),
                                kw.get('overlap_px', OVERLAP_PX))
    batch = kw.get('batch_size') or max(1, 2 ** 19 // win ** 2)
    import torch                                   # the network's own input: channels last, in its dtype, ready
    x = torch.from_numpy(np.random.default_rng(0).random((batch, len(model.bands), win, win), np.float32))
    x = x.to(model.input_dtype).contiguous(memory_format=torch.channels_last)
    model(x)                                                                       # warm-up
    n_timed, times = max(4, 8 // batch), []
    for _ in range(3):                              # the best of 3: the network's own speed, not a neighbour's noise
        t0 = time.perf_counter()
        for _ in range(n_timed): model(x)
        times.append((time.perf_counter() - t0) / (n_timed * batch))
    per_window = min(times)
    x32, times = x.float().contiguous().numpy(), [math.nan]  # as sessions before measured it: fp32 numpy input,
    for _ in range(3 if win <= 1024 else 0):                 # converted by the model (comparison only; not 2048 px)
        t0 = time.perf_counter()
        for _ in range(n_timed): model(x32)
        times.append((time.perf_counter() - t0) / (n_timed * batch))
    rec = predict_scene(reflectance, model, out_dir, progress=False, **kw)
    bare_pass_s = per_window * h * w / win ** 2                      # one pass over the scene's pixels, no overlap
    network_same_windows_s = per_window * rec['windows']
    print(json.dumps(dict(mpx=round(h * w / 1e6, 2), win_px=win, windows=rec['windows'], passes=rec['passes'],
                          precision=model.precision, end_to_end_s=rec['seconds'], network_in_run_s=rec['network_seconds'],
                          network_alone_s=round(network_same_windows_s, 2),
                          network_alone_f32_input_s=round(min(times[-3:]) * rec['windows'], 2), bare_pass_s=round(bare_pass_s, 2),
                          ratio_to_bare_pass=round(rec['seconds'] / bare_pass_s, 3),
                          overhead=round(rec['seconds'] / network_same_windows_s - 1, 4),
                          probability=rec['probability'])))

def agreement(ref_tif, tif) -> dict:
    "IoU of two maps' masks (stored probability >= 127) and the 99.9th percentile of |difference| in 1/254."
    import numpy as np, rasterio
    with rasterio.open(ref_tif) as a, rasterio.open(tif) as b: p, q = a.read(1).astype(int), b.read(1).astype(int)
    seen = p != 255; m, n = p[seen] >= 127, q[seen] >= 127
    return dict(iou=round(float((m & n).sum() / max((m | n).sum(), 1)), 4),
                diff_999=float(np.quantile(np.abs(p[seen] - q[seen]), 0.999)))

if __name__ == '__main__' and len(sys.argv) > 1 and sys.argv[1] == '--child':
    child(*sys.argv[2:]); sys.exit()

from common import measure
root = Path(__file__).resolve().parents[1]
out = root / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)

def run_map(name, reflectance, **layout) -> dict:
    r = measure([sys.executable, __file__, '--child', checkpoint, reflectance, out / 'predict' / name, json.dumps(layout)])
    row = json.loads(r['stdout'].strip().splitlines()[-1]) | dict(map=name, wall_s=r['wall_s'], peak_rss_mb=r['peak_rss_mb'])
    print(f"{name}: {row['end_to_end_s']} s end to end ({row['windows']} windows of {row['win_px']} px, {row['passes']} "
          f"passes, {row['precision']}), {row['ratio_to_bare_pass']} x one bare network pass, overhead "
          f"{100 * row['overhead']:.1f} % over the network alone, peak RSS {row['peak_rss_mb']} MB", flush=True)
    return row

from heracleum.train import example_runs
from heracleum.predict import WIN_PX
checkpoint = example_runs(out / 'example')['torchgeo']['best_checkpoint']     # trained once, then reused
small = out / 'example' / 'interim' / 'reflectance.tif'
rows = {name: run_map(name, small, **kw) for name, kw in (
    ('1024 default', {}), ('1024 768 px windows', dict(win_px=WIN_PX)), ('1024 first versions', OLD),
    ('1024 whole scene', dict(win_px=1024, margin_px=0, precision='fp32')))}
for name in ('1024 default', '1024 768 px windows', '1024 first versions'):
    rows[name]['vs_first_versions'] = agreement(rows['1024 first versions']['probability'], rows[name]['probability'])
    rows[name]['vs_whole_scene'] = agreement(rows['1024 whole scene']['probability'], rows[name]['probability'])
tile = out / 'preprocess_10980' / 'reflectance.tif'
if not tile.exists(): print(f'skipped the full tile: {tile} not found; run bench/bench_preprocess.py first')
else:
    import rasterio
    from rasterio.windows import Window
    crop = out / 'predict' / 'tile_crop_2048.tif'                       # for the agreement: the tile's middle
    with rasterio.open(tile) as s:
        win = Window(4466, 4466, 2048, 2048)
        with rasterio.open(crop, 'w', **(s.profile | dict(width=2048, height=2048, transform=s.window_transform(win)))) as d:
            d.write(s.read(window=win)); d.descriptions = s.descriptions
    # this machine's neighbours move one run by +-12 %: the tile is mapped TILE_RUNS times, the median row kept
    runs = sorted((run_map('10980 default', tile) for _ in range(TILE_RUNS)), key=lambda r: r['end_to_end_s'])
    rows['10980 default'] = runs[len(runs) // 2] | dict(runs=[{k: r[k] for k in ('end_to_end_s', 'network_in_run_s',
        'network_alone_s', 'overhead', 'peak_rss_mb')} for r in runs])
    for name, kw in (('crop default', {}), ('crop first versions', OLD),
                     ('crop whole scene', dict(win_px=2048, margin_px=0, precision='fp32'))):
        rows[name] = run_map(name, crop, **kw)
    for ref in ('first versions', 'whole scene'):
        rows['crop default']['vs_' + ref.replace(' ', '_')] = agreement(rows[f'crop {ref}']['probability'],
                                                                         rows['crop default']['probability'])
for name, row in rows.items():
    for k in ('vs_first_versions', 'vs_whole_scene'):
        if k in row: print(f"{name} {k}: IoU {row[k]['iou']}, 99.9 % |difference| {row[k]['diff_999']:.0f}/254")
d, old = rows['1024 default'], rows['1024 first versions']
targets = dict(small_ratio=f"{d['ratio_to_bare_pass']} (first versions {old['ratio_to_bare_pass']}; target <= 1.6)",
               small_speedup=round(old['end_to_end_s'] / d['end_to_end_s'], 2))
if '10980 default' in rows:
    t = rows['10980 default']
    worst_rss = max(r['peak_rss_mb'] for r in t['runs'])
    targets |= dict(tile_minutes=round(t['end_to_end_s'] / 60, 2), tile_overhead=t['overhead'], tile_rss_mb=worst_rss,
                    tile_overhead_runs=[r['overhead'] for r in t['runs']],
                    tile_met=dict(minutes=t['end_to_end_s'] <= 180, rss=worst_rss < 2048, overhead=t['overhead'] <= 0.10))
print(json.dumps(targets))
(out / 'predict.json').write_text(json.dumps(dict(rows=rows, targets=targets), indent=2))
