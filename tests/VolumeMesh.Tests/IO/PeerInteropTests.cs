using System.Globalization;
using System.Numerics;
using System.Text.Json;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.IO;

/// <summary>Files this library writes, read back by the peers' independent Python readers (../shared/peers).</summary>
public sealed class PeerInteropTests
{
    [SkippableTheory]
    [InlineData("binary")]
    [InlineData("ascii")]
    public void PeerMeshCheckerReadsOurStl(string format)
    {
        string peers = RequirePeers("meshcheck.py");
        using var folder = new TempFolder();
        string path = folder.File("octa.stl");
        Mesh mesh = TestMeshes.Octahedron(new Vector3(10, -20, 30), 3);
        StlWriter.Write(mesh, path, new StlWriteOptions { Format = format == "ascii" ? StlFormat.Ascii : StlFormat.Binary });

        var (code, output) = RepoPaths.Run(RepoPaths.PythonWithNumpy!, Path.Combine(peers, "meshcheck.py"), path, "--json");
        Assert.True(code == 0, output);
        using JsonDocument json = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        string text = json.RootElement.ToString();
        MeshReport ours = MeshReport.Compute(mesh);
        Assert.True(json.RootElement.GetProperty("closed").GetBoolean(), text);
        Assert.Equal(ours.Triangles, json.RootElement.GetProperty("triangles").GetInt32());
        Assert.Equal(ours.Vertices, json.RootElement.GetProperty("vertices").GetInt32());
        Assert.Equal(ours.VolumeMm3, FindNumber(json.RootElement, "volume"), 3);
        Assert.Contains("SPACE=LPS", json.RootElement.GetProperty("header").GetString(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(NrrdEncoding.Gzip)]
    [InlineData(NrrdEncoding.Raw)]
    public void PeerNrrdReaderReadsOurVolume(NrrdEncoding encoding)
    {
        string peers = RequirePeers("volio.py");
        using var folder = new TempFolder();
        string path = folder.File("ct.nrrd");
        Volume<short> ct = Phantoms.CtPhantom(32, 5, 4);
        var geometry = VolumeGeometry.FromAffine(32, 32, 5, new Vector3D(-5, 7, 11), new Vector3D(0, 0.5, 0), new Vector3D(0.5, 0, 0), new Vector3D(0, 0, 2));
        ct = new Volume<short>(geometry, ct.Voxels);
        NrrdWriter.Write(ct, path, new NrrdWriteOptions { Encoding = encoding });

        string script = "import sys, json; sys.path.insert(0, sys.argv[1]); from volio import read_nrrd; " +
            "v, o, d = read_nrrd(sys.argv[2]); print(json.dumps({'shape': list(v.shape), 'dtype': str(v.dtype), " +
            "'sum': int(v.astype('int64').sum()), 'first': int(v[0,0,0]), 'last': int(v[-1,-1,-1]), 'origin': o.tolist(), 'dirs': d.tolist()}))";
        var (code, output) = RepoPaths.Run(RepoPaths.PythonWithNumpy!, "-c", script, peers, path);
        Assert.True(code == 0, output);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement r = json.RootElement;
        Assert.Equal(new[] { 5, 32, 32 }, r.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("int16", r.GetProperty("dtype").GetString());
        Assert.Equal(ct.Voxels.Sum(v => (long)v), r.GetProperty("sum").GetInt64());
        Assert.Equal(ct.Voxels[0], r.GetProperty("first").GetInt32());
        Assert.Equal(ct.Voxels[^1], r.GetProperty("last").GetInt32());
        Assert.Equal(new[] { -5.0, 7, 11 }, r.GetProperty("origin").EnumerateArray().Select(e => e.GetDouble()));

        // volio's directions: columns are the i, j, k axis vectors.
        double[][] d = r.GetProperty("dirs").EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        Assert.Equal(new[] { 0.0, 0.5, 0 }, new[] { d[0][0], d[1][0], d[2][0] });
        Assert.Equal(new[] { 0.5, 0.0, 0 }, new[] { d[0][1], d[1][1], d[2][1] });
        Assert.Equal(new[] { 0.0, 0, 2 }, new[] { d[0][2], d[1][2], d[2][2] });
    }

    private static double FindNumber(JsonElement root, string prefix)
    {
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name.StartsWith(prefix, StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.Number)
            {
                return property.Value.GetDouble();
            }
        }

        throw new KeyNotFoundException($"no numeric property starting with '{prefix}' in {root}");
    }

    private static string RequirePeers(string script)
    {
        string? peers = RepoPaths.Peers;
        Skip.If(peers is null || !File.Exists(Path.Combine(peers, script)), $"../shared/peers/{script} is not present");
        Skip.If(RepoPaths.PythonWithNumpy is null, "no python3 with numpy on this machine");
        return peers!;
    }
}
