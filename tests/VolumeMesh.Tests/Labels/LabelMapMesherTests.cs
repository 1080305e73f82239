using System.Numerics;
using VolumeMesh.Compute;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Labels;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Tests.Compute;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Labels;

public sealed class LabelMapMesherTests
{
    public static TheoryData<string> AllFiles() => new(LabelMapData.Files);

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void EachBlockLandsAtTheExpectedLpsMillimetres(string name)
    {
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File(name));
        double[,] ras = LabelMapData.AffineRas(name);
        IReadOnlyDictionary<int, LabelBounds> present = LabelMapMesher.Survey(labels);
        Assert.Equal([1, 2, 3, 5], present.Keys.Order());

        // Label 1 fills voxels i 2..6, j 3..8, k 2..7: its surface spans the index box [1.5, 6.5] × [2.5, 8.5] × [1.5, 7.5].
        Mesh mesh = LabelMapMesher.MeshLabel(labels, present[1]).Mesh;
        var min = new Vector3D(double.MaxValue, double.MaxValue, double.MaxValue);
        var max = new Vector3D(double.MinValue, double.MinValue, double.MinValue);
        foreach (Vector3 v in mesh.Vertices)
        {
            Vector3D index = LabelMapData.LpsToIndex(ras, new Vector3D(v.X, v.Y, v.Z));
            min = new(Math.Min(min.X, index.X), Math.Min(min.Y, index.Y), Math.Min(min.Z, index.Z));
            max = new(Math.Max(max.X, index.X), Math.Max(max.Y, index.Y), Math.Max(max.Z, index.Z));
        }

        const double Tolerance = 1e-4;
        Assert.True((min - new Vector3D(1.5, 2.5, 1.5)).Length < Tolerance, $"{name}: index-space minimum {min}");
        Assert.True((max - new Vector3D(6.5, 8.5, 7.5)).Length < Tolerance, $"{name}: index-space maximum {max}");

        // Closed, outward, and its volume is the index-space volume of the same block times nibabel's voxel volume.
        MeshReport report = MeshReport.Compute(mesh);
        Assert.True(report.IsWatertight, $"{name}: {report}");
        Assert.Equal(1, report.Shells);
        Mesh reference = MarchingCubes.FromMask(BlockMask(2, 6, 3, 8, 2, 7));
        double expectedVolume = MeshReport.Compute(reference).VolumeMm3 * LabelMapData.VoxelVolume(ras);
        Assert.True(Math.Abs(report.VolumeMm3 - expectedVolume) < 1e-4 * expectedVolume, $"{name}: volume {report.VolumeMm3}, expected {expectedVolume}");
    }

    [Theory]
    [InlineData("ras_sform.nii")]
    [InlineData("qform_only.nii")]
    [InlineData("oblique_sform.nii.gz")]
    public void TouchingLabelsShareTheirFaceVertexForVertex(string name)
    {
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File(name));
        double[,] ras = LabelMapData.AffineRas(name);
        IReadOnlyDictionary<int, LabelBounds> present = LabelMapMesher.Survey(labels);
        LabelMesh one = LabelMapMesher.MeshLabel(labels, present[1]);
        LabelMesh two = LabelMapMesher.MeshLabel(labels, present[2]);

        // The common face of labels 1 and 2 is the plane i = 6.5 for j 3..8, k 2..7: 6 × 6 lattice edges cross it.
        HashSet<Vector3> faceOne = VerticesOnPlane(one.Mesh, ras, 6.5);
        HashSet<Vector3> faceTwo = VerticesOnPlane(two.Mesh, ras, 6.5);
        Assert.Equal(36, faceOne.Count);
        Assert.True(faceOne.SetEquals(faceTwo), $"{name}: the shared face's vertices differ");

        // The face's triangles are the same triangles, wound oppositely (each part's outside faces the other).
        HashSet<string> trianglesOne = TrianglesWithin(one.Mesh, faceOne, reverse: false);
        HashSet<string> trianglesTwo = TrianglesWithin(two.Mesh, faceTwo, reverse: true);
        Assert.Equal(2 * 5 * 5, trianglesOne.Count);
        Assert.True(trianglesOne.SetEquals(trianglesTwo), $"{name}: the shared face's triangles differ");

        // Shared flags: exactly the vertices on faces with another label (1–2 face, and 1–3 face j = 8.5 for i 2..6, k 2..7).
        var flaggedOne = new HashSet<Vector3>();
        for (int v = 0; v < one.Mesh.VertexCount; v++)
        {
            if (one.SharedVertices[v])
            {
                flaggedOne.Add(one.Mesh.Vertices[v]);
            }
        }

        Assert.Equal(36 + (5 * 6), flaggedOne.Count);
        Assert.True(faceOne.IsSubsetOf(flaggedOne));
    }

    [Theory]
    [InlineData("ras_sform.nii")]
    [InlineData("qform_only.nii")]
    public void AThreeLabelJunctionStaysClosedAndManifoldPerLabel(string name)
    {
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File(name));
        IReadOnlyDictionary<int, LabelBounds> present = LabelMapMesher.Survey(labels);
        foreach (int id in new[] { 1, 2, 3, 5 })
        {
            MeshReport report = MeshReport.Compute(LabelMapMesher.MeshLabel(labels, present[id]).Mesh);
            Assert.True(report.IsWatertight, $"{name} label {id}: {report}");
            Assert.Equal(0, report.NonManifoldEdges);
            Assert.Equal(0, report.InconsistentlyOrientedEdges);
            Assert.True(report.VolumeMm3 > 0, $"{name} label {id}: volume {report.VolumeMm3}");
            Assert.Equal(1, report.Shells);
        }
    }

    [Fact]
    public void RandomLabelMapsGiveClosedPartsWhoseSharedVerticesMeetAnotherPart()
    {
        // Four labels from smoothed noise in a tilted, anisotropic, left-handed geometry: arbitrary junctions everywhere.
        var geometry = VolumeGeometry.FromAffine(18, 17, 15, new Vector3D(5, -3, 12), new(0.7, 0.1, 0), new(-0.1428571, 1.0, 0), new(0.2, 0, -1.3));
        Volume<int> labels = RandomLabels(geometry, seed: 7);
        IReadOnlyDictionary<int, LabelBounds> present = LabelMapMesher.Survey(labels);
        Assert.True(present.Count >= 3);
        var meshes = new Dictionary<int, LabelMesh>();
        foreach ((int id, LabelBounds bounds) in present)
        {
            meshes[id] = LabelMapMesher.MeshLabel(labels, bounds);
            MeshReport report = MeshReport.Compute(meshes[id].Mesh);
            Assert.True(report.IsWatertight, $"label {id}: {report}");
            Assert.True(report.VolumeMm3 > 0, $"label {id}: volume {report.VolumeMm3}");

            // The whole-volume mask gives exactly the same vertices: the crop changes nothing. The lowest label keeps the
            // table's triangles; higher ones adopt a lower neighbour's triangles in cells only the two share.
            var mask = new Mask(geometry);
            for (int v = 0; v < mask.Voxels.Length; v++)
            {
                mask.Voxels[v] = labels.Voxels[v] == id ? (byte)1 : (byte)0;
            }

            Mesh whole = MarchingCubes.FromMask(mask);
            Assert.Equal(whole.Vertices, meshes[id].Mesh.Vertices);
            if (id == present.Keys.Min())
            {
                Assert.Equal(whole.Indices, meshes[id].Mesh.Indices);
            }
        }

        int shared = 0;
        foreach ((int id, LabelMesh mesh) in meshes)
        {
            var others = new HashSet<Vector3>();
            foreach ((int otherId, LabelMesh other) in meshes)
            {
                if (otherId != id)
                {
                    others.UnionWith(other.Mesh.Vertices);
                }
            }

            for (int v = 0; v < mesh.Mesh.VertexCount; v++)
            {
                if (mesh.SharedVertices[v])
                {
                    shared++;
                    Assert.Contains(mesh.Mesh.Vertices[v], others);
                }
            }
        }

        Assert.True(shared > 100, $"only {shared} shared vertices");
    }

    [Fact]
    public void OnACurvedInterfaceTheTwoPartsHaveTheSameTriangles()
    {
        // Labels 1 and 2 split a block along a noisy surface. Vertices coincide by construction; the triangles coincide
        // too except in cells with an ambiguous face, where both parts leave a sliver of background (never an overlap).
        var geometry = VolumeGeometry.FromAffine(24, 22, 20, new Vector3D(1, 2, 3), new(0.8, 0, 0), new(0, 0.8, 0), new(0, 0, 1.25));
        Volume<int> noise = RandomLabels(geometry, seed: 3);
        var labels = new Volume<int>(geometry);
        for (int k = 1; k < geometry.SizeZ - 1; k++)
        {
            for (int j = 1; j < geometry.SizeY - 1; j++)
            {
                for (int i = 1; i < geometry.SizeX - 1; i++)
                {
                    labels[i, j, k] = noise[i, j, k] == 0 ? 1 : 2;
                }
            }
        }

        IReadOnlyDictionary<int, LabelBounds> present = LabelMapMesher.Survey(labels);
        LabelMesh one = LabelMapMesher.MeshLabel(labels, present[1]);
        LabelMesh two = LabelMapMesher.MeshLabel(labels, present[2]);
        Assert.True(MeshReport.Compute(one.Mesh).IsWatertight);
        Assert.True(MeshReport.Compute(two.Mesh).IsWatertight);
        var sharedOne = new HashSet<Vector3>();
        var sharedTwo = new HashSet<Vector3>();
        for (int v = 0; v < one.Mesh.VertexCount; v++)
        {
            if (one.SharedVertices[v])
            {
                sharedOne.Add(one.Mesh.Vertices[v]);
            }
        }

        for (int v = 0; v < two.Mesh.VertexCount; v++)
        {
            if (two.SharedVertices[v])
            {
                sharedTwo.Add(two.Mesh.Vertices[v]);
            }
        }

        Assert.True(sharedOne.SetEquals(sharedTwo));
        HashSet<string> trianglesOne = TrianglesWithin(one.Mesh, sharedOne, reverse: false);
        HashSet<string> trianglesTwo = TrianglesWithin(two.Mesh, sharedTwo, reverse: true);
        int common = trianglesOne.Count(trianglesTwo.Contains);
        Assert.True(trianglesOne.Count > 2000, $"{trianglesOne.Count} interface triangles");
        Assert.True(common >= 0.85 * trianglesOne.Count, $"{common} common of {trianglesOne.Count} / {trianglesTwo.Count} interface triangles");

        // Every triangle that differs lies in a cell that touches the background frame or has an ambiguous face.
        int explained = 0;
        foreach (HashSet<string> own in new[] { trianglesOne, trianglesTwo })
        {
            foreach (string key in own)
            {
                if (trianglesOne.Contains(key) && trianglesTwo.Contains(key))
                {
                    continue;
                }

                (int cx, int cy, int cz) = CellOfKey(key, geometry);
                Assert.True(TouchesBackgroundOrAmbiguous(labels, cx, cy, cz), $"triangle {key} in cell ({cx},{cy},{cz}) differs between the parts");
                explained++;
            }
        }

        Assert.True(explained < 0.15 * (trianglesOne.Count + trianglesTwo.Count), $"{explained} differing triangles");
    }

    private static (int X, int Y, int Z) CellOfKey(string key, VolumeGeometry geometry)
    {
        double minI = double.MaxValue, minJ = double.MaxValue, minK = double.MaxValue;
        foreach (string corner in key.Split('|'))
        {
            string[] xyz = corner.Trim('<', '>').Split(',');
            var p = new Vector3D(
                double.Parse(xyz[0], System.Globalization.CultureInfo.CurrentCulture),
                double.Parse(xyz[1], System.Globalization.CultureInfo.CurrentCulture),
                double.Parse(xyz[2], System.Globalization.CultureInfo.CurrentCulture));
            (double i, double j, double k) = geometry.PatientToIndex(p);
            minI = Math.Min(minI, i);
            minJ = Math.Min(minJ, j);
            minK = Math.Min(minK, k);
        }

        return ((int)Math.Floor(minI + 1e-4), (int)Math.Floor(minJ + 1e-4), (int)Math.Floor(minK + 1e-4));
    }

    private static bool TouchesBackgroundOrAmbiguous(Volume<int> labels, int cx, int cy, int cz)
    {
        // Corner value at (dx, dy, dz); a face is ambiguous when its diagonal corners agree and its neighbours differ.
        int At(int dx, int dy, int dz) => labels[cx + dx, cy + dy, cz + dz];
        for (int d = 0; d < 8; d++)
        {
            if (At(d & 1, (d >> 1) & 1, d >> 2) == 0)
            {
                return true;
            }
        }

        bool Ambiguous(int a, int b, int c, int d) => a == c && b == d && a != b;
        return Ambiguous(At(0, 0, 0), At(0, 1, 0), At(0, 1, 1), At(0, 0, 1)) || Ambiguous(At(1, 0, 0), At(1, 1, 0), At(1, 1, 1), At(1, 0, 1))
            || Ambiguous(At(0, 0, 0), At(1, 0, 0), At(1, 0, 1), At(0, 0, 1)) || Ambiguous(At(0, 1, 0), At(1, 1, 0), At(1, 1, 1), At(0, 1, 1))
            || Ambiguous(At(0, 0, 0), At(1, 0, 0), At(1, 1, 0), At(0, 1, 0)) || Ambiguous(At(0, 0, 1), At(1, 0, 1), At(1, 1, 1), At(0, 1, 1));
    }

    [Fact]
    public void TheIlgpuCpuAcceleratorGivesTheManagedMeshes()
    {
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File("oblique_sform.nii.gz"));
        IReadOnlyDictionary<int, LabelBounds> present = LabelMapMesher.Survey(labels);
        var gpu = new GpuMarchingCubes(GpuTestSupport.IlgpuCpu);
        foreach ((int id, LabelBounds bounds) in present)
        {
            LabelMesh managed = LabelMapMesher.MeshLabel(labels, bounds);
            LabelMesh accelerated = LabelMapMesher.MeshLabel(labels, bounds, gpu);
            GpuTestSupport.AssertSameMesh(managed.Mesh, accelerated.Mesh, $"label {id}");
            Assert.Equal(managed.Mesh.Vertices, accelerated.Mesh.Vertices);
            Assert.Equal(managed.SharedVertices, accelerated.SharedVertices);
        }
    }

    [Fact]
    public void SmoothingAndDecimationKeepTheSharedFaceOfBothParts()
    {
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File("oblique_sform.nii.gz"));
        double[,] ras = LabelMapData.AffineRas("oblique_sform.nii.gz");
        LabelMapResult raw = LabelMapPipeline.Mesh(labels, null, new LabelMapPipelineOptions { Labels = "1,2", Device = "cpu" });
        LabelMapResult processed = LabelMapPipeline.Mesh(
            labels, null, new LabelMapPipelineOptions { Labels = "1,2", Device = "cpu", SmoothIterations = 20, DecimateRatio = 0.7 });
        HashSet<Vector3> face = VerticesOnPlane(raw.Parts[0].Mesh!, ras, 6.5);
        foreach (LabelPartResult part in processed.Parts)
        {
            MeshReport report = MeshReport.Compute(part.Mesh!);
            Assert.True(report.IsWatertight, $"label {part.Id}: {report}");
            Assert.True(part.Mesh!.TriangleCount < raw.Parts[part.Id - 1].Mesh!.TriangleCount * 0.6, $"label {part.Id}: {part.Mesh.TriangleCount} triangles");
            var positions = new HashSet<Vector3>(part.Mesh.Vertices);
            Assert.True(face.IsSubsetOf(positions), $"label {part.Id} lost shared-face vertices");
        }

        // Both processed parts still have the same triangles on the shared face.
        HashSet<string> one = TrianglesWithin(processed.Parts[0].Mesh!, face, reverse: false);
        HashSet<string> two = TrianglesWithin(processed.Parts[1].Mesh!, face, reverse: true);
        Assert.Equal(50, one.Count);
        Assert.True(one.SetEquals(two));
    }

    [Fact]
    public void DecimatingAPartWithALargeLockedFaceKeepsItsVolume()
    {
        // Two stacked elliptic cylinders: label 1's whole top is shared (locked). The reduction applies to what can go, so
        // reaching it does not eat the free surface (asking 90% of all triangles did: the part lost 58% of its volume).
        var labels = new Volume<int>(VolumeGeometry.AxisAligned(80, 80, 40, 0.8, 0.8, 1.5));
        for (int k = 5; k < 33; k++)
        {
            for (int j = 0; j < 80; j++)
            {
                for (int i = 0; i < 80; i++)
                {
                    if (Math.Pow((i - 40) / 30.0, 2) + Math.Pow((j - 40) / 22.0, 2) <= 1)
                    {
                        labels[i, j, k] = k < 19 ? 1 : 2;
                    }
                }
            }
        }

        LabelMapResult raw = LabelMapPipeline.Mesh(labels, null, new LabelMapPipelineOptions { Device = "cpu" });
        LabelMapResult decimated = LabelMapPipeline.Mesh(labels, null, new LabelMapPipelineOptions { Device = "cpu", DecimateRatio = 0.9 });
        for (int p = 0; p < 2; p++)
        {
            double before = raw.Parts[p].Report!.VolumeMm3, after = decimated.Parts[p].Report!.VolumeMm3;
            Assert.True(Math.Abs(after - before) < 0.01 * before, $"label {p + 1}: volume {before:F0} → {after:F0} mm³");
            Assert.True(decimated.Parts[p].Report!.IsWatertight);
            Assert.True(decimated.Parts[p].Report!.Triangles < raw.Parts[p].Report!.Triangles / 2, $"label {p + 1}: {raw.Parts[p].Report!.Triangles} → {decimated.Parts[p].Report!.Triangles} triangles");
        }
    }

    [Fact]
    public void AbsentAndEmptyLabelsAreReportedAndNotWritten()
    {
        using var temp = new Support.TempFolder();
        Volume<int> labels = LabelMapPipeline.ReadLabelMap(LabelMapData.File("ras_sform.nii"));

        // Label 5 (2×2×2 voxels, ~31 mm³) falls under the minimum shell volume; label 4 does not exist.
        LabelMapResult result = LabelMapPipeline.Run(
            labels, null, temp.Path, new LabelMapPipelineOptions { Labels = "1,4,5", Split = true, Device = "cpu", MinShellVolumeMm3 = 100 });
        Assert.Equal([LabelPartStatus.Written, LabelPartStatus.Absent, LabelPartStatus.Empty], result.Parts.Select(p => p.Status));
        Assert.Equal([Path.Combine(temp.Path, "1_label_1.stl")], result.Files);
        Assert.Single(Directory.GetFiles(temp.Path));
        StlFile back = StlReader.Read(result.Files[0]);
        Assert.True(MeshReport.Compute(back.Mesh).IsWatertight);
    }

    private static Mask BlockMask(int i0, int i1, int j0, int j1, int k0, int k1)
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(LabelMapData.SizeX, LabelMapData.SizeY, LabelMapData.SizeZ));
        for (int k = k0; k <= k1; k++)
        {
            for (int j = j0; j <= j1; j++)
            {
                for (int i = i0; i <= i1; i++)
                {
                    mask.Volume[i, j, k] = 1;
                }
            }
        }

        return mask;
    }

    private static HashSet<Vector3> VerticesOnPlane(Mesh mesh, double[,] ras, double i)
    {
        var result = new HashSet<Vector3>();
        foreach (Vector3 v in mesh.Vertices)
        {
            if (Math.Abs(LabelMapData.LpsToIndex(ras, new Vector3D(v.X, v.Y, v.Z)).X - i) < 1e-3)
            {
                result.Add(v);
            }
        }

        return result;
    }

    /// <summary>The triangles whose three corners are in the set, as position triples rotated to start at the smallest corner.</summary>
    private static HashSet<string> TrianglesWithin(Mesh mesh, HashSet<Vector3> corners, bool reverse)
    {
        var result = new HashSet<string>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            (int a, int b, int c) = mesh.Triangle(t);
            Vector3 pa = mesh.Vertices[a], pb = mesh.Vertices[b], pc = mesh.Vertices[c];
            if (!corners.Contains(pa) || !corners.Contains(pb) || !corners.Contains(pc))
            {
                continue;
            }

            Vector3[] cycle = reverse ? [pa, pc, pb] : [pa, pb, pc];
            int start = 0;
            for (int n = 1; n < 3; n++)
            {
                if (Compare(cycle[n], cycle[start]) < 0)
                {
                    start = n;
                }
            }

            result.Add($"{cycle[start]}|{cycle[(start + 1) % 3]}|{cycle[(start + 2) % 3]}");
        }

        return result;
    }

    private static int Compare(Vector3 a, Vector3 b) =>
        a.X != b.X ? a.X.CompareTo(b.X) : a.Y != b.Y ? a.Y.CompareTo(b.Y) : a.Z.CompareTo(b.Z);

    private static Volume<int> RandomLabels(VolumeGeometry geometry, int seed)
    {
        var random = new Random(seed);
        int n = (int)geometry.VoxelCount;
        var noise = new double[n];
        for (int v = 0; v < n; v++)
        {
            noise[v] = random.NextDouble();
        }

        var labels = new Volume<int>(geometry);
        for (int k = 0; k < geometry.SizeZ; k++)
        {
            for (int j = 0; j < geometry.SizeY; j++)
            {
                for (int i = 0; i < geometry.SizeX; i++)
                {
                    // A box blur of the noise, quantised into background and labels 1–4.
                    double sum = 0;
                    int count = 0;
                    for (int dk = -1; dk <= 1; dk++)
                    {
                        for (int dj = -1; dj <= 1; dj++)
                        {
                            for (int di = -1; di <= 1; di++)
                            {
                                int x = i + di, y = j + dj, z = k + dk;
                                if (x >= 0 && y >= 0 && z >= 0 && x < geometry.SizeX && y < geometry.SizeY && z < geometry.SizeZ)
                                {
                                    sum += noise[x + (geometry.SizeX * (y + (geometry.SizeY * z)))];
                                    count++;
                                }
                            }
                        }
                    }

                    double m = sum / count;
                    labels[i, j, k] = m < 0.45 ? 0 : Math.Min(4, 1 + (int)((m - 0.45) * 40));
                }
            }
        }

        return labels;
    }
}
