"""Benchmark of 04_model/05_train: training samples per second of both profiles on this machine's CPU (and GPU if any).

Run with `make bench`; results are printed and written to bench/results/train.json. One training step = forward,
bce_dice / dice loss, backward, optimiser step, timed after one warm-up step, with the profile's model, loss and
optimiser on random inputs of the profile's chip size and the torchgeo all-bands channel count (15). The `paper`
profile's batch is cut to 2 on a CPU (its 16 x 256 px batch takes minutes per step there); rates are per sample.
Each profile runs as before (fp32, contiguous) and as after: channels-last, then also bf16 autocast (issue 18); the
ratios to "before" are from the same run.
"""
import json, time, sys
from pathlib import Path
import torch
from heracleum.model import build_model, build_loss, build_optimizer, loss_target
from heracleum.datasets import BAND_SETS
from heracleum.train import PROFILES

out = Path(__file__).resolve().parents[1] / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
device = 'cuda' if torch.cuda.is_available() else 'cpu'
rows = []
VARIANTS = (('fp32', False), ('fp32', True), ('bf16', True))       # (precision, channels-last): before, and after
for profile, chip, batch_cpu in (('quick', 128, 8), ('paper', 256, 2)):
  for precision, channels_last in VARIANTS:
    p = PROFILES[profile]
    batch = p['batch_size'] if device == 'cuda' else batch_cpu
    torch.manual_seed(0)
    bands = BAND_SETS['all_indices']
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    m = build_model(p['model'], bands).to(device).train().to(memory_format=fmt)
    loss_fn = build_loss(p['loss'])
    opt, _ = build_optimizer(m.parameters(), p['optimizer'], p['lr'])
    x = torch.rand(batch, len(bands), chip, chip, device=device).contiguous(memory_format=fmt)
    y = (torch.rand(batch, 1, chip, chip, device=device) > 0.98).float(); v = torch.ones_like(y, dtype=torch.bool)
    def step():
        opt.zero_grad()
        with torch.autocast(device, torch.bfloat16, enabled=precision == 'bf16'):
            out = m(x)['out']
        l = loss_fn(out.float(), loss_target(y, v)); l.backward(); opt.step()
    step()
    if device == 'cuda': torch.cuda.synchronize()
    n, t0 = (3 if profile == 'paper' and device == 'cpu' else 10), time.perf_counter()
    for _ in range(n): step()
    if device == 'cuda': torch.cuda.synchronize()
    dt = (time.perf_counter() - t0) / n
    rows.append(dict(profile=profile, model=p['model'], device=device, precision=precision, channels_last=channels_last,
                     batch=batch, chip_px=chip, channels=len(bands), s_per_step=round(dt, 3),
                     samples_per_s=round(batch / dt, 2), mpx_per_s=round(batch * chip * chip / dt / 1e6, 3)))
    rows[-1]['ratio_to_fp32'] = round(rows[-1]['samples_per_s'] / next(r['samples_per_s'] for r in rows
                                      if r['profile'] == profile and r['precision'] == 'fp32' and not r['channels_last']), 2)
    print(f"{profile:5s} {p['model']:30s} {device} {precision} {'channels-last' if channels_last else 'contiguous   '}: "
          f"{dt:.2f} s/step of {batch} x {chip} px -> {batch / dt:.2f} samples/s (x {rows[-1]['ratio_to_fp32']})", flush=True)
(out / 'train.json').write_text(json.dumps(rows, indent=2))
