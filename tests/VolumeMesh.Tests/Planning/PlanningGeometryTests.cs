using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Planning;

namespace VolumeMesh.Tests.Planning;

public sealed class PlanningGeometryTests
{
    [Theory]
    [InlineData(20.0, 35.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(60.0, 10.0)]
    public void TrajectoryAnglesAreTheAnglesBetweenLineAndPlane(double sagittalDegrees, double axialDegrees)
    {
        double a = sagittalDegrees * Math.PI / 180;
        double b = axialDegrees * Math.PI / 180;
        var direction = new Vector3D(Math.Sin(a), -Math.Sqrt(1 - (Math.Sin(a) * Math.Sin(a)) - (Math.Sin(b) * Math.Sin(b))), Math.Sin(b));
        var entry = new Vector3D(12.5, -80, 340);
        var trajectory = new Trajectory(entry, entry + (direction * 45), 4);

        Assert.Equal(sagittalDegrees, trajectory.AngleToSagittalPlaneDegrees, 9);
        Assert.Equal(axialDegrees, trajectory.AngleToAxialPlaneDegrees, 9);
        Assert.Equal(sagittalDegrees, trajectory.LeftwardTiltDegrees, 9);
        Assert.Equal(axialDegrees, trajectory.CranialTiltDegrees, 9);

        // Reversed, the unsigned angles stay and the signed ones flip.
        var reversed = new Trajectory(trajectory.TargetLps, trajectory.EntryLps);
        Assert.Equal(axialDegrees, reversed.AngleToAxialPlaneDegrees, 9);
        Assert.Equal(-sagittalDegrees, reversed.LeftwardTiltDegrees, 9);
    }

    [Fact]
    public void TrajectoryCylinderIsClosedOrientedAndItsAxisPassesThroughTheGivenPoints()
    {
        var entry = new Vector3D(-31.25, 104.5, -620.75);
        var target = new Vector3D(-8.5, 140.25, -598.0);
        const double diameter = 4;
        const int segments = 32;
        Mesh mesh = new Trajectory(entry, target, diameter).CreateMesh(segments);

        MeshReport report = MeshReport.Compute(mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);
        Assert.Equal(2, report.ShellEulerCharacteristics[0]);
        double length = (target - entry).Length;
        double polygonArea = segments / 2.0 * (diameter / 2) * (diameter / 2) * Math.Sin(2 * Math.PI / segments);
        Assert.Equal(polygonArea * length, report.VolumeMm3, polygonArea * length * 1e-4);

        // The axis from the ring centroids (not the cap centre vertices): each ring's centroid is the given point.
        Vector3D axis = (target - entry).Normalized();
        var near = new List<Vector3D>();
        var far = new List<Vector3D>();
        foreach (Vector3 v in mesh.Vertices)
        {
            var p = new Vector3D(v.X, v.Y, v.Z);
            double along = Vector3D.Dot(p - entry, axis);
            double radial = (p - entry - (axis * along)).Length;
            if (radial < 1e-3)
            {
                continue;
            }

            Assert.Equal(diameter / 2, radial, 1e-4);
            (along < length / 2 ? near : far).Add(p);
        }

        Assert.Equal(segments, near.Count);
        Assert.Equal(segments, far.Count);
        Assert.True((Mean(near) - entry).Length < 0.01, $"entry ring centre {Mean(near)} vs {entry}");
        Assert.True((Mean(far) - target).Length < 0.01, $"target ring centre {Mean(far)} vs {target}");
    }

    [Fact]
    public void LandmarkIsASmallClosedSphere()
    {
        var landmark = new Landmark("entry", new Vector3D(10, -20, 30), 2.5);
        Mesh mesh = landmark.CreateMesh();

        MeshReport report = MeshReport.Compute(mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);
        Assert.Equal(2, report.ShellEulerCharacteristics[0]);
        Assert.InRange(report.VolumeMm3, 0.95 * 4 / 3.0 * Math.PI * 2.5 * 2.5 * 2.5, 4 / 3.0 * Math.PI * 2.5 * 2.5 * 2.5);
        foreach (Vector3 v in mesh.Vertices)
        {
            Assert.Equal(2.5, (new Vector3D(v.X, v.Y, v.Z) - landmark.PositionLps).Length, 1e-4);
        }
    }

    [Theory]
    [InlineData("1,2,3:4,5,6", true, 4.0)]
    [InlineData("1,2,3:4,5,6:3.5", true, 3.5)]
    [InlineData("1,2,3:1,2,3", false, 0.0)]
    [InlineData("1,2,3:4,5,6:-1", false, 0.0)]
    [InlineData("1,2:4,5,6", false, 0.0)]
    [InlineData("a,2,3:4,5,6", false, 0.0)]
    public void TrajectoryParsing(string text, bool valid, double diameter)
    {
        Assert.Equal(valid, Trajectory.TryParse(text, out Trajectory? trajectory));
        if (valid)
        {
            Assert.Equal(diameter, trajectory!.DiameterMm);
            Assert.Equal(new Vector3D(4, 5, 6), trajectory.TargetLps);
        }
    }

    private static Vector3D Mean(List<Vector3D> points)
    {
        Vector3D sum = Vector3D.Zero;
        foreach (Vector3D p in points)
        {
            sum += p;
        }

        return sum / points.Count;
    }
}
