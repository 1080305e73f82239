#!/usr/bin/python3
"""Generates Expected/single-pixels.tsv, the independent oracle for DicomPixelDecodingTests.

Run once with Debian's python3-pydicom 2.3.1 (+ python3-numpy, python3-pil for JPEG 2000) and
dcmtk 3.6.7 (dcmdjpeg, dcmdjpls, dcmdrle, dcmconv):

    /usr/bin/python3 tests/VolumeMesh.Dicom.Tests/tools/make_expected.py ../shared/data/dicom/single \
        > tests/VolumeMesh.Dicom.Tests/Expected/single-pixels.tsv

For every monochrome (or RGB native/RLE) image file, compressed files are first decompressed to
explicit VR little endian with dcmtk (JPEG, JPEG-LS, RLE; JPEG 2000 is decoded by pydicom through
Pillow/OpenJPEG), then pydicom's pixel_array gives the stored values. Each value is masked to Bits
Stored and sign-extended when Pixel Representation is 1; lossless files are recorded as the SHA-256
of those values as little-endian int64 (all frames, samples interleaved), lossy files as a 16x16
grid of values sampled from frame 0, sample 0 (compared with a tolerance).
"""
import glob, hashlib, os, subprocess, sys, tempfile
import numpy as np
import pydicom

LOSSLESS = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
            "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90"}
DCMTK = {"1.2.840.10008.1.2.4.50": "dcmdjpeg", "1.2.840.10008.1.2.4.51": "dcmdjpeg",
         "1.2.840.10008.1.2.4.57": "dcmdjpeg", "1.2.840.10008.1.2.4.70": "dcmdjpeg",
         "1.2.840.10008.1.2.4.80": "dcmdjpls", "1.2.840.10008.1.2.4.81": "dcmdjpls",
         "1.2.840.10008.1.2.5": "dcmdrle"}


def canonical(arr, ds):
    a = arr.astype(np.int64)
    bs = int(ds.BitsStored)
    a &= (1 << bs) - 1
    if int(ds.PixelRepresentation) == 1:
        a = np.where(a >= (1 << (bs - 1)), a - (1 << bs), a)
    return a


def main(folder):
    print("file\tframes\trows\tcolumns\tsamples\tkind\tvalue")
    tmp = tempfile.mkdtemp()
    for path in sorted(glob.glob(os.path.join(folder, "*.dcm"))):
        name = os.path.basename(path)
        try:
            ds = pydicom.dcmread(path)
            ts = str(ds.file_meta.TransferSyntaxUID)
        except Exception:
            continue
        if "PixelData" not in ds or "BitsStored" not in ds:
            continue
        photometric = str(ds.get("PhotometricInterpretation", ""))
        tool = DCMTK.get(ts)
        if photometric not in ("MONOCHROME1", "MONOCHROME2") and not (photometric == "RGB" and ts in (
                "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5")):
            continue
        try:
            src = ds
            if tool:
                out = os.path.join(tmp, name)
                subprocess.run([tool, path, out], check=True, capture_output=True)
                src = pydicom.dcmread(out)
            arr = src.pixel_array
        except Exception as e:
            print(f"# {name}: skipped ({str(e)[:60]})", file=sys.stderr)
            continue
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        rows, cols, spp = int(ds.Rows), int(ds.Columns), int(ds.SamplesPerPixel)
        a = canonical(arr, ds).reshape(frames, rows, cols, spp)
        if ts in LOSSLESS:
            value = hashlib.sha256(a.astype("<i8").tobytes()).hexdigest()
            kind = "sha256"
        else:
            ys = np.linspace(0, rows - 1, 16).astype(int)
            xs = np.linspace(0, cols - 1, 16).astype(int)
            value = ",".join(str(int(v)) for v in a[0][np.ix_(ys, xs)][:, :, 0].ravel())
            kind = "grid16"
        print(f"{name}\t{frames}\t{rows}\t{cols}\t{spp}\t{kind}\t{value}")


if __name__ == "__main__":
    main(sys.argv[1])
