namespace VolumeMesh.Dicom;

/// <summary>A value representation: the two-letter code of how a value is encoded (PS3.5 §6.2).</summary>
/// <param name="Code">The two ASCII letters, first letter in the high byte.</param>
public readonly record struct DicomVR(ushort Code)
{
    /// <summary>The AE value representation.</summary>
    public static readonly DicomVR AE = Of("AE");

    /// <summary>The AS value representation.</summary>
    public static readonly DicomVR AS = Of("AS");

    /// <summary>The AT value representation.</summary>
    public static readonly DicomVR AT = Of("AT");

    /// <summary>The CS value representation.</summary>
    public static readonly DicomVR CS = Of("CS");

    /// <summary>The DA value representation.</summary>
    public static readonly DicomVR DA = Of("DA");

    /// <summary>The DS value representation.</summary>
    public static readonly DicomVR DS = Of("DS");

    /// <summary>The DT value representation.</summary>
    public static readonly DicomVR DT = Of("DT");

    /// <summary>The FL value representation.</summary>
    public static readonly DicomVR FL = Of("FL");

    /// <summary>The FD value representation.</summary>
    public static readonly DicomVR FD = Of("FD");

    /// <summary>The IS value representation.</summary>
    public static readonly DicomVR IS = Of("IS");

    /// <summary>The LO value representation.</summary>
    public static readonly DicomVR LO = Of("LO");

    /// <summary>The LT value representation.</summary>
    public static readonly DicomVR LT = Of("LT");

    /// <summary>The OB value representation.</summary>
    public static readonly DicomVR OB = Of("OB");

    /// <summary>The OD value representation.</summary>
    public static readonly DicomVR OD = Of("OD");

    /// <summary>The OF value representation.</summary>
    public static readonly DicomVR OF = Of("OF");

    /// <summary>The OL value representation.</summary>
    public static readonly DicomVR OL = Of("OL");

    /// <summary>The OV value representation.</summary>
    public static readonly DicomVR OV = Of("OV");

    /// <summary>The OW value representation.</summary>
    public static readonly DicomVR OW = Of("OW");

    /// <summary>The PN value representation.</summary>
    public static readonly DicomVR PN = Of("PN");

    /// <summary>The SH value representation.</summary>
    public static readonly DicomVR SH = Of("SH");

    /// <summary>The SL value representation.</summary>
    public static readonly DicomVR SL = Of("SL");

    /// <summary>The SQ value representation.</summary>
    public static readonly DicomVR SQ = Of("SQ");

    /// <summary>The SS value representation.</summary>
    public static readonly DicomVR SS = Of("SS");

    /// <summary>The ST value representation.</summary>
    public static readonly DicomVR ST = Of("ST");

    /// <summary>The SV value representation.</summary>
    public static readonly DicomVR SV = Of("SV");

    /// <summary>The TM value representation.</summary>
    public static readonly DicomVR TM = Of("TM");

    /// <summary>The UC value representation.</summary>
    public static readonly DicomVR UC = Of("UC");

    /// <summary>The UI value representation.</summary>
    public static readonly DicomVR UI = Of("UI");

    /// <summary>The UL value representation.</summary>
    public static readonly DicomVR UL = Of("UL");

    /// <summary>The UN value representation.</summary>
    public static readonly DicomVR UN = Of("UN");

    /// <summary>The UR value representation.</summary>
    public static readonly DicomVR UR = Of("UR");

    /// <summary>The US value representation.</summary>
    public static readonly DicomVR US = Of("US");

    /// <summary>The UT value representation.</summary>
    public static readonly DicomVR UT = Of("UT");

    /// <summary>The UV value representation.</summary>
    public static readonly DicomVR UV = Of("UV");

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
        Set(US, DicomTags.SegmentNumber, DicomTags.ReferencedSegmentNumber, DicomTags.RecommendedDisplayCieLabValue, DicomTags.MaximumFractionalValue);
        Set(CS, DicomTags.SegmentationType, DicomTags.SegmentAlgorithmType, DicomTags.SegmentationFractionalType);
        Set(SQ, DicomTags.ReferencedInstanceSequence, DicomTags.DerivationImageSequence, DicomTags.SegmentSequence,
            DicomTags.SegmentIdentificationSequence, DicomTags.SegmentedPropertyCategoryCodeSequence, DicomTags.SegmentedPropertyTypeCodeSequence);
        Set(OW, DicomTags.PixelData);
        Set(OV, DicomTags.ExtendedOffsetTable, DicomTags.ExtendedOffsetTableLengths);
        return d;
    }
}
