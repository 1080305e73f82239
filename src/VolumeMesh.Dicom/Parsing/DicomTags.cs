namespace VolumeMesh.Dicom;

/// <summary>The tags this reader interprets (PS3.6 data dictionary).</summary>
public static class DicomTags
{
    /// <summary>File Meta Information Group Length (0002,0000).</summary>
    public static readonly DicomTag FileMetaInformationGroupLength = new(0x0002, 0x0000);

    /// <summary>Media Storage Sop Class Uid (0002,0002).</summary>
    public static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);

    /// <summary>Media Storage Sop Instance Uid (0002,0003).</summary>
    public static readonly DicomTag MediaStorageSopInstanceUid = new(0x0002, 0x0003);

    /// <summary>Transfer Syntax Uid (0002,0010).</summary>
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);

    /// <summary>Directory Record Sequence (0004,1220).</summary>
    public static readonly DicomTag DirectoryRecordSequence = new(0x0004, 0x1220);

    /// <summary>Directory Record Type (0004,1430).</summary>
    public static readonly DicomTag DirectoryRecordType = new(0x0004, 0x1430);

    /// <summary>Referenced File Id (0004,1500).</summary>
    public static readonly DicomTag ReferencedFileId = new(0x0004, 0x1500);

    /// <summary>Image Type (0008,0008).</summary>
    public static readonly DicomTag ImageType = new(0x0008, 0x0008);

    /// <summary>Sop Class Uid (0008,0016).</summary>
    public static readonly DicomTag SopClassUid = new(0x0008, 0x0016);

    /// <summary>Sop Instance Uid (0008,0018).</summary>
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    /// <summary>Study Date (0008,0020).</summary>
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);

    /// <summary>Modality (0008,0060).</summary>
    public static readonly DicomTag Modality = new(0x0008, 0x0060);

    /// <summary>Manufacturer (0008,0070).</summary>
    public static readonly DicomTag Manufacturer = new(0x0008, 0x0070);

    /// <summary>Series Description (0008,103E).</summary>
    public static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);

    /// <summary>Slice Thickness (0018,0050).</summary>
    public static readonly DicomTag SliceThickness = new(0x0018, 0x0050);

    /// <summary>Spacing Between Slices (0018,0088).</summary>
    public static readonly DicomTag SpacingBetweenSlices = new(0x0018, 0x0088);

    /// <summary>Gantry Detector Tilt (0018,1120).</summary>
    public static readonly DicomTag GantryDetectorTilt = new(0x0018, 0x1120);

    /// <summary>Study Instance Uid (0020,000D).</summary>
    public static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);

    /// <summary>Series Instance Uid (0020,000E).</summary>
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);

    /// <summary>Series Number (0020,0011).</summary>
    public static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);

    /// <summary>Instance Number (0020,0013).</summary>
    public static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);

    /// <summary>Image Position Patient (0020,0032).</summary>
    public static readonly DicomTag ImagePositionPatient = new(0x0020, 0x0032);

    /// <summary>Image Orientation Patient (0020,0037).</summary>
    public static readonly DicomTag ImageOrientationPatient = new(0x0020, 0x0037);

    /// <summary>Frame Of Reference Uid (0020,0052).</summary>
    public static readonly DicomTag FrameOfReferenceUid = new(0x0020, 0x0052);

    /// <summary>Plane Position Sequence (0020,9113).</summary>
    public static readonly DicomTag PlanePositionSequence = new(0x0020, 0x9113);

    /// <summary>Plane Orientation Sequence (0020,9116).</summary>
    public static readonly DicomTag PlaneOrientationSequence = new(0x0020, 0x9116);

    /// <summary>Samples Per Pixel (0028,0002).</summary>
    public static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);

    /// <summary>Photometric Interpretation (0028,0004).</summary>
    public static readonly DicomTag PhotometricInterpretation = new(0x0028, 0x0004);

    /// <summary>Planar Configuration (0028,0006).</summary>
    public static readonly DicomTag PlanarConfiguration = new(0x0028, 0x0006);

    /// <summary>Number Of Frames (0028,0008).</summary>
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);

    /// <summary>Rows (0028,0010).</summary>
    public static readonly DicomTag Rows = new(0x0028, 0x0010);

    /// <summary>Columns (0028,0011).</summary>
    public static readonly DicomTag Columns = new(0x0028, 0x0011);

    /// <summary>Pixel Spacing (0028,0030).</summary>
    public static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);

    /// <summary>Bits Allocated (0028,0100).</summary>
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);

    /// <summary>Bits Stored (0028,0101).</summary>
    public static readonly DicomTag BitsStored = new(0x0028, 0x0101);

    /// <summary>High Bit (0028,0102).</summary>
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);

    /// <summary>Pixel Representation (0028,0103).</summary>
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);

    /// <summary>Pixel Padding Value (0028,0120).</summary>
    public static readonly DicomTag PixelPaddingValue = new(0x0028, 0x0120);

    /// <summary>Pixel Padding Range Limit (0028,0121).</summary>
    public static readonly DicomTag PixelPaddingRangeLimit = new(0x0028, 0x0121);

    /// <summary>Rescale Intercept (0028,1052).</summary>
    public static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);

    /// <summary>Rescale Slope (0028,1053).</summary>
    public static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);

    /// <summary>Pixel Measures Sequence (0028,9110).</summary>
    public static readonly DicomTag PixelMeasuresSequence = new(0x0028, 0x9110);

    /// <summary>Pixel Value Transformation Sequence (0028,9145).</summary>
    public static readonly DicomTag PixelValueTransformationSequence = new(0x0028, 0x9145);

    // Segmentation Storage (PS3.3 A.51, C.8.20) and the references it uses.

    /// <summary>Referenced Series Sequence (0008,1115).</summary>
    public static readonly DicomTag ReferencedSeriesSequence = new(0x0008, 0x1115);

    /// <summary>Referenced Instance Sequence (0008,114A).</summary>
    public static readonly DicomTag ReferencedInstanceSequence = new(0x0008, 0x114A);

    /// <summary>Referenced SOP Class UID (0008,1150).</summary>
    public static readonly DicomTag ReferencedSopClassUid = new(0x0008, 0x1150);

    /// <summary>Referenced SOP Instance UID (0008,1155).</summary>
    public static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);

    /// <summary>Referenced Frame Number (0008,1160).</summary>
    public static readonly DicomTag ReferencedFrameNumber = new(0x0008, 0x1160);

    /// <summary>Source Image Sequence (0008,2112).</summary>
    public static readonly DicomTag SourceImageSequence = new(0x0008, 0x2112);

    /// <summary>Derivation Image Sequence (0008,9124).</summary>
    public static readonly DicomTag DerivationImageSequence = new(0x0008, 0x9124);

    /// <summary>Code Meaning (0008,0104).</summary>
    public static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);

    /// <summary>Segmentation Type (0062,0001).</summary>
    public static readonly DicomTag SegmentationType = new(0x0062, 0x0001);

    /// <summary>Segment Sequence (0062,0002).</summary>
    public static readonly DicomTag SegmentSequence = new(0x0062, 0x0002);

    /// <summary>Segmented Property Category Code Sequence (0062,0003).</summary>
    public static readonly DicomTag SegmentedPropertyCategoryCodeSequence = new(0x0062, 0x0003);

    /// <summary>Segment Number (0062,0004).</summary>
    public static readonly DicomTag SegmentNumber = new(0x0062, 0x0004);

    /// <summary>Segment Label (0062,0005).</summary>
    public static readonly DicomTag SegmentLabel = new(0x0062, 0x0005);

    /// <summary>Segment Description (0062,0006).</summary>
    public static readonly DicomTag SegmentDescription = new(0x0062, 0x0006);

    /// <summary>Segment Algorithm Type (0062,0008).</summary>
    public static readonly DicomTag SegmentAlgorithmType = new(0x0062, 0x0008);

    /// <summary>Segment Algorithm Name (0062,0009).</summary>
    public static readonly DicomTag SegmentAlgorithmName = new(0x0062, 0x0009);

    /// <summary>Segment Identification Sequence (0062,000A).</summary>
    public static readonly DicomTag SegmentIdentificationSequence = new(0x0062, 0x000A);

    /// <summary>Referenced Segment Number (0062,000B).</summary>
    public static readonly DicomTag ReferencedSegmentNumber = new(0x0062, 0x000B);

    /// <summary>Recommended Display CIELab Value (0062,000D).</summary>
    public static readonly DicomTag RecommendedDisplayCieLabValue = new(0x0062, 0x000D);

    /// <summary>Maximum Fractional Value (0062,000E).</summary>
    public static readonly DicomTag MaximumFractionalValue = new(0x0062, 0x000E);

    /// <summary>Segmented Property Type Code Sequence (0062,000F).</summary>
    public static readonly DicomTag SegmentedPropertyTypeCodeSequence = new(0x0062, 0x000F);

    /// <summary>Segmentation Fractional Type (0062,0010).</summary>
    public static readonly DicomTag SegmentationFractionalType = new(0x0062, 0x0010);

    /// <summary>Shared Functional Groups Sequence (5200,9229).</summary>
    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x5200, 0x9229);

    /// <summary>Per Frame Functional Groups Sequence (5200,9230).</summary>
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x5200, 0x9230);

    /// <summary>Extended Offset Table (7FE0,0001).</summary>
    public static readonly DicomTag ExtendedOffsetTable = new(0x7FE0, 0x0001);

    /// <summary>Extended Offset Table Lengths (7FE0,0002).</summary>
    public static readonly DicomTag ExtendedOffsetTableLengths = new(0x7FE0, 0x0002);

    /// <summary>Pixel Data (7FE0,0010).</summary>
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>Float Pixel Data (7FE0,0008).</summary>
    public static readonly DicomTag FloatPixelData = new(0x7FE0, 0x0008);

    /// <summary>Double Float Pixel Data (7FE0,0009).</summary>
    public static readonly DicomTag DoubleFloatPixelData = new(0x7FE0, 0x0009);

    /// <summary>Item (FFFE,E000).</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);

    /// <summary>Item Delimitation Item (FFFE,E00D).</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);

    /// <summary>Sequence Delimitation Item (FFFE,E0DD).</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);
}
