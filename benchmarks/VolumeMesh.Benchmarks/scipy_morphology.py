"""scipy peers for hole filling and ball morphology on the CT bone mask (one run each, wall and CPU time):
python3 scipy_morphology.py CT.nrrd. Ball of 2 mm on 1.0 x 0.7 x 0.7 mm voxels (z, y, x), same tolerance as ours."""
import sys, time, json
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
import numpy as np
from scipy import ndimage
from volio import read_nrrd
vol, _, _ = read_nrrd(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ct.nrrd")
mask = (vol >= 226) & (vol <= 3071)
def ball(r, s):  # (z, y, x) spacing
    n = [int(r / si) for si in s]
    z, y, x = np.mgrid[-n[0]:n[0]+1, -n[1]:n[1]+1, -n[2]:n[2]+1]
    return (z * s[0]) ** 2 + (y * s[1]) ** 2 + (x * s[2]) ** 2 <= r * r * (1 + 1e-5)
b = ball(2.0, (1.0, 0.7, 0.7))
for name, fn in [("binary_fill_holes", lambda: ndimage.binary_fill_holes(mask)),
                 ("binary_dilation 2mm ball", lambda: ndimage.binary_dilation(mask, b)),
                 ("binary_closing 2mm ball", lambda: ndimage.binary_closing(mask, b))]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    print(json.dumps(dict(op=name, wall_s=time.perf_counter() - w, cpu_s=time.process_time() - c, inside=int(out.sum()), load=open("/proc/loadavg").read().split()[0])), flush=True)
