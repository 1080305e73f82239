using System.Numerics;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

/// <summary>Our 3MF read back by the 3MF Consortium's own lib3mf (Debian lib3mf1, through P/Invoke).</summary>
public sealed class Lib3mfTests
{
    [SkippableFact]
    public void Lib3mfReadsTheSameVerticesTrianglesNamesColoursAndUnit()
    {
        Skip.IfNot(Lib3mf.IsAvailable, "lib3mf is not installed (Debian: apt-get install lib3mf1); .ci/run installs it.");
        using var folder = new TempFolder();
        MeshPart[] parts =
        [
            new("bone", TestMeshes.RandomSoup(21, 400, 700), PartColor.Bone),
            new("hip implant <left> & \"cup\"", TestMeshes.Octahedron(new Vector3(-40, 12.5f, 7), 6), PartColor.Metal),
            new("glass", MeshFormatRoundTripTests.Asymmetric(), new PartColor(0, 128, 255, 64)),
        ];
        string path = folder.File("model.3mf");
        MeshFileWriter.Write(parts, path);

        Lib3mf.Model3mf model = Lib3mf.Read(path);

        Assert.Equal(1u, model.Unit); // MODELUNIT_MILLIMETER
        Assert.Equal(0u, model.Warnings);
        Assert.Equal(parts.Length, model.Objects.Count);
        Assert.Equal(parts.Length, model.BuildObjectIds.Count);
        for (int i = 0; i < parts.Length; i++)
        {
            Lib3mf.Object3mf read = model.Objects[i];
            Assert.Equal(parts[i].Name, read.Name);
            Assert.Equal(parts[i].Mesh.Vertices, read.Vertices);
            Assert.Equal(parts[i].Mesh.Indices, read.Indices);
            Assert.Equal(new Lib3mf.PartColor3mf(parts[i].Color.R, parts[i].Color.G, parts[i].Color.B, parts[i].Color.A), read.Color);
        }
    }

    [SkippableFact]
    public void Lib3mfReadsAMarchingCubesMeshWhole()
    {
        Skip.IfNot(Lib3mf.IsAvailable, "lib3mf is not installed (Debian: apt-get install lib3mf1); .ci/run installs it.");
        using var folder = new TempFolder();
        Mesh sphere = MarchingCubes.FromIso(VolumeMesh.Volumes.Phantoms.SphereDistanceField(40, 12), 0);
        string path = folder.File("sphere.3mf");
        MeshFileWriter.Write([new MeshPart("sphere", sphere)], path);

        Lib3mf.Object3mf read = Assert.Single(Lib3mf.Read(path).Objects);

        Assert.Equal(sphere.Vertices, read.Vertices);
        Assert.Equal(sphere.Indices, read.Indices);
        Assert.True(MeshReport.Compute(new Mesh(read.Vertices, read.Indices)).IsWatertight);
    }
}
