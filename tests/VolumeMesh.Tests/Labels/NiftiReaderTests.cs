using System.Buffers.Binary;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Labels;

public sealed class NiftiReaderTests
{
    public static TheoryData<string> AllFiles() => new(LabelMapData.Files);

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void ReadsTheIdsAndTheGeometryNibabelReads(string name)
    {
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File(name));
        Assert.Equal((LabelMapData.SizeX, LabelMapData.SizeY, LabelMapData.SizeZ), (labels.SizeX, labels.SizeY, labels.SizeZ));
        Assert.Equal(LabelMapData.ExpectedLabels(), labels.Voxels);

        // Every corner of the grid and an inner voxel land where nibabel's affine (converted to LPS) puts them.
        double[,] ras = LabelMapData.AffineRas(name);
        foreach ((int i, int j, int k) in new[] { (0, 0, 0), (15, 0, 0), (0, 13, 0), (0, 0, 11), (15, 13, 11), (7, 5, 3) })
        {
            Vector3D expected = LabelMapData.IndexToLps(ras, i, j, k);
            Vector3D actual = labels.Geometry.IndexToPatient(i, j, k);
            Assert.True((expected - actual).Length < 1e-4, $"{name}: voxel ({i},{j},{k}) at {actual}, nibabel says {expected}");
        }

    }

    [Theory]
    [InlineData("ras_sform.nii", 1, NiftiTransform.Sform, NiftiDataType.Int16)]
    [InlineData("lps_affine.nii.gz", 1, NiftiTransform.Sform, NiftiDataType.UInt8)]
    [InlineData("qform_only.nii", 1, NiftiTransform.Qform, NiftiDataType.Int16)]
    [InlineData("oblique_sform.nii.gz", 1, NiftiTransform.Sform, NiftiDataType.Int16)]
    [InlineData("pair_bigendian.hdr", 1, NiftiTransform.Sform, NiftiDataType.Int32)]
    [InlineData("nifti2_scaled.nii", 2, NiftiTransform.Sform, NiftiDataType.Int16)]
    public void HeaderFieldsAreRead(string name, int version, NiftiTransform transform, NiftiDataType type)
    {
        NiftiVolume nifti = NiftiReader.Read(LabelMapData.File(name));
        Assert.Equal(version, nifti.Version);
        Assert.Equal(transform, nifti.Transform);
        Assert.Equal(type, nifti.DataType);
        Assert.Equal(name == "nifti2_scaled.nii", nifti.IsScaled);
        if (nifti.IsScaled)
        {
            Assert.Equal((0.5, -1.0), (nifti.ScaleSlope, nifti.ScaleIntercept));
            Assert.Equal(2 + 2 * 3, Convert.ToInt32(((short[])nifti.Voxels)[2 + (16 * (9 + (14 * 2)))])); // stored 2·3 + 2 for label 3
        }
    }

    [Fact]
    public void TheQformFileIsLeftHandedAndItsMeshIsNotMirrored()
    {
        // qfac = −1 in that file: the grid is left-handed in patient space.
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File("qform_only.nii"));
        Assert.False(labels.Geometry.IsRightHanded);
        Assert.True(LabelMapPipeline.ReadLabelMap(LabelMapData.File("ras_sform.nii")).Geometry.IsRightHanded);
    }

    [Fact]
    public void AsFloatAppliesTheScaling()
    {
        Volume<float> values = NiftiReader.Read(LabelMapData.File("nifti2_scaled.nii")).AsFloat();
        int[] expected = LabelMapData.ExpectedLabels();
        for (int v = 0; v < expected.Length; v++)
        {
            Assert.Equal(expected[v], values.Voxels[v]);
        }
    }

    [Fact]
    public void TruncatedDataIsRefusedBeforeAllocating()
    {
        using var temp = new TempFolder();
        byte[] bytes = File.ReadAllBytes(LabelMapData.File("ras_sform.nii"));
        string truncated = temp.File("truncated.nii");
        File.WriteAllBytes(truncated, bytes[..2000]);
        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.Read(truncated));
        Assert.Contains("truncated", e.Message);
        Assert.Contains(truncated, e.Message);

        // dim = 32767³ int16 (70 GB) in a 6 kB file: refused from the sizes, nothing allocated.
        byte[] huge = (byte[])bytes.Clone();
        for (int d = 1; d <= 3; d++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(huge.AsSpan(40 + (2 * d)), short.MaxValue);
        }

        string hugePath = temp.File("huge.nii");
        File.WriteAllBytes(hugePath, huge);
        Assert.Contains("need", Assert.Throws<InvalidDataException>(() => NiftiReader.Read(hugePath)).Message);
    }

    [Fact]
    public void NotANiftiHeaderIsRefused()
    {
        using var temp = new TempFolder();
        string path = temp.File("bad.nii");
        File.WriteAllBytes(path, new byte[400]);
        Assert.Contains("sizeof_hdr", Assert.Throws<InvalidDataException>(() => NiftiReader.Read(path)).Message);
        File.WriteAllBytes(path, new byte[10]);
        Assert.Throws<InvalidDataException>(() => NiftiReader.Read(path));
    }

    [Fact]
    public void AnInPlaneShearIsRefusedClearly()
    {
        using var temp = new TempFolder();
        byte[] bytes = File.ReadAllBytes(LabelMapData.File("ras_sform.nii"));
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(284), 0.3f); // srow_x[1]: j gains an x component
        string path = temp.File("shear.nii");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<NotSupportedException>(() => NiftiReader.Read(path));
        Assert.Contains("shears within a slice", e.Message);
    }

    [Fact]
    public void AShearAlongKIsKeptExactlyAsTilt()
    {
        using var temp = new TempFolder();
        byte[] bytes = File.ReadAllBytes(LabelMapData.File("ras_sform.nii"));
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(288), 0.5f); // srow_x[2]: each slice moves 0.5 mm along x
        string path = temp.File("tilt.nii");
        File.WriteAllBytes(path, bytes);
        VolumeGeometry g = NiftiReader.Read(path).Geometry;
        Assert.True(g.TiltDegrees > 10);
        Vector3D p = g.IndexToPatient(3, 4, 5);
        Assert.True((p - new Vector3D(-((0.8 * 3) + (0.5 * 5) + 10), -((1.2f * 4) - 20), (2.0 * 5) + 30)).Length < 1e-5, p.ToString());
    }

    [Fact]
    public void NonIntegerValuesAreNotALabelMap()
    {
        using var temp = new TempFolder();
        byte[] bytes = File.ReadAllBytes(LabelMapData.File("ras_sform.nii"));
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 0.3f); // scl_slope 0.3
        string path = temp.File("scaled.nii");
        File.WriteAllBytes(path, bytes);
        Assert.Contains("whole-number", Assert.Throws<InvalidDataException>(() => NiftiReader.Read(path).ToLabelMap()).Message);
    }
}
