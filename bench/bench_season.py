"""Benchmark of a season: how the cost of each step grows with the number of dates.

    python bench/bench_season.py [--size 2048] [--steps 12]

For 2, 3 and 5 dates (a season needs two; the flowering date is always one of them), each step in a child process of
its own: `synthetic_season` (generation), `preprocess_season` (each date + the time stack), labels and datasets, and
training throughput on the torchgeo path with bands='season' (`--steps` optimiser steps of the quick profile's batch,
128 px chips, after one warm-up step; data loading and the network's forward + backward timed apart). Reports wall
time, peak RSS, the cost per added date and the 5-over-2 ratios within this one run.
Results: bench/results/season.json.
"""
import argparse, json, shutil, sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import measure

DATES = {2: ('2022-07-03', '2022-08-06'), 3: ('2022-05-14', '2022-07-03', '2022-09-08'),
         5: ('2022-05-14', '2022-06-05', '2022-07-03', '2022-08-06', '2022-09-08')}
CLOUDS = {'2022-05-14': .06, '2022-06-05': .55, '2022-07-03': .03, '2022-08-06': .12, '2022-09-08': .2}
GENERATE = '''import sys, json
from heracleum.season import synthetic_season
dates = tuple(sys.argv[3].split(','))
synthetic_season(sys.argv[1] + '/season', size=int(sys.argv[2]), dates=dates, cloud_shares=tuple(json.loads(sys.argv[4])))'''
PREPROCESS = '''import sys
from heracleum.preprocess import preprocess_season
preprocess_season(sys.argv[1] + '/season', sys.argv[1] + '/interim', progress=False)'''
DATASETS = '''import sys
from heracleum.core import as_grid
from heracleum.labels import cvat_to_mask, write_mask
from heracleum.datasets import DatasetConfig, prepare_datasets
w = sys.argv[1]
grid = as_grid(w + '/interim/reflectance.tif')
labels = write_mask(cvat_to_mask(w + '/season/annotations.xml', w + '/interim/reflectance.tif')[0], grid,
                    w + '/processed/labels.tif')
prepare_datasets(w + '/interim', labels, w + '/processed', DatasetConfig(chip_px=128, block_m=5120), progress=False)'''
TRAIN = '''import sys, json, time, torch
from heracleum.datasets import SceneData, HogweedDataModule
from heracleum.train import HogweedSegmenter, profile_config
w, steps = sys.argv[1], int(sys.argv[2])
torch.manual_seed(0)
cfg = profile_config('quick', bands='season', interim=w + '/interim', processed=w + '/processed')
dm = HogweedDataModule(SceneData.open(cfg.interim, cfg.processed), 'torchgeo', 'season', 128, cfg.batch_size,
                       (steps + 1) * cfg.batch_size, positive_share=cfg.positive_share, date_dropout=cfg.date_dropout)
module = HogweedSegmenter.from_config(cfg, steps + 1, band_names=dm.bands)
opt = torch.optim.AdamW(module.parameters(), lr=cfg.lr)
load_s = net_s = 0.0
batches = iter(dm.train_dataloader())
for i in range(steps + 1):
    t0 = time.perf_counter(); batch = next(batches); t1 = time.perf_counter()
    loss = module.training_step(batch, i); opt.zero_grad(); loss.backward(); opt.step(); t2 = time.perf_counter()
    if i: load_s, net_s = load_s + t1 - t0, net_s + t2 - t1       # step 0 warms up
print(json.dumps(dict(channels=len(dm.bands), chips=steps * cfg.batch_size, load_s=load_s, net_s=net_s)))'''

parser = argparse.ArgumentParser()
parser.add_argument('--size', type=int, default=2048); parser.add_argument('--steps', type=int, default=12)
args = parser.parse_args()
root = Path(__file__).resolve().parents[1]
work = Path(tempfile.mkdtemp(prefix='bench-season-', dir=root / 'bench'))
rows = []
try:
    for n, dates in DATES.items():
        w = work / f'd{n}'
        gen = measure([sys.executable, '-c', GENERATE, w, args.size, ','.join(dates), json.dumps([CLOUDS[d] for d in dates])])
        pre = measure([sys.executable, '-c', PREPROCESS, w])
        data = measure([sys.executable, '-c', DATASETS, w])
        fit = measure([sys.executable, '-c', TRAIN, w, args.steps])
        t = json.loads(fit['stdout'].strip().splitlines()[-1])
        mb = lambda d: round(sum(p.stat().st_size for p in (w / d).rglob('*') if p.is_file()) / 1e6, 1)
        rows.append(dict(dates=n, size=args.size, generate_s=gen['wall_s'], generate_rss_mb=gen['peak_rss_mb'],
                         season_mb=mb('season'), preprocess_s=pre['wall_s'], preprocess_rss_mb=pre['peak_rss_mb'],
                         interim_mb=mb('interim'), datasets_s=data['wall_s'], datasets_rss_mb=data['peak_rss_mb'],
                         channels=t['channels'], train_chips_per_s=round(t['chips'] / (t['load_s'] + t['net_s']), 2),
                         load_ms_per_chip=round(1000 * t['load_s'] / t['chips'], 1),
                         net_ms_per_chip=round(1000 * t['net_s'] / t['chips'], 1), train_rss_mb=fit['peak_rss_mb']))
        print(rows[-1], flush=True)
        shutil.rmtree(w, ignore_errors=True)
finally: shutil.rmtree(work, ignore_errors=True)
first, last = rows[0], rows[-1]
added = last['dates'] - first['dates']
per_date = lambda k: round((last[k] - first[k]) / added, 2)
summary = dict(rows=rows, per_added_date=dict(generate_s=per_date('generate_s'), preprocess_s=per_date('preprocess_s'),
                                              load_ms_per_chip=per_date('load_ms_per_chip'),
                                              net_ms_per_chip=per_date('net_ms_per_chip')),
               ratio_5_over_2={k: round(last[k] / first[k], 2) for k in
                               ('generate_s', 'preprocess_s', 'datasets_s', 'train_chips_per_s', 'load_ms_per_chip',
                                'net_ms_per_chip', 'generate_rss_mb', 'preprocess_rss_mb', 'train_rss_mb')})
out = root / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
(out / 'season.json').write_text(json.dumps(summary, indent=2))
print(json.dumps({k: v for k, v in summary.items() if k != 'rows'}))
