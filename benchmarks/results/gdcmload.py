"""GDCM peer: read every file of a folder with gdcm.ImageReader, decode pixels, rescale to HU, stack; median of 5 after a warm-up."""
import glob, os, sys, time, json
import numpy as np
import gdcm

def load(files):
    out = []
    for f in files:
        r = gdcm.ImageReader(); r.SetFileName(f)
        if not r.Read():
            continue
        img = r.GetImage()
        buf = img.GetBuffer()
        pf = img.GetPixelFormat()
        dt = np.int16 if pf.GetPixelRepresentation() else np.uint16
        a = np.frombuffer(buf.encode("utf-8", "surrogateescape") if isinstance(buf, str) else buf, dtype=dt)
        out.append(a * img.GetSlope() + img.GetIntercept())
    return np.stack(out).astype(np.int16)

folder = sys.argv[1]
files = sorted(f for f in glob.glob(os.path.join(folder, "**", "*"), recursive=True) if os.path.isfile(f) and os.path.basename(f) != "DIRFILE")
size = sum(os.path.getsize(f) for f in glob.glob(os.path.join(folder, "**", "*"), recursive=True) if os.path.isfile(f))
load(files)
t = []
for _ in range(5):
    s = time.perf_counter(); v = load(files); t.append(time.perf_counter() - s)
t.sort(); sec = t[2]
print(json.dumps({"peer": "gdcm", "files": len(files), "shape": v.shape, "megabytes": size / 1e6, "seconds": sec, "mb_per_s": size / 1e6 / sec}))
