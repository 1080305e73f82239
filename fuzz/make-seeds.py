#!/usr/bin/python3
"""Writes the seed corpora under fuzz/corpus/TARGET (each file a few KB).

Sources: small public files from ../shared/data/dicom/single (pydicom's and GDCM's test files), cropped to a few pixels
where they are larger, re-encoded with DCMTK (dcmcjpeg, dcmcjpls, dcmcrle, dcmmkdir) where a small stream of a codec
is missing, and NRRD/STL files written here. Needs Debian's python3-pydicom, python3-numpy and dcmtk.
Codec seeds use CodecTarget's layout: rows, columns (uint16 LE), bits stored, flags (bit 0 RGB, bit 1 signed), stream.
"""
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SINGLE = os.path.join(ROOT, "..", "shared", "data", "dicom", "single")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
SEPARATOR = b"@@VMFUZZ@@"


def out(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def crop(src, dst, size, frames=1):
    """A native explicit-VR-LE copy of src with its first frame cropped to size×size."""
    ds = pydicom.dcmread(src)
    arr = ds.pixel_array
    if getattr(ds, "NumberOfFrames", 1) and int(getattr(ds, "NumberOfFrames", 1)) > 1:
        arr = arr[0]
    arr = np.ascontiguousarray(arr[:size, :size])
    ds.Rows, ds.Columns = arr.shape[0], arr.shape[1]
    for tag in ("NumberOfFrames", "FrameIncrementPointer"):
        if tag in ds:
            delattr(ds, tag)
    ds.PixelData = arr.tobytes()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(dst, write_like_original=False)
    return ds


def codec_seed(path, frame=0):
    ds = pydicom.dcmread(path)
    nframes = int(getattr(ds, "NumberOfFrames", 1) or 1)
    stream = list(generate_pixel_data_frame(ds.PixelData, nframes))[frame]
    flags = (1 if ds.SamplesPerPixel == 3 else 0) | (2 if ds.PixelRepresentation == 1 else 0)
    return struct.pack("<HHBB", ds.Rows, ds.Columns, ds.BitsStored, flags) + stream


def dcmtk(tool, args, src, dst):
    subprocess.run([tool, *args, src, dst], check=True, stdout=subprocess.DEVNULL)


def main():
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    tmp = tempfile.mkdtemp()
    try:
        mr16 = os.path.join(tmp, "mr16.dcm")
        crop(os.path.join(SINGLE, "MR_small.dcm"), mr16, 16)
        ct12 = os.path.join(tmp, "ct12.dcm")
        crop(os.path.join(SINGLE, "CT_small.dcm"), ct12, 12)
        enc = {}
        for name, tool, args in [
            ("jpegll", "dcmcjpeg", ["+e1"]),
            ("jpegls", "dcmcjpls", []),
            ("rle", "dcmcrle", []),
        ]:
            enc[name] = os.path.join(tmp, f"mr16-{name}.dcm")
            dcmtk(tool, args, mr16, enc[name])
        # An 8-bit grey image for baseline JPEG.
        grey8 = os.path.join(tmp, "grey8.dcm")
        ds = pydicom.dcmread(mr16)
        arr8 = (ds.pixel_array.astype(np.int32) >> 4).clip(0, 255).astype(np.uint8)
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.PixelData = arr8.tobytes()
        ds.save_as(grey8, write_like_original=False)
        enc["jpeg"] = os.path.join(tmp, "grey8-jpeg.dcm")
        dcmtk("dcmcjpeg", ["+eb"], grey8, enc["jpeg"])
        enc["jpeg12"] = os.path.join(tmp, "mr16-jpeg12.dcm")
        dcmtk("dcmcjpeg", ["+ee"], ct12, enc["jpeg12"])

        # dicom: whole files, every transfer syntax family.
        for name in ["empty_charset_LEI.dcm", "ExplVR_BigEndNoMeta.dcm", "nested_priv_SQ.dcm", "SC_rgb_small_odd.dcm",
                     "rtdose_1frame.dcm", "SC_rgb_rle.dcm", "SC_rgb_small_odd_jpeg.dcm", "JPEG2000.dcm", "UN_sequence.dcm"]:
            out("dicom", name, open(os.path.join(SINGLE, name), "rb").read())
        out("dicom", "ct12.dcm", open(ct12, "rb").read())
        with open(mr16, "rb") as f:
            out("dicom", "mr16-deflate.dcm.gz", gzip.compress(f.read(), mtime=0))
        for name, path in enc.items():
            out("dicom", f"mr16-{name}.dcm", open(path, "rb").read())

        # Codec streams.
        out("rle", "mr16.bin", codec_seed(enc["rle"]))
        out("rle", "rgb8.bin", codec_seed(os.path.join(SINGLE, "SC_rgb_rle.dcm")))
        out("rle", "rgb16.bin", codec_seed(os.path.join(SINGLE, "SC_rgb_rle_16bit.dcm")))
        out("rle", "dose32.bin", codec_seed(os.path.join(SINGLE, "rtdose_rle_1frame.dcm")))
        out("jpegll", "mr16.bin", codec_seed(enc["jpegll"]))
        out("jpeg", "grey8.bin", codec_seed(enc["jpeg"]))
        out("jpeg", "ct12-extended.bin", codec_seed(enc["jpeg12"]))
        out("jpeg", "rgb-odd.bin", codec_seed(os.path.join(SINGLE, "SC_rgb_small_odd_jpeg.dcm")))
        out("jpegls", "mr16.bin", codec_seed(enc["jpegls"]))
        out("j2k", "j2k.bin", codec_seed(os.path.join(SINGLE, "JPEG2000.dcm")))
        out("j2k", "mr-lossless.bin", codec_seed(os.path.join(SINGLE, "MR_small_jp2klossless.dcm")))

        # dicomdir: DCMTK's DICOMDIR for one small image at IMAGES/IM1 (where DicomDirTarget puts its image).
        d = os.path.join(tmp, "dd")
        os.makedirs(os.path.join(d, "IMAGES"))
        shutil.copy(ct12, os.path.join(d, "IMAGES", "IM1"))
        subprocess.run(["dcmmkdir", "--recurse", "--invent", "IMAGES"], cwd=d, check=True, stdout=subprocess.DEVNULL)
        out("dicomdir", "DICOMDIR", open(os.path.join(d, "DICOMDIR"), "rb").read())

        # series: three 12×12 CT slices, 2.5 mm apart, separated as SeriesTarget splits them.
        slices = []
        for k in range(3):
            ds = pydicom.dcmread(ct12)
            ds.ImagePositionPatient = [-10.0, -10.0, 2.5 * k]
            ds.InstanceNumber = k + 1
            ds.SOPInstanceUID = f"1.2.826.0.1.3680043.8.498.1.{k + 1}"
            p = os.path.join(tmp, f"s{k}.dcm")
            ds.save_as(p, write_like_original=False)
            slices.append(open(p, "rb").read())
        out("series", "three-slices.bin", SEPARATOR.join(slices))

        # nrrd: raw, gzip and ascii attached data with patient geometry.
        vox = np.arange(24, dtype="<i2").reshape(2, 3, 4)
        head = ("NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: 4 3 2\n"
                "space directions: (0.5,0,0) (0,0.5,0) (0,0,2.5)\nspace origin: (-10,-20,30)\n"
                "endian: little\nencoding: {enc}\n\n")
        out("nrrd", "raw.nrrd", head.format(enc="raw").encode() + vox.tobytes())
        out("nrrd", "gzip.nrrd", head.format(enc="gzip").encode() + gzip.compress(vox.tobytes(), mtime=0))
        out("nrrd", "ascii.nrrd", head.format(enc="ascii").encode() + " ".join(map(str, vox.ravel())).encode() + b"\n")
        out("nrrd", "float-big.nrrd", b"NRRD0004\ntype: float\ndimension: 3\nsizes: 2 2 1\nspacings: 1 1 1\n"
            b"endian: big\nencoding: raw\n\n" + np.arange(4, dtype=">f4").tobytes())

        # stl: a tetrahedron, binary and ASCII.
        v = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)]
        tris = [(0, 2, 1), (0, 1, 3), (0, 3, 2), (1, 2, 3)]
        binary = b"SPACE=LPS".ljust(80, b" ") + struct.pack("<I", len(tris))
        ascii_lines = ["solid tet"]
        for a, b, c in tris:
            binary += struct.pack("<3f", 0, 0, 0) + b"".join(struct.pack("<3f", *v[i]) for i in (a, b, c)) + b"\0\0"
            ascii_lines += ["facet normal 0 0 0", " outer loop"] + [f"  vertex {x} {y} {z}" for x, y, z in (v[a], v[b], v[c])] + [" endloop", "endfacet"]
        ascii_lines.append("endsolid tet")
        out("stl", "tet-binary.stl", binary)
        out("stl", "tet-ascii.stl", ("\n".join(ascii_lines) + "\n").encode())

        # nifti, seg: small files the tests ship (label maps written by nibabel; a SEG written by make_seg.py).
        labelmaps = os.path.join(ROOT, "tests", "VolumeMesh.Tests", "Data", "LabelMaps")
        for name in ("ras_sform.nii", "qform_only.nii", "nifti2_scaled.nii"):
            with open(os.path.join(labelmaps, name), "rb") as f:
                out("nifti", name, f.read())
        with open(os.path.join(ROOT, "tests", "VolumeMesh.Dicom.Tests", "Data", "Seg", "small-ct", "seg-binary-implicit.dcm"), "rb") as f:
            out("seg", "seg-binary-implicit.dcm", f.read())

        # 3mf, glb, ply, obj: the tetrahedron as two coloured parts, written by our own writers (volumemesh combine).
        tet = os.path.join(CORPUS, "stl", "tet-binary.stl")
        for target, name in (("3mf", "tet.3mf"), ("glb", "tet.glb"), ("ply", "tet.ply"), ("obj", "tet.obj")):
            folder = os.path.join(tmp, target)
            os.makedirs(folder, exist_ok=True)
            subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(ROOT, "src", "VolumeMesh.Cli"), "--",
                            "combine", f"{tet}:bone", f"{tet}:implant:#AAB0BA", "-o", os.path.join(folder, name)], check=True)
            for written in sorted(os.listdir(folder)):
                with open(os.path.join(folder, written), "rb") as f:
                    out(target, written, f.read())
        with open(os.path.join(tmp, "ply", "ascii.ply"), "wb") as f:
            f.write(b"ply\nformat ascii 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\n"
                    b"element face 4\nproperty list uchar int vertex_indices\nend_header\n"
                    + b"".join(f"{x} {y} {z}\n".encode() for x, y, z in v) + b"".join(f"3 {a} {b} {c}\n".encode() for a, b, c in tris))
        with open(os.path.join(tmp, "ply", "ascii.ply"), "rb") as f:
            out("ply", "tet-ascii.ply", f.read())
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
