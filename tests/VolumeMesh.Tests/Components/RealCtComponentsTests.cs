using VolumeMesh.Components;
using VolumeMesh.Segmentation;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Components;

/// <summary>
/// Labelling, hole filling and morphology of a real CT (the Philips head phantom "BONE BRAIN 1MM", 140 slices of 512×512,
/// 0.451 × 0.451 × 1 mm) against scipy. Expected values were computed once with Debian's python3-pydicom and python3-scipy
/// 1.10.1: the series loaded by ../shared/peers/peerlib.py's <c>load_dicom_series</c>, mask = 226 ≤ HU ≤ 3071, then
/// <c>ndimage.label</c> with the 6/18/26 structures (component count and the three largest sizes),
/// <c>ndimage.binary_fill_holes</c>, and <c>binary_dilation</c> / <c>binary_erosion(border_value=1)</c> with the ball of
/// 1.5 mm on that spacing (offsets with Σ(d·s)² ≤ r²·(1 + 1e-5)).
/// </summary>
public sealed class RealCtComponentsTests
{
    private static readonly Lazy<Mask?> s_bone = new(() =>
    {
        if (RepoPaths.Root is null)
        {
            return null;
        }

        string folder = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "dicom", "philips-phantom", "S21570", "S2030"));
        if (!Directory.Exists(folder))
        {
            return null;
        }

        Volume<short> hu = VolumeMesh.Dicom.DicomSeriesLoader.LoadDefaultHu(folder).Volume;
        var voxels = new byte[hu.Voxels.Length];
        for (int n = 0; n < voxels.Length; n++)
        {
            voxels[n] = hu.Voxels[n] is >= 226 and <= 3071 ? (byte)1 : (byte)0;
        }

        return new Mask(hu.Geometry, voxels);
    });

    private static Mask Bone()
    {
        Mask? bone = s_bone.Value;
        Skip.If(bone is null, "shared data absent: ../shared/data/dicom/philips-phantom/S21570/S2030");
        Assert.Equal(2_596_585, bone!.CountInside());
        return bone;
    }

    [SkippableTheory]
    [InlineData(Connectivity.TwentySix, 141, 1_954_176)]
    [InlineData(Connectivity.Eighteen, 151, 1_954_170)]
    [InlineData(Connectivity.Six, 209, 1_953_763)]
    public void ComponentsEqualScipy(Connectivity connectivity, int components, long largest)
    {
        Mask bone = Bone();
        LabelVolume labels = ConnectedComponents.Label(bone, new ConnectedComponentsOptions { Connectivity = connectivity });
        Assert.Equal(components, labels.ComponentCount);
        long[] sizes = labels.Statistics.Select(s => s.VoxelCount).OrderDescending().Take(3).ToArray();
        Assert.Equal([largest, 642_013, 161], sizes);
        Assert.Equal(largest, ConnectedComponents.Keep(bone, ComponentSelection.LargestOnly, new ConnectedComponentsOptions { Connectivity = connectivity }).CountInside());
    }

    [SkippableFact]
    public void HoleFillingAndBallMorphologyEqualScipy()
    {
        Mask bone = Bone();
        Assert.Equal(2_597_114, HoleFilling.Fill(bone).CountInside());
        Assert.Equal(2_597_114, HoleFilling.Fill(bone, new HoleFillingOptions { Connectivity = Connectivity.Six }).CountInside());
        Assert.Equal(4_494_605, Morphology.Dilate(bone, 1.5).CountInside());
        Assert.Equal(918_001, Morphology.Erode(bone, 1.5).CountInside());
    }
}
