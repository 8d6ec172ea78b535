"Shared by the benchmarks: run a command in a child process and measure its wall time and peak RSS."
import json, os, subprocess, sys, tempfile, time

# A small launcher process starts the command, so that the command's peak RSS (ru_maxrss) is its own: a child forked
# straight from a benchmark that holds a big array would start its maxrss at the parent's size.
_LAUNCHER = '''
import os, sys, json, subprocess
p = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(p.pid, 0)
open(sys.argv[1], "w").write(json.dumps(dict(rc=os.waitstatus_to_exitcode(status), maxrss_kb=usage.ru_maxrss)))
'''

def measure(cmd: list, env: dict | None = None) -> dict:
    "Run `cmd`; return wall time (s), its own peak resident memory (MB, from wait4's rusage), stdout and stderr."
    with tempfile.TemporaryDirectory() as d:
        res_file = os.path.join(d, 'rusage.json')
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, '-c', _LAUNCHER, res_file, *map(str, cmd)], capture_output=True, text=True, env=env)
        wall = time.perf_counter() - t0
        usage = json.loads(open(res_file).read()) if os.path.exists(res_file) else dict(rc=r.returncode, maxrss_kb=0)
    if usage['rc']: raise RuntimeError(f'{cmd} failed ({usage["rc"]}):\n{r.stderr[-3000:]}')
    return dict(wall_s=round(wall, 2), peak_rss_mb=round(usage['maxrss_kb'] / 1024), stdout=r.stdout, stderr=r.stderr)
