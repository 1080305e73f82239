using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

/// <summary>The CLI on the real CT series the repository ships (samples/ge-head-tilt-jpegll: 28 JPEG-lossless slices, tilted, uneven).</summary>
public sealed class DicomCliTests
{
    private static string Sample => Path.Combine(RepoPaths.Root!, "samples", "ge-head-tilt-jpegll");

    [Fact]
    public void InfoListsTheSampleSeriesAsJson()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("info", Sample, "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement series = Assert.Single(doc.RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal("CT", series.GetProperty("modality").GetString());
        Assert.Equal(28, series.GetProperty("slices").GetInt32());
        Assert.Equal(512, series.GetProperty("columns").GetInt32());
        Assert.Equal(18.5, series.GetProperty("tiltDegrees").GetDouble(), 1);
        Assert.True(series.GetProperty("default").GetBoolean());
        Assert.NotEmpty(series.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void ReadmeMainJobOnTheShippedSampleIsWatertightBoneInPatientCoordinates()
    {
        using var folder = new TempFolder();
        string stl = folder.File("model.stl");
        string report = folder.File("report.json");
        (int code, _, string stderr) = CliRunner.Run("mesh", Sample, "-o", stl, "--preset", "bone", "--report", report);
        Assert.True(code == 0, stderr);

        MeshReport read = MeshReport.Compute(StlReader.Read(stl).Mesh);
        Assert.True(read.IsWatertight, read.ToString());

        // The skull of a head CT: tens of thousands of triangles, a volume of a few hundred cm³, within the scanned
        // field of view (512 × 0.488 mm = 250 mm) centred near the patient origin.
        Assert.True(read.Triangles > 100_000);
        Assert.InRange(read.VolumeMm3, 100_000, 2_000_000);
        Assert.InRange(read.BoundsMax.X - read.BoundsMin.X, 100, 250);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(read.Triangles, json.RootElement.GetProperty("triangles").GetInt32());
    }

    [Fact]
    public void UnknownSeriesIsNothingToMeshNamingTheUid()
    {
        using var folder = new TempFolder();
        (int code, _, string stderr) = CliRunner.Run("mesh", Sample, "-o", folder.File("m.stl"), "--series", "1.2.3.4");
        Assert.Equal(4, code);
        Assert.Contains("1.2.3.4", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertRefusesUnevenSpacingWithAClearMessage()
    {
        using var folder = new TempFolder();
        string nrrd = folder.File("ct.nrrd");
        (int code, _, string stderr) = CliRunner.Run("convert", Sample, "-o", nrrd);
        Assert.Equal(3, code);
        Assert.Contains("spacing", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(nrrd));
    }

    [SkippableFact]
    public void ConvertWritesAnEvenSeriesWithItsHuValuesAndGeometry()
    {
        string philips = Path.GetFullPath(Path.Combine(RepoPaths.Root!, "..", "shared", "data", "dicom", "philips-phantom", "S21570", "S2030"));
        Skip.IfNot(Directory.Exists(philips), $"shared data absent: {philips}");
        using var folder = new TempFolder();
        string nrrd = folder.File("bone.nrrd");
        (int code, _, string stderr) = CliRunner.Run("convert", philips, "-o", nrrd);
        Assert.True(code == 0, stderr);

        var expected = VolumeMesh.Dicom.DicomSeriesLoader.LoadDefaultHu(philips).Volume;
        NrrdVolume read = NrrdReader.Read(nrrd);
        Assert.Equal(expected.Voxels, read.AsInt16().Voxels);
        for (int k = 0; k < expected.SizeZ; k += 23)
        {
            Assert.True((expected.Geometry.IndexToPatient(7, 9, k) - read.Geometry.IndexToPatient(7, 9, k)).Length < 1e-3);
        }
    }
}
