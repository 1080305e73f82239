namespace VolumeMesh.Dicom;

/// <summary>A value representation: the two-letter code of how a value is encoded (PS3.5 §6.2).</summary>
/// <param name="Code">The two ASCII letters, first letter in the high byte.</param>
public readonly record struct DicomVR(ushort Code)
{
#pragma warning disable CS1591 // The names are the VR codes of PS3.5 Table 6.2-1.
    public static readonly DicomVR AE = Of("AE"), AS = Of("AS"), AT = Of("AT"), CS = Of("CS"), DA = Of("DA"), DS = Of("DS"),
        DT = Of("DT"), FL = Of("FL"), FD = Of("FD"), IS = Of("IS"), LO = Of("LO"), LT = Of("LT"), OB = Of("OB"), OD = Of("OD"),
        OF = Of("OF"), OL = Of("OL"), OV = Of("OV"), OW = Of("OW"), PN = Of("PN"), SH = Of("SH"), SL = Of("SL"), SQ = Of("SQ"),
        SS = Of("SS"), ST = Of("ST"), SV = Of("SV"), TM = Of("TM"), UC = Of("UC"), UI = Of("UI"), UL = Of("UL"), UN = Of("UN"),
        UR = Of("UR"), US = Of("US"), UT = Of("UT"), UV = Of("UV");
#pragma warning restore CS1591

    private static readonly HashSet<ushort> s_all = new()
    {
        AE.Code, AS.Code, AT.Code, CS.Code, DA.Code, DS.Code, DT.Code, FL.Code, FD.Code, IS.Code, LO.Code, LT.Code, OB.Code,
        OD.Code, OF.Code, OL.Code, OV.Code, OW.Code, PN.Code, SH.Code, SL.Code, SQ.Code, SS.Code, ST.Code, SV.Code, TM.Code,
        UC.Code, UI.Code, UL.Code, UN.Code, UR.Code, US.Code, UT.Code, UV.Code,
    };

    private static readonly Dictionary<uint, DicomVR> s_implicit = BuildImplicitDictionary();

    /// <summary>Whether this is one of the VRs defined by PS3.5.</summary>
    public bool IsKnown => s_all.Contains(Code);

    /// <summary>Whether explicit VR encoding gives this VR a 4-byte length after 2 reserved bytes (PS3.5 §7.1.2).</summary>
    public bool HasLongLength => this == OB || this == OD || this == OF || this == OL || this == OV || this == OW || this == SQ
        || this == SV || this == UC || this == UN || this == UR || this == UT || this == UV;

    /// <summary>Whether values are text (possibly multi-valued with backslashes).</summary>
    public bool IsText => this == AE || this == AS || this == CS || this == DA || this == DS || this == DT || this == IS || this == LO
        || this == LT || this == PN || this == SH || this == ST || this == TM || this == UC || this == UI || this == UR || this == UT;

    /// <summary>The VR for two characters.</summary>
    /// <param name="code">Two ASCII letters.</param>
    /// <returns>The VR.</returns>
    public static DicomVR Of(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length != 2)
        {
            throw new ArgumentException("A VR has two letters.", nameof(code));
        }

        return new DicomVR((ushort)((code[0] << 8) | code[1]));
    }

    /// <summary>The VR of a tag in implicit VR encoding, from the part of the data dictionary this reader uses; UN for others.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The VR.</returns>
    public static DicomVR ForImplicit(DicomTag tag)
    {
        if (tag.Element == 0)
        {
            return UL;
        }

        return s_implicit.TryGetValue(tag.Value, out DicomVR vr) ? vr : UN;
    }

    /// <inheritdoc/>
    public override string ToString() => new(new[] { (char)(Code >> 8), (char)(Code & 0xFF) });

    private static Dictionary<uint, DicomVR> BuildImplicitDictionary()
    {
        var d = new Dictionary<uint, DicomVR>();
        void Set(DicomVR vr, params DicomTag[] tags)
        {
            foreach (DicomTag t in tags)
            {
                d[t.Value] = vr;
            }
        }

        Set(US, DicomTags.Rows, DicomTags.Columns, DicomTags.SamplesPerPixel, DicomTags.PlanarConfiguration, DicomTags.BitsAllocated,
            DicomTags.BitsStored, DicomTags.HighBit, DicomTags.PixelRepresentation, DicomTags.PixelPaddingValue, DicomTags.PixelPaddingRangeLimit);
        Set(DS, DicomTags.ImagePositionPatient, DicomTags.ImageOrientationPatient, DicomTags.PixelSpacing, DicomTags.RescaleIntercept,
            DicomTags.RescaleSlope, DicomTags.SliceThickness, DicomTags.SpacingBetweenSlices, DicomTags.GantryDetectorTilt);
        Set(IS, DicomTags.NumberOfFrames, DicomTags.InstanceNumber, DicomTags.SeriesNumber);
        Set(UI, DicomTags.MediaStorageSopClassUid, DicomTags.MediaStorageSopInstanceUid, DicomTags.TransferSyntaxUid, DicomTags.SopClassUid,
            DicomTags.SopInstanceUid, DicomTags.StudyInstanceUid, DicomTags.SeriesInstanceUid, DicomTags.FrameOfReferenceUid);
        Set(CS, DicomTags.Modality, DicomTags.PhotometricInterpretation, DicomTags.ImageType, DicomTags.DirectoryRecordType, DicomTags.ReferencedFileId);
        Set(LO, DicomTags.SeriesDescription, DicomTags.Manufacturer);
        Set(DA, DicomTags.StudyDate);
        Set(SQ, DicomTags.DirectoryRecordSequence, DicomTags.PlanePositionSequence, DicomTags.PlaneOrientationSequence, DicomTags.PixelMeasuresSequence,
            DicomTags.PixelValueTransformationSequence, DicomTags.SharedFunctionalGroupsSequence, DicomTags.PerFrameFunctionalGroupsSequence,
            new DicomTag(0x0008, 0x1115), new DicomTag(0x0008, 0x1140), new DicomTag(0x0008, 0x1199), new DicomTag(0x0008, 0x2112),
            new DicomTag(0x0040, 0x0260), new DicomTag(0x0040, 0xA730), new DicomTag(0x0088, 0x0200), new DicomTag(0x300A, 0x0010),
            new DicomTag(0x3006, 0x0020), new DicomTag(0x3006, 0x0039), new DicomTag(0x300A, 0x00B0));
        Set(OW, DicomTags.PixelData);
        Set(OV, DicomTags.ExtendedOffsetTable, DicomTags.ExtendedOffsetTableLengths);
        return d;
    }
}
