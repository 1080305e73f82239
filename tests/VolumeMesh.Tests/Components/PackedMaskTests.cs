using VolumeMesh.Components;
using VolumeMesh.Dicom;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Components;

/// <summary>
/// The memory-lean path (issue 10 item 4) against the byte-mask path it replaces: labelling straight from the volume into runs,
/// selection on runs, the packed kept mask, hole filling on bits and marching cubes of the packed mask must give the same
/// labels, statistics, kept mask and mesh as <see cref="Threshold"/> → <see cref="ConnectedComponents"/> →
/// <see cref="ComponentSelector"/> → <see cref="HoleFilling"/> → <see cref="MarchingCubes.FromMaskedRange{T}"/>, on noise,
/// the CT phantom and a real series, for 6-, 18- and 26-connectivity.
/// </summary>
public sealed class PackedMaskTests
{
    public static TheoryData<string, int> Inputs => new()
    {
        { "noise", 6 }, { "noise", 18 }, { "noise", 26 },
        { "phantom", 6 }, { "phantom", 18 }, { "phantom", 26 },
        { "ge-head", 6 }, { "ge-head", 18 }, { "ge-head", 26 },
    };

    /// <summary>Noise with runs of every length (values −2500..1499, so about a third is inside 226..3071), odd sizes that leave partial words.</summary>
    private static Volume<short> NoiseVolume(int nx, int ny, int nz, int seed)
    {
        var random = new Random(seed);
        var voxels = new short[nx * ny * nz];
        for (int n = 0; n < voxels.Length; n++)
        {
            // Blocks of equal values along x make longer runs and larger components than independent voxels.
            voxels[n] = n % nx % 3 == 0 || n == 0 ? (short)random.Next(-2500, 1500) : voxels[n - 1];
        }

        return new Volume<short>(VolumeGeometry.AxisAligned(nx, ny, nz, 0.8, 0.7, 1.3, new Vector3D(-5, 3, 11)), voxels);
    }

    private static Volume<short> Input(string name)
    {
        switch (name)
        {
            case "noise":
                return NoiseVolume(131, 29, 23, 5);
            case "phantom":
                return Phantoms.CtPhantom(96, 48, 3);
            default:
                string? root = RepoPaths.Root;
                Skip.If(root is null, "The repository root (samples/) was not found.");
                string folder = Path.Combine(root!, "samples", "ge-head-tilt-jpegll");
                return DicomSeriesLoader.LoadHu(DicomDirectoryScanner.Scan(folder).DefaultSeries!);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(130)]
    public void BitRunsEqualByteRuns(int length)
    {
        var random = new Random(length);
        for (int trial = 0; trial < 200; trial++)
        {
            var row = new byte[length];
            double density = random.NextDouble();
            for (int x = 0; x < length; x++)
            {
                row[x] = random.NextDouble() < density ? (byte)(1 + random.Next(255)) : (byte)0;
            }

            var words = new ulong[(length + 63) / 64];
            BitMask.Pack(row, words);
            var packed = new ulong[words.Length];
            PackedThreshold.Pack(row, packed);
            Assert.Equal(words, packed);
            foreach (bool invert in new[] { false, true })
            {
                int[] s0 = new int[length + 1], e0 = new int[length + 1], s1 = new int[length + 1], e1 = new int[length + 1];
                int n0 = RunLabeler.ExtractRuns(row, invert, s0, e0);
                int n1 = BitMaskRunSource.ExtractRuns(words, length, invert, s1, e1);
                Assert.Equal(n0, n1);
                Assert.Equal(s0[..n0], s1[..n1]);
                Assert.Equal(e0[..n0], e1[..n1]);
            }
        }
    }

    [Fact]
    public void PackedMaskRoundTripsAndCountsAsTheByteMask()
    {
        Volume<short> volume = NoiseVolume(67, 13, 9, 2);
        Mask mask = Threshold.Apply(volume, ThresholdPresets.Bone);
        BitMask bits = PackedThreshold.Apply(volume, ThresholdPresets.Bone, 3, default);
        Assert.Equal(BitMask.FromMask(mask).Words, bits.Words);
        Assert.Equal(mask.Voxels, bits.ToMask().Voxels);
        Assert.Equal(mask.CountInside(), bits.CountInside());
        Assert.True(bits[66, 12, 8] == mask[66, 12, 8]);
        Assert.True(mask.CountInside() > 0 && mask.CountInside() < mask.Voxels.Length);
    }

    [Fact]
    public void VolumesOverOneArrayAreRefusedWithTheSize()
    {
        VolumeGeometry huge = VolumeGeometry.AxisAligned(2048, 2048, 600);
        ArgumentException e = Assert.Throws<ArgumentException>(() => new BitMask(huge));
        Assert.Contains("2048×2048×600", e.Message, StringComparison.Ordinal);
        Assert.Contains("exceeds one managed array", e.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(Inputs))]
    public void RunLabellingFromTheVolumeEqualsLabelVolume(string input, int connectivity)
    {
        Volume<short> volume = Input(input);
        var options = new ConnectedComponentsOptions { Connectivity = (Connectivity)connectivity, MaxDegreeOfParallelism = 3 };
        LabelVolume labels = ConnectedComponents.Label(Threshold.Apply(volume, ThresholdPresets.Bone), options);
        RunComponents runs = RunComponents.FromThreshold(volume, ThresholdPresets.Bone, options, default);
        Assert.True(labels.ComponentCount > 1, "the input should have several components");
        Assert.Equal(labels.ComponentCount, runs.ComponentCount);
        Assert.Equal(labels.Statistics, runs.Statistics);
        for (int k = 0; k < volume.SizeZ; k++)
        {
            for (int j = 0; j < volume.SizeY; j++)
            {
                for (int i = 0; i < volume.SizeX; i++)
                {
                    if (labels[i, j, k] != runs[i, j, k])
                    {
                        Assert.Fail($"voxel ({i}, {j}, {k}): label {labels[i, j, k]}, run label {runs[i, j, k]}");
                    }
                }
            }
        }

        // Labelling the packed mask gives the same runs again.
        BitMask all = runs.CreateBitMask([.. Enumerable.Range(1, runs.ComponentCount)], 2, default);
        Assert.Equal(labels.Statistics, RunComponents.FromBits(all, options, default).Statistics);
    }

    [SkippableTheory]
    [MemberData(nameof(Inputs))]
    public void SelectionAndKeptMaskEqualTheLabelVolumePath(string input, int connectivity)
    {
        Volume<short> volume = Input(input);
        var options = new ConnectedComponentsOptions { Connectivity = (Connectivity)connectivity };
        LabelVolume labels = ConnectedComponents.Label(Threshold.Apply(volume, ThresholdPresets.Bone), options);
        RunComponents runs = RunComponents.FromThreshold(volume, ThresholdPresets.Bone, options, default);
        ComponentStatistics largest = labels.Statistics.MaxBy(s => s.VoxelCount)!;
        ComponentStatistics smallest = labels.Statistics.MinBy(s => s.VoxelCount)!;

        // A background voxel next to the largest component's first voxel, so the seed search has work to do.
        VoxelIndex first = largest.FirstVoxel;
        VoxelIndex? backgroundSeed = null;
        foreach ((int di, int dj, int dk) in new[] { (-1, 0, 0), (0, -1, 0), (0, 0, -1) })
        {
            int i = first.I + di, j = first.J + dj, k = first.K + dk;
            if (i >= 0 && j >= 0 && k >= 0 && labels[i, j, k] == 0)
            {
                backgroundSeed = new VoxelIndex(i, j, k);
                break;
            }
        }

        var selections = new List<ComponentSelection>
        {
            ComponentSelection.LargestOnly,
            ComponentSelection.Largest(3),
            ComponentSelection.All,
            ComponentSelection.AboveVolume((largest.VolumeMm3 + smallest.VolumeMm3) / 2),
            ComponentSelection.AboveVolume(smallest.VolumeMm3 * 2) with { Mode = ComponentSelectionMode.Largest, Count = 2 },
            ComponentSelection.AtSeed(largest.CentroidLps, 3),
            ComponentSelection.AtSeed(first),
        };
        if (backgroundSeed is VoxelIndex seed)
        {
            selections.Add(ComponentSelection.AtSeed(seed, 2.5));
        }

        foreach (ComponentSelection selection in selections)
        {
            IReadOnlyList<int> expected;
            try
            {
                expected = ComponentSelector.SelectLabels(labels, selection);
            }
            catch (ArgumentException e)
            {
                // A seed that is background with nothing near: the run path must refuse it the same way.
                ArgumentException again = Assert.ThrowsAny<ArgumentException>(() => runs.Select(selection));
                Assert.Equal(e.Message, again.Message);
                continue;
            }

            IReadOnlyList<int> kept = runs.Select(selection);
            Assert.Equal(expected, kept);
            Assert.Equal(labels.CreateMask(expected).Voxels, runs.CreateBitMask(kept, 2, default).ToMask().Voxels);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Inputs))]
    public void HoleFillingOnBitsEqualsHoleFilling(string input, int connectivity)
    {
        Volume<short> volume = Input(input);
        Mask mask = Threshold.Apply(volume, ThresholdPresets.Bone);
        foreach (double maxHole in new[] { double.PositiveInfinity, 5.0 })
        {
            var options = new HoleFillingOptions { Connectivity = (Connectivity)connectivity, MaximumHoleVolumeMm3 = maxHole, MaxDegreeOfParallelism = 2 };
            Mask expected = HoleFilling.Fill(mask, options);
            BitMask bits = BitMask.FromMask(mask);
            PackedHoleFilling.FillInPlace(bits, options, default);
            Assert.Equal(expected.Voxels, bits.ToMask().Voxels);
            if (maxHole == double.PositiveInfinity && input != "noise")
            {
                Assert.True(expected.CountInside() > mask.CountInside(), "the input should have cavities to fill");
            }
        }
    }

    [SkippableTheory]
    [InlineData("noise", 1)]
    [InlineData("noise", -1)]
    [InlineData("phantom", 2)]
    [InlineData("ge-head", -1)]
    public void MarchingCubesOfThePackedMaskEqualsTheByteMaskBitForBit(string input, int threads)
    {
        Volume<short> volume = Input(input);
        Mask mask = HoleFilling.Fill(ConnectedComponents.Keep(Threshold.Apply(volume, ThresholdPresets.Bone), ComponentSelection.Largest(2)));
        var options = new MarchingCubesOptions { MaxDegreeOfParallelism = threads };
        HuRange bone = ThresholdPresets.Bone;
        Mesh expected = MarchingCubes.FromMaskedRange(volume, mask, bone.Low, bone.High, options);
        Mesh packed = PackedMaskMarchingCubes.FromMaskedRange(volume, BitMask.FromMask(mask), bone.Low, bone.High, options);
        Assert.True(expected.TriangleCount > 100);
        Assert.Equal(expected.Indices, packed.Indices);
        Assert.Equal(expected.Vertices, packed.Vertices);
        Assert.True(MeshReport.Compute(packed).IsWatertight);
    }

    [SkippableTheory]
    [InlineData("phantom", 6, true)]
    [InlineData("phantom", 26, false)]
    [InlineData("noise", 18, true)]
    [InlineData("ge-head", 6, true)]
    public void PipelineEqualsTheByteMaskStages(string input, int connectivity, bool keep)
    {
        Volume<short> volume = Input(input);
        short[] before = (short[])volume.Voxels.Clone();
        HuRange bone = ThresholdPresets.Bone;
        var options = new VolumeMeshPipelineOptions
        {
            Range = bone,
            Keep = keep ? ComponentSelection.LargestOnly : null,
            FillHoles = true,
            Connectivity = (Connectivity)connectivity,
            Device = "cpu",
        };
        using (var cpu = VolumeMesh.Execution.ComputeContext.Create("cpu"))
        {
            Assert.True(PackedMaskPipeline.Applies(options, cpu));
        }

        // The byte-mask stages, by hand.
        var labelOptions = new ConnectedComponentsOptions { Connectivity = (Connectivity)connectivity };
        Mask mask = Threshold.Apply(volume, bone);
        LabelVolume? labels = keep ? ConnectedComponents.Label(mask, labelOptions) : null;
        if (labels is not null)
        {
            mask = ComponentSelector.Select(labels, ComponentSelection.LargestOnly);
        }

        mask = HoleFilling.Fill(mask, new HoleFillingOptions());
        Mesh expected = MarchingCubes.FromMaskedRange(volume, mask, bone.Low, bone.High);

        var pipelineVolume = PipelineVolume.FromInt16(volume, input);
        VolumeMeshResult result = VolumeMeshPipeline.Mesh(pipelineVolume, options);
        Assert.Equal(expected.Indices, result.Mesh.Indices);
        Assert.Equal(expected.Vertices, result.Mesh.Vertices);
        Assert.Equal(labels?.Statistics ?? [], result.Components);
        Assert.Equal(labels is null ? [] : ComponentSelector.SelectLabels(labels, ComponentSelection.LargestOnly), result.KeptLabels);
        Assert.Contains("holes filled", result.Inside, StringComparison.Ordinal);

        // A library caller's volume is neither modified nor taken away unless it is handed over.
        Assert.False(pipelineVolume.IsReleased);
        Assert.Same(volume, pipelineVolume.Int16);
        Assert.Equal(before, volume.Voxels);

        var handedOver = PipelineVolume.FromInt16(volume, input);
        VolumeMeshResult again = VolumeMeshPipeline.Mesh(handedOver, options with { ReleaseVolume = true });
        Assert.True(handedOver.IsReleased);
        Assert.Null(handedOver.Int16);
        Assert.Equal(volume.Geometry, handedOver.Geometry);
        Assert.Equal(result.Mesh.Vertices, again.Mesh.Vertices);
        Assert.Equal(before, volume.Voxels);
    }
}
