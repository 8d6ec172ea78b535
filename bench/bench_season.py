"""Benchmark of 00b_season: how the cost of the synthetic season grows with the number of dates.

    python bench/bench_season.py [--size 2048]

Runs `synthetic_season` for 1, 3 and 5 dates (the first, the flowering date and the ends of `SEASON_DATES`) in a child
process each; reports wall time, peak RSS and the cost per added date as ratios within this one run. Preprocessing
and training per date are not measured yet: no step reads a time stack so far. Results: bench/results/season.json.
"""
import argparse, json, shutil, sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import measure

DATES = {1: ('2022-07-03',), 3: ('2022-05-14', '2022-07-03', '2022-09-08'),
         5: ('2022-05-14', '2022-06-05', '2022-07-03', '2022-08-06', '2022-09-08')}
CLOUDS = {'2022-05-14': .06, '2022-06-05': .55, '2022-07-03': .03, '2022-08-06': .12, '2022-09-08': .2}
RUN = '''import sys, json
from heracleum.season import synthetic_season
dates = tuple(sys.argv[3].split(','))
synthetic_season(sys.argv[1], size=int(sys.argv[2]), dates=dates, cloud_shares=tuple(json.loads(sys.argv[4])))'''

parser = argparse.ArgumentParser(); parser.add_argument('--size', type=int, default=2048)
size = parser.parse_args().size
root = Path(__file__).resolve().parents[1]
work = Path(tempfile.mkdtemp(prefix='bench-season-', dir=root / 'bench'))
rows = []
try:
    for n, dates in DATES.items():
        r = measure([sys.executable, '-c', RUN, work / f'd{n}', size, ','.join(dates), json.dumps([CLOUDS[d] for d in dates])])
        mb = sum(p.stat().st_size for p in (work / f'd{n}').iterdir()) / 1e6
        rows.append(dict(dates=n, size=size, wall_s=r['wall_s'], peak_rss_mb=r['peak_rss_mb'], written_mb=round(mb, 1)))
        print(rows[-1], flush=True)
finally: shutil.rmtree(work, ignore_errors=True)
per_date = (rows[-1]['wall_s'] - rows[0]['wall_s']) / (rows[-1]['dates'] - rows[0]['dates'])
summary = dict(rows=rows, seconds_per_added_date=round(per_date, 2),
               fixed_seconds=round(rows[0]['wall_s'] - per_date, 2),
               wall_ratio_5_over_1=round(rows[-1]['wall_s'] / rows[0]['wall_s'], 2),
               rss_ratio_5_over_1=round(rows[-1]['peak_rss_mb'] / rows[0]['peak_rss_mb'], 2))
out = root / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
(out / 'season.json').write_text(json.dumps(summary, indent=2))
print(json.dumps({k: v for k, v in summary.items() if k != 'rows'}))
