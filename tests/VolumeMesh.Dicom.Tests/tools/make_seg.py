#!/usr/bin/python3
"""Writes the DICOM Segmentation (SEG) test files and their oracles under Data/Seg, independently of VolumeMesh.

Run from the repository root with Debian's python3-pydicom 2.3.1 and python3-numpy (no highdicom):

    /usr/bin/python3 tests/VolumeMesh.Dicom.Tests/tools/make_seg.py

Output is deterministic (fixed seed, UIDs derived from names), so re-running reproduces the committed files.

What it writes (PS3.3 A.51 Segmentation IOD, C.8.20 Segmentation Image Module, C.7.6.16 functional groups):

* ge-binary.dcm — BINARY SEG over samples/ge-head-tilt-jpegll (512x512x28, 18.5 degree gantry tilt, uneven slice
  spacing): segment 1 "Lesion" (ellipsoid) and segment 2 "Box", which overlap on two slices. Only the slices a
  segment touches have frames, frames shuffled, shared Plane Orientation and Pixel Measures, per-frame Plane
  Position AND Derivation Image -> Source Image references (Referenced SOP Instance UID), deflated transfer syntax.
* ge-fractional.dcm — FRACTIONAL (PROBABILITY) SEG over the same CT, Maximum Fractional Value 200 (so 100/200 is
  exactly the 0.5 cut, 99/200 just below), two segments, per-frame Plane Orientation, no source references
  (frames are placed by position only), deflated.
* small-ct/ — a tiny synthetic CT series written here (7 columns x 5 rows x 6 slices: odd frame size, oblique
  orientation, tilted stack, uneven spacing) with small-ct/seg-binary-implicit.dcm beside its slices: BINARY,
  implicit VR little endian, 35-bit frames (so bit packing crosses byte boundaries between frames), shuffled,
  position-only, two overlapping segments.
* even-ct/ — a second synthetic series (9 x 8 x 7, oblique, tilted stack, EVEN spacing) with even-ct/even-seg-binary.dcm
  (BINARY, explicit VR, shuffled, references and positions), and even-ct-labels.nii.gz: the same label map as NIfTI-1
  written by nibabel (uint8, i fastest, sform = the series' LPS affine turned to RAS, qform code 0), so a NIfTI
  reader's mesh can be compared with the SEG reader's.
* enhanced-ct/ — one Enhanced CT file (4 frames out of spatial order, coronal) and enhanced-ct/mf-seg-binary.dcm,
  whose frames have no Plane Position: only Referenced SOP Instance UID + Referenced Frame Number place them.
* bad/ — SEG files over small-ct that a reader must refuse (one defect each; see BAD below).

Oracles, for each good SEG file X.dcm:
* X.labels.u8.gz (in Data/Seg, whatever folder X is in) — the expected label map, one byte per CT voxel (x fastest, then y, then slices sorted along the
  slice normal), 0 = background, else the segment number; where segments overlap the higher number wins. A voxel of
  a FRACTIONAL segment is in when value / Maximum Fractional Value >= 0.5 (tested here as 2 * value >= max).
* X.json — per segment: number, label, the sRGB colour the CIELab value was made from, voxel count, and the
  centroid and bounding box of the voxel centres in patient LPS mm, computed from each CT file's own Image Position
  (Patient), Image Orientation (Patient) and Pixel Spacing; and the centroid of the voxels' cells (each voxel standing
  for the slab between the midpoints to its neighbouring slices, weighted by its thickness), which is where the
  centroid of a mask's surface lies when slices are unevenly spaced.

Colours: sRGB (8 bit) -> linear -> XYZ (D65, IEC 61966-2-1 matrix) -> Bradford adaptation to D50 -> CIELab (D50
white) -> PS3.3 C.10.7.1.1 encoding (L* 0..100 and a*, b* -128..127 scaled to 0..65535).
"""
import gzip, json, os, sys
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid, ExplicitVRLittleEndian, ImplicitVRLittleEndian, DeflatedExplicitVRLittleEndian

SEG_CLASS = "1.2.840.10008.5.1.4.1.1.66.4"
CT_CLASS = "1.2.840.10008.5.1.4.1.1.2"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "tests", "VolumeMesh.Dicom.Tests", "Data", "Seg")
GE = os.path.join(ROOT, "samples", "ge-head-tilt-jpegll")


def uid(name):
    return generate_uid(entropy_srcs=["volumemesh-seg-tests", name])


def ds_text(v):
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# ---------------------------------------------------------------- colour
def srgb_to_lab_d50(rgb):
    c = np.array(rgb, dtype=float) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]])
    xyz65 = m @ lin
    bradford_65_to_50 = np.array([[1.0478112, 0.0228866, -0.0501270], [0.0295424, 0.9904844, -0.0170491],
                                  [-0.0092345, 0.0150436, 0.7521316]])
    xyz50 = bradford_65_to_50 @ xyz65
    white = np.array([0.96422, 1.0, 0.82521])
    t = xyz50 / white
    d = 6.0 / 29.0
    f = np.where(t > d ** 3, np.cbrt(t), t / (3 * d * d) + 4.0 / 29.0)
    return (116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2]))


def lab_encode(lab):
    l, a, b = lab
    return [int(round(l * 65535 / 100)), int(round((a + 128) * 65535 / 255)), int(round((b + 128) * 65535 / 255))]


# ---------------------------------------------------------------- CT
def load_ct(folder):
    slices = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        try:
            d = pydicom.dcmread(path, stop_before_pixels=True)
        except Exception:
            continue
        if d.get("SOPClassUID") != CT_CLASS:
            continue
        slices.append(d)
    o = np.array([float(v) for v in slices[0].ImageOrientationPatient])
    normal = np.cross(o[:3], o[3:])
    slices.sort(key=lambda d: float(np.dot([float(v) for v in d.ImagePositionPatient], normal)))
    return slices


def write_small_ct(folder, name="small-ct", cols=7, rows=5, steps=(0.0, 1.5, 3.0, 5.5, 8.0, 9.25)):
    os.makedirs(folder, exist_ok=True)
    c30, s30 = np.cos(np.radians(30)), np.sin(np.radians(30))
    c20, s20 = np.cos(np.radians(20)), np.sin(np.radians(20))
    row = np.array([c30, s30, 0.0])
    col = np.array([-s30 * c20, c30 * c20, -s20])
    normal = np.cross(row, col)
    origin = np.array([-12.5, 30.25, -40.0])
    series, study, frame = uid(name + "-series"), uid(name + "-study"), uid(name + "-for")
    order = list(np.random.default_rng(len(steps)).permutation(len(steps)))   # file names not in spatial order
    for n, k in enumerate(order):
        ds = Dataset()
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT_CLASS
        meta.MediaStorageSOPInstanceUID = uid(f"{name}-{k}")
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta = meta
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.SOPClassUID = CT_CLASS
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.Modality = "CT"
        ds.PatientID = "SEGTEST"
        ds.PatientName = "Seg^Test"
        ds.SeriesNumber = 1
        ds.InstanceNumber = k + 1
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        pos = origin + steps[k] * normal + 0.25 * steps[k] * row    # tilted stack: the slices shear along the row
        ds.ImagePositionPatient = [ds_text(v) for v in pos]
        ds.ImageOrientationPatient = [ds_text(v) for v in np.concatenate([row, col])]
        ds.PixelSpacing = ["1.3", "0.9"]                            # rows 1.3 mm apart, columns 0.9 mm apart
        ds.SliceThickness = "1"
        ds.Rows, ds.Columns = rows, cols
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope = "-1024", "1"
        ds.PixelData = (np.arange(rows * cols, dtype="<i2") * 10 + 100 * int(k)).tobytes()
        ds.save_as(os.path.join(folder, f"ct{n + 1:02d}.dcm"), write_like_original=False)


# ---------------------------------------------------------------- SEG
def seq(*items):
    return Sequence(list(items))


def item(**kw):
    d = Dataset()
    for k, v in kw.items():
        setattr(d, k, v)
    return d


def code(value, scheme, meaning):
    return item(CodeValue=value, CodingSchemeDesignator=scheme, CodeMeaning=meaning)


def write_seg(path, ct, segments, frames, seg_type, ts, max_frac=200, per_frame_orientation=False, refs=True,
              positions=True, defect=None):
    """frames: list of (segment number, slice index k, 2-D uint8 array [row j, column i]) in file order."""
    first = ct[0]
    rows, cols = int(first.Rows), int(first.Columns)
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SEG_CLASS
    meta.MediaStorageSOPInstanceUID = uid(path + "-sop")
    meta.TransferSyntaxUID = ts
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, ts == ImplicitVRLittleEndian
    ds.SOPClassUID = SEG_CLASS
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = first.StudyInstanceUID
    ds.SeriesInstanceUID = uid(path + "-series")
    ds.FrameOfReferenceUID = first.FrameOfReferenceUID
    ds.Modality = "SEG"
    ds.PatientID = first.get("PatientID", "")
    ds.PatientName = first.get("PatientName", "")
    ds.SeriesNumber = 300
    ds.InstanceNumber = 1
    ds.ContentLabel = "TEST"
    ds.ImageType = ["DERIVED", "PRIMARY"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows - 1 if defect == "rows" else rows
    ds.Columns = cols
    ds.PixelRepresentation = 0
    ds.LossyImageCompression = "00"
    ds.SegmentationType = seg_type
    if seg_type == "BINARY":
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 1, 1, 0
    else:
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
        ds.MaximumFractionalValue = max_frac
        ds.SegmentationFractionalType = "PROBABILITY"
    ds.NumberOfFrames = len(frames)
    ds.ReferencedSeriesSequence = seq(item(
        SeriesInstanceUID=first.SeriesInstanceUID,
        ReferencedInstanceSequence=Sequence([item(ReferencedSOPClassUID=s.SOPClassUID, ReferencedSOPInstanceUID=u)
                                             for u, s in {s.SOPInstanceUID: s for s in ct}.items()])))
    segs = []
    for number, label, rgb in segments:
        s = item(SegmentNumber=number, SegmentLabel=label, SegmentAlgorithmType="MANUAL")
        s.SegmentedPropertyCategoryCodeSequence = seq(code("91723000", "SCT", "Anatomical Structure"))
        s.SegmentedPropertyTypeCodeSequence = seq(code("272673000", "SCT", "Bone"))
        s.RecommendedDisplayCIELabValue = lab_encode(srgb_to_lab_d50(rgb))
        segs.append(s)
    ds.SegmentSequence = Sequence(segs)
    iop = [str(v) for v in first.ImageOrientationPatient]
    if defect == "orientation":
        iop = [ds_text(-float(v)) for v in iop[:3]] + iop[3:]
    spacing = [str(v) for v in first.PixelSpacing]
    if defect == "spacing":
        spacing = [spacing[0], ds_text(float(spacing[1]) * 1.1)]
    shared = item(PixelMeasuresSequence=seq(item(PixelSpacing=spacing, SliceThickness=str(first.get("SliceThickness", "1")))))
    if not per_frame_orientation:
        shared.PlaneOrientationSequence = seq(item(ImageOrientationPatient=iop))
    ds.SharedFunctionalGroupsSequence = seq(shared)
    per = []
    for f, (number, k, _) in enumerate(frames):
        src = ct[k]
        fg = item(FrameContentSequence=seq(item(DimensionIndexValues=[number, k + 1])))
        pos = [str(v) for v in src.ImagePositionPatient]        # the CT's own text, so positions match exactly
        if defect == "between" and f == 0:
            here = [float(v) for v in src.ImagePositionPatient]
            nxt = [float(v) for v in ct[k + 1].ImagePositionPatient]
            pos = [ds_text((a + b) / 2) for a, b in zip(here, nxt)]
        if defect == "disagree" and f == 0:
            pos = [str(v) for v in ct[k + 2].ImagePositionPatient]
        if positions and not (defect == "noposition" and f == 0):
            fg.PlanePositionSequence = seq(item(ImagePositionPatient=pos))
        if per_frame_orientation:
            fg.PlaneOrientationSequence = seq(item(ImageOrientationPatient=iop))
        if not (defect == "nosegmentid" and f == 1):
            fg.SegmentIdentificationSequence = seq(item(ReferencedSegmentNumber=3 if defect == "segnumber" and f == 0 else number))
        if refs and not (defect == "noposition" and f == 0):
            sop = uid("not-in-series") if defect == "unknown" and f == 0 else src.SOPInstanceUID
            source = item(ReferencedSOPClassUID=src.SOPClassUID, ReferencedSOPInstanceUID=sop,
                          PurposeOfReferenceCodeSequence=seq(code("121322", "DCM", "Source image for image processing operation")))
            if "frame_number" in src.__dict__:
                source.ReferencedFrameNumber = src.__dict__["frame_number"]      # a frame of a multi-frame source
            fg.DerivationImageSequence = seq(item(
                SourceImageSequence=seq(source),
                DerivationCodeSequence=seq(code("113076", "DCM", "Segmentation"))))
        per.append(fg)
    if defect == "framecount":
        per = per[:-1]
    ds.PerFrameFunctionalGroupsSequence = Sequence(per)
    if seg_type == "BINARY":
        bits = np.concatenate([a[: ds.Rows].astype(np.uint8).ravel() for _, _, a in frames])
        data = np.packbits(bits, bitorder="little").tobytes()
    else:
        data = b"".join(a.astype(np.uint8).tobytes() for _, _, a in frames)
    if defect == "truncated":
        data = data[: len(data) // 2]
    if len(data) % 2:
        data += b"\0"
    ds.PixelData = data
    ds["PixelData"].VR = "OB"
    ds.save_as(path, write_like_original=False)


def frames_of(masks, values=None):
    """One frame per (segment, slice) where the segment is present; masks: {number: bool[k, j, i]}."""
    out = []
    for number, m in masks.items():
        v = values[number] if values is not None else m
        for k in range(m.shape[0]):
            if v[k].any():
                out.append((number, k, v[k]))
    return out


def oracle(path, ct, segments, labels):
    stem = os.path.join(OUT, os.path.basename(path)[:-4])   # beside the SEG files' folder root, never inside a series folder
    with gzip.GzipFile(stem + ".labels.u8.gz", "wb", mtime=0) as f:
        f.write(labels.astype(np.uint8).tobytes())
    positions = [np.array([float(v) for v in s.ImagePositionPatient]) for s in ct]
    o = np.array([float(v) for v in ct[0].ImageOrientationPatient])
    normal = np.cross(o[:3], o[3:])
    # A voxel stands for the cell between the midpoints to its neighbouring slices (where a mask's surface runs), so with
    # uneven spacing its cell is off-centre along the stack and weighs by its thickness.
    cell_centre, cell_weight = [], []
    for k, p in enumerate(positions):
        lo = (positions[k - 1] + p) / 2 if k > 0 else p - (positions[k + 1] - p) / 2
        hi = (positions[k + 1] + p) / 2 if k + 1 < len(positions) else p + (p - positions[k - 1]) / 2
        cell_centre.append((lo + hi) / 2)
        cell_weight.append(abs(float(np.dot(hi - lo, normal))))
    info = []
    for number, label, rgb in segments:
        ks, js, is_ = np.nonzero(labels == number)
        pts, cells, weights = [], [], []
        for k, j, i in zip(ks, js, is_):
            s = ct[k]
            o = np.array([float(v) for v in s.ImageOrientationPatient])
            dy, dx = (float(v) for v in s.PixelSpacing)
            in_plane = i * dx * o[:3] + j * dy * o[3:]
            pts.append(positions[k] + in_plane)
            cells.append(cell_centre[k] + in_plane)
            weights.append(cell_weight[k])
        pts, cells, weights = np.array(pts), np.array(cells), np.array(weights)
        info.append({"number": number, "label": label, "rgb": list(rgb), "voxels": int(len(pts)),
                     "centroid": pts.mean(axis=0).tolist(),
                     "cellCentroid": (cells * weights[:, None]).sum(axis=0).__truediv__(weights.sum()).tolist(),
                     "min": pts.min(axis=0).tolist(), "max": pts.max(axis=0).tolist()})
    with open(stem + ".json", "w") as f:
        json.dump({"segments": info}, f, indent=1)
        f.write("\n")


def write_enhanced_ct(folder):
    """One Enhanced CT file, 5 x 3 pixels, 4 frames stored out of spatial order; returns per-frame pseudo slices sorted
    along the normal, each knowing its 1-based frame number in the file."""
    os.makedirs(folder, exist_ok=True)
    cls = "1.2.840.10008.5.1.4.1.1.2.1"
    z = [6.0, 0.0, 4.0, 2.0]                          # frame order in the file
    rows, cols = 3, 5
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = cls
    meta.MediaStorageSOPInstanceUID = uid("enhanced-ct")
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = cls, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = uid("enh-study"), uid("enh-series"), uid("enh-for")
    ds.Modality, ds.PatientID, ds.SeriesNumber, ds.InstanceNumber = "CT", "SEGTEST", 2, 1
    ds.Rows, ds.Columns, ds.NumberOfFrames = rows, cols, len(z)
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    iop = ["1", "0", "0", "0", "0", "-1"]              # coronal
    ds.SharedFunctionalGroupsSequence = seq(item(
        PixelMeasuresSequence=seq(item(PixelSpacing=["0.75", "0.5"], SliceThickness="2")),
        PlaneOrientationSequence=seq(item(ImageOrientationPatient=iop)),
        PixelValueTransformationSequence=seq(item(RescaleIntercept="-1024", RescaleSlope="1", RescaleType="HU"))))
    ds.PerFrameFunctionalGroupsSequence = Sequence([
        item(PlanePositionSequence=seq(item(ImagePositionPatient=["-3", ds_text(-v), "20"]))) for v in z])
    ds.PixelData = np.zeros(len(z) * rows * cols, "<i2").tobytes()
    ds.save_as(os.path.join(folder, "enhanced.dcm"), write_like_original=False)
    slices = []
    for f, v in enumerate(z):
        sl = item(SOPClassUID=cls, SOPInstanceUID=ds.SOPInstanceUID, StudyInstanceUID=ds.StudyInstanceUID,
                  SeriesInstanceUID=ds.SeriesInstanceUID, FrameOfReferenceUID=ds.FrameOfReferenceUID, PatientID="SEGTEST",
                  Rows=rows, Columns=cols, ImagePositionPatient=["-3", ds_text(-v), "20"], ImageOrientationPatient=iop,
                  PixelSpacing=["0.75", "0.5"], SliceThickness="2")
        sl.__dict__["frame_number"] = f + 1
        slices.append(sl)
    normal = np.cross([1, 0, 0], [0, 0, -1])
    slices.sort(key=lambda d: float(np.dot([float(v) for v in d.ImagePositionPatient], normal)))
    return slices


def write_nifti(path, ct, labels):
    import nibabel
    o = np.array([float(v) for v in ct[0].ImageOrientationPatient])
    dy, dx = (float(v) for v in ct[0].PixelSpacing)
    p0 = np.array([float(v) for v in ct[0].ImagePositionPatient])
    p1 = np.array([float(v) for v in ct[1].ImagePositionPatient])
    lps = np.eye(4)
    lps[:3, 0], lps[:3, 1], lps[:3, 2], lps[:3, 3] = o[:3] * dx, o[3:] * dy, p1 - p0, p0
    ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps          # NIfTI world space is RAS
    img = nibabel.Nifti1Image(np.ascontiguousarray(labels.transpose(2, 1, 0)).astype(np.uint8), ras)
    img.set_sform(ras, code=1)
    img.set_qform(None, code=0)                            # the tilted stack is sheared: only the sform can hold it
    img.header["descrip"] = b"labels of even-ct/even-seg-binary.dcm"
    nibabel.save(img, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(13)

    # ---- BINARY over the GE tilted series
    ct = load_ct(GE)
    nk, nj, ni = len(ct), int(ct[0].Rows), int(ct[0].Columns)
    k, j, i = np.meshgrid(np.arange(nk), np.arange(nj), np.arange(ni), indexing="ij")
    lesion = ((i - 200) / 40.0) ** 2 + ((j - 260) / 30.0) ** 2 + ((k - 8) / 3.5) ** 2 <= 1
    box = (i >= 230) & (i <= 300) & (j >= 240) & (j <= 290) & (k >= 10) & (k <= 16)
    assert (lesion & box).any()
    segments = [(1, "Lesion", (220, 60, 40)), (2, "Box", (60, 140, 230))]
    frames = frames_of({1: lesion, 2: box})
    frames = [frames[x] for x in rng.permutation(len(frames))]
    path = os.path.join(OUT, "ge-binary.dcm")
    write_seg(path, ct, segments, frames, "BINARY", DeflatedExplicitVRLittleEndian)
    labels = np.zeros((nk, nj, ni), np.uint8)
    labels[lesion] = 1
    labels[box] = 2                                  # the higher segment number wins
    oracle(path, ct, segments, labels)

    # ---- FRACTIONAL over the GE tilted series
    r = np.sqrt(((i - 300) / 35.0) ** 2 + ((j - 200) / 25.0) ** 2 + ((k - 20) / 4.0) ** 2)
    soft = np.clip(np.rint(200 * (1.0 - r)), 0, 200).astype(np.uint8)
    ring = np.zeros_like(soft)
    ring[18:23, 300:341, 150:191] = 150
    ring[18:23, 300:341, 150] = 99                   # just below the cut: 99/200 < 0.5
    ring[18:23, 300:341, 151] = 100                  # exactly the cut: 100/200 = 0.5 is in
    assert (soft == 100).any() and (soft == 99).any()
    segments = [(1, "Soft", (250, 250, 210)), (2, "Ring", (30, 200, 90))]
    frames = frames_of({1: soft > 0, 2: ring > 0}, {1: soft, 2: ring})
    frames = [frames[x] for x in rng.permutation(len(frames))]
    path = os.path.join(OUT, "ge-fractional.dcm")
    write_seg(path, ct, segments, frames, "FRACTIONAL", DeflatedExplicitVRLittleEndian, max_frac=200,
              per_frame_orientation=True, refs=False)
    labels = np.zeros((nk, nj, ni), np.uint8)
    labels[2 * soft.astype(int) >= 200] = 1
    labels[2 * ring.astype(int) >= 200] = 2
    oracle(path, ct, segments, labels)

    # ---- the small synthetic series, with a SEG in its folder
    small = os.path.join(OUT, "small-ct")
    write_small_ct(small)
    ct = load_ct(small)
    nk, nj, ni = len(ct), int(ct[0].Rows), int(ct[0].Columns)
    k, j, i = np.meshgrid(np.arange(nk), np.arange(nj), np.arange(ni), indexing="ij")
    a = (i >= 1) & (i <= 4) & (j >= 1) & (j <= 3) & (k >= 1) & (k <= 3)
    b = (i >= 3) & (i <= 5) & (j >= 2) & (j <= 3) & (k >= 3) & (k <= 4)
    b[4, 1, 2] = True
    segments = [(1, "Left", (255, 0, 0)), (2, "Right", (255, 255, 255))]
    frames = frames_of({1: a, 2: b})
    frames = [frames[x] for x in rng.permutation(len(frames))]
    path = os.path.join(small, "seg-binary-implicit.dcm")
    write_seg(path, ct, segments, frames, "BINARY", ImplicitVRLittleEndian, refs=False)
    labels = np.zeros((nk, nj, ni), np.uint8)
    labels[a] = 1
    labels[b] = 2
    oracle(path, ct, segments, labels)

    # ---- an evenly spaced tilted series (a NIfTI affine can hold it: shear, no uneven steps), its SEG, and the same
    #      label map as NIfTI-1 (nibabel, RAS sform) for comparing a NIfTI reader with the SEG reader
    even = os.path.join(OUT, "even-ct")
    write_small_ct(even, "even-ct", cols=9, rows=8, steps=[2.5 * x for x in range(7)])
    ct_even = load_ct(even)
    nk, nj, ni = len(ct_even), int(ct_even[0].Rows), int(ct_even[0].Columns)
    k, j, i = np.meshgrid(np.arange(nk), np.arange(nj), np.arange(ni), indexing="ij")
    c = ((i - 3.5) / 2.6) ** 2 + ((j - 4) / 2.2) ** 2 + ((k - 3) / 1.8) ** 2 <= 1
    d = (i >= 5) & (i <= 7) & (j >= 2) & (j <= 5) & (k >= 2) & (k <= 4) & ~c
    segments_even = [(1, "Round", (241, 214, 145)), (2, "Block", (170, 176, 186))]
    frames = frames_of({1: c, 2: d})
    frames = [frames[x] for x in rng.permutation(len(frames))]
    path = os.path.join(even, "even-seg-binary.dcm")
    write_seg(path, ct_even, segments_even, frames, "BINARY", ExplicitVRLittleEndian)
    labels = np.zeros((nk, nj, ni), np.uint8)
    labels[c] = 1
    labels[d] = 2
    oracle(path, ct_even, segments_even, labels)
    write_nifti(os.path.join(OUT, "even-ct-labels.nii.gz"), ct_even, labels)

    # ---- a SEG over a multi-frame (Enhanced CT) source: placed only by Referenced SOP Instance UID + Referenced Frame Number
    enhanced = os.path.join(OUT, "enhanced-ct")
    ct_mf = write_enhanced_ct(enhanced)
    nk, nj, ni = len(ct_mf), int(ct_mf[0].Rows), int(ct_mf[0].Columns)
    k, j, i = np.meshgrid(np.arange(nk), np.arange(nj), np.arange(ni), indexing="ij")
    e = (i >= 1) & (i <= 3) & (j >= 1) & (k >= 1) & (k <= 2)
    f2 = (i == 4) & (j == 0) & (k >= 1)
    segments_mf = [(1, "Core", (200, 40, 40)), (2, "Edge", (40, 40, 200))]
    frames = frames_of({1: e, 2: f2})
    frames = [frames[x] for x in rng.permutation(len(frames))]
    path = os.path.join(enhanced, "mf-seg-binary.dcm")
    write_seg(path, ct_mf, segments_mf, frames, "BINARY", ExplicitVRLittleEndian, positions=False)
    labels = np.zeros((nk, nj, ni), np.uint8)
    labels[e] = 1
    labels[f2] = 2
    oracle(path, ct_mf, segments_mf, labels)

    # ---- files to refuse (small-ct, explicit VR, BINARY with references and positions)
    bad = os.path.join(OUT, "bad")
    os.makedirs(bad, exist_ok=True)
    for defect, refs, positions in [("truncated", True, True), ("nosegmentid", True, True), ("noposition", True, True),
                                    ("rows", True, True), ("orientation", True, True), ("spacing", True, True),
                                    ("between", False, True), ("unknown", True, True), ("segnumber", True, True),
                                    ("framecount", True, True), ("disagree", True, True)]:
        write_seg(os.path.join(bad, f"{defect}.dcm"), ct, segments, frames_of({1: a, 2: b}), "BINARY", ExplicitVRLittleEndian,
                  refs=refs, positions=positions, defect=defect)


if __name__ == "__main__":
    main()
