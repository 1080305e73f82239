using System.Numerics;
using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

public sealed class MeshReportJsonTests
{
    [Fact]
    public void ReportSerialisesEveryFieldInCamelCase()
    {
        MeshReport report = MeshReport.Compute(TestMeshes.Octahedron(new Vector3(1, 2, 3), 2));
        string json = MeshReportJson.Serialize(report);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;

        Assert.Equal(6, root.GetProperty("vertices").GetInt32());
        Assert.Equal(8, root.GetProperty("triangles").GetInt32());
        Assert.Equal(12, root.GetProperty("edges").GetInt32());
        Assert.Equal(0, root.GetProperty("boundaryEdges").GetInt32());
        Assert.Equal(0, root.GetProperty("nonManifoldEdges").GetInt32());
        Assert.Equal(0, root.GetProperty("inconsistentlyOrientedEdges").GetInt32());
        Assert.Equal(0, root.GetProperty("degenerateTriangles").GetInt32());
        Assert.Equal(0, root.GetProperty("duplicateTriangles").GetInt32());
        Assert.Equal(0, root.GetProperty("unreferencedVertices").GetInt32());
        Assert.Equal(1, root.GetProperty("shells").GetInt32());
        Assert.Equal(2, root.GetProperty("shellEulerCharacteristics")[0].GetInt32());
        Assert.True(root.GetProperty("isClosed").GetBoolean());
        Assert.True(root.GetProperty("isWatertight").GetBoolean());

        // Octahedron of radius 2: volume 4/3 r³, area 4√3 r².
        Assert.Equal(4.0 / 3 * 8, root.GetProperty("volumeMm3").GetDouble(), 5);
        Assert.Equal(4 * Math.Sqrt(3) * 4, root.GetProperty("areaMm2").GetDouble(), 5);
        Assert.Equal(new[] { -1.0, 0.0, 1.0 }, root.GetProperty("boundsMin").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(new[] { 3.0, 4.0, 5.0 }, root.GetProperty("boundsMax").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(17, root.EnumerateObject().Count());
    }

    [Fact]
    public void ReportRoundTrips()
    {
        MeshReport report = MeshReport.Compute(TestMeshes.RandomSoup(5, 50, 80));
        MeshReport back = MeshReportJson.Deserialize(MeshReportJson.Serialize(report, indented: false));
        Assert.Equal(report.ShellEulerCharacteristics, back.ShellEulerCharacteristics);
        Assert.Equal(report with { ShellEulerCharacteristics = [] }, back with { ShellEulerCharacteristics = [] });
        Assert.DoesNotContain('\n', MeshReportJson.Serialize(report, indented: false));
    }
}
