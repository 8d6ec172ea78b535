"""Benchmark of 06b_region: tile-years per hour on a Dask LocalCluster of 1 and 2 workers, in one run.

Run with `make bench` (or `python bench/bench_region.py --tile_px 1024`); results are printed and written to
bench/results/region.json. Issue 17 asks for:
- tiles per hour with 1 and 2 workers on this machine, and the speed-up ratio, measured in the same run;
- peak memory per worker (each task reports its process's peak RSS);
- the scheduler's overhead per task (1000 empty tasks through the same cluster).
A synthetic region of 2 x 2 tiles of `tile_px` (overlap 10 %) over two years is mapped by the chapters' example model
(05_train's `example_runs`, trained here first); each worker count maps it into a fresh folder.
"""
import argparse, json, os, sys, tempfile, time
from pathlib import Path

def main(tile_px: int = 1024, out: str = 'bench/results/region.json'):
    from heracleum.region import synthetic_region, SyntheticArchive, dask_client, map_region
    from heracleum.train import example_runs
    work = Path(tempfile.mkdtemp(prefix='bench-region-'))
    t0 = time.perf_counter()
    region = synthetic_region(work/'world', tile_px=tile_px, overlap_px=tile_px // 10)
    generate_s = time.perf_counter() - t0
    model = example_runs(work/'example')['torchgeo']['best_checkpoint']
    result = dict(tile_px=tile_px, tiles=len(region['tiles']), years=2, tile_years=2 * len(region['tiles']),
                  generate_s=round(generate_s, 1), cores=os.cpu_count(), runs={})
    for workers in (1, 2):
        t0 = time.perf_counter()
        with dask_client(workers=workers, local_directory=work/'scratch') as client:
            client.wait_for_workers(workers)
            start_s = time.perf_counter() - t0; t1 = time.perf_counter()
            s = map_region(region['districts'], (2022, 2023), model, work/f'run{workers}',
                           SyntheticArchive(work/'world'), tiles=region['tiles'], client=client, progress=False)
            run_s = time.perf_counter() - t1
            if workers == 2:                                       # the scheduler's own cost per task
                client.gather(client.map(abs, range(-50, 0)))      # warm-up
                t2 = time.perf_counter(); client.gather(client.map(abs, range(-1000, 0)))
                result['scheduler_overhead_ms_per_task'] = round((time.perf_counter() - t2) / 1000 * 1e3, 3)
        records = [json.loads(p.read_text()) for p in (work/f'run{workers}'/'tiles').rglob('tile.json')]
        result['runs'][workers] = dict(cluster_start_s=round(start_s, 1), run_s=round(run_s, 1),
                                       tile_years_per_hour=round(3600 * s['tile_years_run'] / run_s, 1),
                                       task_s_median=round(sorted(r['seconds'] for r in records)[len(records) // 2], 2),
                                       peak_rss_mb_per_worker=max(r['peak_rss_mb'] for r in records),
                                       hogweed_ha=[round(d['hogweed_ha'], 2) for d in s['districts']])
    one, two = result['runs'][1], result['runs'][2]
    result['speedup_2_over_1'] = round(two['tile_years_per_hour'] / one['tile_years_per_hour'], 2)
    result['same_hectares'] = one['hogweed_ha'] == two['hogweed_ha']
    # a full Sentinel-2 tile is 10980 x 10980 px: the per-task time scaled by its pixels
    result['full_tile_min_per_worker'] = round(one['task_s_median'] * (10980 / tile_px) ** 2 / 60, 1)
    Path(out).parent.mkdir(parents=True, exist_ok=True); Path(out).write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--tile_px', type=int, default=1024)
    p.add_argument('--out', default='bench/results/region.json')
    main(**vars(p.parse_args()))
