"""The paper-profile comparison on a GPU machine, from nothing: the demo scene (2048 px, chips of 128 px, blocks of
5.12 km, seed 0, as `make demo`), then `heracleum_compare --profile paper` -- first the decomposition cells
(classic RGB, torchgeo RGB, torchgeo all bands + indices; 3 seeds; forest and index baselines), then, while time
is left, the rest of the grid. Each stage's report is packed into OUT as soon as it is written, so a run stopped at
its time limit still returns what finished.

    python bench/compare_gpu.py --out $OUT --epochs 5 --train_samples 1024 --workers 8 --minutes 8
"""
import argparse, json, sys, tarfile, time
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument('--out', default='bench/results/gpu'); ap.add_argument('--work', default='/tmp/heracleum-gpu')
ap.add_argument('--epochs', type=int, default=5); ap.add_argument('--train_samples', type=int, default=1024)
ap.add_argument('--workers', type=int, default=8); ap.add_argument('--minutes', type=float, default=8.0)
ap.add_argument('--size', type=int, default=2048); ap.add_argument('--chip_px', type=int, default=128)
ap.add_argument('--block_m', type=float, default=5120); ap.add_argument('--dry', action='store_true', help='stop once the data is ready')
a = ap.parse_args()
t_start = time.time()
out, work = Path(a.out), Path(a.work); out.mkdir(parents=True, exist_ok=True); work.mkdir(parents=True, exist_ok=True)
log = open(out/'compare_gpu.log', 'a')
def say(*msg):
    line = f'[{time.time() - t_start:6.1f} s] ' + ' '.join(map(str, msg)); print(line, flush=True); log.write(line + '\n'); log.flush()

import torch
torch.set_float32_matmul_precision('high')                  # TF32 matrix products on tensor cores
say('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')
sys.argv = ['x']
from heracleum.compare import compare_config
from heracleum.report import run_comparison

from heracleum.datasets import example_data
example_data(work/'data', size=a.size, seed=0, chip_px=a.chip_px, block_m=a.block_m)
say('data ready', json.loads((work/'data/processed/split.json').read_text())['parts']['test'])

if a.dry: sys.exit(0)

def stage(grid: bool):
    cc = compare_config('paper', grid=grid, epochs=a.epochs, train_samples=a.train_samples, num_workers=a.workers,
                        processed=str(work/'data/processed'), interim=str(work/'data/interim'),
                        models=str(work/'models/compare-paper'), out=str(work/f'reports/compare-paper{"-grid" if grid else ""}'))
    done = []
    def keep(rec):                                 # every finished record goes to OUT at once: a run cut short still returns them
        done.append(rec)
        with open(out/f'.records-{grid}.json', 'w') as f: json.dump(done, f)
        Path(out/f'.records-{grid}.json').replace(out/f'records{"-grid" if grid else ""}.json')
        say(f'{rec["run"]}: test IoU {rec["scores"]["test"]["iou"]:.3f}, fit {rec["fit_s"]} s')
    t0 = time.time(); records = run_comparison(cc, progress=False, on_record=keep)
    nets = [r for r in records if r['kind'] == 'network']
    say(f'stage grid={grid}: {len(records)} records in {time.time() - t0:.0f} s; fit s per run',
        sorted(round(r['fit_s']) for r in nets), 'steps', nets[0]['steps'])
    with tarfile.open(out/f'compare-paper{"-grid" if grid else ""}.tar.gz', 'w:gz') as tar: tar.add(cc.out, arcname=Path(cc.out).name)
    say((Path(cc.out)/'table.md').read_text()); say((Path(cc.out)/'conclusions.md').read_text())
    return time.time() - t0

first = stage(grid=False)
left = a.minutes * 60 - (time.time() - t_start)
if left > first * 1.3: stage(grid=True)            # the other 10 grid runs cost about what the 9 decomposition runs did
else: say(f'grid skipped: {left:.0f} s left, the decomposition took {first:.0f} s')
