"""Benchmark of 03_datasets: samples per second of each data path at 256 px, against the CPU training step rate.

Run with `make bench`; results are printed and written to bench/results/datasets.json. Acceptance (issue 4): the
loader must not be the bottleneck, i.e. samples/s of each path >= 3x the samples/s of a training step of the model on
the same machine. The model here is the CPU `quick` profile's (05_train.PROFILES; one output
channel, random init, Adam), batch 2 x 3 x 256 x 256, timed in the same run. Data: the 2048 px synthetic scene
through heracleum_preprocess, heracleum_labels and heracleum_datasets (chip 256 px, blocks 7.68 km), built once.
Also (issue 18): 400 random 128 px chips of all bands read from the preprocessed reflectance.tif as written (blocks of
01_preprocess.CHIP_BLOCK_PX = 128 px) and from a copy in the usual 512 px blocks: a ratio. GDAL's cache is capped at
64 MB, a quarter of this file decoded (252 MB), as a full tile (7.2 GB) or a season's stack (1.3 GB) never fits in it.
And the codec of the interim files (01_preprocess.INTERIM_CODEC against DEFLATE, both level 1 with the floating-point
predictor, 128 px blocks, the same values): CPU seconds of one whole read in 06_predict's pieces (one thread), the
chips, and the sizes.
"""
import json, subprocess, sys, time
from pathlib import Path
import torch

root = Path(__file__).resolve().parents[1]
out = root / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
d = out / 'datasets_2048'
bin_ = Path(sys.executable).parent
if not (d / 'processed' / 'datasets.json').exists():
    for cmd in ([bin_/'heracleum_synthetic', '--size', '2048', '--seed', '0', '--out', d/'raw'],
                [bin_/'heracleum_preprocess', '--scene', d/'raw'/'scene.tif', '--out', d/'interim', '--no_tiles'],
                [bin_/'heracleum_labels', '--annotations', d/'raw'/'annotations.xml', '--grid', d/'interim'/'reflectance.tif', '--out', d/'processed'/'labels.tif'],
                [bin_/'heracleum_datasets', '--interim', d/'interim', '--labels', d/'processed'/'labels.tif', '--out', d/'processed',
                 '--chip_px', '256', '--block_m', '7680', '--no_clearml']):
        subprocess.run([str(c) for c in cmd], check=True, capture_output=True)
from heracleum.datasets import HogweedDataModule, SceneData, BAND_SETS
from heracleum.core import RGB_BANDS
from heracleum.model import build_model
from heracleum.train import PROFILES
QUICK_MODEL = PROFILES['quick']['model']

def loader_rate(path, bands, workers, n=192, batch=8):
    "Samples per second drawn from the train loader (first batch, i.e. worker start-up, excluded)."
    dm = HogweedDataModule(SceneData.open(d/'interim', d/'processed'), path=path, bands=bands, chip_px=256, batch_size=batch,
                           train_samples=n + batch, num_workers=workers)
    it = iter(dm.train_dataloader()); next(it)
    t0, seen = time.perf_counter(), 0
    for b in it: seen += len(b['image'])
    return seen / (time.perf_counter() - t0)

def train_rate(steps=6, batch=2, channels=3):
    "Samples per second of training steps of the quick profile's model on CPU (first step excluded)."
    torch.manual_seed(0)
    m = build_model(QUICK_MODEL, RGB_BANDS if channels == 3 else BAND_SETS['all_indices'][:channels])
    opt, x, y = torch.optim.Adam(m.parameters(), 1e-3), torch.rand(batch, channels, 256, 256), (torch.rand(batch, 1, 256, 256) > 0.9).float()
    m.train()
    def step():
        opt.zero_grad(); loss = torch.nn.functional.binary_cross_entropy_with_logits(m(x)['out'], y); loss.backward(); opt.step()
    step(); t0 = time.perf_counter()
    for _ in range(steps): step()
    return steps * batch / (time.perf_counter() - t0)

def chip_read_s(tif, n=400, chip=128, seed=0, cache_mb=64) -> float:
    "Seconds to read `n` random `chip` px windows of all bands of `tif`, opened once, GDAL's cache at `cache_mb`."
    import numpy as np, rasterio
    from rasterio.windows import Window
    with rasterio.Env(GDAL_CACHEMAX=cache_mb), rasterio.open(tif) as src:
        rng = np.random.default_rng(seed)
        at = rng.integers(0, [src.height - chip, src.width - chip], (n, 2))
        t0 = time.perf_counter()
        for r, c in at: src.read(window=Window(int(c), int(r), chip, chip))
        return time.perf_counter() - t0

import rasterio, rasterio.shutil
from heracleum.preprocess import CHIP_BLOCK_PX, INTERIM_CODEC

def copy_as(compress: str, block_px: int) -> Path:
    "A COG copy of the preprocessed reflectance.tif with `compress` (level 1, floating-point predictor), made once."
    dst = out / f'datasets_2048_reflectance_{compress.lower()}_{block_px}px.tif'
    if not dst.exists():
        rasterio.shutil.copy(d / 'interim' / 'reflectance.tif', dst, driver='COG', compress=compress, predictor=3, level=1,
                             blocksize=block_px)
    return dst

def scene_read_cpu_s(tif, rows=128, cols=1024, cache_mb=16) -> float:
    "CPU seconds to read all of `tif` once in `rows` x `cols` pieces, as 06_predict's reader does, in one thread."
    import numpy as np
    from rasterio.windows import Window
    with rasterio.Env(GDAL_CACHEMAX=cache_mb, GDAL_NUM_THREADS=1), rasterio.open(tif) as src:
        t0 = time.process_time()
        for y in range(0, src.height, rows):
            for c in range(0, src.width, cols):
                src.read(window=Window(c, y, min(cols, src.width - c), min(rows, src.height - y)), out_dtype=np.float32)
        return time.process_time() - t0

big_blocks, deflate, zstd = copy_as('DEFLATE', 512), copy_as('DEFLATE', CHIP_BLOCK_PX), copy_as(INTERIM_CODEC, CHIP_BLOCK_PX)
chips = {name: chip_read_s(tif) for name, tif in (('512 px blocks', big_blocks), ('128 px blocks', deflate))}
chips['ratio_512_over_128'] = round(chips['512 px blocks'] / chips['128 px blocks'], 2)
print(f"400 random 128 px chips, all bands, 64 MB cache: {chips['512 px blocks']:.2f} s from 512 px blocks, "
      f"{chips['128 px blocks']:.2f} s from 128 px blocks (DEFLATE both): {chips['ratio_512_over_128']} x")
codecs = {}                          # the same values, two codecs: the best of 3 whole reads, chips, size
for name, tif in (('DEFLATE', deflate), (INTERIM_CODEC, zstd)):
    codecs[name] = dict(scene_read_cpu_s=round(min(scene_read_cpu_s(tif) for _ in range(3)), 2),
                        chips_s=round(chip_read_s(tif), 2), mb=round(tif.stat().st_size / 2 ** 20, 1))
codecs['read_ratio'] = round(codecs['DEFLATE']['scene_read_cpu_s'] / codecs[INTERIM_CODEC]['scene_read_cpu_s'], 2)
codecs['chip_ratio'] = round(codecs['DEFLATE']['chips_s'] / codecs[INTERIM_CODEC]['chips_s'], 2)
print(f"codecs, 128 px blocks: {codecs}")

rows = [dict(what=f'train step {QUICK_MODEL} 2x3x256', samples_per_s=round(train_rate(), 2), threads=torch.get_num_threads())]
train = rows[0]['samples_per_s']
print(f"training: {train:.2f} samples/s ({2 / train:.2f} s per step of 2 x 256 px)")
for path, bands in (('classic', 'rgb'), ('torchgeo', 'rgb'), ('torchgeo', 'all_indices')):
    for workers in (0, 2):
        r = loader_rate(path, bands, workers)
        rows.append(dict(what=f'{path} {bands} loader', workers=workers, samples_per_s=round(r, 1), ratio_to_training=round(r / train, 1)))
        print(f"{path:8s} {bands:11s} workers={workers}: {r:6.1f} samples/s = {r / train:5.1f} x training ({'ok' if r >= 3 * train else 'BOTTLENECK'})")
rows.append(dict(what='chip reads', **chips))
rows.append(dict(what='codecs', **codecs))
(out / 'datasets.json').write_text(json.dumps(rows, indent=2))
