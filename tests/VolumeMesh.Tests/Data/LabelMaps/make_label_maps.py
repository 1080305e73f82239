#!/usr/bin/python3
"""Writes the small synthetic label maps the label-map tests read, with Debian's python3-nibabel as the independent writer.

Run from this folder: /usr/bin/python3 make_label_maps.py
Every file holds the same 16 x 14 x 12 label map (i fastest on disk):
  label 1: i 2..6,  j 3..8,  k 2..7   (a block)
  label 2: i 7..11, j 3..8,  k 2..7   (touches label 1 on the face between i = 6 and 7)
  label 3: i 2..11, j 9..11, k 2..7   (touches both: a three-label junction along i = 6.5, j = 8.5)
  label 5: i 13..14, j 1..2, k 9..10  (apart)
expected.json records, per file, the RAS affine nibabel itself reads back (img.affine: its own sform/qform choice),
which the tests use as the oracle for where the meshes must land.
"""
import json
import math

import nibabel as nib
import numpy as np

shape = (16, 14, 12)
labels = np.zeros(shape, dtype=np.int16)
labels[2:7, 3:9, 2:8] = 1
labels[7:12, 3:9, 2:8] = 2
labels[2:12, 9:12, 2:8] = 3
labels[13:15, 1:3, 9:11] = 5


def rot(axis, degrees):
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    m = np.eye(3)
    a, b = [(1, 2), (0, 2), (0, 1)][axis]
    m[a, a], m[a, b], m[b, a], m[b, b] = c, -s, s, c
    return m


def affine(rotation, spacing, origin):
    a = np.eye(4)
    a[:3, :3] = rotation @ np.diag(spacing)
    a[:3, 3] = origin
    return a


expected = {}


def record(name):
    img = nib.load(name)
    back = np.asarray(img.dataobj)
    assert np.array_equal(np.round(img.get_fdata()).astype(np.int32), labels.astype(np.int32)), name
    expected[name] = {"affineRas": img.affine.tolist(), "dtype": str(back.dtype)}


# 1. RAS affine (sform and qform both set, code 1), int16.
ras = affine(np.eye(3), (0.8, 1.2, 2.0), (10.0, -20.0, 30.0))
nib.save(nib.Nifti1Image(labels, ras), "ras_sform.nii")
record("ras_sform.nii")

# 2. An LPS-oriented grid: i runs to the patient's right... no: toward L is -x in RAS, so i points -x, j points -y. uint8, gzipped.
lps = affine(np.diag([-1.0, -1.0, 1.0]), (0.8, 1.2, 2.0), (50.0, 60.0, -5.0))
nib.save(nib.Nifti1Image(labels.astype(np.uint8), lps), "lps_affine.nii.gz")
record("lps_affine.nii.gz")

# 3. qform only (sform_code 0), rotated, with a left-handed grid so qfac = -1.
q = affine(rot(2, 30) @ rot(0, 10), (0.9, 1.1, 1.7), (-12.0, 8.0, 40.0)) @ np.diag([1.0, 1.0, -1.0, 1.0])
img = nib.Nifti1Image(labels, None)
img.set_qform(q, code=1)
img.set_sform(None, code=0)
nib.save(img, "qform_only.nii")
record("qform_only.nii")
assert nib.load("qform_only.nii").header["qform_code"] == 1 and nib.load("qform_only.nii").header["sform_code"] == 0
assert nib.load("qform_only.nii").header["pixdim"][0] == -1

# 4. Oblique sform (code 2) that must win over a different qform (code 1); gzipped.
oblique = affine(rot(0, 20) @ rot(1, 15) @ rot(2, -25), (0.7, 0.7, 1.5), (3.0, -4.0, 5.0))
img = nib.Nifti1Image(labels, None)
img.set_qform(affine(np.eye(3), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)), code=1)
img.set_sform(oblique, code=2)
nib.save(img, "oblique_sform.nii.gz")
record("oblique_sform.nii.gz")

# 5. A NIfTI-1 .hdr/.img pair, big-endian int32.
# nibabel saves in native order, so the header is byte-swapped with nibabel's own Nifti1Header.as_byteswapped and the
# voxels written big-endian beside it.
nib.save(nib.Nifti1Pair(labels.astype(np.int32), ras), "pair_bigendian.hdr")
swapped = nib.load("pair_bigendian.hdr").header.as_byteswapped(">")
with open("pair_bigendian.hdr", "wb") as f:
    swapped.write_to(f)
with open("pair_bigendian.img", "wb") as f:
    f.write(labels.astype(">i4").tobytes(order="F"))
record("pair_bigendian.hdr")
assert nib.load("pair_bigendian.hdr").header.endianness == ">"

# 6. NIfTI-2, int16 stored as 2 * label + 2 with scl_slope 0.5, scl_inter -1 (patched into the header: nibabel sets its
#    own scaling on save), oblique sform.
img = nib.Nifti2Image((labels * 2 + 2).astype(np.int16), oblique)
nib.save(img, "nifti2_scaled.nii")
with open("nifti2_scaled.nii", "r+b") as f:
    f.seek(176)
    f.write(np.array([0.5, -1.0], dtype="<f8").tobytes())
record("nifti2_scaled.nii")
assert nib.load("nifti2_scaled.nii").header.sizeof_hdr == 540

# 7. The same map as NRRD (int16, raw, LPS space directions), written by hand.
lps_dirs = np.diag([-1.0, -1.0, 1.0]) @ ras[:3, :3]
lps_origin = np.diag([-1.0, -1.0, 1.0]) @ ras[:3, 3]
with open("labels.nrrd", "wb") as f:
    fmt = lambda v: "(" + ",".join(repr(float(x)) for x in v) + ")"
    f.write(("NRRD0004\ntype: int16\ndimension: 3\nspace: left-posterior-superior\nsizes: 16 14 12\n"
             f"space directions: {fmt(lps_dirs[:, 0])} {fmt(lps_dirs[:, 1])} {fmt(lps_dirs[:, 2])}\n"
             f"endian: little\nencoding: raw\nspace origin: {fmt(lps_origin)}\n\n").encode())
    f.write(labels.astype("<i2").tobytes(order="F"))
expected["labels.nrrd"] = {"affineRas": ras.tolist(), "dtype": "int16"}

# Label tables in the three text forms (ids 1, 2, 3, 5).
names = {1: "vertebra_L1", 2: "vertebra_L2", 3: "sacrum", 5: "femur_left"}
colors = {1: (230, 192, 138), 2: (200, 120, 90), 3: (120, 200, 90), 5: (90, 120, 200)}
with open("labels.json", "w") as f:
    json.dump({"labels": [{"id": i, "name": n, "color": "#%02X%02X%02X" % colors[i]} for i, n in names.items()]}, f, indent=1)
with open("labels.ctbl", "w") as f:
    f.write("# 3D Slicer colour table: id name r g b a\n0 background 0 0 0 0\n")
    for i, n in names.items():
        f.write("%d %s %d %d %d 255\n" % ((i, n) + colors[i]))
with open("labels_itksnap.txt", "w") as f:
    f.write("# ITK-SNAP Label Description File\n#  IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL\n")
    f.write('    0     0    0    0        0  0  0    "Clear Label"\n')
    for i, n in names.items():
        f.write('  %3d   %3d  %3d  %3d        1  1  1    "%s"\n' % ((i,) + colors[i] + (n.replace("_", " "),)))

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
