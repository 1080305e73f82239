#!/usr/bin/python3
"""Generates Expected/series-hu.tsv, the independent oracle for the series loading tests.

Run once with Debian's python3-pydicom 2.3.1 and python3-numpy:

    /usr/bin/python3 tests/VolumeMesh.Dicom.Tests/tools/make_expected_series.py ../shared/data/dicom \
        > tests/VolumeMesh.Dicom.Tests/Expected/series-hu.tsv

For each series folder: files sorted by Image Position (Patient) projected on the slice normal (row x column
of Image Orientation (Patient)); HU = stored value * Rescale Slope + Rescale Intercept, with voxels equal to
Pixel Padding Value set to -1024; the volume as little-endian int16 (x fastest, then y, then slice) is hashed
with SHA-256. Also printed: slice count, HU min and max, and the first and last slice positions.
"""
import glob, hashlib, os, sys
import numpy as np
import pydicom

SERIES = ["ge-head-tilt", "philips-phantom/S21570/S2030"]


def main(root):
    print("series\tslices\tmin\tmax\tfirst\tlast\tsha256")
    for name in SERIES:
        slices = []
        for f in sorted(glob.glob(os.path.join(root, name, "*"))):
            try:
                ds = pydicom.dcmread(f)
            except Exception:
                continue
            if "PixelData" not in ds:
                continue
            o = np.array([float(v) for v in ds.ImageOrientationPatient])
            n = np.cross(o[:3], o[3:])
            p = np.array([float(v) for v in ds.ImagePositionPatient])
            a = ds.pixel_array.astype(np.int32)
            hu = a * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0))
            hu = np.rint(hu)
            if "PixelPaddingValue" in ds:
                hu[a == int(ds.PixelPaddingValue)] = -1024
            slices.append((float(np.dot(p, n)), p, hu.astype("<i2")))
        slices.sort(key=lambda s: s[0])
        vol = np.stack([s[2] for s in slices])
        fmt = lambda p: ",".join(f"{v:.7f}" for v in p)
        print(f"{name}\t{len(slices)}\t{vol.min()}\t{vol.max()}\t{fmt(slices[0][1])}\t{fmt(slices[-1][1])}\t{hashlib.sha256(vol.tobytes()).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1])
