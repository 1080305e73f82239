using System.Numerics;
using VolumeMesh.Components;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;
using Xunit.Abstractions;

namespace VolumeMesh.Tests.Planning;

public sealed class SeparationAndImplantTests(ITestOutputHelper output)
{
    private const double BallRadius = 10;

    [Fact]
    public void TwoBallsJoinedByAPartialVolumeBridgeBecomeTwoClosedPartsThatDoNotIntersect()
    {
        // Two 10 mm balls 0.3 mm apart, blurred over 1 mm: the blur fills the gap above the 50% threshold (a bridge).
        var axis = new Vector3D(0.8, 0.36, 0.48);
        var centre = new Vector3D(12.5, -160.25, 48.75);
        Vector3D c1 = centre - (axis * (BallRadius + 0.15));
        Vector3D c2 = centre + (axis * (BallRadius + 0.15));
        var geometry = PlanningFields.ObliqueGrid(128, 0.5, centre);
        Volume<float> field = PlanningFields.Sample(geometry, p =>
            1000 * Math.Min(1, Coverage((p - c1).Length - BallRadius) + Coverage((p - c2).Length - BallRadius)));
        var volume = PipelineVolume.FromFloat(field, "two balls");
        var options = new VolumeMeshPipelineOptions { Range = new HuRange(500, 3071) };

        // The threshold alone is one component: the balls touch.
        Mask threshold = Threshold.Apply(field, new HuRange(500, 3071));
        Assert.Equal(1, ConnectedComponents.Label(threshold, new ConnectedComponentsOptions { Connectivity = Connectivity.Six }).ComponentCount);

        PlanningResult result = PlanningPipeline.Mesh(volume, options, new PlanningOptions { SeparationSeedsLps = [c1 + new Vector3D(1, 2, -1), c2] });

        Assert.Equal(["bone-1", "bone-2"], result.Parts.Select(p => p.Name));
        double analytic = 4 / 3.0 * Math.PI * BallRadius * BallRadius * BallRadius;
        foreach (PlanningPart part in result.Parts)
        {
            output.WriteLine($"{part.Name}: {part.Report.VolumeMm3:F2} mm³ vs {analytic:F2} ({100 * (part.Report.VolumeMm3 - analytic) / analytic:F3}%)");
            Assert.True(part.Report.IsWatertight, part.Report.ToString());
            Assert.Equal(1, part.Report.Shells);
            Assert.True(Math.Abs(part.Report.VolumeMm3 - analytic) < 0.01 * analytic, $"{part.Name}: {part.Report.VolumeMm3:F1} mm³ vs {analytic:F1}");
        }

        Mesh a = result.Parts[0].Mesh;
        Mesh b = result.Parts[1].Mesh;

        // They touch (shared mid-edge vertices where the bridge was cut) ...
        var bVertices = new HashSet<Vector3>(b.Vertices);
        int shared = a.Vertices.Count(bVertices.Contains);
        Assert.True(shared > 0, "the parts should meet where the bridge was cut");

        // ... but no triangle of one lies inside the other.
        (int aInB, int aChecked) = MeshInside.TrianglesInside(a, b, 0.02f);
        (int bInA, int bChecked) = MeshInside.TrianglesInside(b, a, 0.02f);
        Assert.True(aChecked > 0 && bChecked > 0);
        output.WriteLine($"shared vertices {shared}; triangles checked {aChecked} + {bChecked}, inside the other {aInB} + {bInA}");
        Assert.Equal(0, aInB);
        Assert.Equal(0, bInA);
    }

    [Fact]
    public void SeedsAreCheckedAndTheFloodIsDeterministic()
    {
        var geometry = VolumeGeometry.AxisAligned(20, 10, 10);
        var mask = new Mask(geometry);
        for (int k = 2; k < 8; k++)
        {
            for (int j = 2; j < 8; j++)
            {
                for (int i = 1; i < 19; i++)
                {
                    mask.Volume[i, j, k] = 1;
                }
            }
        }

        ArgumentException far = Assert.Throws<ArgumentException>(() => BoneSeparation.Separate(mask, [new Vector3D(50, 50, 50)]));
        Assert.Contains("Seed 1", far.Message);
        Assert.Throws<ArgumentException>(() => BoneSeparation.Separate(mask, [new Vector3D(5, 5, 5), new Vector3D(5.2, 5, 5)]));

        LabelVolume first = BoneSeparation.Separate(mask, [new Vector3D(3, 5, 5), new Vector3D(16, 5, 5)]);
        LabelVolume second = BoneSeparation.Separate(mask, [new Vector3D(3, 5, 5), new Vector3D(16, 5, 5)], new SeparationOptions { MaxDegreeOfParallelism = 1 });
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(mask.CountInside(), first.Statistics[0].VoxelCount + first.Statistics[1].VoxelCount);
        Assert.InRange(first.Statistics[0].VoxelCount, 200, 448);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DistanceTransformMatchesBruteForce(bool inSubBox)
    {
        var geometry = VolumeGeometry.AxisAligned(13, 11, 9, 0.7, 0.9, 1.3);
        var mask = new Mask(geometry);
        var random = new Random(7);
        for (int k = 0; k < 9; k++)
        {
            for (int j = 0; j < 11; j++)
            {
                for (int i = 0; i < 13; i++)
                {
                    bool allowed = !inSubBox || (i is >= 2 and <= 10 && j is >= 1 and <= 8 && k is >= 2 and <= 6);
                    mask.Volume[i, j, k] = (byte)(allowed && random.NextDouble() < 0.85 ? 1 : 0);
                }
            }
        }

        Volume<float> distance = DistanceTransform.Compute(mask);
        for (int k = 0; k < 9; k++)
        {
            for (int j = 0; j < 11; j++)
            {
                for (int i = 0; i < 13; i++)
                {
                    double best = double.PositiveInfinity;
                    for (int kk = -1; kk <= 9; kk++)
                    {
                        for (int jj = -1; jj <= 11; jj++)
                        {
                            for (int ii = -1; ii <= 13; ii++)
                            {
                                bool outside = ii < 0 || jj < 0 || kk < 0 || ii >= 13 || jj >= 11 || kk >= 9 || !mask[ii, jj, kk];
                                if (outside)
                                {
                                    double dx = (ii - i) * 0.7, dy = (jj - j) * 0.9, dz = (kk - k) * 1.3;
                                    best = Math.Min(best, Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz)));
                                }
                            }
                        }
                    }

                    Assert.Equal(mask[i, j, k] ? best : 0, distance[i, j, k], 4);
                }
            }
        }
    }

    [Fact]
    public void MetalCylinderInABoneShellWithStreaksBecomesBoneAndImplant()
    {
        const double metalRadius = 5, metalHalfLength = 15, margin = 1.5, spacing = 0.5;
        Volume<short> hu = ImplantPhantom(spacing, metalRadius, metalHalfLength);
        var options = new VolumeMeshPipelineOptions { Range = ThresholdPresets.Bone };

        PlanningResult result = PlanningPipeline.Mesh(PipelineVolume.FromInt16(hu), options, new PlanningOptions { Implant = new ImplantOptions { MarginMm = margin } });

        Assert.Equal(["bone", "implant"], result.Parts.Select(p => p.Name));
        Assert.All(result.Parts, p => Assert.True(p.Report.IsWatertight, $"{p.Name}: {p.Report}"));
        Assert.Equal(1, result.Implant!.ImplantComponents);
        Assert.True(result.Implant.NoiseComponentsDropped >= 1, "the bright speck in the cortex is not an implant");

        double analytic = Math.PI * metalRadius * metalRadius * 2 * metalHalfLength;
        double implantVolume = result.Parts[1].Report.VolumeMm3;
        Assert.True(Math.Abs(implantVolume - analytic) < 0.02 * analytic, $"implant {implantVolume:F1} mm³ vs {analytic:F1} (surface at {result.Implant.SurfaceHu:F0} HU)");

        // No bone vertex within the margin of the metal (less one voxel: the removal is voxel-wise and the surface lies
        // half a voxel from the removed voxels' centres).
        double nearest = double.PositiveInfinity;
        foreach (Vector3 v in result.Parts[0].Mesh.Vertices)
        {
            double dr = Math.Max(Math.Sqrt((v.X * v.X) + (v.Y * v.Y)) - metalRadius, 0);
            double dz = Math.Max(Math.Abs(v.Z) - metalHalfLength, 0);
            nearest = Math.Min(nearest, Math.Sqrt((dr * dr) + (dz * dz)));
        }

        output.WriteLine($"implant {implantVolume:F1} mm³ vs {analytic:F1} ({100 * (implantVolume - analytic) / analytic:F3}%), surface {result.Implant.SurfaceHu:F0} HU; nearest bone vertex {nearest:F3} mm from the metal; {result.Implant.FragmentsDropped} fragments dropped");
        Assert.True(nearest >= margin - spacing, $"a bone vertex lies {nearest:F3} mm from the metal, inside the {margin} mm margin");
    }

    [Fact]
    public void StreakDebrisCutOffByTheMarginIsDroppedAndTheRestOfTheBoneKept()
    {
        // 1 mm voxels: a metal bar (3000 HU), a bone block 6 voxels away (kept), and a 2-voxel bone speck just beyond
        // the margin, touching the removed region (dropped as debris); a fixed surface value.
        var geometry = VolumeGeometry.AxisAligned(30, 20, 20);
        var hu = new Volume<short>(geometry);
        Array.Fill(hu.Voxels, (short)40);
        for (int k = 5; k < 15; k++)
        {
            for (int j = 5; j < 15; j++)
            {
                for (int i = 5; i < 9; i++)
                {
                    hu[i, j, k] = 3000;
                }

                for (int i = 14; i < 25; i++)
                {
                    hu[i, j, k] = 1000;
                }
            }
        }

        hu[10, 3, 10] = 900;
        hu[11, 3, 10] = 900;
        Mask bone = Threshold.Apply(hu, ThresholdPresets.Bone);

        ImplantSegmentationResult result = ImplantSegmentation.Segment(hu, bone, new ImplantOptions { MarginMm = 2, SurfaceHu = 2000, MinFragmentVolumeMm3 = 10 });

        Assert.Equal(2000, result.SurfaceHu);
        Assert.Equal(400, result.Implant.CountInside());
        Assert.Equal(1, result.FragmentsDropped);
        Assert.False(result.Bone[10, 3, 10] || result.Bone[11, 3, 10]);
        Assert.True(result.Bone[20, 10, 10]);
        Assert.False(result.Bone[6, 10, 10], "metal is not bone");
        Assert.True(result.Removed[10, 10, 10] && !result.Removed[11, 10, 10], "margin 2 mm plus half a voxel from the metal's voxels");

        // Without metal in the range there is no implant to separate.
        Assert.Throws<InvalidOperationException>(() => ImplantSegmentation.Segment(hu, bone, new ImplantOptions { MetalRange = new HuRange(5000, 6000) }));
    }

    /// <summary>Bone shell (cortex 1200 HU, r 9–13 mm; cancellous 400 HU inside) along z with a 3000 HU metal cylinder
    /// (r 5 mm, |z| ≤ 15 mm) in it, partial volume by 3³ supersampling, streaks radiating from the metal, Gaussian noise,
    /// and a 3000 HU speck in the cortex that is not an implant.</summary>
    internal static Volume<short> ImplantPhantom(double spacing, double metalRadius, double metalHalfLength)
    {
        int nxy = (int)(32 / spacing), nz = (int)(44 / spacing);
        var origin = new Vector3D(-(nxy - 1) * spacing / 2, -(nxy - 1) * spacing / 2, -(nz - 1) * spacing / 2);
        var geometry = VolumeGeometry.AxisAligned(nxy, nxy, nz, spacing, spacing, spacing, origin);
        var volume = new Volume<short>(geometry);
        var speck = new Vector3D(11, 0, 18);
        double Tissue(double x, double y, double z)
        {
            double r = Math.Sqrt((x * x) + (y * y));
            if (r <= metalRadius && Math.Abs(z) <= metalHalfLength)
            {
                return 3000;
            }

            if (((x - speck.X) * (x - speck.X)) + ((y - speck.Y) * (y - speck.Y)) + ((z - speck.Z) * (z - speck.Z)) <= 0.8 * 0.8)
            {
                return 3000;
            }

            return r < 9 ? 400 : r <= 13 ? 1200 : 40;
        }

        Parallel.For(0, nz, k =>
        {
            var random = new Random(1000 + k);
            for (int j = 0; j < nxy; j++)
            {
                for (int i = 0; i < nxy; i++)
                {
                    Vector3D p = geometry.IndexToPatient(i, j, k);
                    double sum = 0;
                    for (int a = -1; a <= 1; a++)
                    {
                        for (int b = -1; b <= 1; b++)
                        {
                            for (int c = -1; c <= 1; c++)
                            {
                                sum += Tissue(p.X + (a * spacing / 3), p.Y + (b * spacing / 3), p.Z + (c * spacing / 3));
                            }
                        }
                    }

                    double value = sum / 27;
                    double r = Math.Sqrt((p.X * p.X) + (p.Y * p.Y));
                    if (Math.Abs(p.Z) <= metalHalfLength && r > metalRadius)
                    {
                        double lobe = Math.Cos((6 * Math.Atan2(p.Y, p.X)) + 0.3);
                        value += 600 * metalRadius / r * Math.Sign(lobe) * Math.Pow(Math.Abs(lobe), 6);
                    }

                    double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                    value += 25 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                    volume[i, j, k] = (short)Math.Round(value);
                }
            }
        });
        return volume;
    }

    private static double Coverage(double signedDistanceMm) => Math.Clamp(0.5 - signedDistanceMm, 0, 1);
}
