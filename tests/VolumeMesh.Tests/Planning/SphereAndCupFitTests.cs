using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Planning;
using VolumeMesh.Volumes;
using Xunit.Abstractions;

namespace VolumeMesh.Tests.Planning;

public sealed class SphereAndCupFitTests(ITestOutputHelper output)
{
    [Fact]
    public void SphereFitOnAMeshedSphereFindsCentreAndRadius()
    {
        const double spacing = 0.8;
        var centre = new Vector3D(-41.3, 17.9, 233.45);
        const double radius = 22.5;
        var geometry = PlanningFields.ObliqueGrid(72, spacing, centre + new Vector3D(0.31, -0.17, 0.23));
        Volume<float> field = PlanningFields.Sample(geometry, p => radius - (p - centre).Length);
        Mesh mesh = MarchingCubes.FromIso(field, 0);

        // Seed 3 mm off the centre, search ball wider than the sphere: every vertex is used.
        SphereFit fit = SphereFitter.Fit(mesh, new SphereFitOptions(centre + new Vector3D(2, -1.5, 1), radius + 6));
        output.WriteLine($"sphere: centre error {(fit.CenterLps - centre).Length:F5} mm ({(fit.CenterLps - centre).Length / spacing:F4} voxel), radius error {100 * Math.Abs(fit.RadiusMm - radius) / radius:F4}%; {fit}");

        Assert.True((fit.CenterLps - centre).Length < 0.1 * spacing, $"centre {fit.CenterLps} vs {centre}");
        Assert.True(Math.Abs(fit.RadiusMm - radius) < 0.005 * radius, $"radius {fit.RadiusMm} vs {radius}");
        Assert.True(fit.RmsMm < 0.05, fit.ToString());
        Assert.True(fit.VerticesUsed > 0.95 * mesh.VertexCount, fit.ToString());
    }

    [Fact]
    public void SphereFitOnAPartOfTheSurfaceIgnoresTheRestOfTheMesh()
    {
        // A femoral-head-like ball on a neck (a cylinder): the search ball holds the head and the start of the neck.
        const double spacing = 0.7;
        var centre = new Vector3D(80, 20, -150);
        const double radius = 24;
        var neckAxis = new Vector3D(0.6, 0, -0.8);
        var geometry = PlanningFields.ObliqueGrid(100, spacing, centre + (neckAxis * 8));
        Volume<float> field = PlanningFields.Sample(geometry, p =>
        {
            double ball = radius - (p - centre).Length;
            Vector3D d = p - centre;
            double along = Vector3D.Dot(d, neckAxis);
            double neck = Math.Min(14 - (d - (neckAxis * along)).Length, 45 - along);
            return Math.Max(ball, Math.Min(neck, along));
        });
        Mesh mesh = MarchingCubes.FromIso(field, 0);

        SphereFit fit = SphereFitter.Fit(mesh, new SphereFitOptions(centre, radius + 3));
        output.WriteLine($"head on neck: centre error {(fit.CenterLps - centre).Length:F5} mm, radius error {100 * Math.Abs(fit.RadiusMm - radius) / radius:F4}%; {fit}");

        Assert.True((fit.CenterLps - centre).Length < 0.1 * spacing, $"centre {fit.CenterLps} vs {centre}");
        Assert.True(Math.Abs(fit.RadiusMm - radius) < 0.005 * radius, $"radius {fit.RadiusMm} vs {radius}");
        Assert.True(fit.VerticesUsed < fit.VerticesInSearch, fit.ToString());
    }

    [Theory]
    [InlineData(40.0, 15.0, 1)]
    [InlineData(50.0, -5.0, -1)]
    [InlineData(35.0, 25.0, -1)]
    public void CupFitOnAHemisphericalCupMeasuresItsRadiographicAngles(double inclination, double anteversion, int side)
    {
        // Cup axis (out of the opening) with Murray's radiographic angles: lateral (side · L), inferior (−S), anterior (−P).
        double ri = inclination * Math.PI / 180;
        double ra = anteversion * Math.PI / 180;
        var axis = new Vector3D(side * Math.Sin(ri) * Math.Cos(ra), -Math.Sin(ra), -Math.Cos(ri) * Math.Cos(ra));
        var centre = new Vector3D(side * 95.2, 8.7, -610.4);
        const double inner = 24;
        const double outer = 28;
        const double spacing = 0.6;
        var geometry = PlanningFields.ObliqueGrid(104, spacing, centre + new Vector3D(0.13, 0.21, -0.07));
        Volume<float> field = PlanningFields.Sample(geometry, p =>
        {
            Vector3D d = p - centre;
            double r = d.Length;
            return Math.Min(Math.Min(outer - r, r - inner), -Vector3D.Dot(d, axis));
        });
        Mesh mesh = MarchingCubes.FromIso(field, 0);
        Assert.True(MeshReport.Compute(mesh).IsWatertight);

        CupFit cup = CupFitter.Fit(mesh, new SphereFitOptions(centre + new Vector3D(1, 1, -1), inner + 1.5));
        output.WriteLine($"cup: inclination error {cup.InclinationDegrees - inclination:F4}°, anteversion error {cup.AnteversionDegrees - anteversion:F4}°; {cup}");

        Assert.True(Math.Abs(cup.InclinationDegrees - inclination) < 0.5, cup.ToString());
        Assert.True(Math.Abs(cup.AnteversionDegrees - anteversion) < 0.5, cup.ToString());
        Assert.True(Vector3D.Dot(cup.AxisLps, axis) > 0.999, cup.ToString());
        Assert.True((cup.Sphere.CenterLps - centre).Length < 0.1 * spacing, cup.ToString());
        Assert.True(Math.Abs(cup.Sphere.RadiusMm - inner) < 0.005 * inner, cup.ToString());
        Assert.InRange(cup.RimRadiusMm, inner - 1.5, inner + 0.5);
    }

    [Fact]
    public void RadiographicAnglesFollowMurray()
    {
        // Opening straight lateral: 90° inclination, no anteversion; straight down: 0°; 45° anterior-lateral in the axial plane.
        Assert.Equal((90.0, 0.0), CupFit.RadiographicAngles(new Vector3D(1, 0, 0)));
        Assert.Equal((0.0, 0.0), CupFit.RadiographicAngles(new Vector3D(0, 0, -1)));
        (double i, double a) = CupFit.RadiographicAngles(new Vector3D(1, -1, 0));
        Assert.Equal(90, i, 9);
        Assert.Equal(45, a, 9);
    }

    [Fact]
    public void AClosedSphereHasNoRimAndTooFewVerticesAreRefused()
    {
        Mesh sphere = PlanningShapes.Icosphere(new Vector3D(0, 0, 0), 10, 3);
        ArgumentException noRim = Assert.Throws<ArgumentException>(() => CupFitter.Fit(sphere, new SphereFitOptions(Vector3D.Zero, 12)));
        Assert.Contains("rim", noRim.Message);
        ArgumentException empty = Assert.Throws<ArgumentException>(() => SphereFitter.Fit(sphere, new SphereFitOptions(new Vector3D(100, 0, 0), 5)));
        Assert.Contains("at least 4", empty.Message);
    }
}
