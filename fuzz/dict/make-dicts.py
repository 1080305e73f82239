#!/usr/bin/python3
"""Writes the AFL dictionaries fuzz/dict/*.dict: DICOM tags and VRs, codec markers, NRRD fields, STL keywords."""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))


def esc(b):
    return "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\x%02X" % c for c in b)


def tag(g, e, vr=None):
    b = bytes([g & 255, g >> 8, e & 255, e >> 8])
    return b + (vr.encode() if vr else b"")


def write(name, header, entries):
    with open(os.path.join(HERE, name + ".dict"), "w") as f:
        f.write(header)
        seen = set()
        for k, v in entries:
            if v in seen:
                continue
            seen.add(v)
            f.write(f'{re.sub("[^A-Za-z0-9_]", "_", k)}="{esc(v)}"\n')


tags = {
    "meta_length": (0x0002, 0x0000, "UL"), "transfer_syntax": (0x0002, 0x0010, "UI"), "media_sop": (0x0002, 0x0002, "UI"),
    "specific_charset": (0x0008, 0x0005, "CS"), "modality": (0x0008, 0x0060, "CS"), "image_type": (0x0008, 0x0008, "CS"),
    "study_uid": (0x0020, 0x000D, "UI"), "series_uid": (0x0020, 0x000E, "UI"), "instance_number": (0x0020, 0x0013, "IS"),
    "position": (0x0020, 0x0032, "DS"), "orientation": (0x0020, 0x0037, "DS"), "frame_of_ref": (0x0020, 0x0052, "UI"),
    "slice_thickness": (0x0018, 0x0050, "DS"), "gantry_tilt": (0x0018, 0x1120, "DS"),
    "samples": (0x0028, 0x0002, "US"), "photometric": (0x0028, 0x0004, "CS"), "frames": (0x0028, 0x0008, "IS"),
    "planar": (0x0028, 0x0006, "US"), "rows": (0x0028, 0x0010, "US"), "columns": (0x0028, 0x0011, "US"),
    "pixel_spacing": (0x0028, 0x0030, "DS"), "bits_allocated": (0x0028, 0x0100, "US"), "bits_stored": (0x0028, 0x0101, "US"),
    "high_bit": (0x0028, 0x0102, "US"), "pixel_rep": (0x0028, 0x0103, "US"), "rescale_intercept": (0x0028, 0x1052, "DS"),
    "rescale_slope": (0x0028, 0x1053, "DS"), "pixel_padding": (0x0028, 0x0120, "US"),
    "shared_groups": (0x5200, 0x9229, "SQ"), "per_frame_groups": (0x5200, 0x9230, "SQ"), "plane_position_seq": (0x0020, 0x9113, "SQ"),
    "plane_orientation_seq": (0x0020, 0x9116, "SQ"), "pixel_measures_seq": (0x0028, 0x9110, "SQ"),
    "dir_record_seq": (0x0004, 0x1220, "SQ"), "record_type": (0x0004, 0x1430, "CS"), "ref_file_id": (0x0004, 0x1500, "CS"),
    "next_record": (0x0004, 0x1400, "UL"), "first_child": (0x0004, 0x1420, "UL"), "first_root": (0x0004, 0x1200, "UL"),
    "pixel_data_ob": (0x7FE0, 0x0010, "OB"), "pixel_data_ow": (0x7FE0, 0x0010, "OW"), "extended_offsets": (0x7FE0, 0x0001, "OV"),
}
entries = [("magic", b"DICM"), ("undefined_length", b"\xFF\xFF\xFF\xFF"), ("item", b"\xFE\xFF\x00\xE0"),
           ("item_end", b"\xFE\xFF\x0D\xE0"), ("sequence_end", b"\xFE\xFF\xDD\xE0"), ("gzip", b"\x1F\x8B\x08")]
for name, (g, e, vr) in tags.items():
    entries.append((name, tag(g, e, vr)))
    entries.append((name + "_implicit", tag(g, e)))
    entries.append((name + "_be", bytes([g >> 8, g & 255, e >> 8, e & 255])))
for vr in "AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV".split():
    long_form = vr in ("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV")
    entries.append(("vr_" + vr, vr.encode() + (b"\x00\x00" if long_form else b"")))
for name, uid in [("implicit_le", "1.2.840.10008.1.2"), ("explicit_le", "1.2.840.10008.1.2.1"), ("deflated", "1.2.840.10008.1.2.1.99"),
                  ("explicit_be", "1.2.840.10008.1.2.2"), ("jpeg_baseline", "1.2.840.10008.1.2.4.50"),
                  ("jpeg_extended", "1.2.840.10008.1.2.4.51"), ("jpeg_lossless", "1.2.840.10008.1.2.4.57"),
                  ("jpeg_lossless_sv1", "1.2.840.10008.1.2.4.70"), ("jpegls_lossless", "1.2.840.10008.1.2.4.80"),
                  ("jpegls_near", "1.2.840.10008.1.2.4.81"), ("j2k_lossless", "1.2.840.10008.1.2.4.90"),
                  ("j2k", "1.2.840.10008.1.2.4.91"), ("rle", "1.2.840.10008.1.2.5"), ("ct_storage", "1.2.840.10008.5.1.4.1.1.2"),
                  ("enhanced_ct", "1.2.840.10008.5.1.4.1.1.2.1"), ("dicomdir_class", "1.2.840.10008.1.3.10")]:
    entries.append(("ts_" + name, uid.encode() + b"\x00"))
for word in ["MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422", "YBR_RCT", "YBR_ICT", "PALETTE COLOR",
             "CT", "MR", "PT", "ORIGINAL\\PRIMARY\\AXIAL", "LOCALIZER", "PATIENT", "STUDY", "SERIES", "IMAGE",
             "ISO_IR 100", "ISO_IR 192", "IMAGES\\IM1", "1\\0\\0\\0\\1\\0", "0\\0\\0", "1\\1", "-1024", "1", "0.5", "1e308", "NaN"]:
    entries.append(("text_" + esc(word.encode()).replace("\\", "_"), word.encode()))
entries.append(("series_separator", b"@@VMFUZZ@@"))
write("dicom", "# DICOM: magic, tags (explicit LE with VR, implicit, big endian), VRs, transfer syntax UIDs, values; written by fuzz/dict/make-dicts.py\n", entries)

codec = [("soi", b"\xFF\xD8"), ("eoi", b"\xFF\xD9"), ("sof0", b"\xFF\xC0"), ("sof1", b"\xFF\xC1"), ("sof2", b"\xFF\xC2"),
         ("sof3", b"\xFF\xC3"), ("dht", b"\xFF\xC4"), ("dqt", b"\xFF\xDB"), ("dri", b"\xFF\xDD"), ("sos", b"\xFF\xDA"),
         ("rst0", b"\xFF\xD0"), ("app0", b"\xFF\xE0"), ("app14", b"\xFF\xEEAdobe"), ("sof55", b"\xFF\xF7"), ("lse", b"\xFF\xF8"),
         ("j2k_soc_siz", b"\xFF\x4F\xFF\x51"), ("j2k_cod", b"\xFF\x52"), ("j2k_coc", b"\xFF\x53"), ("j2k_qcd", b"\xFF\x5C"),
         ("j2k_sot", b"\xFF\x90"), ("j2k_sod", b"\xFF\x93"), ("jp2_signature", b"\x00\x00\x00\x0CjP  \x0D\x0A\x87\x0A"),
         ("jp2_ihdr", b"ihdr"), ("jp2_jp2c", b"jp2c"), ("rle_one_segment", b"\x01\x00\x00\x00\x40\x00\x00\x00"),
         ("rle_three_segments", b"\x03\x00\x00\x00\x40\x00\x00\x00"), ("rle_run", b"\x81"), ("rle_literal", b"\x7F"),
         ("size_max", b"\xFF\xFF"), ("int_max", b"\xFF\xFF\xFF\x7F")]
write("codec", "# Codec streams: JPEG, JPEG-LS, JPEG 2000 markers, RLE headers; written by fuzz/dict/make-dicts.py\n", codec)

nrrd = [("magic", b"NRRD0004"), ("magic5", b"NRRD0005")] + [(w.replace(" ", "_").replace(":", "").replace("\n", "nl"), w.encode()) for w in [
    "type: ", "dimension: ", "sizes: ", "space: ", "space dimension: ", "space directions: ", "space origin: ", "spacings: ",
    "endian: ", "encoding: ", "data file: ", "line skip: ", "byte skip: ", "kinds: ", "measurement frame: ", "space units: ",
    "little", "big", "raw", "gzip", "gz", "ascii", "text", "bzip2", "hex", "short", "ushort", "int", "uint", "float", "double",
    "uchar", "signed char", "int64", "none", "left-posterior-superior", "right-anterior-superior", "LIST", "-1",
    "(1,0,0)", "(0,0,1)", "nan", "100000", "4294967296", "\n\n"]]
write("nrrd", "# NRRD fields and values; written by fuzz/dict/make-dicts.py\n", nrrd)
stl = [(w.replace(" ", "_").replace("=", "_").replace("-", "minus_"), w.encode()) for w in
       ["solid ", "facet normal ", "outer loop", "vertex ", "endloop", "endfacet", "endsolid", "SPACE=LPS", "SPACE=RAS", "1e38", "nan", "-inf"]]
stl += [("count_max", b"\xFF\xFF\xFF\x7F"), ("count_2_31", b"\x00\x00\x00\x80")]
write("stl", "# STL keywords and counts; written by fuzz/dict/make-dicts.py\n", stl)
