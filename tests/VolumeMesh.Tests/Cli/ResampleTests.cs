using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11: <c>convert --resample MM</c> and <see cref="VolumeResampler"/>.</summary>
public sealed class ResampleTests
{
    [Fact]
    public void ALinearFieldOnATiltedUnevenGridIsReproducedOnTheRegularGrid()
    {
        // Slices 0, 1.5, 2.5, 6 mm along the stacking axis, tilted 20° (each slice shifted along the column direction).
        double tilt = Math.Tan(20 * Math.PI / 180);
        double[] z = [0, 1.5, 2.5, 6];
        var positions = z.Select(d => new Vector3D(0, d * tilt, d)).ToArray();
        var geometry = new VolumeGeometry(12, 10, 0.8, 0.9, new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), positions);
        var source = new Volume<short>(geometry);
        static double Field(Vector3D p) => (10 * p.X) + (20 * p.Y) + (30 * p.Z) + 100;
        for (int k = 0; k < geometry.SizeZ; k++)
        {
            for (int j = 0; j < geometry.SizeY; j++)
            {
                for (int i = 0; i < geometry.SizeX; i++)
                {
                    source[i, j, k] = (short)Math.Round(Field(geometry.IndexToPatient(i, j, k)));
                }
            }
        }

        Volume<short> regular = VolumeResampler.ToRegularGrid(source, 0.5);
        VolumeGeometry g = regular.Geometry;
        Assert.True(g.HasUniformSliceSpacing);
        Assert.True(g.TiltDegrees < 1e-6, g.ToString());
        Assert.Equal(13, g.SizeZ); // 0 … 6 mm every 0.5 mm
        int inside = 0;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    Vector3D p = g.IndexToPatient(i, j, k);
                    (double si, double sj, double sk) = geometry.PatientToIndex(p);
                    bool within = si >= 0 && sj >= 0 && sk >= 0 && si <= geometry.SizeX - 1 && sj <= geometry.SizeY - 1 && sk <= geometry.SizeZ - 1;
                    if (within)
                    {
                        inside++;
                        Assert.True(Math.Abs(regular[i, j, k] - Field(p)) <= 1.5, $"({i},{j},{k}) at {p}: {regular[i, j, k]} vs {Field(p):F2}");
                    }
                    else if (si < -0.01 || sj < -0.01 || sk < -0.01 || si > geometry.SizeX - 0.99 || sj > geometry.SizeY - 0.99 || sk > geometry.SizeZ - 0.99)
                    {
                        Assert.Equal(-1024, regular[i, j, k]);
                    }
                }
            }
        }

        Assert.True(inside > 12 * 10 * 10, $"only {inside} voxels inside the source");
    }

    [SkippableFact]
    public void ConvertRefusesTheUnevenSampleSayingHowAndResamplesItWhenAsked()
    {
        string sample = Path.Combine(RepoPaths.Root!, "samples", "ge-head-tilt-jpegll");
        using var folder = new TempFolder();
        (int code, _, string stderr) = CliRunner.Run("convert", sample, "-o", folder.File("ct.nrrd"));
        Assert.Equal(3, code);
        Assert.Contains("--resample MM", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("convert", sample, "-o", folder.File("ct.nrrd"), "--resample", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("Resampled (trilinear)", stderr, StringComparison.Ordinal);
        NrrdVolume read = NrrdReader.Read(folder.File("ct.nrrd"));
        Assert.True(read.Geometry.HasUniformSliceSpacing);
        Assert.Equal(2, read.Geometry.SliceSpacingMin, 3);
    }
}
