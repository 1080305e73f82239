"""scipy.ndimage.label on the CT bone mask, timed by wall clock and by process CPU time (median of N):
python3 scipy_label_cpu.py CT.nrrd [--connectivity 26] [--repeat 5]. Uses the peers' NRRD reader (../shared/peers)."""
import argparse, json, os, statistics, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "peers"))
import numpy as np
from scipy import ndimage
from volio import read_nrrd

p = argparse.ArgumentParser()
p.add_argument("volume")
p.add_argument("--threshold", default="226:3071")
p.add_argument("--connectivity", type=int, default=26, choices=[6, 18, 26])
p.add_argument("--repeat", type=int, default=5)
a = p.parse_args()
vol, _, _ = read_nrrd(a.volume)
lo, hi = (float(v) for v in a.threshold.split(":"))
mask = (vol >= lo) & (vol <= hi)
structure = ndimage.generate_binary_structure(3, {6: 1, 18: 2, 26: 3}[a.connectivity])
ndimage.label(mask, structure)
wall, cpu = [], []
for _ in range(a.repeat):
    w, c = time.perf_counter(), time.process_time()
    labels, count = ndimage.label(mask, structure)
    wall.append(time.perf_counter() - w)
    cpu.append(time.process_time() - c)
print(json.dumps(dict(peer="scipy.ndimage.label", connectivity=a.connectivity, voxels=int(mask.size), components=int(count),
                      wall_median_s=statistics.median(wall), cpu_median_s=statistics.median(cpu),
                      mvoxel_per_s_wall=mask.size / statistics.median(wall) / 1e6, load=open("/proc/loadavg").read().strip())))
