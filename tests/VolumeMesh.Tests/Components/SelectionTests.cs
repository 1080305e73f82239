using VolumeMesh.Components;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Components;

public sealed class SelectionTests
{
    // Rotated 30° about z with a mirrored row direction (left-handed), non-unit spacing, offset origin.
    private static VolumeGeometry Oblique(int nx, int ny, int nz)
    {
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
        return VolumeGeometry.FromAffine(nx, ny, nz, new Vector3D(10, -20, 30), new Vector3D(-0.7 * c, -0.7 * s, 0), new Vector3D(-0.8 * s, 0.8 * c, 0), new Vector3D(0, 0, 1.5));
    }

    /// <summary>Three boxes: A (first in memory order, 4×4×4), B (6×6×6), C (2×2×2), with a chosen geometry.</summary>
    private static Mask ThreeBoxes(VolumeGeometry geometry)
    {
        var mask = new Mask(geometry);
        ConnectedComponentsTests.FillBox(mask, 1, 1, 1, 4, 4, 4);
        ConnectedComponentsTests.FillBox(mask, 10, 2, 3, 15, 7, 8);
        ConnectedComponentsTests.FillBox(mask, 3, 12, 10, 4, 13, 11);
        return mask;
    }

    [Fact]
    public void LargestKeepsTheBiggestComponent()
    {
        Mask mask = ThreeBoxes(Oblique(20, 16, 14));
        Mask kept = ConnectedComponents.Keep(mask, ComponentSelection.LargestOnly);
        Assert.Equal(216, kept.CountInside());
        Assert.True(kept[12, 5, 5]);
        Assert.False(kept[2, 2, 2]);
    }

    [Fact]
    public void LargestTwoAndAboveVolumeAndAll()
    {
        VolumeGeometry g = Oblique(20, 16, 14);
        Mask mask = ThreeBoxes(g);
        LabelVolume labels = ConnectedComponents.Label(mask);
        Assert.Equal([1, 2], ComponentSelector.SelectLabels(labels, ComponentSelection.Largest(2)));
        Assert.Equal([1, 2, 3], ComponentSelector.SelectLabels(labels, ComponentSelection.Largest(10)));
        Assert.Equal([1, 2, 3], ComponentSelector.SelectLabels(labels, ComponentSelection.All));
        double voxel = 0.7 * 0.8 * 1.5;
        Assert.Equal([2], ComponentSelector.SelectLabels(labels, ComponentSelection.AboveVolume(65 * voxel)));
        Assert.Equal([1, 2], ComponentSelector.SelectLabels(labels, ComponentSelection.AboveVolume(64 * voxel)));
        Assert.Equal(64 + 216, ComponentSelector.Select(labels, ComponentSelection.AboveVolume(9 * voxel)).CountInside());
        Assert.Throws<ArgumentOutOfRangeException>(() => ComponentSelector.SelectLabels(labels, ComponentSelection.Largest(0)));
    }

    [Fact]
    public void SeedInPatientMillimetresSelectsTheSmallerComponent()
    {
        VolumeGeometry g = Oblique(20, 16, 14);
        Mask mask = ThreeBoxes(g);
        Vector3D seed = g.IndexToPatient(3.2, 12.9, 10.6); // inside box C, the smallest
        Mask kept = ConnectedComponents.Keep(mask, ComponentSelection.AtSeed(seed));
        Assert.Equal(8, kept.CountInside());
        Assert.True(kept[4, 13, 11]);

        Assert.Equal(64, ConnectedComponents.Keep(mask, ComponentSelection.AtSeed(new VoxelIndex(2, 3, 4))).CountInside());
    }

    [Fact]
    public void BackgroundSeedIsAnErrorNamingThePointUnlessARadiusFindsAComponent()
    {
        VolumeGeometry g = Oblique(20, 16, 14);
        LabelVolume labels = ConnectedComponents.Label(ThreeBoxes(g));
        Vector3D seed = g.IndexToPatient(7, 5, 5); // background: 3 voxels from B (x 10), 3 from A (x 4) but A's nearest voxel is further
        ArgumentException error = Assert.Throws<ArgumentException>(() => ComponentSelector.Select(labels, ComponentSelection.AtSeed(seed)));
        Assert.Contains("background", error.Message, StringComparison.Ordinal);
        Assert.Contains(seed.ToString(), error.Message, StringComparison.Ordinal);

        // A's nearest voxel (4, 4, 4) is √(9·0.49 + 0.64 + 2.25) ≈ 2.68 mm away; B's (10, 5, 5) is 3·0.7 = 2.1 mm away.
        Assert.Equal(2, ComponentSelector.SeedLabel(labels, ComponentSelection.AtSeed(seed, searchRadiusMm: 2.2)));
        Assert.Throws<ArgumentException>(() => ComponentSelector.SeedLabel(labels, ComponentSelection.AtSeed(seed, searchRadiusMm: 2.0)));

        ArgumentException outside = Assert.Throws<ArgumentException>(() => ComponentSelector.Select(labels, ComponentSelection.AtSeed(new Vector3D(1000, 0, 0))));
        Assert.Contains("outside the volume", outside.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ComponentSelector.Select(labels, new ComponentSelection { Mode = ComponentSelectionMode.Seed }));
    }

    [Fact]
    public void MaskFromLabelsWithoutRunsEqualsMaskFromRuns()
    {
        byte[] voxels = LabelingOracle.RandomMask(33, 21, 17, 0.35, 3);
        var g = VolumeGeometry.AxisAligned(33, 21, 17);
        LabelVolume labels = ConnectedComponents.Label(new Mask(g, voxels), new ConnectedComponentsOptions { Connectivity = Connectivity.Six });
        var plain = new LabelVolume(g, (int[])labels.Labels.Clone(), labels.ComponentCount);
        int[] keep = [1, 5, 9, labels.ComponentCount];
        byte[] expected = new byte[voxels.Length];
        for (int n = 0; n < expected.Length; n++)
        {
            expected[n] = keep.Contains(labels.Labels[n]) ? (byte)1 : (byte)0;
        }

        Assert.Equal(expected, labels.CreateMask(keep).Voxels);
        Assert.Equal(expected, plain.CreateMask(keep).Voxels);
        Assert.Equal(ComponentSelector.SelectLabels(labels, ComponentSelection.Largest(3)), ComponentSelector.SelectLabels(plain, ComponentSelection.Largest(3)));
    }
}
