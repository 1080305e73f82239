using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Processing;

public sealed class MarchingCubesDecimationTests
{
    private const double Radius = 20;

    [Theory]
    [InlineData(0.9, 0.2)]
    [InlineData(0.99, 1.5)]
    public void MarchingCubesSphereDecimatesWatertightWithinErrorAndVolume(double reduction, double maxError)
    {
        Mesh input = MarchingCubes.FromIso(SphereField(64, Radius), 0);
        MeshReport before = MeshReport.Compute(input);
        Assert.True(before.IsWatertight, before.ToString());

        DecimationResult result = MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = reduction, MaxErrorMm = maxError });
        MeshReport after = MeshReport.Compute(result.Mesh);
        int target = (int)Math.Ceiling(input.TriangleCount * (1 - reduction));
        Assert.Equal(DecimationStopReason.TargetReached, result.StopReason);
        Assert.InRange(after.Triangles, target - 2, target);
        Assert.True(after.IsWatertight, after.ToString());
        Assert.Equal(1, after.Shells);
        Assert.Equal([2], after.ShellEulerCharacteristics);
        Assert.InRange(after.VolumeMm3 / before.VolumeMm3, 0.99, 1.01);

        // Every output vertex within the error of the input surface, and the symmetric Hausdorff distance too.
        var toInput = new SurfaceDistance(input);
        foreach (var v in result.Mesh.Vertices)
        {
            Assert.True(toInput.Distance(v) <= maxError * 1.0001);
        }

        double hausdorff = SurfaceDistance.Hausdorff(input, result.Mesh);
        Assert.True(hausdorff <= maxError * 1.0001, $"Hausdorff {hausdorff} mm > {maxError} mm");

        // And the surface is still where the sphere is: within the error plus marching cubes' own deviation.
        foreach (var v in result.Mesh.Vertices)
        {
            double r = Math.Sqrt(Math.Pow(v.X - 31.5, 2) + Math.Pow(v.Y - 31.5, 2) + Math.Pow(v.Z - 31.5, 2));
            Assert.InRange(r, Radius - maxError - 0.1, Radius + maxError + 0.1);
        }
    }

    [Fact]
    public void SmoothedMarchingCubesSphereKeepsItsVolume()
    {
        Mesh input = MarchingCubes.FromIso(SphereField(64, Radius), 0);
        double volume = MeshReport.Compute(input).VolumeMm3;
        Assert.InRange(MeshReport.Compute(MeshSmoother.WindowedSinc(input)).VolumeMm3 / volume, 0.99, 1.01);
        Assert.InRange(MeshReport.Compute(MeshSmoother.Taubin(input)).VolumeMm3 / volume, 0.99, 1.01);
    }

    /// <summary>Signed distance field of a sphere (positive inside) about the grid centre, 1 mm voxels.</summary>
    private static Volume<float> SphereField(int n, double radius)
    {
        var volume = new Volume<float>(VolumeGeometry.AxisAligned(n, n, n));
        double c = (n - 1) / 2.0;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    volume[i, j, k] = (float)(radius - Math.Sqrt(((i - c) * (i - c)) + ((j - c) * (j - c)) + ((k - c) * (k - c))));
                }
            }
        }

        return volume;
    }
}
